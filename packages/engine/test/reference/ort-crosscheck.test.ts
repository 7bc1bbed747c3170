// Cross-checks the reference interpreter's forward semantics against onnxruntime-node (CPU, float32).
import type * as OrtModule from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import type { GraphBuilder } from '../../src/graph/builder.ts';
import type { DType } from '../../src/graph/ir.ts';
import { writeModel } from '../../src/graph/onnx-io.ts';
import { f32, i64 } from '../../src/graph/tensor.ts';
import { run } from './interpreter.ts';
import { floatTensor, size } from './tensor.ts';
import type { RefTensor } from './tensor.ts';
import { buildModel, rng } from './testing.ts';

type Ort = typeof OrtModule;
let ort: Ort | undefined;
try {
  ort = await import('onnxruntime-node');
} catch {
  ort = undefined;
}

interface Case {
  name: string;
  opset?: number;
  /** Float inputs x0, x1, ... */
  inputs: number[][];
  build: (b: GraphBuilder, x: string[]) => string | string[];
  outputDtypes?: DType[];
  /** Draw inputs from [lo, hi). */
  range?: [number, number];
}

const op =
  (name: string, attrs: Parameters<GraphBuilder['op']>[2] = {}, extra: (b: GraphBuilder) => string[] = () => []) =>
  (b: GraphBuilder, x: string[]) =>
    b.op(name, [...x, ...extra(b)], attrs);
const float = (value: number) => ({ type: 'float' as const, value });

