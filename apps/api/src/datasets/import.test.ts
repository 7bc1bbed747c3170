// Tests of importDataset / openDatasetAt on real files: every format, archive safety, bomb limits and corrupt uploads.
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_IMPORT_LIMITS, DatasetImportError, importDataset, openDatasetAt, type ImportedDataset } from './import.ts';
import { drain, idxBytes, jpeg, npyBytes, patchName, pixels, png, put, ramp, tarBytes, tempDir, toBytes, zipBytes } from './test-fixtures.ts';

let root: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir: root, cleanup } = await tempDir()));
afterEach(() => cleanup());

/** Imports `bytes` written as a blob; the dataset goes to root/ds. */
async function importBytes(bytes: Uint8Array, opts: Parameters<typeof importDataset>[2] = {}): Promise<ImportedDataset> {
  const blob = await put(root, 'blob', bytes);
  return importDataset(blob, join(root, 'ds'), opts);
}

/** Expects the import to fail with a DatasetImportError matching `message`, leaving no dataset folder. */
async function expectRefused(bytes: Uint8Array, message: RegExp, opts: Parameters<typeof importDataset>[2] = {}): Promise<DatasetImportError> {
  const err = await importBytes(bytes, opts).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DatasetImportError);
  expect((err as Error).message).toMatch(message);
  expect(existsSync(join(root, 'ds'))).toBe(false);
  return err as DatasetImportError;
}

const open = (imported: ImportedDataset, name = 'my-set') => openDatasetAt(join(root, 'ds'), imported, name);

/** NCHW copy of an NHWC uint8 array. */
function nhwcToNchw(src: Uint8Array, n: number, h: number, w: number, c: number): Uint8Array {
  const out = new Uint8Array(src.length);
  for (let i = 0; i < n; i++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let k = 0; k < c; k++) out[((i * c + k) * h + y) * w + x] = src[((i * h + y) * w + x) * c + k];
  return out;
}

