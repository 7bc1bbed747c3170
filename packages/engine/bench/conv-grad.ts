// Benchmark: formulations of the Conv and pooling input gradients on onnxruntime-node CPU (2 threads, batch 32).
//
// Run: npx tsx packages/engine/bench/conv-grad.ts [--reps 40] [--only conv|maxpool|avgpool]
// Each cell is the best (minimum) milliseconds of one run of a single-purpose model, the candidates of a row
// timed round-robin so that load from other processes spreads evenly over them. The rules in
// src/autodiff/rules/{convolution,pooling}.ts use the formulations that won here ("rule" columns).
import * as ort from 'onnxruntime-node';
import { toAttr } from '../src/graph/attrs.ts';
import { GraphBuilder } from '../src/graph/builder.ts';
import { emptyGraph } from '../src/graph/ir.ts';
import type { Node, TensorData } from '../src/graph/ir.ts';
import { newModel, writeModel } from '../src/graph/onnx-io.ts';
import { f32 } from '../src/graph/tensor.ts';
import { buildGradient } from '../src/autodiff/driver.ts';
import { convInputGrad, convWeightGrad, geometry, padOrCrop } from '../src/autodiff/rules/conv-transpose.ts';
import type { ConvSpec, Geometry } from '../src/autodiff/rules/conv-transpose.ts';
import { averagePoolInputGrad, averagePoolScale, firstMax, gatherWindows, maxPoolInputGrad, scatterWindows } from '../src/autodiff/rules/pooling.ts';
import { mulberry32 } from '../src/preprocess/random.ts';

const BATCH = 32;
const OPSET = 17;
const repsArg = process.argv.indexOf('--reps');
const REPS = repsArg > 0 ? Number(process.argv[repsArg + 1]) : 40;
const LOWEST = -3.4028234663852886e38;
const prod = (xs: number[]) => xs.reduce((a, b) => a * b, 1);
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

const rand = mulberry32(7);
/** Random values; `levels` > 0 rounds them to that many levels, so MaxPool windows have ties. */
const randomTensor = (dims: number[], levels = 0) =>
  new ort.Tensor('float32', Float32Array.from({ length: prod(dims) }, () => (levels ? Math.floor(rand() * levels) : rand() * 2 - 1)), dims);

type Build = (b: GraphBuilder) => string;

/** One candidate: a model over `inputs` (name → dims) whose single output `build` returns. */
interface Candidate {
  inputs: Record<string, number[]>;
  build: Build;
  feeds?: Record<string, ort.Tensor>;
  opset?: number;
}

async function session(c: Candidate): Promise<{ run: () => Promise<unknown>; release: () => Promise<void> }> {
  const graph = emptyGraph('bench');
  const model = newModel(graph, c.opset ?? OPSET);
  const b = new GraphBuilder(graph, c.opset ?? OPSET);
  for (const [name, dims] of Object.entries(c.inputs)) graph.inputs.push({ name, dtype: 'float32', shape: ['N', ...dims.slice(1)] });
  graph.outputs.push({ name: c.build(b), dtype: 'float32' });
  const s = await ort.InferenceSession.create(writeModel(model), { intraOpNumThreads: 2, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
  const feeds = Object.fromEntries(Object.entries(c.inputs).map(([name, dims]) => [name, c.feeds?.[name] ?? randomTensor(dims)]));
  return { run: () => s.run(feeds), release: () => s.release() };
}

/**
 * Times the candidates round-robin (each rep runs every candidate once) and keeps each one's minimum:
 * other processes share the CPUs and only ever add time; round-robin spreads their load evenly.
 */
async function timeAll(candidates: (Candidate | undefined)[]): Promise<number[]> {
  const sessions = await Promise.all(candidates.map((c) => (c ? session(c) : undefined)));
  for (const s of sessions) for (let i = 0; i < 3; i++) await s?.run();
  const best = sessions.map(() => Infinity);
  for (let r = 0; r < REPS; r++)
    for (const [i, s] of sessions.entries()) {
      if (!s) continue;
      const t0 = performance.now();
      await s.run();
      best[i] = Math.min(best[i], performance.now() - t0);
    }
  for (const s of sessions) await s?.release();
  return best.map((t) => (t === Infinity ? NaN : t));
}

const row = (name: string, ts: number[]) => console.log(`${name.padEnd(24)}${ts.map((t) => (Number.isNaN(t) ? '—' : t.toFixed(2)).padStart(9)).join('')}`);
const header = (title: string, cols: string[]) => {
  console.log(`\n${title}`);
  console.log(`${''.padEnd(24)}${cols.map((c) => c.padStart(9)).join('')}`);
};

const nodeWith = (op: string, attrs: Record<string, number | number[] | string>): Node => ({
  op,
  domain: '',
  name: op,
  inputs: [],
  outputs: [],
  attrs: Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k, toAttr(v)])),
});

