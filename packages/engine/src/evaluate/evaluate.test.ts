// evaluate() on a tiny seeded MLP and small real datasets (.npy, PNG folders, noise) with real onnxruntime-node sessions:
// scores against a direct run of the compiled graph, metrics, progress, cancel/resume, checkpoints, skips, and the (T, ε) search.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDataset } from '../data/open.ts';
import { npyBytes, put, tempDir } from '../data/fixtures.ts';
import { writeModel } from '../graph/onnx-io.ts';
import type { Model } from '../graph/ir.ts';
import { computeOodMetrics } from '../metrics/index.ts';
import { compileOdin } from '../odin/compile.ts';
import { mulberry32 } from '../preprocess/random.ts';
import type { Dataset } from '../preprocess/types.ts';
import { nodeRuntime } from '../runtime/node.ts';
import type { HostTensor, Runtime, SessionOptions } from '../runtime/session.ts';
import { mlp } from '../train/architectures.ts';
import { CancelledError, DEFAULT_EPSILONS, DEFAULT_TEMPERATURES, ProgressTracker, chooseSetting, evaluate, inputDims, jobsFromCheckpoints, scoreDataset } from './index.ts';
import type { EvaluateOptions, EvaluateResult, GridCell, Progress, ScoreCheckpoint, ScoreJobs, SetScores } from './index.ts';

const H = 8;
const W = 8;
const SHAPE = { height: H, width: W, channels: 1 as const };
const PIXELS = H * W;
const N_IN = 40;
const N_NOISE = 30;
const N_BAD = 24;
/** Raw position of the float image with a value outside [0,1] in bad.npy: the .npy reader skips it. */
const BAD_AT = 13;
const BATCH = 8;
const NOISE = 'uniform:30:1';

let tmp: { dir: string; cleanup: () => Promise<void> };
let model: Model;
let inPixels: Float32Array;
let badPixels: Float32Array;
let inSpec: string;
let badSpec: string;
let folderSpec: string;

/** Seeded bytes on [0,255]; `bright` shifts the distribution so in and out sets differ. */
function bytes(n: number, seed: number, bright: number): Uint8Array {
  const rand = mulberry32(seed);
  return Uint8Array.from({ length: n }, () => Math.min(255, Math.floor(rand() * 160 + bright)));
}

beforeAll(async () => {
  tmp = await tempDir();
  model = mlp({ input: SHAPE, numClasses: 4, seed: 7 });
  const inBytes = bytes(N_IN * PIXELS, 1, 90);
  inPixels = Float32Array.from(inBytes, (v) => v / 255);
  inSpec = await put(tmp.dir, 'in.npy', npyBytes(inBytes, [N_IN, H, W]));
  badPixels = Float32Array.from(bytes(N_BAD * PIXELS, 2, 0), (v) => v / 255);
  const stored = badPixels.slice();
  stored[BAD_AT * PIXELS + 5] = 2; // outside [0,1]: a corrupt item
  badSpec = await put(tmp.dir, 'bad.npy', npyBytes(stored, [N_BAD, H, W]));
  // A folder of 10 grayscale PNGs and one file that is not a PNG at all, in the middle of the sorted order.
  const folder = join(tmp.dir, 'pngs');
  await mkdir(folder);
  for (let i = 0; i < 10; i++) {
    const raw = Buffer.from(bytes(PIXELS, 100 + i, 60));
    await sharp(raw, { raw: { width: W, height: H, channels: 1 } }).png().toFile(join(folder, `img${String(i).padStart(2, '0')}.png`));
  }
  await writeFile(join(folder, 'img04b.png'), 'this is not a png');
  folderSpec = folder;
});

afterAll(() => tmp.cleanup());

const open = (spec: string) => openDataset(spec, { shape: SHAPE });

/** The three sets most tests use: 40 in-distribution images, 30 uniform noise, 24 floats with one corrupt. */
async function sets(): Promise<{ inData: Dataset; outData: Dataset[] }> {
  return { inData: await open(inSpec), outData: [await open(NOISE), await open(badSpec)] };
}

interface RunRecord {
  images: number;
  temperature: number;
  epsilons: number;
}

/** nodeRuntime with every session's options and every session.run() recorded: a real session underneath, counted. */
function countingRuntime(): { runtime: Runtime; runs: RunRecord[]; sessions: SessionOptions[] } {
  const runs: RunRecord[] = [];
  const sessions: SessionOptions[] = [];
  const runtime: Runtime = {
    backends: nodeRuntime.backends,
    async createSession(bytes, options) {
      sessions.push(options);
      const s = await nodeRuntime.createSession(bytes, options);
      return {
        backend: s.backend,
        inputNames: s.inputNames,
        outputNames: s.outputNames,
        run(feeds, outputs) {
          runs.push({ images: feeds.image.dims[0], temperature: feeds.temperature.data[0] as number, epsilons: feeds.epsilon.dims[0] });
          return s.run(feeds, outputs);
        },
        release: () => s.release(),
      };
    },
  };
  return { runtime, runs, sessions };
}

