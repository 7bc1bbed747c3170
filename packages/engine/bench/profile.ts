// Benchmark: onnxruntime's profiler over a net's forward pass and its ODIN graph, kernel time per op type and per graph part.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { Provider } from '../src/autodiff/rule.ts';
import type { HostTensor } from '../src/runtime/session.ts';
import { compileNet } from './nets.ts';
import type { BenchNet } from './nets.ts';
import { BATCH, GOALS, THREADS, images, odinFeeds, oneEpsilon, sweep } from './sustained.ts';

export interface OdinProfile {
  net: string;
  provider: Provider;
  epsilons: number;
  /** Kernel time of the source model's forward pass, ms, and by op type. */
  forwardMs: number;
  forwardByOp: Record<string, number>;
  /** Kernel time of the compiled graph, ms. */
  odinMs: number;
  /** From kernel time: forward / ODIN for one ε, else ODIN / ((2 + E) · forward). */
  ratio: number;
  /** Kernel time in ms per run (each node's fastest run) by op type, largest first, with its share and node count. */
  byOp: { op: string; ms: number; share: number; calls: number }[];
  /** Kernel time in ms per run by part of the graph: forward, gradient, perturbed pass, glue, layout reorders. */
  byPart: Record<string, number>;
  byPartOp: Record<string, Record<string, number>>;
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

const toOrt = (feeds: Record<string, HostTensor>) =>
  Object.fromEntries(Object.entries(feeds).map(([k, t]) => [k, new ort.Tensor(t.data instanceof Float32Array ? 'float32' : 'int64', t.data, t.dims)]));

interface Profiled {
  run(): Promise<unknown>;
  /** Each node's fastest kernel time (µs) over the runs after the first `warmup`. */
  fastest(warmup: number): Promise<Map<string, { op: string; us: number }>>;
}

/** A profiling session over `bytes`, fed `feeds` on each run. */
async function profiled(bytes: Uint8Array, feeds: Record<string, HostTensor>, tag: string): Promise<Profiled> {
  const prefix = join(tmpdir(), `odin-profile-${tag.replace(/\W/g, '-')}-${process.pid}`);
  const session = await ort.InferenceSession.create(bytes, {
    executionProviders: ['cpu'],
    intraOpNumThreads: THREADS,
    interOpNumThreads: 1,
    extra: { session: { intra_op: { allow_spinning: '0' } } },
    enableProfiling: true,
    profileFilePrefix: prefix,
  });
  const ortFeeds = toOrt(feeds);
  return {
    run: () => session.run(ortFeeds),
    async fastest(warmup) {
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
      // The fastest run of each node: on a shared machine the minimum is robust to preemption, a sum is not.
      const fastest = new Map<string, { op: string; us: number }>();
      for (const e of events) {
        if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time') || !e.args?.op_name || e.ts < measuredFrom) continue;
        const node = e.name.slice(0, -'_kernel_time'.length);
        const prev = fastest.get(node);
        if (!prev || e.dur < prev.us) fastest.set(node, { op: e.args.op_name, us: e.dur });
      }
      return fastest;
    },
  };
}

function sumByOp(nodes: Map<string, { op: string; us: number }>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const { op, us } of nodes.values()) out[op] = (out[op] ?? 0) + us / 1000;
  return out;
}

const total = (byOp: Record<string, number>) => Object.values(byOp).reduce((a, b) => a + b, 0);

/**
 * Profiles the source model and its compiled graph: kernel time by
 * op type and by graph part, and the goal ratios from kernel time, which moves less than wall-clock time when
 * other processes share the CPU.
 */
export interface ProfileOptions {
  /** One ε, or the first `epsilons` of the sweep. */
  epsilons?: number;
  provider?: Provider;
  /** Profiled runs, after `warmup` left out. */
  runs?: number;
  warmup?: number;
}