// ---------------------------------------------------------------------------------------------- Conv

interface ConvCase {
  name: string;
  cin: number;
  cout: number;
  group?: number;
  size: number[];
  attrs: Record<string, number | number[] | string>;
}

const CONV_CASES: ConvCase[] = [
  { name: '3→16 32² 3×3 s1', cin: 3, cout: 16, size: [32, 32], attrs: { kernel_shape: [3, 3], pads: [1, 1, 1, 1] } },
  { name: '16→32 32² 3×3 s1', cin: 16, cout: 32, size: [32, 32], attrs: { kernel_shape: [3, 3], pads: [1, 1, 1, 1] } },
  { name: '64→64 16² 3×3 s1', cin: 64, cout: 64, size: [16, 16], attrs: { kernel_shape: [3, 3], pads: [1, 1, 1, 1] } },
  { name: '16→32 32² 3×3 s2', cin: 16, cout: 32, size: [32, 32], attrs: { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [2, 2] } },
  { name: '64→128 16² 3×3 s2', cin: 64, cout: 128, size: [16, 16], attrs: { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [2, 2] } },
  { name: 'dw32 32² 3×3 s1', cin: 32, cout: 32, group: 32, size: [32, 32], attrs: { kernel_shape: [3, 3], pads: [1, 1, 1, 1] } },
  { name: 'dw32 32² 3×3 s2', cin: 32, cout: 32, group: 32, size: [32, 32], attrs: { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [2, 2] } },
  { name: 'g4 32→32 16² 3×3 s1', cin: 32, cout: 32, group: 4, size: [16, 16], attrs: { kernel_shape: [3, 3], pads: [1, 1, 1, 1] } },
  { name: '64→64 8² 3×3 s1', cin: 64, cout: 64, size: [8, 8], attrs: { kernel_shape: [3, 3], pads: [1, 1, 1, 1] } },
  { name: '16→32 32² 1×1 s1', cin: 16, cout: 32, size: [32, 32], attrs: { kernel_shape: [1, 1] } },
  { name: '16→32 32² 1×1 s2', cin: 16, cout: 32, size: [32, 32], attrs: { kernel_shape: [1, 1], strides: [2, 2] } },
];

/** dX by zero-interleaving dY (Reshape/Pad) and a stride-1 Conv with the flipped kernel. */
function dilatedDx(b: GraphBuilder, dy: string, w: TensorData, spec: ConvSpec): string {
  const g = spec.geom;
  const n = g.kernel.length;
  let d = b.reshape(dy, [-1, spec.cout, ...g.outSize.flatMap((o) => [o, 1])]);
  d = b.pad(d, [...Array(2 + 2 * n).fill(0), 0, 0, ...g.strides.flatMap((s) => [0, s - 1])]);
  d = b.reshape(d, [-1, spec.cout, ...g.outSize.map((o, i) => o * g.strides[i])]);
  const geom: Geometry = { ...g, strides: g.strides.map(() => 1), outSize: g.outSize.map((o, i) => o * g.strides[i]) };
  return convInputGrad(b, d, w, { ...spec, geom }, 'conv');
}

