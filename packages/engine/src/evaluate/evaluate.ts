// evaluate(): ODIN and the max-softmax baseline on an in-distribution set against OOD sets, with optional search.
import { writeModel } from '../graph/onnx-io.ts';
import type { Model } from '../graph/ir.ts';
import { computeOodMetrics } from '../metrics/index.ts';
import type { OodCurves, OodMetrics } from '../metrics/index.ts';
import { ODIN_IO, compileOdin, providerFor } from '../odin/compile.ts';
import type { OdinCompileReport } from '../odin/compile.ts';
import { METADATA } from '../odin/input-semantics.ts';
import { parseInputSpec } from '../preprocess/input-spec.ts';
import type { FitMode } from '../preprocess/model-input.ts';
import type { Dataset, InputSpec } from '../preprocess/types.ts';
import type { Backend, OdinSession, Runtime } from '../runtime/session.ts';
import { ProgressTracker } from './progress.ts';
import type { ProgressListener } from './progress.ts';
import { CancelledError, emptyScores, scoreDataset } from './score.ts';
import type { ScoreCheckpoint, SetScores } from './score.ts';
import { DEFAULT_EPSILONS, DEFAULT_TEMPERATURES, chooseIdOnlySetting, chooseSetting, gridFor, idGridFor } from './search.ts';
import type { GridCell, IdGridCell } from './search.ts';

/** The reference code's defaults. */
export const DEFAULT_TEMPERATURE = 1000;
export const DEFAULT_EPSILON = 0.0014;

/**
 * 'ood-validation' (the paper's): the (T, ε) with the lowest FPR95 on held-out images of the in-distribution and OOD sets.
 * 'id-only' (Generalized ODIN's): T fixed, the ε with the highest mean ODIN score on held-out in-distribution images; no OOD data.
 */
export type SearchMode = 'ood-validation' | 'id-only';

export interface SearchOptions {
  mode?: SearchMode;
  /** Images held out from the start of each set for tuning (default 1000); with 'id-only', of the in-distribution set only. */
  val?: number;
  /** Tune once on this OOD set (its name) and use the setting for all, as the paper does with iSUN. */
  tuneOn?: string;
  /** With 'id-only', the one fixed T (default [1000]). */
  temperatures?: number[];
  epsilons?: number[];
}

export interface EvaluateOptions {
  model: Model;
  inData: Dataset;
  outData: Dataset[];
  runtime: Runtime;
  backend: Backend;
  temperature?: number;
  epsilon?: number;
  /** Normalisation and input/logits choice, as for compileOdin. */
  mean?: number[];
  std?: number[];
  input?: string;
  logits?: string;
  /** [height, width] for a model whose input has dynamic spatial dims; images are resized to it. */
  inputSize?: number[];
  fit?: FitMode;
  batchSize?: number;
  threads?: number;
  /** Idle intra-op threads spin instead of sleeping (SessionOptions.spin). */
  spin?: boolean;
  search?: SearchOptions;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
  /** Scores from an earlier run (CancelledError.partial, or jobsFromCheckpoints of its checkpoints): finished work is not redone. */
  resume?: ScoreJobs;
  /** Called with each newly scored batch window, and awaited before the next one is read. */
  onCheckpoint?: (c: ScoreCheckpoint) => void | Promise<void>;
}

/** Scoring jobs by key (set, range, T, ε list), finished or partial. */
export type ScoreJobs = Record<string, SetScores>;

const jobKey = (data: Dataset, range: Range, T: number, eps: number[]) => `${data.name}|${range.start}-${range.end}|T=${T}|eps=${eps.join(',')}`;

/**
 * The `resume` state of stored checkpoints, in any order. Exact duplicates are dropped; each job's
 * windows must run contiguously from the start of its range, else this throws.
 */
