// The tape's gradient of every supported op, checked against central differences of the interpreter on random inputs.
import { describe, expect, it } from 'vitest';
import { float } from '../../src/graph/attrs.ts';
import type { GraphBuilder } from '../../src/graph/builder.ts';
import type { Model } from '../../src/graph/ir.ts';
import { i64 } from '../../src/graph/tensor.ts';
import { gradient, TAPE_OPS } from './tape.ts';
import { floatTensor } from './tensor.ts';
import type { RefTensor } from './tensor.ts';
import { buildModel, expectTapeMatchesFiniteDifferences, randomTensor, rng, values } from './testing.ts';

/** A float input: dims, the range values are drawn from, and kinks to keep away from. */
interface In {
  dims: number[];
  lo?: number;
  hi?: number;
  avoid?: number[];
}
interface Case {
  name: string;
  opset?: number;
  inputs: In[];
  build: (b: GraphBuilder, x: string[]) => string;
  /** Indices of the inputs to differentiate (all by default). */
  wrt?: number[];
}

type Attrs = Parameters<GraphBuilder['op']>[2];
const d = (...dims: number[]): In => ({ dims });
const pos = (...dims: number[]): In => ({ dims, lo: 0.3, hi: 2 });
const away = (avoid: number[], ...dims: number[]): In => ({ dims, lo: -4, hi: 4, avoid });
/** One node of `op` over all inputs plus the extra (constant) inputs. */
const op = (name: string, attrs: Attrs = {}, extra: (b: GraphBuilder) => string[] = () => []) => (b: GraphBuilder, x: string[]) => b.op(name, [...x, ...extra(b)], attrs);

