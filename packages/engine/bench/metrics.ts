// Benchmark: computeOodMetrics on 1,000,000 in- and 1,000,000 out-of-distribution scores (best of 3).
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { computeOodMetrics } from '../src/metrics/index.ts';
import { mulberry32 } from '../src/preprocess/random.ts';

const N_PER_CLASS = 1_000_000;
const REPEATS = 3;


/** n Gaussian scores N(mean, 1) as float32, like a detector's softmax-derived output (so with some ties). */
function gaussianScores(n: number, mean: number, rand: () => number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u = 1 - rand();
    out[i] = mean + Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  }
  return out;
}

/**
 * Times computeOodMetrics (metrics and downsampled curves) on 1e6 + 1e6 random scores.
 * @returns the best wall-clock time of 3 runs, in seconds, and n = total number of scores.
 */
export async function benchMetrics(): Promise<{ name: string; seconds: number; n: number }> {
  const rand = mulberry32(2018);
  const scoresIn = gaussianScores(N_PER_CLASS, 1, rand);
  const scoresOut = gaussianScores(N_PER_CLASS, 0, rand);
  let best = Infinity;
  for (let r = 0; r < REPEATS; r++) {
    const start = performance.now();
    computeOodMetrics(scoresIn, scoresOut);
    best = Math.min(best, (performance.now() - start) / 1000);
  }
  return { name: 'metrics: computeOodMetrics 1e6 in + 1e6 out', seconds: best, n: 2 * N_PER_CLASS };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { name, seconds, n } = await benchMetrics();
  console.log(`${name}: ${seconds.toFixed(3)} s (n = ${n})`);
}
