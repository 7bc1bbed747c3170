// Streams a dataset through a compiled ODIN session and collects per-sample scores, resumably.
import type { Dataset, InputSpec, Sample, SkipReport } from '../preprocess/types.ts';
import type { FitMode } from '../preprocess/model-input.ts';
import { toModelInput } from '../preprocess/model-input.ts';
import type { OdinSession } from '../runtime/session.ts';
import type { ProgressTracker } from './progress.ts';

/** Per-sample outputs of the ODIN graph for one dataset (or a range of it). */
export interface SetScores {
  /** Sample ids in order (file name, or file name # index). */
  ids: string[];
  /** Raw positions of the samples in their dataset, in the order of `ids`. */
  indices: number[];
  labels: (number | undefined)[];
  msp: number[];
  energy: number[];
  prediction: number[];
  /** odin[i][e]: the ODIN score of sample i at epsilon[e]. */
  odin: number[][];
  /** Corrupt items that were skipped. */
  skipped: { id: string; reason: string }[];
  /** The next raw position to read: where a resumed run continues. */
  next: number;
}

export function emptyScores(start: number): SetScores {
  return { ids: [], indices: [], labels: [], msp: [], energy: [], prediction: [], odin: [], skipped: [], next: start };
}

/** One finished batch window of one scoring job: what a durable worker stores, and all it needs to resume. JSON-safe (no undefined, no typed arrays). */
export interface ScoreCheckpoint {
  /** The job key (see ScoreJobs). */
  job: string;
  /** Dataset.name. */
  dataset: string;
  /** 'search': the validation split scored over the T×ε grid; 'test': the scores metrics are computed on (a fixed run is all 'test'). */
  phase: 'search' | 'test';
  temperature: number;
  epsilons: number[];
  /** Raw window start (the previous window's `next`). */
  start: number;
  /** Raw position after the window. */
  next: number;
  ids: string[];
  indices: number[];
  labels: (number | null)[];
  msp: number[];
  energy: number[];
  prediction: number[];
  /** odin[i][e]: the ODIN score of sample i at epsilons[e]. */
  odin: number[][];
  skipped: { id: string; reason: string }[];
}

export interface ScoreOptions {
  session: OdinSession;
  dataset: Dataset;
  spec: InputSpec;
  fit?: FitMode;
  temperature: number;
  epsilon: number[];
  batchSize: number;
  /** Raw range [start, end) of the dataset to score. */
  start?: number;
  end?: number;
  /** Scores already collected for this range; scoring continues at `resume.next`. */
  resume?: SetScores;
  signal?: AbortSignal;
  progress?: ProgressTracker;
  phase?: string;
  /** Called with each finished window, and awaited before the next one is read. */
  onCheckpoint?: (c: Omit<ScoreCheckpoint, 'job' | 'phase'>) => void | Promise<void>;
  /** Feed the session one image and one ε at a time (a graph compiled for a fixed batch of 1). */
  oneAtATime?: boolean;
}

/** Raised when a job is cancelled; `partial` holds what was scored, to pass back as `resume`. */
export class CancelledError extends Error {
  override name = 'CancelledError';
  constructor(readonly partial: unknown) {
    super('cancelled');
  }
}

/**
 * Scores a raw range of a dataset batch by batch. Cancellation keeps whole batches only: `next`
 * and `skipped` in CancelledError.partial cover exactly the windows that were scored (and reported
 * to onCheckpoint).
 */
