// Real image sets written as .npy files for API tests: Fashion-MNIST test items and MNIST digits, as uint8 [N, 28, 28].
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDataset } from '@odin/engine/node';

export function npyBytes(data: Uint8Array, shape: number[]): Uint8Array {
  let header = `{'descr': '|u1', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const head = new Uint8Array(10 + header.length);
  head.set([0x93, ...Buffer.from('NUMPY'), 1, 0]);
  new DataView(head.buffer).setUint16(8, header.length, true);
  head.set(Buffer.from(header, 'latin1'), 10);
  const out = new Uint8Array(head.length + data.length);
  out.set(head);
  out.set(data, head.length);
  return out;
}

/** The first `n` items of a built-in set as a uint8 .npy in `dir`; returns its path. */
export async function writeNpy(dir: string, spec: string, n: number, name: string): Promise<string> {
  const ds = await openDataset(spec);
  const bytes = new Uint8Array(n * 28 * 28);
  let k = 0;
  for await (const batch of ds.batches({ batchSize: Math.min(n, 256) })) {
    for (const s of batch) {
      if (k >= n) break;
      bytes.set(Array.from(s.image.pixels, (p) => Math.round(p * 255)), k * 784);
      k++;
    }
    if (k >= n) break;
  }
  const path = join(dir, name);
  await writeFile(path, npyBytes(bytes, [n, 28, 28]));
  return path;
}

/** A temp folder that embedded Postgres's own user can reach (mkdtemp makes it private to root). */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'odin-api-'));
  await chmod(dir, 0o755);
  return dir;
}