/** Runs the compiled graph once on all `pixels` (N·64 floats) in one batch: an independent computation of the scores. */
async function direct(pixels: Float32Array, T: number, eps: number[]): Promise<{ msp: number[]; odin: number[][]; prediction: number[] }> {
  const session = await nodeRuntime.createSession(writeModel(compileOdin(model).model), { backend: 'cpu' });
  try {
    const n = pixels.length / PIXELS;
    const feeds: Record<string, HostTensor> = {
      image: { data: pixels, dims: [n, 1, H, W] },
      temperature: { data: Float32Array.of(T), dims: [1] },
      epsilon: { data: Float32Array.from(eps), dims: [eps.length] },
    };
    const out = await session.run(feeds);
    const odin = out.odin.data as Float32Array;
    return {
      msp: Array.from(out.msp.data as Float32Array),
      odin: Array.from({ length: n }, (_, i) => Array.from(odin.subarray(i * eps.length, (i + 1) * eps.length))),
      prediction: Array.from(out.prediction.data as BigInt64Array, Number),
    };
  } finally {
    await session.release();
  }
}

function expectClose(actual: number[], expected: number[], tol = 1e-6) {
  expect(actual).toHaveLength(expected.length);
  const worst = Math.max(0, ...actual.map((v, i) => Math.abs(v - expected[i])));
  expect(worst).toBeLessThan(tol);
}

/** The parts of a result that must not depend on how the work was split up (everything but timing and jobs). */
const outcome = (r: EvaluateResult) => ({ in: r.in, nIn: r.nIn, accuracy: r.accuracy, results: r.results, scores: r.scores });

async function run(extra: Partial<EvaluateOptions> = {}) {
  const { runtime, runs, sessions } = countingRuntime();
  const progress: Progress[] = [];
  const result = await evaluate({ model, ...(await sets()), runtime, backend: 'cpu', batchSize: BATCH, threads: 1, onProgress: (p) => progress.push(p), ...extra });
  return { result, runs, progress, sessions };
}