export function jobsFromCheckpoints(checkpoints: ScoreCheckpoint[]): ScoreJobs {
  const sorted = [...checkpoints].sort((a, b) => (a.job < b.job ? -1 : a.job > b.job ? 1 : a.start - b.start));
  const jobs: ScoreJobs = {};
  let last: ScoreCheckpoint | undefined;
  for (const c of sorted) {
    if (last?.job === c.job && last.start === c.start && sameJson(last, c)) continue;
    const range = /\|(\d+)-(\d+)\|T=[^|]*\|eps=[^|]*$/.exec(c.job);
    if (!range) throw new Error(`checkpoint of ${c.dataset} has a malformed job key: ${c.job}`);
    if ([c.indices, c.labels, c.msp, c.energy, c.prediction, c.odin].some((a) => a.length !== c.ids.length)) throw new Error(`checkpoint ${c.job} at ${c.start}: its per-sample arrays differ in length`);
    const s = (jobs[c.job] ??= emptyScores(Number(range[1])));
    if (c.start !== s.next || c.next <= c.start || c.next > Number(range[2])) {
      throw new Error(`checkpoints of job ${c.job} are not contiguous: window ${c.start}-${c.next} follows position ${s.next}${last?.job === c.job && last.start === c.start ? ' (a different window with the same start)' : ''}`);
    }
    s.ids.push(...c.ids);
    s.indices.push(...c.indices);
    s.labels.push(...c.labels.map((l) => l ?? undefined));
    s.msp.push(...c.msp);
    s.energy.push(...c.energy);
    s.prediction.push(...c.prediction);
    s.odin.push(...c.odin.map((r) => [...r]));
    s.skipped.push(...c.skipped.map((x) => ({ id: x.id, reason: x.reason })));
    s.next = c.next;
    last = c;
  }
  return jobs;
}

/** Deep equality of JSON values, ignoring key order (a database may reorder keys). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

export type MethodResult = OodMetrics & { curves: OodCurves };

export interface OodResult {
  out: string;
  nOut: number;
  temperature: number;
  epsilon: number;
  baseline: MethodResult;
  odin: MethodResult;
  /** FPR95 and AUROC of ODIN for every (T, ε) tried, with --search. */
  grid?: GridCell[];
  /** The mean in-distribution ODIN score at every ε tried, with the id-only search. */
  idGrid?: IdGridCell[];
}

export interface EvaluateResult {
  in: string;
  nIn: number;
  /** Top-1 accuracy on the in-distribution test images, where they have labels. */
  accuracy?: number;
  results: OodResult[];
  /** Per-sample scores of the evaluated (test) images. */
  scores: { in: Record<string, SetScores>; out: SetScores[] };
  compile: OdinCompileReport;
  timing: { seconds: number; images: number; imagesPerSecond: number };
  jobs: ScoreJobs;
}

interface Range {
  start: number;
  end: number;
}

/** Runs the evaluation. Progress goes to onProgress; cancel with the signal, resume with `resume`. */
export async function evaluate(opts: EvaluateOptions): Promise<EvaluateResult> {
  const started = performance.now();
  const { model: compiled, report } = compileOdin(opts.model, {
    mean: opts.mean,
    std: opts.std,
    input: opts.input,
    logits: opts.logits,
    inputSize: opts.inputSize,
    provider: providerFor(opts.backend),
  });
  // The compiled graph's image input has the model input's shape; look it up by the contract's name,
  // as compileOdin renames a model input that is itself called "image".
  const imageInput = compiled.graph.inputs.find((v) => v.name === ODIN_IO.inputs.image)!;
  const spec = parseInputSpec(imageInput.shape!, opts.model.metadata.get(METADATA.layout));
  const session = await opts.runtime.createSession(writeModel(compiled), { backend: opts.backend, threads: opts.threads, spin: opts.spin });
  const setup: Setup = { opts, session, spec, jobs: { ...(opts.resume ?? {}) }, report, started, oneAtATime: report.batch.mode === 'fixed' };
  try {
    if (!opts.search) return await runFixed(setup);
    return await (opts.search.mode === 'id-only' ? runIdOnlySearch(setup, opts.search) : runSearch(setup, opts.search));
  } catch (e) {
    if (e instanceof CancelledError) throw new CancelledError(setup.jobs);
    throw e;
  } finally {
    await session.release();
  }
}

interface Setup {
  opts: EvaluateOptions;
  session: OdinSession;
  spec: InputSpec;
  jobs: ScoreJobs;
  report: OdinCompileReport;
  /** performance.now() when evaluate() was called. */
  started: number;
  /** The graph was compiled for a fixed batch of 1. */
  oneAtATime: boolean;
}

interface Context extends Setup {
  progress: ProgressTracker;
  /** Images run through the session by this call (not counting resumed work). */
  scored: number;
}

/** One scoring pass: a range of a set at temperature T with an ε list, labelled `phase` in the progress. */
interface ScoreJob {
  data: Dataset;
  range: Range;
  T: number;
  eps: number[];
  kind: ScoreCheckpoint['phase'];
  phase: string;
}

