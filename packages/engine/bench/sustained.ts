// Benchmark: sustained throughput of ODIN (one ε and the 21-ε sweep) against the plain forward pass, per net, on
// onnxruntime-node CPU. Each timing starts after IDLE_MS idle and repeats its run for at least MIN_MS; plain, ODIN and
// ODIN with spinning threads alternate; medians of ROUNDS.
import { setTimeout as sleep } from 'node:timers/promises';
import * as ort from 'onnxruntime-node';
import { nodeRuntime } from '../src/runtime/node.ts';
import type { Provider } from '../src/autodiff/rule.ts';
import type { HostTensor, OdinSession } from '../src/runtime/session.ts';
import { mulberry } from '../test/nets.ts';
import { compileNet } from './nets.ts';
import type { BenchNet } from './nets.ts';

export const BATCH = 32;
export const THREADS = 2;
const ROUNDS = 7;
const MIN_MS = 150;
const IDLE_MS = 200;
const TEMPERATURE = 1000;
const EPSILON = 0.0014;
/** The usual ODIN sweep: 21 values of ε from 0 to 0.004. */
const SWEEP = Array.from({ length: 21 }, (_, i) => (0.004 * i) / 20);

/** ODIN with one ε at ≥ 0.30 of forward throughput; a 21-ε sweep within 1.25 × the cost of its 2 + 21 forward passes. */
export const GOALS = { odin1OverForward: 0.3, sweepOverPasses: 1.25 } as const;

export interface SustainedRow {
  net: string;
  /** Image height and width. */
  size: number;
  batch: string;
  /** Images per second (medians). */
  forward: number;
  odin1: number;
  /** Median over rounds of odin1/forward throughput, each round's pair measured back to back. */
  odin1OverForward: number;
  /** The same with the ODIN session's idle threads spinning (SessionOptions.spin), measured right after. */
  odin1SpinOverForward: number;
  /** Median over rounds of time(21 ε) / ((2 + 21) · time(forward)), per image. */
  sweepOverPasses: number;
  /** The two ratios again from onnxruntime's profiler (kernel time only, which other processes move less), when measured. */
  kernel?: { odin1OverForward: number; sweepOverPasses: number };
}

export function images(n: number, size: number): Float32Array {
  const rand = mulberry(32);
  return Float32Array.from({ length: n * 3 * size * size }, () => rand());
}

export function odinFeeds(x: Float32Array, n: number, epsilons: number[], size: number): Record<string, HostTensor> {
  return {
    image: { data: x.subarray(0, n * 3 * size * size), dims: [n, 3, size, size] },
    temperature: { data: Float32Array.of(TEMPERATURE), dims: [1] },
    epsilon: { data: Float32Array.from(epsilons), dims: [epsilons.length] },
  };
}

export const oneEpsilon = [EPSILON];
export const sweep = SWEEP;

