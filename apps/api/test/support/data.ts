// Real image sets written as .npy files for API tests (Fashion-MNIST test items and MNIST digits, as uint8 [N, 28, 28]),
// and the engine's own evaluate() on such files: the independent computation API results are checked against.
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluate, readModel, type EvaluateOptions, type EvaluateResult } from '@odin/engine';
import { nodeRuntime, openDataset, openNpy } from '@odin/engine/node';
import { npyBytes } from '../../src/datasets/test-fixtures.ts';

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

/** evaluate() in this process on the CPU, one in-distribution and one OOD .npy, at a fixed (T, ε) or with a search. */
export async function evaluateNpy(
  modelBytes: Uint8Array,
  inPath: string,
  outPath: string,
  o: Pick<EvaluateOptions, 'temperature' | 'epsilon' | 'search' | 'batchSize' | 'threads'>,
): Promise<EvaluateResult> {
  return evaluate({ model: readModel(modelBytes), inData: await openNpy(inPath, 'in'), outData: [await openNpy(outPath, 'out')], runtime: nodeRuntime, backend: 'cpu', ...o });
}