export async function profileOdin(net: BenchNet, { epsilons = 1, provider = 'cpu', runs = 7, warmup = 2 }: ProfileOptions = {}): Promise<OdinProfile> {
  const { forward, odin, report } = compileNet(net, { provider });
  const n = report.batch.mode === 'fixed' ? 1 : BATCH;
  const forwardBatch = report.batch.mode === 'dynamic' ? BATCH : 1;
  const size = net.size;
  const x = images(BATCH, size);
  const plainFeeds = { [net.input]: { data: x.subarray(0, forwardBatch * 3 * size * size), dims: [forwardBatch, 3, size, size] } };
  // A graph compiled for batch 1 takes one ε per run: its sweep is `epsilons` runs of one.
  const fixed = report.batch.mode === 'fixed';
  const plain = await profiled(forward, plainFeeds, `${net.name}-forward`);
  const graph = await profiled(odin, odinFeeds(x, n, epsilons === 1 || fixed ? oneEpsilon : sweep.slice(0, epsilons), size), `${net.name}-odin`);
  // Alternating, so that both see the same moments of a shared machine.
  for (let i = 0; i < warmup + runs; i++) {
    await plain.run();
    await graph.run();
  }
  const forwardByOp = sumByOp(await plain.fastest(warmup));
  // The forward pass's kernel time for the ODIN graph's batch.
  const perImage = (n / forwardBatch) * total(forwardByOp);
  const fastest = await graph.fastest(warmup);
  const byOp = new Map<string, { us: number; calls: number }>();
  const byPart: Record<string, number> = {};
  const byPartOp: Record<string, Record<string, number>> = {};
  let us = 0;
  for (const [node, entry] of fastest) {
    const acc = byOp.get(entry.op) ?? { us: 0, calls: 0 };
    acc.us += entry.us;
    acc.calls += 1;
    byOp.set(entry.op, acc);
    const part = partOf(node);
    byPart[part] = (byPart[part] ?? 0) + entry.us / 1000;
    byPartOp[part] ??= {};
    byPartOp[part][entry.op] = (byPartOp[part][entry.op] ?? 0) + entry.us / 1000;
    us += entry.us;
  }
  const odinMs = ((fixed ? epsilons : 1) * us) / 1000;
  return {
    net: net.name,
    provider,
    epsilons,
    forwardMs: total(forwardByOp),
    forwardByOp,
    odinMs,
    ratio: epsilons === 1 ? perImage / odinMs : odinMs / ((2 + epsilons) * perImage),
    byOp: [...byOp].map(([op, v]) => ({ op, ms: v.us / 1000, share: v.us / us, calls: v.calls })).sort((a, b) => b.ms - a.ms),
    byPart,
    byPartOp,
  };
}

const list = (byOp: Record<string, number>, top: number) =>
  Object.entries(byOp)
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([op, ms]) => `${op} ${ms.toFixed(2)}`)
    .join(', ');

/** The linear ops whose gradients cost what their forward does at best: convolutions and matrix products. */
const LINEAR = ['Conv', 'ConvTranspose', 'MatMul', 'FusedMatMul', 'Gemm'];

/**
 * What the linear ops leave to the rest of the graph (masks, pools, layout reorders, glue), in kernel ms:
 * `ceiling`, forward / ODIN if only the two forward passes and the gradient's linear ops took time (what no
 * formulation of the rest can beat while those ops run on onnxruntime's kernels); `budget`, the time the rest may take
 * for forward / ODIN to reach the goal; `spent`, the time it takes. The perturbed pass stands for the forward pass
 * (same profile, so other processes move it less than the plain model's).
 */
export function linearShare(p: OdinProfile): { ceiling: number; budget: number; spent: number } {
  const gradient = p.byPartOp.gradient ?? {};
  const pass = p.byPart['perturbed pass'] ?? 0;
  const linear = (p.byPart.forward ?? 0) + pass + LINEAR.reduce((sum, op) => sum + (gradient[op] ?? 0), 0);
  return { ceiling: pass / linear, budget: pass / GOALS.odin1OverForward - linear, spent: p.odinMs - linear };
}

function formatLinearShare(p: OdinProfile): string {
  const { ceiling, budget, spent } = linearShare(p);
  return (
    `  linear ops: fwd/ODIN = ${ceiling.toFixed(3)} if only the two forward passes and the gradient's ${LINEAR.join('/')} took time; ` +
    `at ${GOALS.odin1OverForward} the rest may take ${budget.toFixed(2)} ms, it takes ${spent.toFixed(2)}`
  );
}

export function formatProfile(p: OdinProfile, top = 8): string {
  const parts = Object.entries(p.byPart).sort((a, b) => b[1] - a[1]);
  const goal = p.epsilons === 1 ? `fwd/ODIN = ${p.ratio.toFixed(3)} (goal ≥ ${GOALS.odin1OverForward})` : `ODIN/((2+${p.epsilons})·fwd) = ${p.ratio.toFixed(3)} (goal ≤ ${GOALS.sweepOverPasses})`;
  return [
    `profile ${p.net} (compiled for ${p.provider}), ${p.epsilons} ε, kernel ms (fastest run of each node): forward model ${p.forwardMs.toFixed(2)}, ODIN ${p.odinMs.toFixed(2)}, ${goal}`,
    `  forward model: ${list(p.forwardByOp, top)}`,
    `  ODIN by part: ${parts.map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')}`,
    `  ODIN by op: ${p.byOp.slice(0, top).map((o) => `${o.op} ${o.ms.toFixed(2)} (${(100 * o.share).toFixed(0)}%, ${o.calls})`).join(', ')}`,
    ...parts.map(([part]) => `  ${part}: ${list(p.byPartOp[part], top)}`),
    ...(p.epsilons === 1 ? [formatLinearShare(p)] : []),
  ].join('\n');
}
