// Benchmark: ODIN graph throughput against the plain forward pass on onnxruntime-node CPU, for the four test
// nets at 3×32×32 and batch 32, with an optional per-op-type profile of the compiled graph.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { Model } from '../src/graph/ir.ts';
import { writeModel } from '../src/graph/onnx-io.ts';
import { compileOdin } from '../src/odin/compile.ts';
import { mulberry, NET_IO, NETS } from '../test/nets.ts';

const SIZE = 32;
const BATCH = 32;
const THREADS = 2;
const WARMUP = 2;
/** Rounds of (forward ×5, ODIN 1ε, ODIN 21ε), interleaved so that background load hits all three alike. */
const ROUNDS = 11;
const FORWARD_PER_ROUND = 5;
const TEMPERATURE = 1000;
const EPSILON = 0.0014;
/** The usual ODIN sweep: 21 values of ε from 0 to 0.004. */
const SWEEP = Array.from({ length: 21 }, (_, i) => (0.004 * i) / 20);
const MEAN = [0.4914, 0.4822, 0.4465];
const STD = [0.247, 0.2435, 0.2616];

/** The goals: ODIN with one ε at ≥ 0.30 of forward throughput (DenseNet-style and residual nets), and a
 * 21-ε sweep within 1.25 × the cost of its 2 + 21 forward passes. */
export const GOALS = { odin1OverForward: 0.3, sweepOverPasses: 1.25 } as const;

export interface OdinBenchRow {
  net: string;
  /** Images per second of the original model. */
  forward: number;
  /** Images per second of the ODIN graph with one ε (each image scored once). */
  odin1: number;
  /** Images per second of the ODIN graph with 21 ε (each image scored at every ε). */
  odin21: number;
  /** odin1 / forward throughput. */
  odin1OverForward: number;
  /** time(21 ε) / ((2 + 21) · forward time). */
  sweepOverPasses: number;
  /** Node counts: original model, compiled graph. */
  nodes: { forward: number; odin: number };
}

export interface OdinProfile {
  net: string;
  epsilons: number;
  /** Kernel time in ms per run by op type, largest first, with its share of the total. */
  byOp: { op: string; ms: number; share: number; calls: number }[];
  /** Kernel time in ms per run by part of the graph: forward, gradient, perturbed pass, glue, layout reorders. */
  byPart: Record<string, number>;
  /** Kernel time in ms per run by part and op type. */
  byPartOp: Record<string, Record<string, number>>;
}

const sessionOptions = (profile?: string): ort.InferenceSession.SessionOptions => ({
  executionProviders: ['cpu'],
  intraOpNumThreads: THREADS,
  interOpNumThreads: 1,
  graphOptimizationLevel: 'all',
  ...(profile ? { enableProfiling: true, profileFilePrefix: profile } : {}),
});

function images(n: number): Float32Array {
  const rand = mulberry(32);
  return Float32Array.from({ length: n * 3 * SIZE * SIZE }, () => rand());
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Wall-clock seconds of one call. */
async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return (performance.now() - start) / 1000;
}

function odinFeeds(x: Float32Array, epsilons: number[]): Record<string, ort.Tensor> {
  return {
    image: new ort.Tensor('float32', x, [BATCH, 3, SIZE, SIZE]),
    temperature: new ort.Tensor('float32', Float32Array.of(TEMPERATURE), [1]),
    epsilon: new ort.Tensor('float32', Float32Array.from(epsilons), [epsilons.length]),
  };
}

function compile(model: Model): Model {
  return compileOdin(model, { mean: MEAN, std: STD }).model;
}

/** Times the forward pass, ODIN with one ε and ODIN with 21 ε for each net. */
export async function benchOdin(nets = NETS.map((n) => n.name)): Promise<OdinBenchRow[]> {
  const rows: OdinBenchRow[] = [];
  const x = images(BATCH);
  for (const spec of NETS.filter((n) => nets.includes(n.name))) {
    const model = spec.build({ size: SIZE });
    const odin = compile(model);
    const forward = await ort.InferenceSession.create(writeModel(model), sessionOptions());
    const compiled = await ort.InferenceSession.create(writeModel(odin), sessionOptions());
    const input = { [NET_IO.input]: new ort.Tensor('float32', x, [BATCH, 3, SIZE, SIZE]) };
    const one = odinFeeds(x, [EPSILON]);
    const sweep = odinFeeds(x, SWEEP);
    const runs = { forward: () => forward.run(input), odin1: () => compiled.run(one), odin21: () => compiled.run(sweep) };
    for (const run of Object.values(runs)) for (let i = 0; i < WARMUP; i++) await run();
    const t = { forward: [] as number[], odin1: [] as number[], odin21: [] as number[] };
    const ratios = { odin1: [] as number[], sweep: [] as number[] };
    for (let r = 0; r < ROUNDS; r++) {
      const fwd: number[] = [];
      for (let i = 0; i < FORWARD_PER_ROUND; i++) fwd.push(await timed(runs.forward));
      const [f, o1, o21] = [median(fwd), await timed(runs.odin1), await timed(runs.odin21)];
      t.forward.push(f);
      t.odin1.push(o1);
      t.odin21.push(o21);
      ratios.odin1.push(f / o1);
      ratios.sweep.push(o21 / ((2 + SWEEP.length) * f));
    }
    await forward.release();
    await compiled.release();
    rows.push({
      net: spec.name,
      forward: BATCH / median(t.forward),
      odin1: BATCH / median(t.odin1),
      odin21: BATCH / median(t.odin21),
      odin1OverForward: median(ratios.odin1),
      sweepOverPasses: median(ratios.sweep),
      nodes: { forward: model.graph.nodes.length, odin: odin.graph.nodes.length },
    });
  }
  return rows;
}

