// Bad datasets through the real API (upload + registerDataset on a spawned API with embedded Postgres): unsafe archive
// entries, links, bombs, too many files, corrupt and mixed-size images, lying .npy and IDX files. Each is refused or
// its bad entries skipped with a report, and the filesystem is checked: nothing is written outside the data folder.
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idxBytes, jpeg, npyBytes, patchName, png, ramp, tarBytes, zipBytes } from '@odin/api/datasets/test-fixtures';
import { data, gql, spawnApi, uploadId, waitForRun, type ApiProcess } from '../apps/api/test/support/api-process.ts';
import { tempDir } from '../apps/api/test/support/data.ts';
import { DEMO_MODEL } from './support/bad-models.ts';

const HOOK_TIMEOUT = 300_000;
const REGISTER = 'mutation($u: ID!, $n: String!) { registerDataset(input: { uploadId: $u, name: $n }) { id itemCount itemShape format rejected { entry reason } } }';

interface Registered {
  id: string;
  itemCount: number;
  itemShape: number[];
  format: string;
  rejected: { entry: string; reason: string }[];
}

/** `bytes` with the text `from` replaced by `to` (same length). */
const patch = (bytes: Uint8Array, from: string, to: string) => patchName(Buffer.from(bytes), from, to);

/** Every file, folder and link under `root`, relative to it. */
async function tree(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true }).catch(() => [] as string[]);
  return entries.map((e) => relative(root, join(root, e))).sort();
}

