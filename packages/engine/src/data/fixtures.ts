// Test helpers: write small .npy / IDX / CIFAR files into temp folders and drain datasets.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Dataset, Sample, SkipReport } from '../preprocess/types.ts';

/** A fresh temp folder and its cleanup. */
export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'odin-data-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Bytes of an .npy (format 1.0) file holding `data` with `shape`. */
export function npyBytes(data: Uint8Array | Float32Array, shape: number[], descr = data instanceof Float32Array ? '<f4' : '|u1'): Uint8Array {
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const unpadded = 10 + dict.length + 1;
  const header = dict + ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set([0x93, ...Buffer.from('NUMPY'), 1, 0, header.length & 0xff, header.length >> 8]);
  out.set(Buffer.from(header, 'latin1'), 10);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return out;
}

/** Bytes of an unsigned-byte IDX file with `dims`, optionally gzipped. */
export function idxBytes(data: Uint8Array, dims: number[], gzip = false): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  out.set([0, 0, 0x08, dims.length]);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * dims.length);
  return gzip ? gzipSync(out) : out;
}

/** Writes `bytes` to `dir/name` and returns the path. */
export async function put(dir: string, name: string, bytes: Uint8Array | string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

/** Every sample (and skip) of a dataset, draining it with the given batch size. */
export async function drain(ds: Dataset, batchSize = 7, start = 0): Promise<{ samples: Sample[]; skips: SkipReport[]; batches: number[] }> {
  const samples: Sample[] = [];
  const skips: SkipReport[] = [];
  const batches: number[] = [];
  for await (const b of ds.batches({ batchSize, start, onSkip: (s) => skips.push(s) })) {
    batches.push(b.length);
    samples.push(...b);
  }
  return { samples, skips, batches };
}

/** Deterministic test bytes: value of element i is (i·31 + salt) mod 256. */
export function ramp(n: number, salt = 0): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 31 + salt) % 256);
}