describe('evaluate: fixed T and ε', () => {
  let base: Awaited<ReturnType<typeof run>>;
  beforeAll(async () => {
    base = await run();
  });

  it('opens its session with sleeping threads unless asked to spin, and spinning changes no score', async () => {
    expect(base.sessions.map((o) => o.spin)).toEqual([undefined]);
    const spinning = await run({ spin: true });
    expect(spinning.sessions.map((o) => o.spin)).toEqual([true]);
    expect(outcome(spinning.result)).toEqual(outcome(base.result));
  });

  it('uses T = 1000 and ε = 0.0014 by default and scores every image with no split', () => {
    const { result } = base;
    expect(result.results.map((r) => [r.out, r.temperature, r.epsilon, r.nOut, r.grid])).toEqual([
      [NOISE, 1000, 0.0014, N_NOISE, undefined],
      [badSpec, 1000, 0.0014, N_BAD - 1, undefined],
    ]);
    expect(result.nIn).toBe(N_IN);
    expect(result.in).toBe(inSpec);
  });

  it('returns the scores and predictions of a direct session run of the compiled graph', async () => {
    const inScores = Object.values(base.result.scores.in)[0];
    const ref = await direct(inPixels, 1000, [0.0014]);
    expect(inScores.ids).toEqual(Array.from({ length: N_IN }, (_, i) => `in.npy#${i}`));
    expectClose(inScores.msp, ref.msp);
    expectClose(inScores.odin.map((r) => r[0]), ref.odin.map((r) => r[0]));
    expect(inScores.prediction).toEqual(ref.prediction);
    // bad.npy: the corrupt image is left out, the others keep their order.
    const kept = Array.from({ length: N_BAD }, (_, i) => i).filter((i) => i !== BAD_AT);
    const keptPixels = new Float32Array(kept.length * PIXELS);
    kept.forEach((k, j) => keptPixels.set(badPixels.subarray(k * PIXELS, (k + 1) * PIXELS), j * PIXELS));
    const badRef = await direct(keptPixels, 1000, [0.0014]);
    const bad = base.result.scores.out[1];
    expect(bad.ids).toEqual(kept.map((k) => `bad.npy#${k}`));
    expectClose(bad.msp, badRef.msp);
    expectClose(bad.odin.map((r) => r[0]), badRef.odin.map((r) => r[0]));
    expect(bad.skipped).toEqual([{ id: `bad.npy#${BAD_AT}`, reason: expect.stringContaining('outside [0,1]') }]);
  });

  it('reports the metrics of its own scores for both methods', () => {
    const { result } = base;
    const inScores = Object.values(result.scores.in)[0];
    result.results.forEach((r, i) => {
      const out = result.scores.out[i];
      expect(r.baseline).toEqual(computeOodMetrics(Float64Array.from(inScores.msp), Float64Array.from(out.msp)));
      expect(r.odin).toEqual(computeOodMetrics(Float64Array.from(inScores.odin, (x) => x[0]), Float64Array.from(out.odin, (x) => x[0])));
      expect(r.baseline.fprAt95Tpr).not.toBe(r.odin.fprAt95Tpr);
    });
  });

  it('reports monotone progress with images/s and ETA, ending at the total', () => {
    const { progress } = base;
    const total = N_IN + N_NOISE + N_BAD;
    expect(progress).toHaveLength(5 + 4 + 3); // one report per batch
    for (const [i, p] of progress.entries()) {
      expect(p.total).toBe(total);
      expect(p.done).toBeGreaterThan(i === 0 ? 0 : progress[i - 1].done);
      expect(p.imagesPerSecond).toBeGreaterThan(0);
      expect(Number.isFinite(p.imagesPerSecond)).toBe(true);
      expect(p.etaSeconds).toBeGreaterThanOrEqual(0);
    }
    expect(progress.at(-1)).toMatchObject({ done: total, etaSeconds: 0 });
    expect(progress.map((p) => p.phase)).toContain(`score ${badSpec}`);
  });

  it('reports the timing and the session work', () => {
    const { result, runs } = base;
    expect(runs.map((r) => r.images)).toEqual([8, 8, 8, 8, 8, 8, 8, 8, 6, 8, 7, 8]);
    expect(result.timing.images).toBe(N_IN + N_NOISE + N_BAD - 1);
    expect(result.timing.seconds).toBeGreaterThan(0);
    expect(result.timing.imagesPerSecond).toBeCloseTo(result.timing.images / result.timing.seconds, 6);
  });

  it('resumes after a cancel at every batch boundary with the same result and no batch scored twice', async () => {
    const batches = base.runs.length;
    for (let k = 1; k < batches; k++) {
      const controller = new AbortController();
      let reports = 0;
      const first = run({ signal: controller.signal, onProgress: () => ++reports === k && controller.abort() });
      const error = await first.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, `abort after ${k} reports`).toBeInstanceOf(CancelledError);
      const resumed = await run({ resume: (error as CancelledError).partial as ScoreJobs });
      expect(outcome(resumed.result), `abort after ${k} reports`).toEqual(outcome(base.result));
      expect(resumed.runs.length, `abort after ${k} reports`).toBe(batches - k);
      // The resumed run's progress counts the work already done and still ends at the total.
      expect(resumed.progress.at(-1)?.done).toBe(N_IN + N_NOISE + N_BAD);
    }
  });

  it('does no session work when every job is already done', async () => {
    const again = await run({ resume: base.result.jobs });
    expect(again.runs).toEqual([]);
    expect(outcome(again.result)).toEqual(outcome(base.result));
  });

  it('cancels before any work when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const e = await run({ signal: controller.signal }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CancelledError);
    expect(Object.values((e as CancelledError).partial as ScoreJobs).every((s) => s.ids.length === 0)).toBe(true);
  });
});

describe('evaluate: corrupt files', () => {
  it('skips and reports an unreadable PNG in a folder instead of failing', async () => {
    const { runtime } = countingRuntime();
    const result = await evaluate({ model, inData: await open(inSpec), outData: [await open(folderSpec)], runtime, backend: 'cpu', batchSize: 4 });
    const out = result.scores.out[0];
    expect(result.results[0].nOut).toBe(10);
    expect(out.ids).toEqual(Array.from({ length: 10 }, (_, i) => `img${String(i).padStart(2, '0')}.png`));
    expect(out.skipped).toEqual([{ id: 'img04b.png', reason: expect.stringContaining('img04b.png') }]);
    expect(Number.isFinite(result.results[0].odin.auroc)).toBe(true);
  });

  it('fails with a clear error when every image of a set is unreadable', async () => {
    const folder = join(tmp.dir, 'all-bad');
    await mkdir(folder);
    for (const name of ['a.png', 'b.png']) await writeFile(join(folder, name), 'garbage');
    const { runtime } = countingRuntime();
    await expect(evaluate({ model, inData: await open(inSpec), outData: [await open(folder)], runtime, backend: 'cpu', batchSize: 4 })).rejects.toThrow(/no images were scored/);
  });
});