describe('single files', () => {
  it('imports an NHWC uint8 .npy and streams its pixels', async () => {
    const data = ramp(3 * 4 * 5 * 3, 7);
    const imported = await importBytes(npyBytes(data, [3, 4, 5, 3]), { filename: 'faces.npy' });
    expect(imported).toEqual({ format: 'NPY', path: 'data.npy', itemCount: 3, itemShape: [4, 5, 3], labels: null, rejected: [] });
    const ds = await open(imported);
    expect(ds.name).toBe('my-set');
    expect(ds.size).toBe(3);
    const { samples, skips } = await drain(ds, 2);
    expect(skips).toEqual([]);
    expect(samples.map((s) => toBytes(s.image.pixels))).toEqual([0, 1, 2].map((i) => Array.from(data.subarray(i * 60, (i + 1) * 60))));
  });

  it('reads an NCHW .npy as the same images as its NHWC twin', async () => {
    const nhwc = ramp(2 * 5 * 4 * 3, 11);
    const a = await importBytes(npyBytes(nhwc, [2, 5, 4, 3]));
    const fromNhwc = (await drain(await open(a))).samples;
    await cleanup();
    ({ dir: root, cleanup } = await tempDir());
    const b = await importBytes(npyBytes(nhwcToNchw(nhwc, 2, 5, 4, 3), [2, 3, 5, 4]));
    expect([a.itemShape, b.itemShape]).toEqual([
      [5, 4, 3],
      [5, 4, 3],
    ]);
    const fromNchw = (await drain(await open(b))).samples;
    expect(fromNchw.map((s) => Array.from(s.image.pixels))).toEqual(fromNhwc.map((s) => Array.from(s.image.pixels)));
    expect(toBytes(fromNchw[1].image.pixels)).toEqual(Array.from(nhwc.subarray(60)));
  });

  it('reports float32 .npy items outside [0,1] as rejected, keeping raw positions', async () => {
    const data = new Float32Array(3 * 2 * 2).fill(0.5);
    data[4] = 1.5;
    const imported = await importBytes(npyBytes(data, [3, 2, 2]), { filename: 'f.npy' });
    expect(imported.itemCount).toBe(3);
    expect(imported.itemShape).toEqual([2, 2, 1]);
    expect(imported.rejected).toEqual([{ entry: 'data.npy#1', reason: expect.stringMatching(/outside \[0,1\]/) }]);
  });

  it('refuses a .npy whose every item is unreadable', async () => {
    await expectRefused(npyBytes(new Float32Array(8).fill(2), [2, 2, 2]), /none of its 2 items could be decoded \('data\.npy#0': float32 values outside/);
  });

  it('refuses a truncated .npy, naming the shortfall', async () => {
    const full = npyBytes(ramp(4 * 8 * 8), [4, 8, 8]);
    await expectRefused(full.subarray(0, full.length - 10), /^Cannot import 'cut\.npy': the \.npy file is truncated: .*shape \(4, 8, 8\)/, { filename: 'cut.npy' });
  });

  it('refuses a .npy the engine cannot use (unsupported dtype), without internal paths', async () => {
    const bytes = npyBytes(ramp(8), [2, 2, 2]);
    const err = await expectRefused(Buffer.from(bytes.toString('latin1').replace("'|u1'", "'<i2'"), 'latin1'), /unsupported dtype '<i2'/);
    expect(err.message).not.toContain(root);
  });

  it('detects from the bytes, not the name', async () => {
    const imported = await importBytes(npyBytes(ramp(2 * 3 * 3), [2, 3, 3]), { filename: 'photos.zip' });
    expect(imported.format).toBe('NPY');
  });

  it('imports a gzipped IDX images file', async () => {
    const data = ramp(5 * 28 * 28, 3);
    const imported = await importBytes(idxBytes(data, [5, 28, 28], true), { filename: 'train-images-idx3-ubyte.gz' });
    expect(imported).toMatchObject({ format: 'IDX', path: 'images-idx3-ubyte.gz', itemCount: 5, itemShape: [28, 28, 1], labels: null, rejected: [] });
    const { samples } = await drain(await open(imported));
    expect(samples).toHaveLength(5);
    expect(toBytes(samples[4].image.pixels)).toEqual(Array.from(data.subarray(4 * 784)));
  });

  it('imports a plain IDX file with RGB images ([N,H,W,3])', async () => {
    const data = ramp(2 * 4 * 4 * 3);
    const imported = await importBytes(idxBytes(data, [2, 4, 4, 3]));
    expect(imported).toMatchObject({ format: 'IDX', path: 'images-idx3-ubyte', itemCount: 2, itemShape: [4, 4, 3] });
  });

  it('refuses truncated IDX files, plain and gzipped', async () => {
    const plain = idxBytes(ramp(3 * 28 * 28), [3, 28, 28]);
    await expectRefused(plain.subarray(0, plain.length - 1), /IDX file is truncated/);
    const gz = idxBytes(ramp(300 * 28 * 28), [300, 28, 28], true);
    await expectRefused(gz.subarray(0, gz.length >> 1), /corrupt or truncated gzip data|truncated/);
  });

  it('refuses an IDX labels file with a hint', async () => {
    await expectRefused(idxBytes(ramp(10, 0).map((v) => v % 10), [10]), /IDX labels file .* upload the images file/);
  });

  it('imports CIFAR-10 and CIFAR-100 binary batches', async () => {
    const records = [0, 9, 3].map((label, i) => Buffer.concat([Buffer.from([label]), Buffer.from(ramp(3072, i))]));
    const ten = await importBytes(Buffer.concat(records), { filename: 'data_batch_1.bin' });
    expect(ten).toMatchObject({ format: 'CIFAR', itemCount: 3, itemShape: [32, 32, 3], labels: null, rejected: [] });
    const { samples } = await drain(await open(ten));
    expect(samples.map((s) => s.label)).toEqual([0, 9, 3]);
    // CHW in the file, HWC in the sample: pixel (0,0) is bytes 0, 1024 and 2048 of the planes.
    const planes = ramp(3072, 1);
    expect(toBytes(samples[1].image.pixels).slice(0, 3)).toEqual([planes[0], planes[1024], planes[2048]]);
    await cleanup();
    ({ dir: root, cleanup } = await tempDir());
    const hundred = await importBytes(Buffer.concat([Buffer.from([19, 99]), Buffer.from(ramp(3072)), Buffer.from([2, 42]), Buffer.from(ramp(3072, 5))]));
    expect(hundred).toMatchObject({ format: 'CIFAR', itemCount: 2 });
    expect((await drain(await open(hundred))).samples.map((s) => s.label)).toEqual([99, 42]);
  });

  it('refuses random bytes, an empty file and broken gzip, saying what it expects', async () => {
    await expectRefused(randomBytes(10_001), /unrecognized file format; expected \.npy, IDX \(\.gz\), CIFAR \.bin, or a zip\/tar\(\.gz\) of PNG\/JPEG/);
    await expectRefused(Buffer.alloc(0), /empty/);
    await expectRefused(Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0]), randomBytes(200)]), /gzip/);
    await expectRefused(Buffer.from(new Uint8Array(3073).fill(200)), /unrecognized/);
    await expectRefused(await png(2, 2, 3, 1), /a single PNG image \(zip or tar a folder of images instead\)/, { filename: 'cat.png' });
    await expectRefused(Buffer.from('BZh91AY&SY' + 'x'.repeat(100)), /a bzip2 file, which is not supported/);
  });
});