/** Which part of the compiled graph a (possibly fused) node belongs to, from compileOdin's name prefixes. */
function partOf(node: string): string {
  if (node.startsWith('odin/grad/')) return 'gradient';
  if (node.startsWith('odin/pass2/')) return 'perturbed pass';
  if (node.startsWith('odin/')) return 'odin glue';
  // onnxruntime's NCHWc layout transformer inserts these between blocked and plain tensors.
  if (node.startsWith('Reorder')) return 'layout reorders';
  return 'forward';
}

interface TraceEvent {
  cat: string;
  name: string;
  ts: number;
  dur: number;
  args?: { op_name?: string };
}

/**
 * Runs the compiled graph with onnxruntime's profiler and sums kernel time by op type and by graph part.
 * The first `warmup` runs are left out of the sums.
 */
export async function profileOdin(net: string, epsilons = 1, runs = 5, warmup = 2): Promise<OdinProfile> {
  const spec = NETS.find((n) => n.name === net)!;
  const prefix = join(tmpdir(), `odin-profile-${net}-${process.pid}`);
  const session = await ort.InferenceSession.create(writeModel(compile(spec.build({ size: SIZE }))), sessionOptions(prefix));
  const feeds = odinFeeds(images(BATCH), epsilons === 1 ? [EPSILON] : SWEEP.slice(0, epsilons));
  for (let i = 0; i < warmup + runs; i++) await session.run(feeds);
  // onnxruntime-node writes the trace as <prefix>_<timestamp>.json and does not return its name.
  session.endProfiling();
  await session.release();
  const name = readdirSync(tmpdir()).find((f) => f.startsWith(basename(prefix)) && f.endsWith('.json'));
  if (!name) throw new Error(`onnxruntime wrote no profile next to ${prefix}`);
  const file = join(tmpdir(), name);
  const events = JSON.parse(readFileSync(file, 'utf8')) as TraceEvent[];
  rmSync(file, { force: true });
  const runStarts = events.filter((e) => e.cat === 'Session' && e.name === 'model_run').map((e) => e.ts).sort((a, b) => a - b);
  const measuredFrom = runStarts[warmup] ?? 0;
  const byOp = new Map<string, { us: number; calls: number }>();
  const byPart: Record<string, number> = {};
  const byPartOp: Record<string, Record<string, number>> = {};
  let total = 0;
  for (const e of events) {
    if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time') || !e.args?.op_name || e.ts < measuredFrom) continue;
    const op = e.args.op_name;
    const entry = byOp.get(op) ?? { us: 0, calls: 0 };
    entry.us += e.dur;
    entry.calls += 1;
    byOp.set(op, entry);
    const part = partOf(e.name.slice(0, -'_kernel_time'.length));
    byPart[part] = (byPart[part] ?? 0) + e.dur / 1000 / runs;
    byPartOp[part] ??= {};
    byPartOp[part][op] = (byPartOp[part][op] ?? 0) + e.dur / 1000 / runs;
    total += e.dur;
  }
  return {
    net,
    epsilons,
    byOp: [...byOp]
      .map(([op, { us, calls }]) => ({ op, ms: us / 1000 / runs, share: us / total, calls: calls / runs }))
      .sort((a, b) => b.ms - a.ms),
    byPart,
    byPartOp,
  };
}

const fmt = (v: number, digits = 0) => v.toFixed(digits);

/** The results as a fixed-width table, with the goals marked. */
export function formatOdinTable(rows: OdinBenchRow[]): string {
  const header = ['net', 'forward img/s', 'ODIN 1ε img/s', 'ODIN 21ε img/s', 'ODIN1/fwd (≥0.30)', 't21/(23·t_fwd) (≤1.25)', 'nodes fwd→odin'];
  const body = rows.map((r) => [
    r.net,
    fmt(r.forward),
    fmt(r.odin1),
    fmt(r.odin21),
    `${fmt(r.odin1OverForward, 3)}${r.odin1OverForward >= GOALS.odin1OverForward ? '' : ' ✗'}`,
    `${fmt(r.sweepOverPasses, 3)}${r.sweepOverPasses <= GOALS.sweepOverPasses ? '' : ' ✗'}`,
    `${r.nodes.forward}→${r.nodes.odin}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [
    `ODIN on onnxruntime-node CPU (${THREADS} threads, graph optimisation 'all'), 3×${SIZE}×${SIZE}, batch ${BATCH}; medians over ${ROUNDS} interleaved rounds (ratios per round)`,
    line(header),
    ...body.map(line),
  ].join('\n');
}

export function formatProfile(p: OdinProfile, top = 8): string {
  const parts = Object.entries(p.byPart).sort((a, b) => b[1] - a[1]);
  const lines = [`profile ${p.net}, ${p.epsilons} ε, kernel time per run: ${parts.map(([k, v]) => `${k} ${v.toFixed(2)} ms`).join(', ')}`];
  lines.push(`  all parts: ${p.byOp.slice(0, top).map((o) => `${o.op} ${o.ms.toFixed(2)} (${(100 * o.share).toFixed(0)}%, ${o.calls})`).join(', ')}`);
  for (const [part] of parts) {
    const ops = Object.entries(p.byPartOp[part]).sort((a, b) => b[1] - a[1]).slice(0, top);
    lines.push(`  ${part}: ${ops.map(([op, ms]) => `${op} ${ms.toFixed(2)}`).join(', ')}`);
  }
  return lines.join('\n');
}
