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
  return { ids: [], labels: [], msp: [], energy: [], prediction: [], odin: [], skipped: [], next: start };
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
 * and `skipped` in CancelledError.partial cover exactly the windows that were scored.
 */
export async function scoreDataset(opts: ScoreOptions): Promise<SetScores> {
  const start = opts.start ?? 0;
  const end = Math.min(opts.end ?? opts.dataset.size, opts.dataset.size);
  const scores = opts.resume ? structuredClone(opts.resume) : emptyScores(start);
  const E = opts.epsilon.length;
  const temperature = { data: Float32Array.of(opts.temperature), dims: [1] };
  const epsilon = { data: Float32Array.from(opts.epsilon), dims: [E] };
  const phase = opts.phase ?? `score ${opts.dataset.name}`;
  const run = async (samples: Sample[]) => {
    const image = { data: toModelInput(samples.map((x) => x.image), opts.spec, opts.fit), dims: inputDims(opts.spec, samples.length) };
    const out = await opts.session.run({ image, temperature, epsilon });
    const msp = out.msp.data as Float32Array;
    const energy = out.energy.data as Float32Array;
    const odin = out.odin.data as Float32Array;
    const prediction = out.prediction.data as BigInt64Array;
    samples.forEach((x, i) => {
      scores.ids.push(x.id);
      scores.labels.push(x.label);
      scores.msp.push(msp[i]);
      scores.energy.push(energy[i]);
      scores.prediction.push(Number(prediction[i]));
      scores.odin.push(Array.from(odin.subarray(i * E, (i + 1) * E)));
    });
  };
  type Pending = { at: number; skip: SkipReport };
  const keep = (skips: Pending[]) => scores.skipped.push(...skips.map((p) => p.skip));
  const moveTo = (to: number) => {
    if (to > scores.next) opts.progress?.advance(phase, to - scores.next);
    scores.next = Math.max(scores.next, to);
  };
  while (scores.next < end) {
    // Windows of exactly `bs` raw positions from `next` (see Dataset.batches). None may cross `end`,
    // so for the last one the batch size shrinks and the reader restarts there.
    const bs = Math.min(opts.batchSize, end - scores.next);
    // Skip reports arrive before their window's batch, and a window whose items were all skipped
    // yields nothing: `base` is the start of the window the latest report belongs to.
    let base = scores.next;
    let inWindow = 0;
    let pending: Pending[] = [];
    const onSkip = (skip: SkipReport) => {
      if (inWindow === bs) [base, inWindow] = [base + bs, 0];
      inWindow++;
      pending.push({ at: base, skip });
    };
    let restart = false;
    for await (const samples of opts.dataset.batches({ start: scores.next, batchSize: bs, onSkip })) {
      if (inWindow === bs) [base, inWindow] = [base + bs, 0];
      const windowStart = base;
      const current = pending.filter((p) => p.at === windowStart);
      // The windows before this one (if any) were all skipped: they are done.
      keep(pending.filter((p) => p.at < Math.min(windowStart, end)));
      pending = [];
      moveTo(Math.min(windowStart, end));
      if (windowStart >= end) break;
      if (windowStart + bs > end) {
        restart = true;
        break;
      }
      if (opts.signal?.aborted) throw new CancelledError(scores);
      if (samples.length > 0) await run(samples);
      keep(current);
      moveTo(windowStart + bs);
      [base, inWindow] = [scores.next, 0];
      if (end - scores.next < bs) {
        restart = true;
        break;
      }
    }
    if (!restart) {
      // The reader ran out (or reached past `end`): the rest of the range was all skipped.
      keep(pending.filter((p) => p.at < end));
      moveTo(end);
    }
  }
  return scores;
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