describe('evaluate: (T, ε) search', () => {
  const VAL = 16;
  let searched: Awaited<ReturnType<typeof run>>;
  beforeAll(async () => {
    searched = await run({ search: { val: VAL } });
  });

  it('tries the paper grid: 10 temperatures × 21 magnitudes per OOD set', () => {
    expect(DEFAULT_TEMPERATURES).toEqual([1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]);
    expect(DEFAULT_EPSILONS).toHaveLength(21);
    DEFAULT_EPSILONS.forEach((e, i) => expect(e).toBeCloseTo((0.004 * i) / 20, 12));
    for (const r of searched.result.results) {
      expect(r.grid).toHaveLength(210);
      const cells = new Set(r.grid!.map((c) => `${c.temperature}|${c.epsilon}`));
      expect(cells.size).toBe(210);
      for (const T of DEFAULT_TEMPERATURES) for (const e of DEFAULT_EPSILONS) expect(cells.has(`${T}|${e}`)).toBe(true);
      for (const c of r.grid!) {
        expect(c.fprAt95Tpr).toBeGreaterThanOrEqual(0);
        expect(c.fprAt95Tpr).toBeLessThanOrEqual(1);
      }
    }
  });

  it('picks the setting with the lowest FPR95, ties to higher AUROC, smaller T, smaller ε', () => {
    for (const r of searched.result.results) {
      const chosen = r.grid!.find((c) => c.temperature === r.temperature && c.epsilon === r.epsilon)!;
      expect(chosen).toBeDefined();
      for (const c of r.grid!) {
        const better =
          c.fprAt95Tpr < chosen.fprAt95Tpr ||
          (c.fprAt95Tpr === chosen.fprAt95Tpr &&
            (c.auroc > chosen.auroc || (c.auroc === chosen.auroc && (c.temperature < chosen.temperature || (c.temperature === chosen.temperature && c.epsilon < chosen.epsilon)))));
        expect(better, JSON.stringify({ c, chosen })).toBe(false);
      }
    }
  });

  it('computes each grid cell from the validation images (checked at T = 1 and 1000 against a direct run)', async () => {
    const val = inPixels.subarray(0, VAL * PIXELS);
    const badVal = badPixels.subarray(0, VAL * PIXELS).slice();
    const kept = Array.from({ length: VAL }, (_, i) => i).filter((i) => i !== BAD_AT);
    const keptPixels = new Float32Array(kept.length * PIXELS);
    kept.forEach((k, j) => keptPixels.set(badVal.subarray(k * PIXELS, (k + 1) * PIXELS), j * PIXELS));
    for (const T of [1, 1000]) {
      const a = await direct(val, T, DEFAULT_EPSILONS);
      const b = await direct(keptPixels, T, DEFAULT_EPSILONS);
      const grid = searched.result.results[1].grid!.filter((c) => c.temperature === T);
      DEFAULT_EPSILONS.forEach((e, j) => {
        const m = computeOodMetrics(Float64Array.from(a.odin, (r) => r[j]), Float64Array.from(b.odin, (r) => r[j]));
        expect(grid[j].epsilon).toBe(e);
        expect(grid[j].fprAt95Tpr).toBeCloseTo(m.fprAt95Tpr, 9);
        expect(grid[j].auroc).toBeCloseTo(m.auroc, 4);
      });
    }
  });

  it('evaluates both methods on the images after the validation split', () => {
    const { result } = searched;
    expect(result.nIn).toBe(N_IN - VAL);
    expect(result.results.map((r) => r.nOut)).toEqual([N_NOISE - VAL, N_BAD - VAL]);
    expect(result.scores.out[0].ids).toEqual(Array.from({ length: N_NOISE - VAL }, (_, i) => `uniform#${VAL + i}`));
    for (const s of Object.values(result.scores.in)) expect(s.ids[0]).toBe(`in.npy#${VAL}`);
    // bad.npy#13 sits in the validation split: it is reported there, and the test split has nothing skipped.
    expect(result.scores.out[1].skipped).toEqual([]);
    result.results.forEach((r, i) => {
      const inScores = result.scores.in[`T=${r.temperature},eps=${r.epsilon}`];
      expect(r.odin).toEqual(computeOodMetrics(Float64Array.from(inScores.odin, (x) => x[0]), Float64Array.from(result.scores.out[i].odin, (x) => x[0])));
      expect(r.baseline).toEqual(computeOodMetrics(Float64Array.from(inScores.msp), Float64Array.from(result.scores.out[i].msp)));
    });
  });

  it('costs one session run per batch per T per set during the search, with all 21 ε in each', () => {
    const { runs } = searched;
    const sweep = runs.filter((r) => r.epsilons === 21);
    // val = 16 images in batches of 8: 2 runs for the in set and 2 for each of the 2 OOD sets, per T.
    expect(sweep).toHaveLength(10 * 6);
    for (const T of DEFAULT_TEMPERATURES) expect(sweep.filter((r) => r.temperature === T)).toHaveLength(6);
    expect(sweep.reduce((a, r) => a + r.images, 0)).toBe(10 * (VAL + VAL + VAL - 1));
    // The test images are scored once per chosen setting, with one ε.
    const test = runs.filter((r) => r.epsilons !== 21);
    expect(test.every((r) => r.epsilons === 1)).toBe(true);
    const settings = new Set(searched.result.results.map((r) => `${r.temperature}|${r.epsilon}`)).size;
    expect(test.reduce((a, r) => a + r.images, 0)).toBe(settings * (N_IN - VAL) + (N_NOISE - VAL) + (N_BAD - VAL));
  });

  it('reports search progress that is monotone and ends at the total', () => {
    const { progress } = searched;
    expect(progress.length).toBeGreaterThan(60);
    for (let i = 1; i < progress.length; i++) expect(progress[i].done).toBeGreaterThanOrEqual(progress[i - 1].done);
    const last = progress.at(-1)!;
    expect(last.done).toBe(last.total);
    expect(progress.some((p) => p.phase.startsWith('search T=1000'))).toBe(true);
  });

  it('resumes a cancelled search with the same result', async () => {
    const controller = new AbortController();
    let reports = 0;
    const e = await run({ search: { val: VAL }, signal: controller.signal, onProgress: () => ++reports === 25 && controller.abort() }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CancelledError);
    const resumed = await run({ search: { val: VAL }, resume: (e as CancelledError).partial as ScoreJobs });
    expect(outcome(resumed.result)).toEqual(outcome(searched.result));
    expect(resumed.runs.length).toBe(searched.runs.length - 25);
  });

  it('with tuneOn, tunes once on that set and uses its grid and setting for every set', async () => {
    const tuned = await run({ search: { val: VAL, tuneOn: NOISE } });
    const [a, b] = tuned.result.results;
    expect(a.grid).toHaveLength(210);
    expect(b.grid).toEqual(a.grid);
    expect([b.temperature, b.epsilon]).toEqual([a.temperature, a.epsilon]);
    expect(a.grid).toEqual(searched.result.results[0].grid);
    expect([a.temperature, a.epsilon]).toEqual([searched.result.results[0].temperature, searched.result.results[0].epsilon]);
    // Only the in set and the tuning set are swept: 2 + 2 runs per T.
    expect(tuned.runs.filter((r) => r.epsilons === 21)).toHaveLength(10 * 4);
    expect(b.nOut).toBe(N_BAD - VAL);
    await expect(run({ search: { val: VAL, tuneOn: 'mnist' } })).rejects.toThrow(/--tune-on mnist is not one of the --out sets/);
  });

  it('tunes a set given twice once, with one 210-cell grid', async () => {
    const { runtime, runs } = countingRuntime();
    const noise = await open(NOISE);
    const twice = await evaluate({ model, inData: await open(inSpec), outData: [noise, noise], runtime, backend: 'cpu', batchSize: BATCH, search: { val: VAL } });
    expect(twice.results.map((r) => r.grid!.length)).toEqual([210, 210]);
    expect(twice.results[1]).toEqual(twice.results[0]);
    expect(twice.results[0].grid).toEqual(searched.result.results[0].grid);
    expect(runs.filter((r) => r.epsilons === 21)).toHaveLength(10 * 4);
  });

  it('refuses a validation split that leaves no test images', async () => {
    await expect(run({ search: { val: N_BAD } })).rejects.toThrow(RangeError);
    await expect(run({ search: { val: N_BAD } })).rejects.toThrow(new RegExp(`${badSpec.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} has 24 images`));
    await expect(run({ search: { val: N_BAD + 5 } })).rejects.toThrow(RangeError);
    const { runs } = await run({ search: { val: N_BAD - 1, temperatures: [1], epsilons: [0] } });
    expect(runs.length).toBeGreaterThan(0);
  });
});