const CASES: Case[] = [
  // Convolutions
  { name: 'Conv 3x3 pad 1 stride 2', inputs: [[2, 3, 7, 6], [4, 3, 3, 3], [4]], build: op('Conv', { pads: [1, 1, 1, 1], strides: [2, 2] }) },
  { name: 'Conv group 2 dilation 2 asym pads', inputs: [[1, 4, 9, 8], [6, 2, 3, 2], [6]], build: op('Conv', { group: 2, dilations: [2, 1], pads: [0, 1, 2, 0], strides: [1, 2] }) },
  { name: 'Conv depthwise', inputs: [[1, 3, 5, 5], [3, 1, 3, 3]], build: op('Conv', { group: 3, pads: [1, 1, 1, 1] }) },
  { name: 'Conv SAME_UPPER stride 2', inputs: [[1, 2, 6, 7], [3, 2, 4, 3]], build: op('Conv', { auto_pad: 'SAME_UPPER', strides: [2, 2] }) },
  { name: 'Conv SAME_LOWER stride 2', inputs: [[1, 2, 6, 7], [3, 2, 4, 3]], build: op('Conv', { auto_pad: 'SAME_LOWER', strides: [2, 2] }) },
  { name: 'Conv VALID stride 3', inputs: [[1, 2, 8, 7], [2, 2, 3, 2]], build: op('Conv', { auto_pad: 'VALID', strides: [3, 3] }) },
  { name: 'Conv 1-D', inputs: [[2, 3, 10], [2, 3, 3], [2]], build: op('Conv', { pads: [2, 1], strides: [2], dilations: [2] }) },
  { name: 'Conv 3-D', inputs: [[1, 2, 4, 5, 3], [2, 2, 2, 3, 2]], build: op('Conv', { pads: [1, 0, 1, 0, 1, 1], strides: [1, 2, 1] }) },
  { name: 'ConvTranspose stride 2 pads output_padding', inputs: [[1, 3, 4, 5], [3, 2, 3, 3], [2]], build: op('ConvTranspose', { strides: [2, 2], pads: [1, 0, 1, 1], output_padding: [1, 0] }) },
  { name: 'ConvTranspose group 2 dilation 2', inputs: [[2, 4, 3, 4], [4, 3, 2, 3]], build: op('ConvTranspose', { group: 2, dilations: [2, 1], strides: [1, 3] }) },
  { name: 'ConvTranspose 1-D', inputs: [[1, 2, 5], [2, 3, 4]], build: op('ConvTranspose', { strides: [3], pads: [1, 2] }) },
  // Pools
  { name: 'MaxPool ceil_mode pads strides', inputs: [[1, 2, 7, 6]], build: op('MaxPool', { kernel_shape: [3, 2], strides: [2, 2], pads: [1, 0, 1, 1], ceil_mode: 1 }) },
  { name: 'MaxPool ceil_mode drops window in right pad', inputs: [[1, 1, 6, 6]], build: op('MaxPool', { kernel_shape: [2, 2], strides: [2, 2], pads: [1, 1, 1, 1], ceil_mode: 1 }) },
  { name: 'MaxPool dilation', inputs: [[1, 2, 8, 7]], build: op('MaxPool', { kernel_shape: [2, 3], dilations: [2, 2], pads: [1, 1, 1, 1] }) },
  { name: 'MaxPool SAME_UPPER', inputs: [[1, 2, 5, 6]], build: op('MaxPool', { kernel_shape: [3, 3], strides: [2, 2], auto_pad: 'SAME_UPPER' }) },
  { name: 'MaxPool 1-D', inputs: [[2, 2, 9]], build: op('MaxPool', { kernel_shape: [3], strides: [2], pads: [1, 1] }) },
  { name: 'AveragePool count_include_pad 0 ceil', inputs: [[1, 2, 7, 6]], build: op('AveragePool', { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], ceil_mode: 1 }) },
  { name: 'AveragePool count_include_pad 1 ceil', inputs: [[1, 2, 7, 6]], build: op('AveragePool', { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], ceil_mode: 1, count_include_pad: 1 }) },
  { name: 'AveragePool count_include_pad 1 ceil overhang', inputs: [[1, 1, 6, 6]], build: op('AveragePool', { kernel_shape: [3, 3], strides: [2, 2], pads: [0, 0, 0, 0], ceil_mode: 1, count_include_pad: 1 }) },
  { name: 'AveragePool count_include_pad 1 asym pads', inputs: [[1, 2, 5, 5]], build: op('AveragePool', { kernel_shape: [2, 3], pads: [1, 0, 0, 2], count_include_pad: 1 }) },
  { name: 'AveragePool SAME_LOWER', inputs: [[1, 2, 5, 6]], build: op('AveragePool', { kernel_shape: [2, 2], strides: [2, 2], auto_pad: 'SAME_LOWER' }) },
  { name: 'AveragePool dilation', opset: 19, inputs: [[1, 1, 7, 6]], build: op('AveragePool', { kernel_shape: [2, 2], dilations: [2, 2], pads: [1, 1, 1, 1], count_include_pad: 1 }) },
  { name: 'AveragePool dilation cip0 ceil', opset: 19, inputs: [[1, 1, 7, 6]], build: op('AveragePool', { kernel_shape: [2, 2], dilations: [2, 2], strides: [2, 2], pads: [1, 1, 1, 1], ceil_mode: 1 }) },
  { name: 'MaxPool VALID ceil', inputs: [[1, 1, 7, 6]], build: op('MaxPool', { kernel_shape: [2, 2], strides: [2, 2], auto_pad: 'VALID', ceil_mode: 1 }) },
  { name: 'ConvTranspose output_shape', inputs: [[1, 1, 3, 3], [1, 1, 3, 3]], build: op('ConvTranspose', { strides: [2, 2], output_shape: [6, 7] }) },
  { name: 'ConvTranspose SAME_UPPER', inputs: [[1, 1, 3, 3], [1, 1, 3, 3]], build: op('ConvTranspose', { strides: [2, 2], auto_pad: 'SAME_UPPER' }) },
  { name: 'ConvTranspose SAME_LOWER', inputs: [[1, 1, 3, 3], [1, 1, 3, 3]], build: op('ConvTranspose', { strides: [2, 2], auto_pad: 'SAME_LOWER' }) },
  { name: 'ConvTranspose output_shape SAME_UPPER', inputs: [[1, 1, 3, 3], [1, 1, 3, 3]], build: op('ConvTranspose', { strides: [2, 2], output_shape: [6, 7], auto_pad: 'SAME_UPPER' }) },
  { name: 'AveragePool ceil no pads cip1', inputs: [[1, 1, 5, 5]], build: op('AveragePool', { kernel_shape: [2, 2], strides: [2, 2], ceil_mode: 1, count_include_pad: 1 }) },
  { name: 'GlobalAveragePool', inputs: [[2, 3, 4, 5]], build: op('GlobalAveragePool') },
  { name: 'GlobalMaxPool', inputs: [[2, 3, 4, 5]], build: op('GlobalMaxPool') },
  // Normalisation and linear algebra
  { name: 'BatchNormalization', inputs: [[2, 3, 4, 2], [3], [3], [3], [3]], range: [0.1, 2], build: op('BatchNormalization', { epsilon: float(1e-3) }) },
  { name: 'InstanceNormalization', inputs: [[2, 3, 4, 2], [3], [3]], build: op('InstanceNormalization', { epsilon: float(1e-3) }) },
  { name: 'LRN size 5', inputs: [[2, 7, 3, 2]], range: [-3, 3], build: op('LRN', { size: 5, alpha: float(0.2), beta: float(0.75), bias: float(2) }) },
  { name: 'LRN size 3', inputs: [[2, 6, 3, 1]], range: [-3, 3], build: op('LRN', { size: 3, alpha: float(0.5), beta: float(1.2), bias: float(1) }) },
  { name: 'LayerNormalization axis -1', opset: 17, inputs: [[2, 3, 5], [5], [5]], build: op('LayerNormalization', { epsilon: float(1e-5) }) },
  { name: 'LayerNormalization axis 1', opset: 17, inputs: [[2, 3, 4], [3, 4], [3, 4]], build: op('LayerNormalization', { axis: 1 }) },
  { name: 'Softmax axis 1', opset: 13, inputs: [[2, 4, 3]], build: op('Softmax', { axis: 1 }) },
  { name: 'LogSoftmax default axis', inputs: [[2, 3, 5]], build: op('LogSoftmax') },
  { name: 'Softmax opset 11 (flattened)', opset: 11, inputs: [[2, 3, 4]], build: op('Softmax', { axis: 1 }) },
  { name: 'Gemm transA transB alpha beta', inputs: [[4, 3], [5, 4], [5]], build: op('Gemm', { transA: 1, transB: 1, alpha: float(0.5), beta: float(2) }) },
  { name: 'Gemm C [M,1]', inputs: [[3, 4], [4, 2], [3, 1]], build: op('Gemm') },
  { name: 'MatMul batched broadcast', inputs: [[2, 1, 3, 4], [3, 4, 5]], build: op('MatMul') },
  { name: 'MatMul 1-D x 3-D', inputs: [[4], [2, 4, 3]], build: op('MatMul') },
  { name: 'MatMul 2-D x 1-D', inputs: [[3, 4], [4]], build: op('MatMul') },
  // Elementwise
  { name: 'Add broadcast', inputs: [[2, 1, 4], [3, 1]], build: op('Add') },
  { name: 'Div broadcast', inputs: [[2, 3], [3]], range: [0.5, 2], build: op('Div') },
  { name: 'Pow', inputs: [[2, 3], [3]], range: [0.5, 2], build: op('Pow') },
  { name: 'PRelu slope [C,1,1]', inputs: [[2, 3, 2, 2], [3, 1, 1]], build: op('PRelu') },
  { name: 'LeakyRelu', inputs: [[3, 4]], build: op('LeakyRelu', { alpha: float(0.1) }) },
  { name: 'HardSigmoid', inputs: [[3, 4]], range: [-5, 5], build: op('HardSigmoid', { alpha: float(0.3), beta: float(0.4) }) },
  { name: 'HardSwish', inputs: [[4, 5]], range: [-5, 5], build: op('HardSwish') },
  { name: 'Softplus', inputs: [[4, 5]], range: [-10, 10], build: op('Softplus') },
  { name: 'Elu', inputs: [[4, 5]], range: [-4, 4], build: op('Elu', { alpha: float(0.7) }) },
  { name: 'Selu', inputs: [[4, 5]], range: [-4, 4], build: op('Selu') },
  { name: 'Celu', inputs: [[4, 5]], range: [-4, 4], build: op('Celu', { alpha: float(1.5) }) },
  { name: 'ThresholdedRelu', inputs: [[4, 5]], range: [-2, 2], build: op('ThresholdedRelu', { alpha: float(0.5) }) },
  { name: 'Mish', opset: 18, inputs: [[4, 5]], range: [-6, 6], build: op('Mish') },
  { name: 'Softsign', inputs: [[4, 5]], range: [-4, 4], build: op('Softsign') },
  { name: 'Gelu none', opset: 20, inputs: [[4, 5]], range: [-4, 4], build: op('Gelu') },
  { name: 'Gelu tanh', opset: 20, inputs: [[4, 5]], range: [-4, 4], build: op('Gelu', { approximate: 'tanh' }) },
  { name: 'Erf', inputs: [[4, 5]], range: [-3, 3], build: op('Erf') },
  { name: 'Clip min only', inputs: [[3, 4]], build: (b, x) => b.op('Clip', [x[0], b.scalar(-0.5)]) },
  { name: 'Clip min max', inputs: [[3, 4]], build: (b, x) => b.op('Clip', [x[0], b.scalar(-0.5), b.scalar(0.7)]) },
  { name: 'Clip max only', inputs: [[3, 4]], build: (b, x) => b.op('Clip', [x[0], '', b.scalar(0.7)]) },
  ...['Sigmoid', 'Tanh', 'Exp', 'Neg', 'Abs', 'Sin', 'Cos', 'Sign', 'Floor', 'Ceil', 'Relu'].map((o) => ({ name: o, inputs: [[3, 4]], build: op(o) })),
  { name: 'Round halves', inputs: [], build: (b: GraphBuilder) => b.op('Round', [b.constant(f32([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 0.4, -0.6]))]) },
  ...['Log', 'Sqrt', 'Reciprocal'].map((o) => ({ name: o, inputs: [[3, 4]], range: [0.1, 3] as [number, number], build: op(o) })),
  { name: 'Max variadic', inputs: [[2, 3], [3], [2, 1]], build: op('Max') },
  { name: 'Min variadic', inputs: [[2, 3], [3], [2, 1]], build: op('Min') },
  { name: 'Where(Greater)', inputs: [[2, 3], [3], [2, 1]], build: (b, x) => b.op('Where', [b.op('Greater', [x[0], x[1]]), x[0], x[2]]) },
  { name: 'Cast to int32 and back', inputs: [[3, 4]], range: [-5, 5], build: (b, x) => b.cast(b.cast(x[0], 'int32'), 'float32') },
  { name: 'Equal/Not/Or/And/Xor', inputs: [[6]], build: (b, x) => {
    const z = b.scalar(0);
    const gt = b.op('Greater', [x[0], z]);
    const le = b.op('LessOrEqual', [x[0], b.scalar(0.5)]);
    const logic = b.op('Xor', [b.op('Or', [gt, b.op('Not', [le])]), b.op('And', [gt, b.op('Equal', [gt, le])])]);
    return b.cast(logic, 'float32');
  } },
  // Movement
  { name: 'Slice negative steps', inputs: [[5, 6, 4]], build: (b, x) => b.slice(x[0], [-1, 10, 0], [-100, 1, -1], [0, 1, 2], [-2, -3, 1]) },
  { name: 'Slice clamped ends', inputs: [[5, 6]], build: (b, x) => b.slice(x[0], [1, -20], [100, 4], [0, 1]) },
  { name: 'Pad reflect', inputs: [[2, 3, 4]], build: (b, x) => b.op('Pad', [x[0], b.ints([0, 2, 1, 0, 1, 3])], { mode: 'reflect' }) },
  { name: 'Pad edge', inputs: [[2, 3, 4]], build: (b, x) => b.op('Pad', [x[0], b.ints([1, 0, 2, 0, 3, 1])], { mode: 'edge' }) },
  { name: 'Pad constant with axes and negative pads', inputs: [[2, 3, 4]], build: (b, x) => b.op('Pad', [x[0], b.ints([1, -1, 2, 1]), b.scalar(0.25), b.ints([-1, 1])]) },
  { name: 'Gather negative indices', inputs: [[4, 3, 2]], build: (b, x) => b.op('Gather', [x[0], b.constant(i64([-1, 0, 2, -3], [2, 2]))], { axis: 1 }) },
  { name: 'GatherElements', inputs: [[3, 4]], build: (b, x) => b.op('GatherElements', [x[0], b.constant(i64([0, -1, 2, 1, 1, 0], [3, 2]))], { axis: 1 }) },
  { name: 'Expand', inputs: [[3, 1]], build: (b, x) => b.op('Expand', [x[0], b.ints([2, 1, 4])]) },
  { name: 'Tile', inputs: [[2, 3]], build: (b, x) => b.op('Tile', [x[0], b.ints([2, 3])]) },
  { name: 'Transpose', inputs: [[2, 3, 4]], build: (b, x) => b.transpose(x[0], [1, 2, 0]) },
  { name: 'DepthToSpace DCR', inputs: [[1, 8, 2, 3]], build: op('DepthToSpace', { blocksize: 2 }) },
  { name: 'DepthToSpace CRD', inputs: [[1, 8, 2, 3]], build: op('DepthToSpace', { blocksize: 2, mode: 'CRD' }) },
  { name: 'SpaceToDepth', inputs: [[1, 2, 4, 6]], build: op('SpaceToDepth', { blocksize: 2 }) },
  { name: 'Split num_outputs uneven', opset: 18, inputs: [[7, 2]], build: (b, x) => b.node('Split', [x[0]], { num_outputs: 3 }, 3) },
  { name: 'Split sizes', opset: 13, inputs: [[2, 7]], build: (b, x) => b.split(x[0], 1, [2, 4, 1]) },
  { name: 'Concat', inputs: [[2, 3], [2, 1], [2, 2]], build: op('Concat', { axis: -1 }) },
  { name: 'Reshape 0 and -1', inputs: [[2, 3, 4]], build: (b, x) => b.reshape(x[0], [0, -1, 2]) },
  { name: 'Flatten axis 2', inputs: [[2, 3, 4, 5]], build: op('Flatten', { axis: 2 }) },
  { name: 'Squeeze/Unsqueeze', inputs: [[2, 1, 3]], build: (b, x) => b.unsqueeze(b.squeeze(x[0], [1]), [0, -1]) },
  // Reductions
  { name: 'ReduceSum axes input keepdims 0', opset: 13, inputs: [[2, 3, 4]], build: (b, x) => b.op('ReduceSum', [x[0], b.ints([0, -1])], { keepdims: 0 }) },
  { name: 'ReduceMean attr (opset 17)', opset: 17, inputs: [[2, 3, 4]], build: op('ReduceMean', { axes: [1] }) },
  { name: 'ReduceMax axes input (opset 18)', opset: 18, inputs: [[2, 3, 4]], build: (b, x) => b.op('ReduceMax', [x[0], b.ints([2])], { keepdims: 0 }) },
  { name: 'ReduceMin all', opset: 18, inputs: [[2, 3, 4]], build: op('ReduceMin') },
  { name: 'ReduceL2', opset: 18, inputs: [[2, 3, 4]], build: (b, x) => b.op('ReduceL2', [x[0], b.ints([1, 2])]) },
  { name: 'ReduceSum noop_with_empty_axes', opset: 13, inputs: [[2, 3]], build: op('ReduceSum', { noop_with_empty_axes: 1 }) },
  { name: 'ArgMax keepdims', inputs: [[3, 4]], outputDtypes: ['int64'], build: op('ArgMax', { axis: 1 }) },
  { name: 'ArgMin no keepdims', inputs: [[3, 4]], outputDtypes: ['int64'], build: op('ArgMin', { axis: 0, keepdims: 0 }) },
  { name: 'CumSum exclusive reverse', inputs: [[3, 4]], build: (b, x) => b.op('CumSum', [x[0], b.scalar(1, 'int64')], { exclusive: 1, reverse: 1 }) },
  // Generators
  { name: 'Shape start end', opset: 15, inputs: [[2, 3, 4, 5]], outputDtypes: ['int64'], build: op('Shape', { start: 1, end: -1 }) },
  { name: 'Size', inputs: [[2, 3, 4]], outputDtypes: ['int64'], build: op('Size') },
  { name: 'Range float', inputs: [], build: (b) => b.op('Range', [b.scalar(1), b.scalar(-2), b.scalar(-0.7)]) },
  { name: 'ConstantOfShape', inputs: [], build: (b) => b.op('ConstantOfShape', [b.ints([2, 3])], { value: { type: 'tensor', value: f32([1.5], [1]) } }) },
];