const CASES: Case[] = [
  // Elementwise, unary
  { name: 'Relu', inputs: [away([0], 3, 4)], build: op('Relu') },
  { name: 'LeakyRelu', inputs: [away([0], 3, 4)], build: op('LeakyRelu', { alpha: float(0.2) }) },
  { name: 'Sigmoid', inputs: [d(3, 4)], build: op('Sigmoid') },
  { name: 'HardSigmoid', inputs: [away([-4 / 3, 2], 4, 5)], build: op('HardSigmoid', { alpha: float(0.3), beta: float(0.4) }) },
  { name: 'HardSwish', inputs: [away([-3, 3], 4, 5)], build: op('HardSwish') },
  { name: 'Tanh', inputs: [d(3, 4)], build: op('Tanh') },
  { name: 'Erf', inputs: [d(3, 4)], build: op('Erf') },
  { name: 'Gelu exact', opset: 20, inputs: [away([], 3, 4)], build: op('Gelu') },
  { name: 'Gelu tanh', opset: 20, inputs: [away([], 3, 4)], build: op('Gelu', { approximate: 'tanh' }) },
  { name: 'Softplus', inputs: [away([], 3, 4)], build: op('Softplus') },
  { name: 'Elu', inputs: [away([0], 3, 4)], build: op('Elu', { alpha: float(0.7) }) },
  { name: 'Selu', inputs: [away([0], 3, 4)], build: op('Selu') },
  { name: 'Celu', inputs: [away([0], 3, 4)], build: op('Celu', { alpha: float(1.5) }) },
  { name: 'ThresholdedRelu', inputs: [away([0.5], 3, 4)], build: op('ThresholdedRelu', { alpha: float(0.5) }) },
  { name: 'Mish', opset: 18, inputs: [away([], 3, 4)], build: op('Mish') },
  { name: 'Softsign', inputs: [away([0], 3, 4)], build: op('Softsign') },
  { name: 'Exp', inputs: [d(3, 4)], build: op('Exp') },
  { name: 'Log', inputs: [pos(3, 4)], build: op('Log') },
  { name: 'Sqrt', inputs: [pos(3, 4)], build: op('Sqrt') },
  { name: 'Neg', inputs: [d(3, 4)], build: op('Neg') },
  { name: 'Abs', inputs: [away([0], 3, 4)], build: op('Abs') },
  { name: 'Clip min max', inputs: [away([-0.5, 0.7], 3, 4)], build: (b, x) => b.op('Clip', [x[0], b.scalar(-0.5), b.scalar(0.7)]) },
  { name: 'Clip max only', inputs: [away([0.7], 3, 4)], build: (b, x) => b.op('Clip', [x[0], '', b.scalar(0.7)]) },
  { name: 'Clip with tensor bounds', inputs: [away([-0.5, 0.7], 3, 4), { dims: [], lo: -0.5, hi: -0.5 }, { dims: [], lo: 0.7, hi: 0.7 }], build: op('Clip') },
  { name: 'Cast float to double', inputs: [d(2, 3)], build: (b, x) => b.op('Cast', [x[0]], { to: 11 }) },
  { name: 'Cast through int64 carries no gradient', inputs: [{ dims: [2, 3], lo: 0.1, hi: 0.9 }], build: (b, x) => b.add(x[0], b.cast(b.cast(b.mul(x[0], b.scalar(10)), 'int64'), 'float32')) },
  // Elementwise, binary with broadcasting
  { name: 'Add broadcast', inputs: [d(2, 3, 4), d(3, 1)], build: op('Add') },
  { name: 'Sub broadcast', inputs: [d(3), d(2, 3)], build: op('Sub') },
  { name: 'Mul broadcast', inputs: [d(2, 1, 4), d(3, 1)], build: op('Mul') },
  { name: 'Mul same input twice', inputs: [d(2, 3)], build: (b, x) => b.mul(x[0], x[0]) },
  { name: 'Div broadcast', inputs: [d(2, 3), pos(3)], build: op('Div') },
  { name: 'Pow', inputs: [pos(2, 3), d(3)], build: op('Pow') },
  { name: 'PRelu slope [C,1,1]', inputs: [away([0], 2, 3, 2, 2), d(3, 1, 1)], build: op('PRelu') },
  { name: 'PRelu scalar-like slope', inputs: [away([0], 2, 5), d(1)], build: op('PRelu') },
  { name: 'Where broadcast', inputs: [d(2, 3), d(3)], build: (b, x) => b.where(b.constant({ dtype: 'bool', dims: [2, 1], data: Uint8Array.of(1, 0) }), x[0], x[1]) },
  // Linear algebra
  { name: 'MatMul batched broadcast', inputs: [d(2, 1, 3, 4), d(3, 4, 5)], build: op('MatMul') },
  { name: 'MatMul 1-D x 3-D', inputs: [d(4), d(2, 4, 3)], build: op('MatMul') },
  { name: 'MatMul 2-D x 1-D', inputs: [d(3, 4), d(4)], build: op('MatMul') },
  { name: 'Gemm transA transB alpha beta C[N]', inputs: [d(4, 3), d(5, 4), d(5)], build: op('Gemm', { transA: 1, transB: 1, alpha: float(0.5), beta: float(2) }) },
  { name: 'Gemm C[M,1]', inputs: [d(3, 4), d(4, 2), d(3, 1)], build: op('Gemm') },
  { name: 'Gemm no C', inputs: [d(3, 4), d(2, 4)], build: op('Gemm', { transB: 1 }) },
  // Convolution
  { name: 'Conv pad 1 stride 2 bias', inputs: [d(2, 3, 7, 6), d(4, 3, 3, 3), d(4)], build: op('Conv', { pads: [1, 1, 1, 1], strides: [2, 2] }) },
  { name: 'Conv group 2 dilation asym pads', inputs: [d(1, 4, 9, 8), d(6, 2, 3, 2), d(6)], build: op('Conv', { group: 2, dilations: [2, 1], pads: [0, 1, 2, 0], strides: [1, 2] }) },
  { name: 'Conv depthwise', inputs: [d(1, 3, 5, 5), d(3, 1, 3, 3)], build: op('Conv', { group: 3, pads: [1, 1, 1, 1] }) },
  { name: 'Conv SAME_UPPER stride 2', inputs: [d(1, 2, 6, 7), d(3, 2, 4, 3)], build: op('Conv', { auto_pad: 'SAME_UPPER', strides: [2, 2] }) },
  { name: 'Conv SAME_LOWER', inputs: [d(1, 2, 5, 6), d(2, 2, 2, 3)], build: op('Conv', { auto_pad: 'SAME_LOWER' }) },
  { name: 'Conv VALID stride 3', inputs: [d(1, 2, 8, 7), d(2, 2, 3, 2)], build: op('Conv', { auto_pad: 'VALID', strides: [3, 3] }) },
  { name: 'Conv 1-D', inputs: [d(2, 3, 10), d(2, 3, 3), d(2)], build: op('Conv', { pads: [2, 1], strides: [2], dilations: [2] }) },
  { name: 'Conv 3-D', inputs: [d(1, 2, 4, 5, 3), d(2, 2, 2, 3, 2)], build: op('Conv', { pads: [1, 0, 1, 0, 1, 1], strides: [1, 2, 1] }) },
  // Pools
  { name: 'MaxPool ceil_mode pads strides', inputs: [d(1, 2, 7, 6)], build: op('MaxPool', { kernel_shape: [3, 2], strides: [2, 2], pads: [1, 0, 1, 1], ceil_mode: 1 }) },
  { name: 'MaxPool overlapping windows', inputs: [d(2, 2, 5, 5)], build: op('MaxPool', { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }) },
  { name: 'MaxPool dilation', inputs: [d(1, 2, 8, 7)], build: op('MaxPool', { kernel_shape: [2, 3], dilations: [2, 2], pads: [1, 1, 1, 1] }) },
  { name: 'AveragePool count_include_pad 0 ceil', inputs: [d(1, 2, 7, 6)], build: op('AveragePool', { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], ceil_mode: 1 }) },
  { name: 'AveragePool count_include_pad 1 ceil', inputs: [d(1, 2, 7, 6)], build: op('AveragePool', { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], ceil_mode: 1, count_include_pad: 1 }) },
  { name: 'AveragePool SAME_UPPER', inputs: [d(1, 2, 5, 6)], build: op('AveragePool', { kernel_shape: [2, 3], strides: [2, 2], auto_pad: 'SAME_UPPER' }) },
  { name: 'GlobalAveragePool', inputs: [d(2, 3, 4, 5)], build: op('GlobalAveragePool') },
  { name: 'GlobalMaxPool', inputs: [d(2, 3, 4, 5)], build: op('GlobalMaxPool') },
  // Normalisation
  { name: 'BatchNormalization', inputs: [d(2, 3, 4, 2), d(3), d(3), d(3), pos(3)], build: op('BatchNormalization', { epsilon: float(1e-3) }) },
  { name: 'InstanceNormalization', inputs: [d(2, 3, 4, 2), pos(3), d(3)], build: op('InstanceNormalization', { epsilon: float(1e-3) }) },
  { name: 'LRN', inputs: [d(2, 6, 2, 2)], build: op('LRN', { size: 3, alpha: float(0.3), beta: float(0.75), bias: float(1.5) }) },
  { name: 'LayerNormalization axis -1', opset: 17, inputs: [d(2, 3, 5), d(5), d(5)], build: op('LayerNormalization') },
  { name: 'LayerNormalization axis 1', opset: 17, inputs: [d(2, 3, 4), d(3, 4), d(3, 4)], build: op('LayerNormalization', { axis: 1, epsilon: float(1e-3) }) },
  { name: 'LayerNormalization no bias', opset: 17, inputs: [d(3, 6), d(6)], build: op('LayerNormalization') },
  { name: 'Softmax axis 1', inputs: [d(2, 4, 3)], build: op('Softmax', { axis: 1 }) },
  { name: 'Softmax opset 11 (flattened)', opset: 11, inputs: [d(2, 3, 4)], build: op('Softmax', { axis: 1 }) },
  { name: 'LogSoftmax', inputs: [d(2, 3, 5)], build: op('LogSoftmax') },
  // Reductions
  { name: 'ReduceSum axes input keepdims 0', inputs: [d(2, 3, 4)], build: (b, x) => b.op('ReduceSum', [x[0], b.ints([0, -1])], { keepdims: 0 }) },
  { name: 'ReduceMean attr (opset 17)', opset: 17, inputs: [d(2, 3, 4)], build: op('ReduceMean', { axes: [1] }) },
  { name: 'ReduceMean all (opset 18)', inputs: [d(2, 3, 4)], build: op('ReduceMean') },
  { name: 'ReduceMax axes input', inputs: [d(2, 3, 4)], build: (b, x) => b.op('ReduceMax', [x[0], b.ints([2])], { keepdims: 0 }) },
  { name: 'ReduceSum noop_with_empty_axes', inputs: [d(2, 3)], build: op('ReduceSum', { noop_with_empty_axes: 1 }) },
  // Movement
  { name: 'Flatten', inputs: [d(2, 3, 4)], build: op('Flatten', { axis: 2 }) },
  { name: 'Reshape', inputs: [d(2, 3, 4)], build: (b, x) => b.reshape(x[0], [0, -1, 2]) },
  { name: 'Transpose', inputs: [d(2, 3, 4)], build: (b, x) => b.transpose(x[0], [1, 2, 0]) },
  { name: 'Concat', inputs: [d(2, 3), d(2, 1), d(2, 2)], build: op('Concat', { axis: -1 }) },
  { name: 'Split (one output unused)', inputs: [d(7, 2)], build: (b, x) => {
    const [s0, , s2] = b.node('Split', [x[0]], { num_outputs: 3 }, 3);
    return b.op('Concat', [s2, s0], { axis: 0 });
  } },
  { name: 'Split sizes', inputs: [d(2, 7)], build: (b, x) => {
    const [s0, s1, s2] = b.split(x[0], 1, [2, 4, 1]);
    return b.op('Concat', [b.mul(s1, s1), s0, s2], { axis: 1 });
  } },
  { name: 'Slice negative steps', inputs: [d(5, 6, 4)], build: (b, x) => b.slice(x[0], [-1, 10, 0], [-100, 1, -1], [0, 1, 2], [-2, -3, 1]) },
  { name: 'Squeeze/Unsqueeze', inputs: [d(2, 1, 3)], build: (b, x) => b.unsqueeze(b.squeeze(x[0], [1]), [0, -1]) },
  { name: 'Gather repeated negative indices', inputs: [d(4, 3, 2)], build: (b, x) => b.op('Gather', [x[0], b.constant(i64([-1, 0, 2, -1], [2, 2]))], { axis: 1 }) },
  { name: 'Expand', inputs: [d(3, 1)], build: (b, x) => b.op('Expand', [x[0], b.ints([2, 1, 4])]) },
  { name: 'Tile', inputs: [d(2, 3)], build: (b, x) => b.op('Tile', [x[0], b.ints([2, 3])]) },
  { name: 'Pad constant value, negative pads, axes', inputs: [d(2, 3, 4), d()], build: (b, x) => b.op('Pad', [x[0], b.ints([1, -1, 2, 1]), x[1], b.ints([-1, 1])]) },
  { name: 'Pad reflect', inputs: [d(2, 3, 4)], build: (b, x) => b.op('Pad', [x[0], b.ints([0, 2, 1, 0, 1, 3])], { mode: 'reflect' }) },
  { name: 'Pad edge', inputs: [d(2, 3, 4)], build: (b, x) => b.op('Pad', [x[0], b.ints([1, 0, 2, 0, 3, 1])], { mode: 'edge' }) },
  { name: 'Identity', inputs: [d(2, 3)], build: op('Identity') },
  { name: 'Dropout (mask output requested)', inputs: [d(2, 3)], build: (b, x) => b.node('Dropout', [x[0]], {}, 2)[0] },
  // Composites
  { name: 'small CNN', inputs: [d(2, 2, 8, 8), d(4, 2, 3, 3), d(4), d(4), d(4), d(4), pos(4), d(16, 3), d(3)], build: (b, [x, w, bias, s, bb, m, v, fw, fb]) => {
    const c = b.op('Conv', [x, w, bias], { pads: [1, 1, 1, 1], strides: [2, 2] });
    const bn = b.op('BatchNormalization', [c, s, bb, m, v]);
    const p = b.op('MaxPool', [b.op('Relu', [bn]), ], { kernel_shape: [2, 2], strides: [2, 2] });
    return b.op('LogSoftmax', [b.op('Gemm', [b.op('Flatten', [p]), fw, fb])]);
  } },
  { name: 'transformer block with a shape computation', opset: 20, inputs: [d(2, 3, 4), d(4, 4), d(4, 4), d(4), d(4)], build: (b, [x, wq, wk, g, beta]) => {
    const q = b.matmul(x, wq);
    const k = b.transpose(b.matmul(x, wk), [0, 2, 1]);
    const att = b.op('Softmax', [b.div(b.matmul(q, k), b.scalar(2))]);
    const h = b.add(x, b.matmul(att, x));
    const ln = b.op('LayerNormalization', [h, g, beta]);
    const batch = b.op('Gather', [b.shape(x), b.scalar(0, 'int64')]);
    const shape = b.op('Concat', [b.unsqueeze(batch, [0]), b.ints([-1])], { axis: 0 });
    return b.op('ReduceMean', [b.reshape(b.op('Gelu', [ln]), shape), b.ints([1])]);
  } },
];