describe('evaluate: checkpoints and resuming from stored windows', () => {
  /** Runs evaluate, storing every checkpoint as a database would: through JSON. */
  async function stored(extra: Partial<EvaluateOptions> = {}) {
    const checkpoints: ScoreCheckpoint[] = [];
    const r = await run({ onCheckpoint: (c) => void checkpoints.push(JSON.parse(JSON.stringify(c)) as ScoreCheckpoint), ...extra });
    return { ...r, checkpoints };
  }
  const images = (cs: ScoreCheckpoint[]) => cs.reduce((a, c) => a + c.ids.length, 0);
  function shuffled<T>(xs: T[], seed: number): T[] {
    const rand = mulberry32(seed);
    const out = [...xs];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }

  let fixed: Awaited<ReturnType<typeof stored>>;
  let searched: Awaited<ReturnType<typeof stored>>;
  beforeAll(async () => {
    fixed = await stored();
    searched = await stored({ search: { val: 16 } });
  });

  it('reports one JSON-safe checkpoint per batch window, contiguous per job, with raw indices', async () => {
    const { checkpoints, result } = fixed;
    expect(checkpoints).toHaveLength(12);
    const live: ScoreCheckpoint[] = [];
    await run({ onCheckpoint: (c) => void live.push(c) });
    expect(live).toStrictEqual(checkpoints);
    expect(checkpoints.every((c) => c.phase === 'test' && c.temperature === 1000 && c.epsilons.length === 1)).toBe(true);
    const bad = checkpoints.filter((c) => c.dataset === badSpec);
    expect(bad.map((c) => [c.start, c.next])).toEqual([[0, 8], [8, 16], [16, 24]]);
    expect(bad[1].indices).toEqual([8, 9, 10, 11, 12, 14, 15]);
    expect(bad[1].ids).toEqual(bad[1].indices.map((k) => `bad.npy#${k}`));
    expect(bad[1].skipped).toEqual([{ id: `bad.npy#${BAD_AT}`, reason: expect.stringContaining('outside [0,1]') }]);
    expect(bad[1].labels).toEqual(new Array(7).fill(null));
    expect(bad[1].job).toBe(`${badSpec}|0-24|T=1000|eps=0.0014`);
    expect(result.scores.out[1].indices).toEqual(bad.flatMap((c) => c.indices));
    expect(jobsFromCheckpoints(checkpoints)).toEqual(result.jobs);
  });

  it('awaits each checkpoint before scoring more', async () => {
    const counting = countingRuntime();
    const seen: number[] = [];
    await run({
      runtime: counting.runtime,
      onCheckpoint: async () => {
        const runs = counting.runs.length;
        await new Promise((r) => setTimeout(r, 5));
        seen.push(counting.runs.length - runs);
      },
    });
    expect(counting.runs).toHaveLength(12);
    expect(seen).toEqual(new Array(12).fill(0));
  });

  it('rebuilds the state from checkpoints in any order, duplicates and reordered keys included', () => {
    const { checkpoints } = searched;
    const again = checkpoints.slice(0, 5).map((c) => Object.fromEntries(Object.entries(c).reverse()) as unknown as ScoreCheckpoint);
    expect(jobsFromCheckpoints(shuffled([...checkpoints, ...again], 3))).toEqual(searched.result.jobs);
  });

  it('resumes a fixed run from the first k stored windows with the same result, scoring only the rest', async () => {
    const { checkpoints, result } = fixed;
    for (const k of [1, 4, 5, 9, 11, 12]) {
      const kept = checkpoints.slice(0, k);
      const resumed = await stored({ resume: jobsFromCheckpoints(shuffled(kept, k)) });
      expect(outcome(resumed.result), `${k} stored`).toEqual(outcome(result));
      expect(resumed.runs, `${k} stored`).toHaveLength(checkpoints.length - k);
      expect(resumed.result.timing.images).toBe(result.timing.images - images(kept));
      // Stored windows are not reported again; the new ones are.
      expect(resumed.checkpoints, `${k} stored`).toEqual(checkpoints.slice(k));
    }
  });

  it('resumes a fixed run cancelled mid-way from the windows it stored', async () => {
    const controller = new AbortController();
    const kept: ScoreCheckpoint[] = [];
    const e = await run({ signal: controller.signal, onCheckpoint: (c) => void (kept.push(JSON.parse(JSON.stringify(c)) as ScoreCheckpoint) === 7 && controller.abort()) }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CancelledError);
    expect(kept).toHaveLength(7);
    const resumed = await stored({ resume: jobsFromCheckpoints(kept) });
    expect(outcome(resumed.result)).toEqual(outcome(fixed.result));
    expect(resumed.runs.reduce((a, r) => a + r.images, 0)).toBe(fixed.result.timing.images - images(kept));
    expect([...kept, ...resumed.checkpoints]).toEqual(fixed.checkpoints);
  });

  it('resumes a search from stored windows with the same grid, setting and scores', async () => {
    const { checkpoints, result } = searched;
    expect(new Set(checkpoints.map((c) => c.phase))).toEqual(new Set(['search', 'test']));
    expect(checkpoints.filter((c) => c.phase === 'search').every((c) => c.epsilons.length === 21 && c.next <= 16)).toBe(true);
    expect(checkpoints.filter((c) => c.phase === 'test').every((c) => c.epsilons.length === 1 && c.start >= 16)).toBe(true);
    for (const k of [25, 61, checkpoints.length - 1]) {
      const kept = checkpoints.slice(0, k);
      const resumed = await stored({ search: { val: 16 }, resume: jobsFromCheckpoints(shuffled(kept, k)) });
      expect(outcome(resumed.result), `${k} stored`).toEqual(outcome(result));
      expect(resumed.runs.reduce((a, r) => a + r.images, 0), `${k} stored`).toBe(result.timing.images - images(kept));
      expect(resumed.checkpoints, `${k} stored`).toEqual(checkpoints.slice(k));
    }
    const done = await stored({ search: { val: 16 }, resume: jobsFromCheckpoints(checkpoints) });
    expect(done.runs).toEqual([]);
    expect(done.checkpoints).toEqual([]);
    expect(outcome(done.result)).toEqual(outcome(result));
  });

  it('refuses checkpoints with a gap, a missing start or two different windows at one position', () => {
    const { checkpoints } = fixed;
    expect(() => jobsFromCheckpoints(checkpoints.filter((_, i) => i !== 2))).toThrow(/not contiguous: window 24-32 follows position 16/);
    expect(() => jobsFromCheckpoints(checkpoints.slice(1))).toThrow(new RegExp(`job .*in\\.npy\\|0-40.* not contiguous: window 8-16 follows position 0`));
    const other = { ...checkpoints[0], msp: checkpoints[0].msp.map((v) => v + 1) };
    expect(() => jobsFromCheckpoints([...checkpoints, other])).toThrow(/a different window with the same start/);
    expect(() => jobsFromCheckpoints([{ ...checkpoints[0], msp: [] }])).toThrow(/differ in length/);
    expect(jobsFromCheckpoints([])).toEqual({});
  });
});