export async function scoreDataset(opts: ScoreOptions): Promise<SetScores> {
  const start = opts.start ?? 0;
  const end = Math.min(opts.end ?? opts.dataset.size, opts.dataset.size);
  const scores = opts.resume ? structuredClone(opts.resume) : emptyScores(start);
  const E = opts.epsilon.length;
  const temperature = { data: Float32Array.of(opts.temperature), dims: [1] };
  const epsilon = { data: Float32Array.from(opts.epsilon), dims: [E] };
  const phase = opts.phase ?? `score ${opts.dataset.name}`;
  const run = async (samples: Sample[], windowStart: number, windowEnd: number) => {
    const indices = samples.map((x, i) => x.index ?? unindexed(opts.dataset.name, windowStart + i, samples.length === windowEnd - windowStart));
    if (samples.length === 0) return { ids: [], indices, labels: [], msp: [], energy: [], prediction: [], odin: [] };
    const out = opts.oneAtATime ? await runOneByOne(opts, samples, temperature) : await runBatch(opts, samples, temperature, epsilon);
    return { ids: samples.map((x) => x.id), indices, labels: samples.map((x) => x.label ?? null), ...out };
  };
  while (scores.next < end) {
    // Windows of exactly `bs` raw positions, one batch each (see Dataset.batches). None may cross `end`,
    // so for the last one the batch size shrinks and the reader restarts there.
    const bs = Math.min(opts.batchSize, end - scores.next);
    const skipped: SkipReport[] = [];
    const from = scores.next;
    for await (const samples of opts.dataset.batches({ start: scores.next, batchSize: bs, onSkip: (s) => skipped.push(s) })) {
      if (opts.signal?.aborted) throw new CancelledError(scores);
      const windowStart = scores.next;
      const windowEnd = Math.min(windowStart + bs, end);
      const window = { ...(await run(samples, windowStart, windowEnd)), skipped: skipped.splice(0) };
      scores.ids.push(...window.ids);
      scores.indices.push(...window.indices);
      scores.labels.push(...window.labels.map((l) => l ?? undefined));
      scores.msp.push(...window.msp);
      scores.energy.push(...window.energy);
      scores.prediction.push(...window.prediction);
      scores.odin.push(...window.odin);
      scores.skipped.push(...window.skipped);
      opts.progress?.advance(phase, windowEnd - windowStart);
      scores.next = windowEnd;
      await opts.onCheckpoint?.(structuredClone({ dataset: opts.dataset.name, temperature: opts.temperature, epsilons: opts.epsilon, start: windowStart, next: windowEnd, ...window }));
      if (end - scores.next < bs) break;
    }
    if (scores.next === from) throw new Error(`${opts.dataset.name} ended at position ${from}, before the ${end} items it reports`);
  }
  return scores;
}

type HostInput = { data: Float32Array; dims: number[] };

/** One session run over the whole batch and ε list. */
async function runBatch(opts: ScoreOptions, samples: Sample[], temperature: HostInput, epsilon: HostInput) {
  const E = epsilon.data.length;
  const image = { data: toModelInput(samples.map((x) => x.image), opts.spec, opts.fit), dims: inputDims(opts.spec, samples.length) };
  const out = await opts.session.run({ image, temperature, epsilon });
  const odin = out.odin.data as Float32Array;
  return {
    msp: Array.from(out.msp.data as Float32Array),
    energy: Array.from(out.energy.data as Float32Array),
    prediction: Array.from(out.prediction.data as BigInt64Array, Number),
    odin: samples.map((_, i) => Array.from(odin.subarray(i * E, (i + 1) * E))),
  };
}

/** One session run per image and ε, for a graph that takes [1,…] images and one ε; the same scores as runBatch. */
async function runOneByOne(opts: ScoreOptions, samples: Sample[], temperature: HostInput) {
  const rows = [];
  for (const sample of samples)
    for (const [e, eps] of opts.epsilon.entries()) {
      const row = await runBatch(opts, [sample], temperature, { data: Float32Array.of(eps), dims: [1] });
      if (e === 0) rows.push(row);
      else rows[rows.length - 1].odin[0].push(row.odin[0][0]);
    }
  return {
    msp: rows.map((r) => r.msp[0]),
    energy: rows.map((r) => r.energy[0]),
    prediction: rows.map((r) => r.prediction[0]),
    odin: rows.map((r) => r.odin[0]),
  };
}

/** A sample's raw position when its dataset set none: only known when nothing in its window was skipped. */
function unindexed(dataset: string, position: number, windowComplete: boolean): number {
  if (windowComplete) return position;
  throw new Error(`${dataset}: its samples carry no raw index and some were skipped; build the dataset with makeDataset`);
}

export function inputDims(spec: InputSpec, n: number): number[] {
  switch (spec.layout) {
    case 'NCHW':
      return [n, spec.channels, spec.height, spec.width];
    case 'NHWC':
      return [n, spec.height, spec.width, spec.channels];
    case 'NHW':
      return [n, spec.height, spec.width];
    case 'ND':
      return [n, spec.height * spec.width * spec.channels];
  }
}