async function score(ctx: Context, { data, range, T, eps, kind, phase }: ScoreJob): Promise<SetScores> {
  const key = jobKey(data, range, T, eps);
  const { onCheckpoint } = ctx.opts;
  const prior = ctx.jobs[key];
  // Work a resumed run already did counts towards the progress, but not towards the rate.
  if (prior) ctx.progress.carry(phase, Math.min(prior.next, range.end) - range.start);
  if (prior && prior.next >= range.end) return prior;
  const before = prior?.ids.length ?? 0;
  try {
    const result = await scoreDataset({
      session: ctx.session,
      dataset: data,
      spec: ctx.spec,
      fit: ctx.opts.fit,
      temperature: T,
      epsilon: eps,
      batchSize: ctx.opts.batchSize ?? 64,
      start: range.start,
      end: range.end,
      resume: prior,
      signal: ctx.opts.signal,
      progress: ctx.progress,
      phase,
      onCheckpoint: onCheckpoint && ((c) => onCheckpoint({ job: key, phase: kind, ...c })),
      oneAtATime: ctx.oneAtATime,
    });
    ctx.jobs[key] = result;
    ctx.scored += result.ids.length - before;
    return result;
  } catch (e) {
    if (e instanceof CancelledError) ctx.jobs[key] = e.partial as SetScores;
    throw e;
  }
}

function methodResults(inScores: SetScores, outScores: SetScores, eIndex: number): { baseline: MethodResult; odin: MethodResult } {
  if (inScores.msp.length === 0 || outScores.msp.length === 0) throw new Error('no images were scored in one of the sets (all skipped?)');
  return {
    baseline: computeOodMetrics(Float64Array.from(inScores.msp), Float64Array.from(outScores.msp)),
    odin: computeOodMetrics(
      Float64Array.from(inScores.odin, (r) => r[eIndex]),
      Float64Array.from(outScores.odin, (r) => r[eIndex]),
    ),
  };
}

function accuracyOf(s: SetScores): number | undefined {
  const labelled = s.labels.map((l, i) => [l, s.prediction[i]] as const).filter(([l]) => l !== undefined);
  if (labelled.length === 0) return undefined;
  return labelled.filter(([l, p]) => l === p).length / labelled.length;
}

function finish(ctx: Context, inScores: Record<string, SetScores>, outScores: SetScores[], results: OodResult[]): EvaluateResult {
  const seconds = (performance.now() - ctx.started) / 1000;
  const images = ctx.scored;
  const firstIn = Object.values(inScores)[0];
  return {
    in: ctx.opts.inData.name,
    nIn: firstIn.ids.length,
    accuracy: accuracyOf(firstIn),
    results,
    scores: { in: inScores, out: outScores },
    compile: ctx.report,
    timing: { seconds, images, imagesPerSecond: seconds > 0 ? images / seconds : 0 },
    jobs: ctx.jobs,
  };
}

async function runFixed(setup: Setup) {
  const { opts } = setup;
  const T = opts.temperature ?? DEFAULT_TEMPERATURE;
  const eps = opts.epsilon ?? DEFAULT_EPSILON;
  const total = opts.inData.size + opts.outData.reduce((a, d) => a + d.size, 0);
  const ctx: Context = { ...setup, progress: new ProgressTracker(total, opts.onProgress), scored: 0 };
  const inScores = await score(ctx, { data: opts.inData, range: { start: 0, end: opts.inData.size }, T, eps: [eps], kind: 'test', phase: `score ${opts.inData.name}` });
  const { outScores, results } = await scoreWholeOutSets(ctx, inScores, { T, eps, phase: 'score' });
  return finish(ctx, { [`T=${T}`]: inScores }, outScores, results);
}

/** Every OOD set in full at one (T, ε), with its metrics against the in-distribution test scores. */
async function scoreWholeOutSets(ctx: Context, inScores: SetScores, { T, eps, phase }: { T: number; eps: number; phase: string }) {
  const outScores: SetScores[] = [];
  const results: OodResult[] = [];
  for (const d of ctx.opts.outData) {
    const s = await score(ctx, { data: d, range: { start: 0, end: d.size }, T, eps: [eps], kind: 'test', phase: `${phase} ${d.name}` });
    outScores.push(s);
    results.push({ out: d.name, nOut: s.ids.length, temperature: T, epsilon: eps, ...methodResults(inScores, s, 0) });
  }
  return { outScores, results };
}