describe('archives', () => {
  it('unpacks a zip of PNG/JPEG with sub-folder labels, unwrapping its top folder and reporting junk', async () => {
    const items = [
      { name: 'digits/', data: undefined },
      { name: 'digits/cat/a.png', data: await png(6, 4, 3, 1) },
      { name: 'digits/cat/b.jpg', data: await jpeg(8, 8, 2) },
      { name: 'digits/dog/c.png', data: await png(6, 4, 1, 3) },
      { name: '__MACOSX/digits/cat/._a.png', data: Buffer.from('apple double') },
      { name: 'digits/.DS_Store', data: Buffer.from('junk') },
      { name: 'digits/readme.txt', data: Buffer.from('hello') },
      { name: 'digits/dog/fake.png', data: Buffer.from('not really a png') },
    ];
    const zip = await zipBytes(items.filter((i) => i.data).map((i) => ({ name: i.name, data: i.data })));
    const imported = await importBytes(zip, { filename: 'digits.zip' });
    expect(imported).toMatchObject({ format: 'ZIP', path: 'items/digits', itemCount: 3, itemShape: [4, 6, 3], labels: ['cat', 'dog'] });
    expect(imported.rejected).toEqual([
      { entry: '__MACOSX/digits/cat/._a.png', reason: 'hidden file or macOS metadata' },
      { entry: 'digits/.DS_Store', reason: 'hidden file or macOS metadata' },
      { entry: 'digits/readme.txt', reason: 'not a .png, .jpg or .jpeg file' },
      { entry: 'digits/dog/fake.png', reason: 'content is not a PNG or JPEG image' },
    ]);
    const { samples, skips } = await drain(await open(imported));
    expect(skips).toEqual([]);
    expect(samples.map((s) => [s.id, s.label])).toEqual([
      ['cat/a.png', 0],
      ['cat/b.jpg', 0],
      ['dog/c.png', 1],
    ]);
    expect(toBytes(samples[0].image.pixels)).toEqual(Array.from(pixels(6, 4, 3, 1)));
    expect(samples[2].image.channels).toBe(1);
    expect(toBytes(samples[2].image.pixels)).toEqual(Array.from(pixels(6, 4, 1, 3)));
    const jpegBytes = toBytes(samples[1].image.pixels);
    const source = pixels(8, 8, 3, 2);
    const meanError = jpegBytes.reduce((s, v, i) => s + Math.abs(v - source[i]), 0) / source.length;
    expect(meanError).toBeLessThan(40);
  });

  it('unpacks a tar.gz, refusing links and devices and reporting undecodable images under their archive paths', async () => {
    const tgz = await tarBytes(
      [
        { name: './', type: 'directory' },
        { name: './set/', type: 'directory' },
        { name: './set/one/x.png', data: await png(3, 3, 1, 1) },
        { name: './set/two/y.jpeg', data: await jpeg(5, 5, 1) },
        { name: './set/two/broken.png', data: Buffer.concat([(await png(3, 3, 1, 9)).subarray(0, 20), Buffer.from('garbage garbage')]) },
        { name: './set/one/link.png', type: 'symlink', linkname: '/etc/passwd' },
        { name: './set/one/hard.png', type: 'link', linkname: 'set/one/x.png' },
        { name: './set/pipe.png', type: 'fifo' },
      ],
      true,
    );
    const imported = await importBytes(tgz, { filename: 'set.tar.gz' });
    expect(imported).toMatchObject({ format: 'TAR', path: 'items/set', itemCount: 3, itemShape: [3, 3, 1], labels: ['one', 'two'] });
    expect(imported.rejected).toEqual([
      { entry: './set/one/link.png', reason: 'symbolic link' },
      { entry: './set/one/hard.png', reason: 'hard link' },
      { entry: './set/pipe.png', reason: 'device or other special file' },
      { entry: 'set/two/broken.png', reason: expect.stringMatching(/cannot decode two\/broken\.png/) },
    ]);
    expect(await readdir(join(root, 'ds', 'items', 'set', 'one'))).toEqual(['x.png']);
  });

  it('unpacks a plain tar with images at the root (no labels)', async () => {
    const t = await tarBytes([{ name: 'a.png', data: await png(2, 2, 3, 1) }, { name: 'b.png', data: await png(2, 2, 3, 2) }], false);
    const imported = await importBytes(t);
    expect(imported).toMatchObject({ format: 'TAR', path: 'items', itemCount: 2, labels: null, rejected: [] });
  });

  it('refuses path traversal, absolute paths, backslashes and symlinks in a zip, writing nothing outside dir', async () => {
    const good = await png(2, 2, 1, 1);
    let zip = await zipBytes([
      { name: 'ok/good.png', data: good },
      { name: 'xx/evil.png', data: good },
      { name: 'Xtmp/abs-evil.png', data: good },
      { name: 'C_/win.png', data: good },
      { name: 'aYb.png', data: good },
      { name: 'ok/link.png', symlink: '../../../../etc/passwd' },
    ]);
    zip = patchName(zip, 'xx/evil.png', '../evil.png');
    zip = patchName(zip, 'Xtmp/abs-evil.png', '/tmp/abs-evil.png');
    zip = patchName(zip, 'C_/win.png', 'C:/win.png');
    zip = patchName(zip, 'aYb.png', 'a\\b.png');
    const imported = await importBytes(zip, { filename: 'evil.zip' });
    expect(imported.rejected).toEqual([
      { entry: '../evil.png', reason: "path leaves the archive ('..')" },
      { entry: '/tmp/abs-evil.png', reason: 'absolute path' },
      { entry: 'C:/win.png', reason: 'drive letter in path' },
      { entry: 'a\\b.png', reason: 'backslash in path' },
      { entry: 'ok/link.png', reason: 'symbolic link' },
    ]);
    expect(imported).toMatchObject({ itemCount: 1, path: 'items/ok' });
    expect(existsSync('/tmp/abs-evil.png')).toBe(false);
    expect((await readdir(root)).sort()).toEqual(['blob', 'ds']);
    expect(await readdir(join(root, 'ds'))).toEqual(['items']);
    expect(await readdir(join(root, 'ds', 'items'))).toEqual(['ok']);
    expect(await readdir(join(root, 'ds', 'items', 'ok'))).toEqual(['good.png']);
  });

  it('fails fast on a zip bomb (200 MB of zeros), leaving nothing behind', async () => {
    const bomb = Buffer.alloc(200_000_000);
    bomb.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const zip = await zipBytes([{ name: 'bomb.png', data: bomb }]);
    expect(zip.length).toBeLessThan(1_000_000);
    const t0 = performance.now();
    await expectRefused(zip, /entry 'bomb\.png' expands to more than 200× its compressed size/, { filename: 'bomb.zip' });
    expect(performance.now() - t0).toBeLessThan(3000);
  });

  it('fails on an archive whose overall ratio is too high, even when no single zip entry is', async () => {
    const tgz = await tarBytes([{ name: 'a.png', data: Buffer.concat([await png(2, 2, 1, 1), Buffer.alloc(40_000_000)]) }], true);
    await expectRefused(tgz, /expands to more than 200× its compressed size/);
  });

  it('fails when an archive lists too many entries', async () => {
    const img = await png(2, 2, 1, 1);
    const items = Array.from({ length: 5 }, (_, i) => ({ name: `x/${i}.png`, data: img }));
    const limits = { ...DEFAULT_IMPORT_LIMITS, maxEntries: 4 };
    await expectRefused(await zipBytes(items), /more than 4 entries/, { limits });
    await expectRefused(await tarBytes(items, true), /more than 4 entries/, { limits });
  });

  it('fails when the unpacked total is too large, and rejects (only) the entries over the per-entry limit', async () => {
    const small = await png(4, 4, 3, 1);
    const big = await png(64, 64, 3, 2);
    const zip = await zipBytes([
      { name: 'a.png', data: small },
      { name: 'b.png', data: big, compress: false },
    ]);
    const entryLimit = { ...DEFAULT_IMPORT_LIMITS, maxEntryBytes: small.length + 10 };
    const imported = await importBytes(zip, { limits: entryLimit });
    expect(imported.itemCount).toBe(1);
    expect(imported.rejected).toEqual([{ entry: 'b.png', reason: expect.stringMatching(/^larger than /) }]);
    await cleanup();
    ({ dir: root, cleanup } = await tempDir());
    await expectRefused(zip, /unpacks to more than/, { limits: { ...DEFAULT_IMPORT_LIMITS, maxTotalBytes: small.length + 100 } });
  });

  it('rejects images too large to decode', async () => {
    const huge = await sharpZeros(5000, 4000);
    const imported = await importBytes(await zipBytes([{ name: 'huge.png', data: huge }, { name: 'ok.png', data: await png(2, 2, 1, 1) }]));
    expect(imported.rejected).toEqual([{ entry: 'huge.png', reason: expect.stringMatching(/5000×4000 pixels/) }]);
    expect(imported.itemCount).toBe(1);
  });

  it('refuses archives without usable images, listing why', async () => {
    await expectRefused(await zipBytes([{ name: 'notes.txt', data: Buffer.from('x') }]), /no usable PNG\/JPEG images \('notes\.txt': not a \.png/);
    await expectRefused(await zipBytes([]), /no usable PNG\/JPEG images/);
  });

  it('refuses a zip with a bad central directory or cut short, and a truncated tar.gz', async () => {
    const zip = await zipBytes([{ name: 'a.png', data: await png(2, 2, 1, 1) }, { name: 'b.png', data: await png(2, 2, 1, 2) }]);
    const cd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    const bad = Buffer.from(zip);
    bad[cd + 2] = 0x09;
    await expectRefused(bad, /corrupt zip archive|not a readable zip/);
    await expectRefused(zip.subarray(0, zip.length - 30), /not a readable zip archive/);
    const tgz = await tarBytes([{ name: 'a.png', data: await png(40, 40, 3, 1) }], true);
    await expectRefused(tgz.subarray(0, tgz.length - 40), /corrupt or truncated/);
  });

  it('refuses a zip entry with corrupt deflate data, and a plain tar cut inside an entry', async () => {
    const zip = await zipBytes([{ name: 'a.png', data: Buffer.concat([await png(2, 2, 1, 1), Buffer.from(ramp(5000))]) }]);
    const bad = Buffer.from(zip);
    for (let i = 60; i < 200; i++) bad[i] ^= 0x55;
    await expectRefused(bad, /corrupt zip archive \(invalid/);
    const t = await tarBytes([{ name: 'a.png', data: Buffer.concat([await png(2, 2, 1, 1), Buffer.from(ramp(5000))]) }], false);
    await expectRefused(t.subarray(0, 2000), /corrupt or truncated tar archive \(Unexpected end of data\)/);
  });

  it('does not trust a zip header that understates a bomb entry', async () => {
    const bomb = Buffer.alloc(20_000_000);
    bomb.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const zip = Buffer.from(await zipBytes([{ name: 'bomb.png', data: bomb }]));
    zip.writeUInt32LE(1000, 22);
    zip.writeUInt32LE(1000, zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 24);
    await expectRefused(zip, /corrupt zip archive \(too many bytes in the stream/);
  });

  it('leaves an existing non-empty dir alone', async () => {
    const dir = join(root, 'ds');
    await mkdir(dir);
    await writeFile(join(dir, 'keep'), 'x');
    const blob = await put(root, 'blob', npyBytes(ramp(8), [2, 2, 2]));
    await expect(importDataset(blob, dir)).rejects.toThrow(/not empty/);
    expect(await readdir(dir)).toEqual(['keep']);
  });
});

function sharpZeros(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 0, g: 0, b: 0 } } }).png().toBuffer();
}