const sameSeries = (got: number[], want: number[]) => {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < got.length; i++) expect(Math.abs(got[i] - want[i]), `element ${i}: ${got[i]} vs ${want[i]}`).toBeLessThanOrEqual(2e-5 + 2e-5 * Math.abs(want[i]));
};

describe.skipIf(!ort)('reference interpreter agrees with onnxruntime-node (CPU)', () => {
  it.each(CASES)('$name', async (c) => {
    const r = rng(c.name.length * 7919 + 17);
    const [lo, hi] = c.range ?? [-2, 2];
    const inputs = Object.fromEntries(c.inputs.map((d, i) => [`x${i}`, d]));
    const model = buildModel({ opset: c.opset ?? 18, inputs, outputDtypes: c.outputDtypes, build: (b) => c.build(b, c.inputs.map((_, i) => `x${i}`)) });
    const feeds: Record<string, RefTensor> = {};
    const ortFeeds: Record<string, InstanceType<Ort['Tensor']>> = {};
    c.inputs.forEach((d, i) => {
      const v = Float32Array.from({ length: size(d) }, () => lo + (hi - lo) * r());
      feeds[`x${i}`] = floatTensor(v, d);
      ortFeeds[`x${i}`] = new ort!.Tensor('float32', v, d);
    });
    const session = await ort!.InferenceSession.create(writeModel(model));
    const got = await session.run(ortFeeds);
    const want = run(model, feeds);
    for (const o of model.graph.outputs) {
      expect(want[o.name].dims, `dims of ${o.name}`).toEqual((got[o.name].dims as readonly number[]).map(Number));
      sameSeries(Array.from(want[o.name].data as ArrayLike<number | bigint>, Number), Array.from(got[o.name].data as ArrayLike<number | bigint>, Number));
    }
  });
});
