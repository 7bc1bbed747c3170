// Opset 7–12 → 13 upgrade: the upgraded graph computes what onnxruntime computes on the original old-opset model,
// ODIN compiles it and matches the float64 reference, and what cannot be upgraded is refused by op and node.
import { describe, expect, it } from 'vitest';
import { float, floats } from './attrs.ts';
import { GraphBuilder } from './builder.ts';
import { cloneModel, emptyGraph } from './ir.ts';
import type { Model } from './ir.ts';
import { newModel, writeModel } from './onnx-io.ts';
import { f32 } from './tensor.ts';
import { OpsetUpgradeError, upgradeToOpset13 } from './upgrade.ts';
import { compileOdin } from '../odin/compile.ts';
import { nodeRuntime } from '../runtime/node.ts';
import { mulberry } from '../../test/gradcheck.ts';
import { odinReference } from '../../test/odin-reference.ts';
import { run } from '../../test/reference/interpreter.ts';
import { floatData, floatTensor } from '../../test/reference/tensor.ts';

const DIMS = [2, 3, 6, 6];
const rand = mulberry(5);
const values = (n: number, scale = 1) => Array.from({ length: n }, () => scale * (rand() * 2 - 1));
const image = Float32Array.from(values(DIMS.reduce((a, b) => a * b), 1), (v) => 0.5 + 0.5 * v);

/**
 * A classifier written as an opset-`opset` exporter writes it, with attributes where opset 13 has inputs:
 * Clip min/max, Pad pads, Slice starts/ends/axes, Unsqueeze/Squeeze/ReduceSum axes, Split split, BatchNormalization
 * spatial (before 9), Dropout with a ratio and an unused mask, a 4-D Softmax over axis 1 (coerced to 2-D: over
 * C·H·W), and a final 2-D Softmax. `upsample` adds an Upsample (opset 7–8 scales attribute, 9 input) or, from
 * opset 10, a Resize.
 */