async function benchConv(): Promise<void> {
  header('Conv (ms): forward; dX by ConvTranspose, by Conv (flipped / sub-pixel + DepthToSpace), sub-pixel + Transpose, zero-dilated dY + Conv; the rule with W constant and W a graph input; dW by per-tap MatMuls, by one folded MatMul, by one Conv (the rule: per-tap above 256 output positions, else fold for group 1, Conv for groups)', [
    'fwd', 'ConvT', 'Conv', 'Conv+Tr', 'dilate', 'rule', 'rule(W)', 'dW:tap', 'dW:fold', 'dW:Conv',
  ]);
  for (const c of CONV_CASES) {
    const group = c.group ?? 1;
    const geom = geometry(nodeWith('Conv', { ...c.attrs, group }), c.size, c.attrs.kernel_shape as number[], 'conv');
    const spec: ConvSpec = { geom, group, cin: c.cin, cout: c.cout };
    const wDims = [c.cout, c.cin / group, ...geom.kernel];
    const w = f32(Array.from({ length: prod(wDims) }, () => rand() * 2 - 1), wDims);
    const x = { x: [BATCH, c.cin, ...c.size] };
    const dy = { dy: [BATCH, c.cout, ...geom.outSize] };
    const strided = geom.strides.some((s) => s > 1);
    row(
      c.name,
      await timeAll([
        { inputs: x, build: (b) => b.op('Conv', ['x', b.constant(w, 'w')], { ...c.attrs, group }) },
        { inputs: dy, build: (b) => convInputGrad(b, 'dy', w, spec, 'conv-transpose') },
        { inputs: dy, build: (b) => convInputGrad(b, 'dy', w, spec, 'conv', 'depth-to-space') },
        strided ? { inputs: dy, build: (b) => convInputGrad(b, 'dy', w, spec, 'conv', 'transpose') } : undefined,
        strided ? { inputs: dy, build: (b) => dilatedDx(b, 'dy', w, spec) } : undefined,
        { inputs: dy, build: (b) => convInputGrad(b, 'dy', w, spec) },
        { inputs: { ...dy, w: wDims }, build: (b) => convInputGrad(b, 'dy', 'w', spec), feeds: { w: new ort.Tensor('float32', w.data as Float32Array, wDims) } },
        { inputs: { ...x, ...dy }, build: (b) => convWeightGrad(b, 'x', 'dy', spec, 'per-tap') },
        { inputs: { ...x, ...dy }, build: (b) => convWeightGrad(b, 'x', 'dy', spec, 'fold') },
        { inputs: { ...x, ...dy }, build: (b) => convWeightGrad(b, 'x', 'dy', spec, 'conv') },
      ]),
    );
  }
}

// ---------------------------------------------------------------------------------------------- pools

interface PoolCase {
  name: string;
  c: number;
  size: number[];
  attrs: Record<string, number | number[] | string>;
}

const POOL_CASES: PoolCase[] = [
  { name: '16ch 32² 2×2 s2', c: 16, size: [32, 32], attrs: { kernel_shape: [2, 2], strides: [2, 2] } },
  { name: '64ch 32² 2×2 s2', c: 64, size: [32, 32], attrs: { kernel_shape: [2, 2], strides: [2, 2] } },
  { name: '16ch 32² 3×3 s2 p1', c: 16, size: [32, 32], attrs: { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] } },
  { name: '64ch 32² 3×3 s2 p1', c: 64, size: [32, 32], attrs: { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] } },
  { name: '16ch 16² 3×3 s1 p1', c: 16, size: [16, 16], attrs: { kernel_shape: [3, 3], pads: [1, 1, 1, 1] } },
];

/** The first max by ArgMax and an int64 Equal one-hot (WebGPU's Equal lacks int64), with Where. */
function argmaxDx(b: GraphBuilder, g: Geometry): string {
  const K = prod(g.kernel);
  const cols = gatherWindows(b, b.reshape('x', [-1, 1, ...g.inSize]), g, LOWEST);
  const taps = b.constant({ dtype: 'int64', dims: [1, K, ...g.outSize.map(() => 1)], data: BigInt64Array.from(range(K), BigInt) }, 'taps');
  const picked = b.where(b.op('Equal', [b.op('ArgMax', [cols], { axis: 1, keepdims: 1 }), taps]), b.reshape('dy', [-1, 1, ...g.outSize]), b.scalar(0));
  return b.reshape(scatterWindows(b, picked, g), b.shape('x'));
}