describe('scoreDataset: ranges and windows that are all skipped', () => {
  /** 20 float images; 4–7 (a whole window of 4) and 16–19 (the last window) are corrupt. */
  const CORRUPT = [4, 5, 6, 7, 16, 17, 18, 19];
  let holes: Dataset;
  beforeAll(async () => {
    const pixels = Float32Array.from(bytes(20 * PIXELS, 3, 40), (v) => v / 255);
    for (const k of CORRUPT) pixels[k * PIXELS] = -1;
    holes = await open(await put(tmp.dir, 'holes.npy', npyBytes(pixels, [20, H, W])));
  });

  async function score(start: number, end: number, batchSize: number, extra: { resume?: SetScores; signal?: AbortSignal; onProgress?: (p: Progress) => void; dataset?: Dataset } = {}) {
    const { runtime, runs } = countingRuntime();
    const session = await runtime.createSession(writeModel(compileOdin(model).model), { backend: 'cpu' });
    const progress: Progress[] = [];
    const tracker = new ProgressTracker(end - start - (extra.resume ? extra.resume.next - start : 0), (p) => {
      progress.push(p);
      extra.onProgress?.(p);
    });
    try {
      const spec = { layout: 'NCHW' as const, ...SHAPE };
      const scores = await scoreDataset({ session, dataset: holes, spec, temperature: 1000, epsilon: [0.0014], batchSize, start, end, progress: tracker, ...extra });
      return { scores, runs, progress };
    } finally {
      await session.release();
    }
  }
  const id = (k: number) => `holes.npy#${k}`;

  it('keeps to its range when a window before its end was all skipped', async () => {
    const { scores, runs, progress } = await score(0, 10, 4);
    expect(scores.ids).toEqual([0, 1, 2, 3, 8, 9].map(id));
    expect(scores.indices).toEqual([0, 1, 2, 3, 8, 9]);
    expect(scores.skipped.map((x) => x.id)).toEqual([4, 5, 6, 7].map(id));
    expect(scores.next).toBe(10);
    expect(runs.map((r) => r.images)).toEqual([4, 2]);
    expect(progress.at(-1)?.done).toBe(10);
  });

  it('reports only the skips inside its range', async () => {
    const { scores } = await score(0, 16, 4);
    expect(scores.ids).toEqual([0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15].map(id));
    expect(scores.skipped.map((x) => x.id)).toEqual([4, 5, 6, 7].map(id));
    const rest = await score(16, 20, 4);
    expect(rest.scores.ids).toEqual([]);
    expect(rest.scores.skipped.map((x) => x.id)).toEqual([16, 17, 18, 19].map(id));
    expect(rest.runs).toEqual([]);
    expect(rest.progress.at(-1)?.done).toBe(4);
  });

  it('counts a final window that was all skipped towards the progress', async () => {
    const { scores, progress } = await score(0, 20, 4);
    expect(scores.ids).toHaveLength(12);
    expect(scores.skipped).toHaveLength(8);
    expect(scores.next).toBe(20);
    expect(progress.at(-1)?.done).toBe(20);
  });

  it('resumes after a cancel at any point with the same scores', async () => {
    const whole = (await score(0, 18, 4)).scores;
    for (let k = 1; k <= 3; k++) {
      const controller = new AbortController();
      let reports = 0;
      const e = await score(0, 18, 4, { signal: controller.signal, onProgress: () => ++reports === k && controller.abort() }).catch((x: unknown) => x);
      expect(e, `abort after ${k} reports`).toBeInstanceOf(CancelledError);
      const partial = (e as CancelledError).partial as SetScores;
      const rest = await score(0, 18, 4, { resume: partial });
      expect(rest.scores, `abort after ${k} reports`).toEqual(whole);
      expect(rest.progress.at(-1)?.done).toBe(18 - partial.next);
    }
  });

  it('takes indices from the window of a dataset whose samples carry none, while nothing in it is skipped', async () => {
    const bare: Dataset = {
      ...holes,
      async *batches(o) {
        for await (const b of holes.batches(o)) yield b.map((s) => ({ id: s.id, image: s.image }));
      },
    };
    expect((await score(8, 16, 4, { dataset: bare })).scores.indices).toEqual([8, 9, 10, 11, 12, 13, 14, 15]);
    await expect(score(0, 10, 3, { dataset: bare })).rejects.toThrow(/carry no raw index and some were skipped/);
  });

  it('feeds the model its own layout', () => {
    expect(inputDims({ layout: 'NCHW', channels: 3, height: 4, width: 5 }, 2)).toEqual([2, 3, 4, 5]);
    expect(inputDims({ layout: 'NHWC', channels: 3, height: 4, width: 5 }, 2)).toEqual([2, 4, 5, 3]);
    expect(inputDims({ layout: 'NHW', channels: 1, height: 4, width: 5 }, 2)).toEqual([2, 4, 5]);
    expect(inputDims({ layout: 'ND', channels: 3, height: 4, width: 5 }, 2)).toEqual([2, 60]);
  });
});