function oldModel(opset: number, upsample = false): Model {
  const g = emptyGraph('old');
  const model = newModel(g, opset);
  g.inputs.push({ name: 'x', dtype: 'float32', shape: ['N', 3, 6, 6] });
  const b = new GraphBuilder(g, opset);
  const c = (dims: number[], scale = 0.5) => b.constant(f32(values(dims.reduce((a, d) => a * d, 1), scale), dims), 'w');
  let h = b.op('Conv', ['x', c([4, 3, 3, 3]), c([4])], { pads: [1, 1, 1, 1] });
  h = b.node('BatchNormalization', [h, b.constant(f32([1.2, 0.8, 1, 0.9]), 's'), c([4]), c([4], 0.1), b.constant(f32([0.5, 1, 1.5, 2]), 'v')], opset < 9 ? { spatial: 1, epsilon: float(1e-5) } : { epsilon: float(1e-5) })[0];
  // Each op in the form its opset has: attributes before the version that made them inputs.
  h = opset < 11 ? b.op('Clip', [h], { min: float(-0.5), max: float(0.8) }) : b.op('Clip', [h, b.scalar(-0.5), b.scalar(0.8)]);
  const [dropped] = b.node('Dropout', [h], opset < 12 ? { ratio: float(0.3) } : {}, 2);
  const pads = [0, 0, 1, 1, 0, 0, 0, 0];
  h = opset < 11 ? b.op('Pad', [dropped], { pads, mode: 'constant', value: float(0.25) }) : b.op('Pad', [dropped, b.ints(pads), b.scalar(0.25)], { mode: 'constant' });
  const scales = () => b.constant(f32([1, 1, 2, 2]), 'scales');
  if (upsample && opset < 9) h = b.op('Upsample', [h], { mode: 'nearest', scales: floats([1, 1, 2, 2]) });
  else if (upsample && opset === 9) h = b.op('Upsample', [h, scales()], { mode: 'nearest' });
  else if (upsample && opset === 10) h = b.op('Resize', [h, scales()], { mode: 'nearest' });
  else if (upsample) h = b.op('Resize', [h, b.constant(f32([]), 'roi'), scales()], { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' });
  h = opset < 10 ? b.op('Slice', [h], { starts: [0, 1], ends: [7, 6], axes: [2, 3] }) : b.op('Slice', [h, b.ints([0, 1]), b.ints([7, 6]), b.ints([2, 3])]);
  h = b.op('Softmax', [h], { axis: 1 });
  const [s1, s2] = b.node('Split', [h], { axis: 1, split: [1, 3] }, 2);
  h = b.op('Add', [b.op('ReduceSum', [s2], { axes: [1], keepdims: 1 }), s1]);
  h = b.op('Unsqueeze', [b.op('Squeeze', [h], { axes: [1] })], { axes: [1] });
  const logits = b.op('Gemm', [b.op('Flatten', [h], { axis: 1 }), c([35, 5], 4), c([5])]);
  const probs = b.op('Softmax', [logits], { axis: 1 });
  g.outputs = [{ name: probs, dtype: 'float32', shape: ['N', 5] }];
  model.metadata.set('test:logits', logits);
  return model;
}

async function ortOutput(model: Model, x: Float32Array, dims: number[]): Promise<Float32Array> {
  const session = await nodeRuntime.createSession(writeModel(model), { backend: 'cpu', threads: 1 });
  try {
    const out = await session.run({ x: { data: x, dims } });
    return out[model.graph.outputs[0].name].data as Float32Array;
  } finally {
    await session.release();
  }
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));

describe.each([7, 8, 9, 10, 11, 12])('a model written at opset %i', (opset) => {
  it('upgrades to opset 13 and computes what onnxruntime computes on the original', async () => {
    for (const upsample of [false, true]) {
      const original = oldModel(opset, upsample);
      const upgraded = cloneModel(original);
      expect(upgradeToOpset13(upgraded)).toBe(opset);
      expect(upgraded.opset).toBe(13);
      expect(upgraded.opsetImports).toEqual([{ domain: '', version: 13 }]);
      const ops = new Set(upgraded.graph.nodes.map((n) => n.op));
      expect(ops.has('Dropout') || ops.has('Upsample')).toBe(false);
      for (const n of upgraded.graph.nodes) expect(Object.keys(n.attrs), `${n.op} attributes`).not.toContain(n.op === 'Clip' ? 'min' : n.op === 'Pad' ? 'pads' : 'axes');
      const want = await ortOutput(original, image, DIMS);
      expect(maxAbsDiff(await ortOutput(upgraded, image, DIMS), want)).toBeLessThanOrEqual(1e-6);
      if (!upsample) {
        const ref = floatData(run(upgraded, { x: floatTensor(image, DIMS) })[upgraded.graph.outputs[0].name]);
        expect(maxAbsDiff(ref, want)).toBeLessThanOrEqual(1e-6);
      }
    }
  });

  it('compiles ODIN through the upgrade, looking through the final Softmax, as the float64 reference computes it', async () => {
    const original = oldModel(opset);
    const { model, report } = compileOdin(original);
    expect(report).toMatchObject({ opset: 13, upgradedFrom: opset, logits: { skippedHead: 'Softmax' } });
    const upgraded = cloneModel(original);
    upgradeToOpset13(upgraded);
    const session = await nodeRuntime.createSession(writeModel(model), { backend: 'cpu', threads: 1 });
    const eps = [0, 0.002, 0.01];
    try {
      const out = await session.run({ image: { data: image, dims: DIMS }, temperature: { data: Float32Array.of(10), dims: [1] }, epsilon: { data: Float32Array.from(eps), dims: [3] } });
      const ref = odinReference(upgraded, image, DIMS, { mean: [0], std: [1], temperature: 10, epsilons: eps, logits: original.metadata.get('test:logits') });
      expect(maxAbsDiff(out.logits.data as Float32Array, ref.logits)).toBeLessThanOrEqual(1e-5);
      expect(maxAbsDiff(out.odin.data as Float32Array, ref.odin)).toBeLessThanOrEqual(1e-6);
      expect(maxAbsDiff(ref.odin.filter((_, i) => i % 3 === 2), ref.odin.filter((_, i) => i % 3 === 0))).toBeGreaterThan(1e-4);
    } finally {
      await session.release();
    }
  });
});

describe('what the upgrade refuses, naming the op and node', () => {
  const tiny = (opset: number, build: (b: GraphBuilder) => string) => {
    const g = emptyGraph('tiny');
    const model = newModel(g, opset);
    g.inputs.push({ name: 'x', dtype: 'float32', shape: ['N', 3, 4, 4] });
    const out = build(new GraphBuilder(g, opset));
    g.outputs = [{ name: out, dtype: 'float32' }];
    return model;
  };
  const stats = (b: GraphBuilder, dims: number[]) => b.constant(f32(Array(dims.reduce((a, d) => a * d, 1)).fill(1), dims), 's');

  it.each([
    ['per-activation BatchNormalization (spatial=0)', 7, (b: GraphBuilder) => b.op('BatchNormalization', ['x', ...[0, 1, 2, 3].map(() => stats(b, [3, 4, 4]))], { spatial: 0 }), /cannot upgrade BatchNormalization node "BatchNormalization_node" from opset 7 to 13: spatial=0/],
    ['a Dropout mask that is read', 10, (b: GraphBuilder) => b.op('Cast', [b.node('Dropout', ['x'], {}, 2)[1]], { to: 1 }), /cannot upgrade Dropout node "Dropout_node" from opset 10 to 13: its mask output is used/],
    ['a cubic Upsample', 9, (b: GraphBuilder) => b.op('Upsample', ['x', b.constant(f32([1, 1, 2, 2]), 'sc')], { mode: 'cubic' }), /cannot upgrade Upsample node "Upsample_node" from opset 9 to 13: mode "cubic"/],
    ['an op whose change it does not know', 9, (b: GraphBuilder) => b.op('Scatter', ['x', 'x', 'x']), /cannot upgrade Scatter node "Scatter_node" from opset 9 to 13/],
  ])('%s', (_what, opset, build, message) => {
    const model = tiny(opset, build);
    expect(() => upgradeToOpset13(model)).toThrow(OpsetUpgradeError);
    expect(() => upgradeToOpset13(model)).toThrow(message);
  });

  it('below opset 7', () => {
    expect(() => upgradeToOpset13(tiny(6, (b) => b.op('Relu', ['x'])))).toThrow(/opset 6; opsets 7–12 are upgraded on import/);
  });

  it('leaves opset 13 and later alone', () => {
    const model = tiny(13, (b) => b.op('Relu', ['x']));
    expect(upgradeToOpset13(model)).toBeUndefined();
    expect(model.opset).toBe(13);
  });
});
