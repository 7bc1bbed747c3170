// compileOdin's model handling: contract names the model already uses, extra inputs, layouts and normalisation errors.
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../graph/builder.ts';
import { emptyGraph } from '../graph/ir.ts';
import type { Dim } from '../graph/ir.ts';
import { newModel, writeModel } from '../graph/onnx-io.ts';
import { f32 } from '../graph/tensor.ts';
import { NETS } from '../../test/nets.ts';
import { compileOdin } from './compile.ts';

/** A linear classifier whose input and an internal value use the contract's own names. */
function linear(inputName: string, shape: Dim[], extraInput = false) {
  const g = emptyGraph();
  const b = new GraphBuilder(g, 17);
  g.inputs.push({ name: inputName, dtype: 'float32', shape });
  const d = shape.slice(1).reduce<number>((a, c) => a * (c as number), 1);
  const flat = b.op('Flatten', [inputName], { axis: 1 });
  b.node('Mul', [flat, b.scalar(1)], {}, ['odin']);
  let logits = b.matmul('odin', b.constant(f32(Array.from({ length: d * 3 }, (_, i) => Math.sin(i)), [d, 3])));
  if (extraInput) {
    g.inputs.push({ name: 'bias', dtype: 'float32', shape: [3] });
    logits = b.add(logits, 'bias');
  }
  b.node('Identity', [logits], {}, ['logits']);
  g.outputs.push({ name: 'logits', dtype: 'float32', shape: ['N', 3] });
  return newModel(g, 17);
}

async function runCompiled(model: ReturnType<typeof linear>, image: Float32Array, dims: number[]) {
  const session = await ort.InferenceSession.create(writeModel(model));
  return session.run({
    image: new ort.Tensor('float32', image, dims),
    temperature: new ort.Tensor('float32', Float32Array.of(1), [1]),
    epsilon: new ort.Tensor('float32', Float32Array.of(0), [1]),
  });
}

describe('compileOdin model handling', () => {
  it('works when the model itself uses the names image, odin and logits', async () => {
    const { model, report } = compileOdin(linear('image', ['N', 2, 2]));
    expect(report.input.name).toBe('image');
    const x = Float32Array.from([0.1, 0.2, 0.3, 0.4]);
    const out = await runCompiled(model, x, [1, 2, 2]);
    const expected = [0, 1, 2].map((k) => [0, 1, 2, 3].reduce((a, i) => a + x[i] * Math.sin(i * 3 + k), 0));
    Array.from(out.logits.data as Float32Array).forEach((v, k) => expect(v).toBeCloseTo(expected[k], 5));
    // At ε = 0 and T = 1, ODIN is the max softmax.
    expect((out.odin.data as Float32Array)[0]).toBeCloseTo((out.msp.data as Float32Array)[0], 6);
  });

  it('applies a per-channel normalisation on NHWC inputs', async () => {
    const mean = [0.1, 0.2, 0.3];
    const std = [0.5, 0.25, 2];
    const { model, report } = compileOdin(linear('x', ['N', 2, 2, 3]), { mean, std });
    expect(report.input.layout).toBe('NHWC');
    const x = Float32Array.from({ length: 12 }, (_, i) => i / 12);
    const out = await runCompiled(model, x, [1, 2, 2, 3]);
    const xn = Array.from(x, (v, i) => (v - mean[i % 3]) / std[i % 3]);
    const expected = [0, 1, 2].map((k) => xn.reduce((a, v, i) => a + v * Math.sin(i * 3 + k), 0));
    Array.from(out.logits.data as Float32Array).forEach((v, k) => expect(v).toBeCloseTo(expected[k], 5));
  });

  it('rejects logits that depend on another model input', () => {
    expect(() => compileOdin(linear('x', ['N', 4], true), { input: 'x' })).toThrow(/other than the image \(bias\)/);
  });

  it('rejects a bad normalisation', () => {
    expect(() => compileOdin(linear('x', ['N', 4]), { mean: [0.5], std: [0] })).toThrow(/std must be positive/);
    expect(() => compileOdin(linear('x', ['N', 4]), { mean: [0.1, 0.2, 0.3], std: [1, 1, 1] })).toThrow(/no channel axis/);
  });
});

/** x [N,6] → MatMul → [N,3] logits → `head` (Softmax or LogSoftmax over the classes, then pass-through ops) → output. */
function probabilities(head: (b: GraphBuilder, logits: string) => string) {
  const g = emptyGraph();
  const b = new GraphBuilder(g, 17);
  g.inputs.push({ name: 'x', dtype: 'float32', shape: ['N', 6] });
  const logits = b.matmul('x', b.constant(f32(Array.from({ length: 18 }, (_, i) => Math.cos(i)), [6, 3])));
  g.outputs.push({ name: head(b, logits), dtype: 'float32', shape: ['N', 3] });
  return newModel(g, 17);
}

describe('probabilities as outputs', () => {
  const x = Float32Array.from({ length: 12 }, (_, i) => i / 12 - 0.3);
  const wanted = Array.from({ length: 6 }, (_, j) => [0, 1, 2, 3, 4, 5].reduce((a, i) => a + x[Math.floor(j / 3) * 6 + i] * Math.cos(i * 3 + (j % 3)), 0));

  it.each([
    ['Softmax → Flatten → Cast', (b: GraphBuilder, l: string) => b.op('Cast', [b.op('Flatten', [b.op('Softmax', [l], { axis: 1 })], { axis: 1 })], { to: 1 }), 'Softmax', ['Flatten', 'Cast']],
    ['LogSoftmax → Reshape [N,K]', (b: GraphBuilder, l: string) => b.reshape(b.op('LogSoftmax', [l], { axis: -1 }), [-1, 3]), 'LogSoftmax', ['Reshape']],
    ['Unsqueeze → Softmax → Squeeze', (b: GraphBuilder, l: string) => b.op('Squeeze', [b.op('Softmax', [b.unsqueeze(l, [2])], { axis: 1 }), b.ints([2])]), 'Softmax', ['Squeeze']],
  ])('compiles %s from the head’s input as the logits', async (_what, head, skipped, through) => {
    const { model, report } = compileOdin(probabilities(head));
    expect(report.logits).toMatchObject({ numClasses: 3, skippedHead: skipped, lookedThrough: through });
    const out = await runCompiled(model, x, [2, 6]);
    Array.from(out.logits.data as Float32Array).forEach((v, k) => expect(v).toBeCloseTo(wanted[k], 5));
  });

  it('does not look through a Softmax over another axis', () => {
    const { report } = compileOdin(probabilities((b, l) => b.op('Squeeze', [b.op('Softmax', [b.unsqueeze(l, [2])], { axis: 2 }), b.ints([2])])));
    expect(report.logits.skippedHead).toBeUndefined();
  });
});

describe('compile report', () => {
  it('lists only the model’s own ops that WebGPU lacks: the emitted gradient stays on the GPU', () => {
    const fallbacks = Object.fromEntries(NETS.map((n) => [n.name, compileOdin(n.build({ size: 16 })).report.webgpuFallbacks]));
    // HardSwish is the depthwise net's own activation; its gradient is built from GPU ops.
    expect(fallbacks).toEqual({ densenet: [], resnet: [], mobilenet: ['HardSwish'], vit: [] });
  });
});