function setup(c: Case, seed: number): { model: Model; feeds: Record<string, RefTensor>; wrt: string[] } {
  const r = rng(seed);
  const names = c.inputs.map((_, i) => `x${i}`);
  const model = buildModel({ opset: c.opset ?? 18, inputs: Object.fromEntries(c.inputs.map((inp, i) => [names[i], inp.dims])), build: (b) => c.build(b, names) });
  const feeds = Object.fromEntries(c.inputs.map((inp, i) => [names[i], randomTensor(r, inp.dims, { lo: inp.lo, hi: inp.hi, avoid: inp.avoid, margin: 0.05 })]));
  return { model, feeds, wrt: (c.wrt ?? c.inputs.map((_, i) => i)).map((i) => names[i]) };
}

describe('tape gradients match central differences', () => {
  it.each(CASES)('$name', (c) => {
    for (const seed of [1, 2]) {
      const { model, feeds, wrt } = setup(c, seed * 1000 + c.name.length);
      expectTapeMatchesFiniteDifferences(model, feeds, wrt, { seed });
    }
  });

  it('cover every op the tape has a rule for', () => {
    const used = new Set<string>();
    for (const c of CASES) for (const n of setup(c, 0).model.graph.nodes) used.add(n.op);
    expect(TAPE_OPS.filter((o) => !used.has(o))).toEqual([]);
  });
});

