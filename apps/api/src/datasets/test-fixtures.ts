// Test helpers for dataset import: temp folders, .npy / IDX / CIFAR bytes, PNG/JPEG images, zip and tar archives.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import sharp from 'sharp';
import tar from 'tar-stream';
import yazl from 'yazl';
import type { Dataset, Sample, SkipReport } from '@odin/engine';

export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'odin-import-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export async function put(dir: string, name: string, bytes: Uint8Array): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

/** Deterministic bytes: element i is (i·31 + salt) mod 256. */
export function ramp(n: number, salt = 0): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 31 + salt) % 256);
}

/** An .npy (format 1.0) file holding `data` with `shape`. */
export function npyBytes(data: Uint8Array | Float32Array, shape: number[]): Buffer {
  const descr = data instanceof Float32Array ? '<f4' : '|u1';
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const header = dict + ' '.repeat((64 - ((10 + dict.length + 1) % 64)) % 64) + '\n';
  const pre = Buffer.from([0x93, ...Buffer.from('NUMPY'), 1, 0, header.length & 0xff, header.length >> 8]);
  return Buffer.concat([pre, Buffer.from(header, 'latin1'), Buffer.from(data.buffer, data.byteOffset, data.byteLength)]);
}

/** An unsigned-byte IDX file with `dims`, optionally gzipped. */
export function idxBytes(data: Uint8Array, dims: number[], gzip = false): Buffer {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head.set([0, 0, 0x08, dims.length]);
  dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  const out = Buffer.concat([head, data]);
  return gzip ? gzipSync(out) : out;
}

/** HWC bytes of a `channels`-channel image, distinct per `salt`. */
export function pixels(width: number, height: number, channels: 1 | 3, salt: number): Buffer {
  return Buffer.from(ramp(width * height * channels, salt));
}

/** A PNG of {@link pixels}: 8-bit gray for one channel (sharp writes RGB from 1-channel raw input unless told), else RGB. */
export function png(width: number, height: number, channels: 1 | 3, salt: number): Promise<Buffer> {
  const img = sharp(pixels(width, height, channels, salt), { raw: { width, height, channels } });
  return (channels === 1 ? img.toColourspace('b-w') : img).png().toBuffer();
}

export function jpeg(width: number, height: number, salt: number): Promise<Buffer> {
  return sharp(pixels(width, height, 3, salt), { raw: { width, height, channels: 3 } }).jpeg({ quality: 95 }).toBuffer();
}

/** One zip entry: bytes, or a symlink to `target`; `mode` sets the Unix mode bits. */
export interface ZipItem {
  name: string;
  data?: Buffer;
  symlink?: string;
  compress?: boolean;
}

export async function zipBytes(items: ZipItem[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const it of items) {
    if (it.symlink !== undefined) zip.addBuffer(Buffer.from(it.symlink), it.name, { mode: 0o120777 });
    else zip.addBuffer(it.data ?? Buffer.alloc(0), it.name, { compress: it.compress ?? true });
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const c of zip.outputStream as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}

/** Replaces every occurrence of `from` in a built archive with `to` (same length), to write names the builders refuse. */
export function patchName(archive: Buffer, from: string, to: string): Buffer {
  if (from.length !== to.length) throw new Error('patchName needs names of equal length');
  const out = Buffer.from(archive);
  const a = Buffer.from(from);
  let found = 0;
  for (let i = out.indexOf(a); i >= 0; i = out.indexOf(a, i + 1)) {
    out.write(to, i, 'latin1');
    found++;
  }
  if (found === 0) throw new Error(`patchName: ${from} not found`);
  return out;
}

/** One tar entry: a file with data, or another type (symlink, link, directory, fifo…) with its link name. */
export interface TarItem {
  name: string;
  data?: Buffer;
  type?: 'file' | 'symlink' | 'link' | 'directory' | 'fifo' | 'character-device';
  linkname?: string;
}

export async function tarBytes(items: TarItem[], gzip: boolean): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    pack.on('data', (c: unknown) => chunks.push(c as Buffer));
    pack.on('end', () => resolve());
    pack.on('error', reject);
  });
  for (const it of items) {
    const type = it.type ?? 'file';
    if (type === 'file') pack.entry({ name: it.name, type }, it.data ?? Buffer.alloc(0));
    else pack.entry({ name: it.name, type, linkname: it.linkname ?? '' });
  }
  pack.finalize();
  await done;
  const out = Buffer.concat(chunks);
  return gzip ? gzipSync(out) : out;
}

/** Every sample and skip of a dataset. */
export async function drain(ds: Dataset, batchSize = 5): Promise<{ samples: Sample[]; skips: SkipReport[] }> {
  const samples: Sample[] = [];
  const skips: SkipReport[] = [];
  for await (const b of ds.batches({ batchSize, onSkip: (s) => skips.push(s) })) samples.push(...b);
  return { samples, skips };
}

/** Float [0,1] pixels back to bytes. */
export function toBytes(p: Float32Array): number[] {
  return Array.from(p, (v) => Math.round(v * 255));
}
