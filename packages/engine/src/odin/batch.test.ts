// Fixed batch of 1 and dynamic spatial dims: the batch made dynamic where a Reshape carried the 1, a graph compiled
// for batch 1 (and evaluated image by image) where it cannot be, and --input-size; all against the float64 reference.
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../graph/builder.ts';
import { emptyGraph } from '../graph/ir.ts';
import type { Dim, Model } from '../graph/ir.ts';
import { newModel, writeModel } from '../graph/onnx-io.ts';
import { f32 } from '../graph/tensor.ts';
import { evaluate } from '../evaluate/evaluate.ts';
import { scoreDataset } from '../evaluate/score.ts';
import { nodeRuntime } from '../runtime/node.ts';
import { compileOdin } from './compile.ts';
import { UnsupportedModelError } from './model-info.ts';
import { mulberry } from '../../test/gradcheck.ts';
import { memoryDataset } from '../../test/datasets.ts';
import { odinReference } from '../../test/odin-reference.ts';
import { maxAbsDiff, referenceByImage, runCompiled } from '../../test/odin-run.ts';

const rand = mulberry(17);
const values = (n: number, scale = 0.5) => Array.from({ length: n }, () => scale * (rand() * 2 - 1));
const EPS = [0, 0.002, 0.01];
const T = 10;

/** x [shape] → Conv 3→4 → Relu → `tail` → logits [·, 5]. */
function model(shape: Dim[], tail: (b: GraphBuilder, h: string) => string): Model {
  const g = emptyGraph('m');
  const m = newModel(g, 17);
  g.inputs.push({ name: 'x', dtype: 'float32', shape });
  const b = new GraphBuilder(g, 17);
  const c = (dims: number[], scale = 0.5) => b.constant(f32(values(dims.reduce((a, d) => a * d, 1), scale), dims), 'w');
  const h = b.op('Relu', [b.op('Conv', ['x', c([4, 3, 3, 3]), c([4])], { pads: [1, 1, 1, 1] })]);
  const logits = tail(b, h);
  g.outputs = [{ name: logits, dtype: 'float32', shape: [shape[0], 5] }];
  return m;
}

/** Reshape [1, 4·4·4] → MatMul, as an export with a (1, 3, 4, 4) dummy writes it. */
const flattenByReshape = (b: GraphBuilder, h: string) => b.matmul(b.reshape(h, [1, 64]), b.constant(f32(values(64 * 5, 2), [64, 5]), 'w'));

/** A class token [1,1,16] joined to the 4 tokens: the batch of 1 is baked into the token, so it stays fixed. */
const classToken = (b: GraphBuilder, h: string) => {
  const tokens = b.transpose(b.reshape(h, [1, 4, 16]), [0, 1, 2]);
  const joined = b.op('Concat', [b.constant(f32(values(16), [1, 1, 16]), 'cls'), tokens], { axis: 1 });
  return b.matmul(b.reduce('ReduceMean', joined, [1], false), b.constant(f32(values(16 * 5, 2), [16, 5]), 'w'));
};

const images = (n: number, h = 4, w = 4) => Float32Array.from({ length: n * 3 * h * w }, () => rand());
const slice = (x: Float32Array, i: number, per: number) => x.slice(i * per, (i + 1) * per);

/** The reference on the source model, one image at a time (its batch is 1). */
const reference = (source: Model, x: Float32Array, n: number, dims: number[], eps: number[]) =>
  referenceByImage(source, x, [n, ...dims.slice(1)], { mean: [0], std: [1], temperature: T, epsilons: eps }).all;