/** The id-only search: ε from held-out in-distribution images alone; the OOD sets are only tested, in full. */
async function runIdOnlySearch(setup: Setup, search: SearchOptions) {
  const { opts } = setup;
  const val = search.val ?? 1000;
  const temperatures = search.temperatures ?? [DEFAULT_TEMPERATURE];
  const epsilons = search.epsilons ?? DEFAULT_EPSILONS;
  if (temperatures.length !== 1) throw new RangeError(`the id-only search keeps T fixed; give one temperature, not ${temperatures.length}`);
  if (search.tuneOn !== undefined) throw new RangeError('--tune-on names an OOD set to tune on; the id-only search uses none');
  if (opts.inData.size <= val) throw new RangeError(`${opts.inData.name} has ${opts.inData.size} images, but --val holds out ${val} for tuning; use a smaller --val or a larger set`);
  const [T] = temperatures;
  const total = opts.inData.size + opts.outData.reduce((a, d) => a + d.size, 0);
  const ctx: Context = { ...setup, progress: new ProgressTracker(total, opts.onProgress), scored: 0 };

  const inVal = await score(ctx, { data: opts.inData, range: { start: 0, end: val }, T, eps: epsilons, kind: 'search', phase: `search T=${T} ${opts.inData.name}` });
  const idGrid = idGridFor(inVal, T, epsilons);
  const { epsilon: eps } = chooseIdOnlySetting(idGrid);
  const inScores = await score(ctx, { data: opts.inData, range: { start: val, end: opts.inData.size }, T, eps: [eps], kind: 'test', phase: `test ${opts.inData.name}` });
  const { outScores, results } = await scoreWholeOutSets(ctx, inScores, { T, eps, phase: 'test' });
  return finish(ctx, { [`T=${T},eps=${eps}`]: inScores }, outScores, results.map((r) => ({ ...r, idGrid })));
}

async function runSearch(setup: Setup, search: SearchOptions) {
  const { opts } = setup;
  const val = search.val ?? 1000;
  const temperatures = search.temperatures ?? DEFAULT_TEMPERATURES;
  const epsilons = search.epsilons ?? DEFAULT_EPSILONS;
  for (const d of [opts.inData, ...opts.outData])
    if (d.size <= val) throw new RangeError(`${d.name} has ${d.size} images, but --val holds out ${val} for tuning; use a smaller --val or a larger set`);
  // A set named twice (the same spec) is tuned once: its grid must not hold each cell twice.
  const named = [...new Map(opts.outData.map((d) => [d.name, d])).values()];
  const tuneSets = search.tuneOn ? named.filter((d) => d.name === search.tuneOn) : named;
  if (search.tuneOn && tuneSets.length === 0) throw new RangeError(`--tune-on ${search.tuneOn} is not one of the --out sets (${opts.outData.map((d) => d.name).join(', ')})`);

  const valImages = temperatures.length * (val + tuneSets.length * val);
  const outTest = opts.outData.reduce((a, d) => a + d.size - val, 0);
  // The in-distribution test split is scored once per distinct chosen setting; assume one until the search is done.
  const ctx: Context = { ...setup, progress: new ProgressTracker(valImages + opts.inData.size - val + outTest, opts.onProgress), scored: 0 };
  const valRange: Range = { start: 0, end: val };

  // One gradient pass per T: the ε grid rides on the graph's ε-vector input.
  const grids = new Map<string, GridCell[]>();
  for (const T of temperatures) {
    const inVal = await score(ctx, { data: opts.inData, range: valRange, T, eps: epsilons, kind: 'search', phase: `search T=${T} ${opts.inData.name}` });
    for (const d of tuneSets) {
      const outVal = await score(ctx, { data: d, range: valRange, T, eps: epsilons, kind: 'search', phase: `search T=${T} ${d.name}` });
      grids.set(d.name, [...(grids.get(d.name) ?? []), ...gridFor(inVal, outVal, T, epsilons)]);
    }
  }
  const chosen = new Map<string, GridCell>();
  for (const d of opts.outData) chosen.set(d.name, chooseSetting(grids.get(search.tuneOn ?? d.name)!));
  const settings = new Set([...chosen.values()].map((c) => `${c.temperature}|${c.epsilon}`)).size;
  ctx.progress.setTotal(valImages + settings * (opts.inData.size - val) + outTest);

  const inScores: Record<string, SetScores> = {};
  const outScores: SetScores[] = [];
  const results: OodResult[] = [];
  for (const d of opts.outData) {
    const { temperature: T, epsilon: eps } = chosen.get(d.name)!;
    const key = `T=${T},eps=${eps}`;
    inScores[key] ??= await score(ctx, { data: opts.inData, range: { start: val, end: opts.inData.size }, T, eps: [eps], kind: 'test', phase: `test ${opts.inData.name}` });
    const s = await score(ctx, { data: d, range: { start: val, end: d.size }, T, eps: [eps], kind: 'test', phase: `test ${d.name}` });
    outScores.push(s);
    results.push({ out: d.name, nOut: s.ids.length, temperature: T, epsilon: eps, ...methodResults(inScores[key], s, 0), grid: grids.get(search.tuneOn ?? d.name) });
  }
  return finish(ctx, inScores, outScores, results);
}
