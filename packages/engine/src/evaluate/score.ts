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
  while (scores.next < end) {
    // Windows of exactly `bs` raw positions, one batch each (see Dataset.batches). None may cross `end`,
    // so for the last one the batch size shrinks and the reader restarts there.
    const bs = Math.min(opts.batchSize, end - scores.next);
    const skipped: SkipReport[] = [];
    const from = scores.next;
    for await (const samples of opts.dataset.batches({ start: scores.next, batchSize: bs, onSkip: (s) => skipped.push(s) })) {
      if (opts.signal?.aborted) throw new CancelledError(scores);
      if (samples.length > 0) await run(samples);
      const windowEnd = Math.min(scores.next + bs, end);
      scores.skipped.push(...skipped.splice(0));
      opts.progress?.advance(phase, windowEnd - scores.next);
      scores.next = windowEnd;
      if (end - scores.next < bs) break;
    }
    if (scores.next === from) throw new Error(`${opts.dataset.name} ended at position ${from}, before the ${end} items it reports`);
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