describe('bad data', () => {
  let dir: string;
  let api: ApiProcess;
  /** A folder beside the data folder that archive links point at: it must stay empty. */
  let outside: string;
  let good: Buffer;
  let before: string[];

  beforeAll(async () => {
    dir = await tempDir();
    outside = join(dir, 'outside');
    await mkdir(outside);
    api = await spawnApi({ ODIN_DATA_DIR: join(dir, 'data') });
    good = await png(8, 8, 1, 1);
    before = (await tree(dir)).filter((p) => !p.startsWith('data'));
  }, HOOK_TIMEOUT);
  afterAll(async () => {
    await api?.stop();
    await rm(dir, { recursive: true, force: true });
  }, HOOK_TIMEOUT);

  const register = async (bytes: Uint8Array, filename: string) => gql<{ registerDataset: Registered }>(api.url, REGISTER, { u: await uploadId(api.url, bytes, filename), n: filename });
  const accepted = async (bytes: Uint8Array, filename: string): Promise<Registered> => {
    const r = await register(bytes, filename);
    expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
    return r.data!.registerDataset;
  };
  const refused = async (bytes: Uint8Array, filename: string, message: RegExp) => {
    const datasets = await tree(join(dir, 'data', 'datasets'));
    const r = await register(bytes, filename);
    expect(r.data).toBeNull();
    expect(r.errors?.[0]).toMatchObject({ message: expect.stringMatching(message), extensions: { code: 'BAD_USER_INPUT' } });
    expect(r.errors![0].message).toContain(`'${filename}'`);
    // A refused upload leaves no dataset folder behind.
    expect(await tree(join(dir, 'data', 'datasets'))).toEqual(datasets);
  };
  /** The dataset's folder holds exactly `images` (archive paths), and nothing outside the data folder changed. */
  const onlyInside = async (set: Registered, images: string[]) => {
    const items = join(dir, 'data', 'datasets', set.id, 'items');
    const files = [];
    for (const p of await tree(items)) if ((await stat(join(items, p))).isFile()) files.push(p);
    expect(files.sort()).toEqual([...images].sort());
    expect((await tree(dir)).filter((p) => !p.startsWith('data'))).toEqual(before);
    expect(await tree(outside)).toEqual([]);
  };

  it("reports zip and tar entries with '../' or an absolute path and writes them nowhere", async () => {
    const zip = patchName(
      patchName(await zipBytes([{ name: 'cls/good.png', data: good }, { name: 'xx/xx/outside/evil1.png', data: good }, { name: 'zoutside/evil2.png', data: good }]), 'xx/xx/outside/evil1.png', '../../outside/evil1.png'),
      'zoutside/evil2.png',
      '/outside/evil2.png',
    );
    const z = await accepted(zip, 'escape.zip');
    expect(z.itemCount).toBe(1);
    expect(z.rejected).toEqual([
      { entry: '../../outside/evil1.png', reason: "path leaves the archive ('..')" },
      { entry: '/outside/evil2.png', reason: 'absolute path' },
    ]);
    await onlyInside(z, ['cls/good.png']);

    const tar = await tarBytes(
      [
        { name: 'cls/good.png', data: good },
        { name: '../../../../../outside/evil3.png', data: good },
        { name: `${outside}/evil4.png`, data: good },
        { name: 'cls/../../evil5.png', data: good },
      ],
      true,
    );
    const t = await accepted(tar, 'escape.tar.gz');
    expect(t.itemCount).toBe(1);
    expect(t.rejected.map((r) => r.reason)).toEqual(["path leaves the archive ('..')", 'absolute path', "path leaves the archive ('..')"]);
    await onlyInside(t, ['cls/good.png']);
  });

  it('reports symbolic and hard links, and a file written through a link lands inside the dataset folder', async () => {
    const tar = await tarBytes(
      [
        { name: 'cls', type: 'symlink', linkname: outside },
        { name: 'cls/through-link.png', data: good },
        { name: 'up.png', type: 'symlink', linkname: '../../../outside/x.png' },
        { name: 'hard.png', type: 'link', linkname: join(outside, 'x.png') },
        { name: 'dev', type: 'character-device' },
        { name: 'ok/a.png', data: good },
      ],
      false,
    );
    const t = await accepted(tar, 'links.tar');
    expect(t.rejected).toEqual([
      { entry: 'cls', reason: 'symbolic link' },
      { entry: 'up.png', reason: 'symbolic link' },
      { entry: 'hard.png', reason: 'hard link' },
      { entry: 'dev', reason: 'device or other special file' },
    ]);
    expect(t.itemCount).toBe(2);
    await onlyInside(t, ['cls/through-link.png', 'ok/a.png']);

    const zip = await zipBytes([{ name: 'a/link.png', symlink: join(outside, 'x.png') }, { name: 'a/b.png', data: good }]);
    const z = await accepted(zip, 'links.zip');
    expect(z.rejected).toEqual([{ entry: 'a/link.png', reason: 'symbolic link' }]);
    await onlyInside(z, ['a/b.png']);
  });

  it('refuses zip and tar.gz bombs by their expansion ratio, and keeps a small, very compressible archive', async () => {
    // A PNG signature and then zeros: it looks like an image until it is inflated.
    const zeros = Buffer.alloc(64 * 1024 * 1024);
    zeros.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    await refused(await zipBytes([{ name: 'a/zeros.png', data: zeros }]), 'bomb.zip', /expands to more than 200× its compressed size \(an archive bomb\?\)/);
    await refused(await tarBytes([{ name: 'a/zeros.png', data: zeros }], true), 'bomb.tar.gz', /expands to more than 200× its compressed size \(an archive bomb\?\)/);
    // Twenty copies of one image gzip to a twentieth, yet inflate to less than the ratio check's floor.
    const small = await accepted(await tarBytes(Array.from({ length: 20 }, (_, i) => ({ name: `c/${i}.png`, data: good })), true), 'copies.tar.gz');
    expect(small).toMatchObject({ itemCount: 20, rejected: [] });
    expect((await tree(join(dir, 'data', 'datasets'))).some((p) => p.includes('zeros'))).toBe(false);
  });

  it('refuses an archive of 100,001 tiny files by the entry-count limit, before unpacking any', { timeout: 600_000 }, async () => {
    const zip = await zipBytes(Array.from({ length: 100_001 }, (_, i) => ({ name: `t/${i}.png`, data: good.subarray(0, 8), compress: false })));
    await refused(zip, 'many.zip', /the archive has more than 100,000 entries; refusing to unpack it/);
  });

  it('skips corrupt PNG/JPEG images with a report, and a run scores only the readable ones', async () => {
    const photo = await jpeg(12, 12, 5);
    const corruptPng = Buffer.concat([good.subarray(0, 16), Buffer.from(ramp(200, 3))]);
    const truncatedJpeg = photo.subarray(0, Math.floor(photo.length / 3));
    const zip = await zipBytes([
      { name: 'set/a.png', data: good },
      { name: 'set/b.jpg', data: photo },
      { name: 'set/corrupt.png', data: corruptPng },
      { name: 'set/truncated.jpg', data: truncatedJpeg },
      { name: 'set/text.png', data: Buffer.from('hello') },
    ]);
    const set = await accepted(zip, 'corrupt.zip');
    expect(set.rejected.map((r) => r.entry).sort()).toEqual(['set/corrupt.png', 'set/text.png', 'set/truncated.jpg']);
    expect(set.rejected.find((r) => r.entry === 'set/text.png')!.reason).toBe('content is not a PNG or JPEG image');
    for (const r of set.rejected) expect(r.reason.length).toBeGreaterThan(5);
    expect(await scoredItems(set.id)).toBe(2);
  });

  it('takes images of mixed sizes and channels, resizing each to the model input, and scores every one', async () => {
    const images = [await png(8, 8, 1, 1), await png(40, 30, 3, 2), await jpeg(17, 55, 3), await png(28, 28, 1, 4), await png(3, 200, 3, 5)];
    const set = await accepted(await zipBytes(images.map((d, i) => ({ name: `m/${i}.${i === 2 ? 'jpg' : 'png'}`, data: d }))), 'mixed.zip');
    expect(set).toMatchObject({ itemCount: 5, rejected: [], itemShape: [8, 8, 1] });
    expect(await scoredItems(set.id)).toBe(5);
  });

  it('refuses .npy files with a wrong dtype or shape, or a header that lies about the size', async () => {
    await refused(patch(npyBytes(new Uint8Array(32), [1, 2, 2]), "'|u1'", "'<i8'"), 'int64.npy', /unsupported dtype '<i8'; expected uint8/);
    await refused(npyBytes(new Uint8Array(16), [4, 4]), 'flat.npy', /unsupported array shape \(4, 4\)/);
    await refused(npyBytes(new Uint8Array(32), [2, 2, 2, 4]), 'rgba.npy', /1 or 3 channels/);
    // The header's padding absorbs the longer shape, so the header length stays right and only the shape lies.
    const lying = patch(npyBytes(ramp(4 * 28 * 28), [4, 28, 28]), `(4, 28, 28), }${' '.repeat(6)}`, '(9000000, 28, 28), }');
    await refused(lying, 'lying.npy', /the \.npy file is truncated: its header declares a uint8 array of shape \(9000000, 28, 28\)/);
    await refused(npyBytes(new Uint8Array(0), [1, 60000, 60000]), 'huge.npy', /truncated|larger than/);
  });

  it('refuses IDX files with a wrong magic number or element type, plain and gzipped', async () => {
    const idx = idxBytes(ramp(2 * 4 * 4), [2, 4, 4]);
    const wrongMagic = Buffer.from(idx);
    wrongMagic[1] = 0x01;
    await refused(wrongMagic, 'magic-images-idx3-ubyte', /unrecognized file format; expected \.npy, IDX/);
    await refused(gzipSync(wrongMagic), 'magic-images-idx3-ubyte.gz', /holds neither an IDX images file nor a tar archive/);
    const floats = Buffer.from(idx);
    floats[2] = 0x0d;
    await refused(floats, 'float-images-idx3-ubyte', /IDX element type 0x0d is not supported/);
    const lying = Buffer.from(idx);
    lying.writeUInt32BE(70_000, 4);
    await refused(gzipSync(lying), 'lying-images-idx3-ubyte.gz', /the gzipped IDX file is truncated/);
  });

  it('left a dataset folder for each registered upload and none for the refused ones, and the API stayed up', async () => {
    const { datasets } = await data<{ datasets: { edges: { node: { id: string; kind: string } }[] } }>(api.url, '{ datasets(first: 100) { edges { node { id kind } } } }');
    const uploaded = datasets.edges.filter((e) => e.node.kind === 'UPLOADED').map((e) => e.node.id);
    expect(uploaded).toHaveLength(7);
    expect((await readdir(join(dir, 'data', 'datasets'))).sort()).toEqual(uploaded.sort());
    expect(api.child.exitCode).toBeNull();
    expect(api.log()).not.toMatch(/INTERNAL_SERVER_ERROR|Unhandled|uncaught/i);
  });

  /** Runs the demo model on `datasetId` against noise; returns how many of its items were scored. */
  let modelId: string | undefined;
  let noiseId: string | undefined;
  async function scoredItems(datasetId: string): Promise<number> {
    modelId ??= (await data<{ registerModel: { id: string } }>(api.url, 'mutation($u: ID!) { registerModel(input: { uploadId: $u, name: "demo" }) { id } }', { u: await uploadId(api.url, DEMO_MODEL, 'demo.onnx') })).registerModel.id;
    noiseId ??= (await data<{ createSyntheticDataset: { id: string } }>(api.url, 'mutation { createSyntheticDataset(input: { kind: UNIFORM, count: 32, seed: 3 }) { id } }')).createSyntheticDataset.id;
    const { startRun } = await data<{ startRun: { id: string } }>(api.url, 'mutation($m: ID!, $i: ID!, $o: [ID!]!) { startRun(input: { modelId: $m, inDatasetId: $i, outDatasetIds: $o, batchSize: 16 }) { id } }', {
      m: modelId,
      i: datasetId,
      o: [noiseId],
    });
    expect(await waitForRun(api.url, startRun.id)).toMatchObject({ status: 'SUCCEEDED', error: null });
    const csv = await (await fetch(`${api.url}/v1/runs/${startRun.id}/scores.csv`)).text();
    return csv.split('\n').filter((line) => line.startsWith(`${datasetId},`)).length;
  }
});