/** The rule's pieces with the gather or the scatter swapped: SpaceToDepth for kernel == stride, Conv or DepthToSpace as col2im, Where for Mul. */
function variantDx(b: GraphBuilder, g: Geometry, v: { spaceToDepth?: boolean; scatter?: 'conv' | 'depth-to-space'; where?: boolean }): string {
  const x1 = b.reshape('x', [-1, 1, ...g.inSize]);
  const cols = v.spaceToDepth ? b.op('SpaceToDepth', [x1], { blocksize: g.kernel[0] }) : gatherWindows(b, x1, g, LOWEST);
  const mask = firstMax(b, cols, b.reshape('y', [-1, 1, ...g.outSize]), 1);
  const dy1 = b.reshape('dy', [-1, 1, ...g.outSize]);
  const picked = v.where ? b.where(b.cast(mask, 'bool'), dy1, b.scalar(0)) : b.mul(mask, dy1);
  const dx =
    v.scatter === 'depth-to-space'
      ? b.op('DepthToSpace', [picked], { blocksize: g.kernel[0], mode: 'DCR' })
      : scatterWindows(b, picked, g, v.scatter === 'conv' ? 'conv' : 'conv-transpose');
  return b.reshape(dx, b.shape('x'));
}

/** The per-offset loop: per tap Slice, Equal, a first-taken mask (And/Not), Where, zero-interleave and Pad into place, Add. */
function loopDx(b: GraphBuilder, g: Geometry, c: number): string {
  const n = g.kernel.length;
  const extent = g.outSize.map((o, i) => (o - 1) * g.strides[i] + 1);
  const full = g.inSize.map((h, i) => Math.max(h + g.padsBegin[i], extent[i] + (g.kernel[i] - 1) * g.dilations[i]));
  const xp = padOrCrop(b, 'x', g.inSize, g.padsBegin, full.map((f, i) => f - g.inSize[i] - g.padsBegin[i]), LOWEST);
  let free: string | undefined;
  let sum: string | undefined;
  for (let t = 0; t < prod(g.kernel); t++) {
    const starts = [Math.floor(t / g.kernel[1]), t % g.kernel[1]].map((k, i) => k * g.dilations[i]);
    const eq = b.op('Equal', [b.slice(xp, starts, starts.map((s, i) => s + extent[i]), [2, 3], g.strides), 'y']);
    const first = free ? b.op('And', [eq, free]) : eq;
    free = free ? b.op('And', [free, b.op('Not', [eq])]) : b.op('Not', [eq]);
    let part = b.reshape(b.where(first, 'dy', b.scalar(0)), [-1, c, ...g.outSize.flatMap((o) => [o, 1])]);
    part = b.reshape(b.pad(part, [...Array(2 + 2 * n).fill(0), 0, 0, ...g.strides.flatMap((s) => [0, s - 1])]), [-1, c, ...g.outSize.map((o, i) => o * g.strides[i])]);
    part = padOrCrop(b, part, g.outSize.map((o, i) => o * g.strides[i]), starts, full.map((f, i) => f - starts[i] - g.outSize[i] * g.strides[i]));
    sum = sum ? b.add(sum, part) : part;
  }
  return padOrCrop(b, sum!, full, g.padsBegin.map((p) => -p), g.inSize.map((h, i) => h + g.padsBegin[i] - full[i]));
}

async function forwardMaxPool(c: PoolCase, x: ort.Tensor): Promise<ort.Tensor> {
  const graph = emptyGraph('fwd');
  const model = newModel(graph, OPSET);
  graph.inputs.push({ name: 'x', dtype: 'float32', shape: x.dims as number[] });
  new GraphBuilder(graph, OPSET).node('MaxPool', ['x'], c.attrs, ['y']);
  graph.outputs.push({ name: 'y', dtype: 'float32' });
  const s = await ort.InferenceSession.create(writeModel(model));
  const y = (await s.run({ x }))['y'];
  await s.release();
  return y;
}

/** The rule compiled for onnxruntime's CPU provider (MaxPool Indices + ScatterElements) at `opset`. */
function cpuDx(b: GraphBuilder, attrs: PoolCase['attrs'], opset: number): string {
  const y = b.op('MaxPool', ['x'], attrs);
  return buildGradient(newModel(b.graph, opset), { seeds: [{ of: y, grad: 'dy' }], wrt: ['x'], provider: 'cpu' }).get('x')!;
}