/** Seconds per run, from repeating it for at least MIN_MS, after IDLE_MS with nothing running. */
async function perRun(run: () => Promise<unknown>): Promise<number> {
  // onnxruntime's spinning threads (the plain model's, by default) keep spinning for a while after a run returns and
  // took a core from the next timing: ODIN timed right after the plain model read 0.255 for WRN-16-4, 0.317 after a pause.
  await sleep(IDLE_MS);
  const start = performance.now();
  let runs = 0;
  do {
    await run();
    runs++;
  } while (performance.now() - start < MIN_MS);
  return (performance.now() - start) / runs / 1000;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The plain model as a user would run it: onnxruntime's default session options but the thread count. */
export const plainSession = (bytes: Uint8Array) => ort.InferenceSession.create(bytes, { executionProviders: ['cpu'], intraOpNumThreads: THREADS, interOpNumThreads: 1 });

/** The ODIN graph as the engine runs it (runtime/session.ts). */
export const odinSession = (bytes: Uint8Array, spin = false): Promise<OdinSession> => nodeRuntime.createSession(bytes, { backend: 'cpu', threads: THREADS, spin });

/** `provider`: the formulation the ODIN graph is compiled with (the engine compiles for 'cpu' when it runs there). */
export async function benchSustained(net: BenchNet, provider: Provider = 'cpu'): Promise<SustainedRow> {
  const { forward: forwardBytes, odin: odinBytes, report } = compileNet(net, { provider });
  const n = report.batch.mode === 'fixed' ? 1 : BATCH;
  // A source model exported with a batch of 1 runs one image at a time.
  const forwardBatch = report.batch.mode === 'dynamic' ? BATCH : 1;
  const size = net.size;
  const x = images(BATCH, size);
  const plain = await plainSession(forwardBytes);
  const odin = await odinSession(odinBytes);
  const odinSpinning = await odinSession(odinBytes, true);
  const input = { [net.input]: new ort.Tensor('float32', x.subarray(0, forwardBatch * 3 * size * size), [forwardBatch, 3, size, size]) };
  const one = odinFeeds(x, n, oneEpsilon, size);
  // A graph compiled for batch 1 takes one ε per run (as evaluate() feeds it).
  const all = report.batch.mode === 'fixed' ? sweep.map((e) => odinFeeds(x, n, [e], size)) : [odinFeeds(x, n, sweep, size)];
  const runSweep = async () => {
    for (const feeds of all) await odin.run(feeds);
  };
  const runs = { forward: () => plain.run(input), odin1: () => odin.run(one), odin1Spin: () => odinSpinning.run(one), odin21: runSweep };
  for (const run of Object.values(runs)) await perRun(run);
  const t = { forward: [] as number[], odin1: [] as number[], odin21: [] as number[], ratio1: [] as number[], ratio1Spin: [] as number[], ratio21: [] as number[] };
  for (let r = 0; r < ROUNDS; r++) {
    const forward = (await perRun(runs.forward)) / forwardBatch;
    const odin1 = (await perRun(runs.odin1)) / n;
    const odin1Spin = (await perRun(runs.odin1Spin)) / n;
    const forwardAgain = (await perRun(runs.forward)) / forwardBatch;
    const odin21 = (await perRun(runs.odin21)) / n;
    t.forward.push(forward, forwardAgain);
    t.odin1.push(odin1);
    t.ratio1.push(forward / odin1);
    t.ratio1Spin.push(forward / odin1Spin);
    t.ratio21.push(odin21 / ((2 + SWEEP.length) * forwardAgain));
  }
  await plain.release();
  await odin.release();
  await odinSpinning.release();
  return {
    net: net.name,
    size: net.size,
    batch: forwardBatch === n ? String(n) : `${forwardBatch}/${n}`,
    forward: 1 / median(t.forward),
    odin1: 1 / median(t.odin1),
    odin1OverForward: median(t.ratio1),
    odin1SpinOverForward: median(t.ratio1Spin),
    sweepOverPasses: median(t.ratio21),
  };
}

export function formatSustained(rows: SustainedRow[], provider: Provider, load: string): string {
  const header = ['net', 'size', 'batch', 'forward img/s', 'ODIN 1ε img/s', `ODIN1/fwd (≥${GOALS.odin1OverForward})`, `t21/(23·t_fwd) (≤${GOALS.sweepOverPasses})`, 'spinning: ODIN1/fwd', 'kernel: ODIN1/fwd', 't21/(23·t_fwd)'];
  const body = rows.map((r) => [
    r.net,
    String(r.size),
    r.batch,
    r.forward.toFixed(0),
    r.odin1.toFixed(0),
    `${r.odin1OverForward.toFixed(3)}${r.odin1OverForward >= GOALS.odin1OverForward ? '  ' : ' ✗'}`,
    `${r.sweepOverPasses.toFixed(3)}${r.sweepOverPasses <= GOALS.sweepOverPasses ? '  ' : ' ✗'}`,
    `${r.odin1SpinOverForward.toFixed(3)}${r.odin1SpinOverForward >= GOALS.odin1OverForward ? '  ' : ' ✗'}`,
    r.kernel ? r.kernel.odin1OverForward.toFixed(3) : '—',
    r.kernel ? r.kernel.sweepOverPasses.toFixed(3) : '—',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [
    `ODIN (compiled for ${provider}) on onnxruntime-node CPU, ${THREADS} threads, 3×size×size images, batch ${BATCH} (forward/ODIN where a net's export fixes the batch at 1); ` +
      `sustained: each timing repeats its run for ≥ ${MIN_MS} ms after ${IDLE_MS} ms idle, plain, ODIN and ODIN with spinning threads alternate, medians of ${ROUNDS}; kernel time from onnxruntime's profiler (each node's fastest of 7 runs, plain and ODIN profiled alternately); load average ${load}`,
    line(header),
    ...body.map(line),
  ].join('\n');
}