describe('a model exported with a fixed batch of 1', () => {
  it('gets a dynamic batch where a Reshape target carried the 1, and scores a batch of 3 as the reference does', async () => {
    const source = model([1, 3, 4, 4], flattenByReshape);
    const { model: compiled, report } = compileOdin(source);
    expect(report.batch.mode).toBe('rewritten');
    expect(report.batch.note).toMatch(/made dynamic by letting 1 Reshape target\(s\) copy the batch/);
    expect(compiled.graph.inputs[0].shape).toEqual(['N', 3, 4, 4]);
    const x = images(3);
    const out = await runCompiled(compiled, x, [3, 3, 4, 4], T, EPS);
    const refs = reference(source, x, 3, [1, 3, 4, 4], EPS);
    expect(maxAbsDiff(out.odin, refs.flatMap((r) => [...r.odin]))).toBeLessThanOrEqual(1e-6);
    expect(maxAbsDiff(out.logits, refs.flatMap((r) => [...r.logits]))).toBeLessThanOrEqual(1e-5);
  });

  it('is compiled for batch 1 where the 1 is baked into a constant, and evaluated one image and one ε at a time', async () => {
    const source = model([1, 3, 4, 4], classToken);
    const { model: compiled, report } = compileOdin(source);
    expect(report.batch.mode).toBe('fixed');
    expect(report.batch.note).toMatch(/cannot be made dynamic \(Concat node "Concat_node" joins a fixed batch of 1 to the dynamic batch\); compiled for batch 1, evaluated one image at a time/);
    expect(compiled.graph.inputs.map((v) => v.shape)).toEqual([[1, 3, 4, 4], [1], [1]]);
    const x = images(3);
    const pixels = Array.from({ length: 3 }, (_, i) => {
      // HWC for the dataset; the model input is NCHW.
      const chw = slice(x, i, 48);
      return Float32Array.from({ length: 48 }, (_, k) => chw[(k % 3) * 16 + Math.floor(k / 3)]);
    });
    const session = await nodeRuntime.createSession(writeModel(compiled), { backend: 'cpu', threads: 1 });
    try {
      const scores = await scoreDataset({
        session,
        dataset: memoryDataset('x', pixels, { height: 4, width: 4, channels: 3 }),
        spec: { layout: 'NCHW', channels: 3, height: 4, width: 4 },
        temperature: T,
        epsilon: EPS,
        batchSize: 2,
        oneAtATime: true,
      });
      const refs = reference(source, x, 3, [1, 3, 4, 4], EPS);
      expect(maxAbsDiff(scores.odin.flat(), refs.flatMap((r) => [...r.odin]))).toBeLessThanOrEqual(1e-6);
      expect(maxAbsDiff(scores.msp, refs.map((r) => r.msp[0]))).toBeLessThanOrEqual(1e-6);
      expect(maxAbsDiff(refs[0].odin.slice(2), refs[0].odin.slice(0, 1))).toBeGreaterThan(1e-4);
    } finally {
      await session.release();
    }
  });
});

describe('dynamic height and width', () => {
  const dynamic = () => model(['N', 3, 'H', 'W'], (b, h) => b.op('Gemm', [b.op('Flatten', [b.op('GlobalAveragePool', [h])]), b.constant(f32(values(20, 2), [4, 5]), 'w')]));

  it('asks for --input-size where a gradient needs the sizes', () => {
    expect(() => compileOdin(dynamic())).toThrow(/GlobalAveragePool node .*needs static spatial and channel sizes.*--input-size H,W/);
  });

  it('compiles with inputSize, reports it, and scores as the reference does', async () => {
    const source = dynamic();
    const { model: compiled, report } = compileOdin(source, { inputSize: [5, 7] });
    expect(report.inputSize).toEqual([5, 7]);
    expect(report.input.shape).toBe('[N,3,5,7]');
    expect(compiled.graph.inputs[0].shape).toEqual(['N', 3, 5, 7]);
    const x = images(2, 5, 7);
    const out = await runCompiled(compiled, x, [2, 3, 5, 7], T, EPS);
    const ref = odinReference(source, x, [2, 3, 5, 7], { mean: [0], std: [1], temperature: T, epsilons: EPS });
    expect(maxAbsDiff(out.odin, ref.odin)).toBeLessThanOrEqual(1e-6);
    expect(maxAbsDiff(ref.odin.slice(2, 3), ref.odin.slice(0, 1))).toBeGreaterThan(1e-4);
  });

  it('evaluate() resizes images to the input size: 10×14 images made of 2×2 blocks score as their 5×7 originals', async () => {
    const source = dynamic();
    const n = 3;
    const small = images(n, 5, 7);
    // HWC pixels, each pixel of the 5×7 NCHW original repeated over a 2×2 block.
    const big = Array.from({ length: n }, (_, i) => Float32Array.from({ length: 10 * 14 * 3 }, (_, k) => {
      const [y, x, c] = [Math.floor(k / 42), Math.floor(k / 3) % 14, k % 3];
      return small[i * 105 + c * 35 + Math.floor(y / 2) * 7 + Math.floor(x / 2)];
    }));
    const shape = { height: 10, width: 14, channels: 3 as const };
    const result = await evaluate({
      model: source, inData: memoryDataset('in', big, shape), outData: [memoryDataset('out', big.slice(1), shape)],
      runtime: nodeRuntime, backend: 'cpu', temperature: T, epsilon: EPS[2], inputSize: [5, 7],
    });
    expect(result.compile.inputSize).toEqual([5, 7]);
    const got = Object.values(result.scores.in)[0].odin.map((r) => r[0]);
    const ref = odinReference(source, small, [n, 3, 5, 7], { mean: [0], std: [1], temperature: T, epsilons: [EPS[2]] });
    expect(maxAbsDiff(got, ref.odin)).toBeLessThanOrEqual(1e-6);
  });

  it('refuses an input size that contradicts a fixed one', () => {
    const fixed = model(['N', 3, 4, 4], flattenByReshape);
    expect(() => compileOdin(fixed, { inputSize: [5, 5] })).toThrow(UnsupportedModelError);
    expect(() => compileOdin(fixed, { inputSize: [5, 5] })).toThrow(/input "x" is fixed at \[N,3,4,4\]; an input size of 5×5 does not match it/);
  });
});