async function benchMaxPool(): Promise<void> {
  header('MaxPool (ms): forward; dX by the rule, with SpaceToDepth as gather (kernel == stride), ArgMax one-hot, Conv col2im, DepthToSpace col2im, Where for Mul; the per-offset loop; the CPU rule at opset 17 and 13', [
    'fwd', 'rule', 'S2D', 'ArgMax', 'Conv', 'D2S', 'Where', 'loop', 'CPU', 'CPU@13',
  ]);
  for (const c of POOL_CASES) {
    const g = geometry(nodeWith('MaxPool', c.attrs), c.size, c.attrs.kernel_shape as number[], 'pool');
    const xDims = [BATCH, c.c, ...c.size];
    const yDims = [BATCH, c.c, ...g.outSize];
    const x = randomTensor(xDims, 8); // few levels: ties in most windows, as in flat image regions
    const feeds = { x, y: await forwardMaxPool(c, x) };
    const inputs = { x: xDims, y: yDims, dy: yDims };
    const tiled = g.kernel.every((k, i) => k === g.strides[i]);
    row(
      c.name,
      await timeAll([
        { inputs: { x: xDims }, build: (b) => b.op('MaxPool', ['x'], c.attrs), feeds },
        { inputs, build: (b) => maxPoolInputGrad(b, 'x', 'y', 'dy', g), feeds },
        tiled ? { inputs, build: (b) => variantDx(b, g, { spaceToDepth: true }), feeds } : undefined,
        { inputs, build: (b) => argmaxDx(b, g), feeds },
        { inputs, build: (b) => variantDx(b, g, { scatter: 'conv' }), feeds },
        tiled ? { inputs, build: (b) => variantDx(b, g, { scatter: 'depth-to-space' }), feeds } : undefined,
        { inputs, build: (b) => variantDx(b, g, { where: true }), feeds },
        { inputs, build: (b) => loopDx(b, g, c.c), feeds },
        { inputs, build: (b) => cpuDx(b, c.attrs, OPSET), feeds },
        { inputs, build: (b) => cpuDx(b, c.attrs, 13), feeds, opset: 13 },
      ]),
    );
  }
}

async function benchAveragePool(): Promise<void> {
  header('AveragePool (ms): forward; dX by the rule (ConvTranspose), by Conv (flipped / sub-pixel), by Expand upsampling (kernel == stride)', [
    'fwd', 'rule', 'Conv', 'Expand',
  ]);
  for (const c of POOL_CASES) {
    const g = geometry(nodeWith('AveragePool', c.attrs), c.size, c.attrs.kernel_shape as number[], 'pool');
    const xDims = [BATCH, c.c, ...c.size];
    const inputs = { x: xDims, dy: [BATCH, c.c, ...g.outSize] };
    const tiled = g.kernel.every((k, i) => k === g.strides[i]) && g.padsBegin.every((p) => p === 0);
    row(
      c.name,
      await timeAll([
        { inputs: { x: xDims }, build: (b) => b.op('AveragePool', ['x'], c.attrs) },
        { inputs, build: (b) => averagePoolInputGrad(b, 'x', 'dy', g, false) },
        { inputs, build: (b) => averagePoolInputGrad(b, 'x', 'dy', g, false, 'conv') },
        tiled
          ? {
              inputs,
              build: (b) => {
                const dy1 = b.mul(b.reshape('dy', [-1, 1, ...g.outSize.flatMap((o) => [o, 1])]), b.scalar(averagePoolScale(g, false)[0]));
                const up = b.expand(dy1, b.ints([1, 1, ...g.kernel.flatMap((k) => [1, k])]));
                return b.reshape(b.reshape(up, [-1, 1, ...g.outSize.map((o, i) => o * g.kernel[i])]), b.shape('x'));
              },
            }
          : undefined,
      ]),
    );
  }
}

console.log(`onnxruntime-node CPU, intraOpNumThreads 2, graphOptimizationLevel all, float32, batch ${BATCH}, best of ${REPS} round-robin reps`);
const onlyArg = process.argv.indexOf('--only');
const only = onlyArg > 0 ? process.argv[onlyArg + 1] : undefined;
if (!only || only === 'conv') await benchConv();
if (!only || only === 'maxpool') await benchMaxPool();
if (!only || only === 'avgpool') await benchAveragePool();