describe('gradient()', () => {
  const m = buildModel({ inputs: { x: [3], y: [3] }, build: (b) => b.mul(b.op('Sin', ['y']), b.op('Exp', ['x'])) });
  const feeds = { x: floatTensor([0, 1, 2]), y: floatTensor([1, 2, 3]) };
  const seed = floatTensor([1, 1, 1]);

  it('differentiates with respect to initializers and intermediate values', () => {
    const w = buildModel({ inputs: { x: [2] }, build: (b) => b.op('Relu', [b.mul('x', b.constant({ dtype: 'float32', dims: [2], data: Float32Array.of(2, -3) }, 'w'))]) });
    const h = w.graph.nodes[0].outputs[0];
    const g = gradient(w, { x: floatTensor([1, 1]) }, { output: w.graph.outputs[0].name, seed: floatTensor([1, 1]), wrt: ['w', 'x', h] });
    expect(values(g.w)).toEqual([1, 0]);
    expect(values(g.x)).toEqual([2, 0]);
    expect(values(g[h])).toEqual([1, 0]);
  });

  it('names the node when an op on the path has no rule, and skips ops off the path', () => {
    expect(() => gradient(m, feeds, { output: m.graph.outputs[0].name, seed, wrt: ['y'] })).toThrow(/no gradient rule for Sin node/);
    const g = gradient(m, feeds, { output: m.graph.outputs[0].name, seed, wrt: ['x'] });
    expect(values(g.x)).toEqual([0, 1, 2].map((v, i) => Math.sin(i + 1) * Math.exp(v)));
  });

  it('gives zeros for a value that does not reach the output, and checks the seed', () => {
    const n = buildModel({ inputs: { x: [2], y: [2] }, build: (b) => b.neg('x') });
    const g = gradient(n, { x: floatTensor([1, 2]), y: floatTensor([3, 4]) }, { output: n.graph.outputs[0].name, seed: floatTensor([1, 1]), wrt: ['y'] });
    expect(values(g.y)).toEqual([0, 0]);
    expect(() => gradient(n, { x: floatTensor([1, 2]) }, { output: n.graph.outputs[0].name, seed: floatTensor([1]), wrt: ['x'] })).toThrow(/seed/);
  });
});