describe('chooseSetting', () => {
  const cell = (temperature: number, epsilon: number, fpr: number, auroc: number): GridCell => ({ temperature, epsilon, fprAt95Tpr: fpr, auroc });

  it('takes the lowest FPR at 95% TPR, whatever the AUROC', () => {
    expect(chooseSetting([cell(1, 0, 0.3, 0.99), cell(1000, 0.004, 0.2, 0.5), cell(10, 0.001, 0.25, 0.9)])).toEqual(cell(1000, 0.004, 0.2, 0.5));
  });
  it('breaks an FPR tie with the higher AUROC', () => {
    expect(chooseSetting([cell(1, 0, 0.2, 0.8), cell(1000, 0.004, 0.2, 0.9), cell(10, 0.001, 0.3, 0.95)])).toEqual(cell(1000, 0.004, 0.2, 0.9));
  });
  it('then with the smaller T', () => {
    expect(chooseSetting([cell(1000, 0, 0.2, 0.9), cell(10, 0.004, 0.2, 0.9), cell(100, 0.001, 0.2, 0.9)])).toEqual(cell(10, 0.004, 0.2, 0.9));
  });
  it('then with the smaller ε', () => {
    expect(chooseSetting([cell(10, 0.004, 0.2, 0.9), cell(10, 0.0012, 0.2, 0.9), cell(10, 0.002, 0.2, 0.9)])).toEqual(cell(10, 0.0012, 0.2, 0.9));
  });
  it('does not depend on the order of the grid', () => {
    const grid = [cell(1, 0, 0.2, 0.9), cell(2, 0, 0.2, 0.9), cell(1, 0.002, 0.2, 0.9), cell(1, 0.001, 0.1, 0.5), cell(5, 0.001, 0.1, 0.5), cell(1, 0.003, 0.1, 0.6)];
    fc.assert(fc.property(fc.shuffledSubarray(grid, { minLength: grid.length }), (g) => {
        expect(chooseSetting(g)).toEqual(cell(1, 0.003, 0.1, 0.6));
      }));
  });
  it('refuses an empty grid', () => {
    expect(() => chooseSetting([])).toThrow(/empty/);
  });
});
