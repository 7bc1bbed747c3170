// Shape inference: symbolic batch dims, conv/pool arithmetic, and shape-value propagation through PyTorch-style
// Shape → Gather → Concat → Reshape chains.
import { describe, expect, it } from 'vitest';
import { floats } from './attrs.ts';
import { GraphBuilder } from './builder.ts';
import { emptyGraph } from './ir.ts';
import type { Dim } from './ir.ts';
import { newModel } from './onnx-io.ts';
import { inferShapes } from './shapes.ts';

function build(inputShape: Dim[], emit: (b: GraphBuilder) => string, opset = 17) {
  const g = emptyGraph();
  const b = new GraphBuilder(g, opset);
  g.inputs.push({ name: 'x', dtype: 'float32', shape: inputShape });
  const out = emit(b);
  return inferShapes(newModel(g, opset)).get(out)!;
}

describe('inferShapes', () => {
  it.each([
    ['Conv 3×3 pad 1 stride 2', { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [2, 2] }, ['N', 8, 16, 16]],
    ['Conv dilation 2, no pad', { kernel_shape: [3, 3], dilations: [2, 2] }, ['N', 8, 28, 28]],
    ['Conv SAME_UPPER stride 2', { kernel_shape: [3, 3], auto_pad: 'SAME_UPPER', strides: [2, 2] }, ['N', 8, 16, 16]],
  ] as const)('%s', (_name, attrs, expected) => {
    const t = build(['N', 3, 32, 32], (b) => b.op('Conv', ['x', b.constant({ dtype: 'float32', dims: [8, 3, 3, 3], data: new Float32Array(216) })], { ...attrs } as never));
    expect(t.shape).toEqual(expected);
  });

  it('MaxPool with ceil_mode drops a window that would start in the padding', () => {
    // in 5, k 2, s 2, no pad: floor → 2, ceil → 3
    expect(build(['N', 1, 5, 5], (b) => b.op('MaxPool', ['x'], { kernel_shape: [2, 2], strides: [2, 2], ceil_mode: 1 })).shape).toEqual(['N', 1, 3, 3]);
    expect(build(['N', 1, 5, 5], (b) => b.op('MaxPool', ['x'], { kernel_shape: [2, 2], strides: [2, 2] })).shape).toEqual(['N', 1, 2, 2]);
  });

  it("follows torch.onnx's expand(N, -1, -1): Where(Equal(s, -1), 1, s) keeps the batch symbol (ViT's class token)", () => {
    const t = build(['N', 16, 32], (b) => {
      const batch = b.op('Gather', [b.shape('x'), b.ints([0])], { axis: 0 });
      const s = b.op('Concat', [batch, b.ints([-1]), b.ints([-1])], { axis: 0 });
      const ones = b.op('ConstantOfShape', [b.shape(s)], { value: { type: 'tensor', value: { dtype: 'int64', dims: [1], data: BigInt64Array.of(1n) } } });
      const target = b.where(b.op('Equal', [s, b.mul(ones, b.ints([-1]))]), ones, s);
      const token = b.constant({ dtype: 'float32', dims: [1, 1, 32], data: new Float32Array(32) });
      return b.op('Concat', [b.expand(token, target), 'x'], { axis: 1 });
    });
    expect(t.shape).toEqual(['N', 17, 32]);
  });

  it('decides comparisons of shape values where it can: a size is never negative, and equals itself', () => {
    const cmp = (op: string, a: (b: GraphBuilder) => string, c: number[]) => build(['N', 3], (b) => b.op(op, [a(b), b.ints(c)])).value;
    const shape = (b: GraphBuilder) => b.shape('x');
    expect(cmp('Equal', shape, [-1, 3])).toEqual([0, 1]);
    expect(cmp('Equal', shape, [2, 3])).toBeUndefined();
    expect(cmp('Less', shape, [-1, 4])).toBeUndefined();
    expect(cmp('Greater', (b) => b.ints([1, 5]), [2, 2])).toEqual([0, 1]);
  });

  it('propagates shape values: Reshape(x, Concat(Shape(x)[0], -1)) keeps the symbolic batch', () => {
    const t = build(['N', 4, 5, 6], (b) => {
      const batch = b.op('Gather', [b.shape('x'), b.ints([0])], { axis: 0 });
      return b.reshape('x', b.op('Concat', [batch, b.ints([-1])], { axis: 0 }));
    });
    expect(t.shape).toEqual(['N', 120]);
  });

  it('solves -1 against a symbolic batch', () => {
    expect(build(['N', 4, 5, 6], (b) => b.reshape('x', [-1, 30])).shape).toEqual(['N*4', 30]);
    expect(build(['N', 4, 5, 6], (b) => b.reshape('x', [0, -1])).shape).toEqual(['N', 120]);
    expect(build(['N', 64], (b) => b.op('Flatten', ['x'], { axis: 1 })).shape).toEqual(['N', 64]);
  });

  it('broadcasts, reduces and transposes with symbols', () => {
    expect(build(['N', 3, 1], (b) => b.add('x', b.constant({ dtype: 'float32', dims: [1, 5], data: new Float32Array(5) }))).shape).toEqual(['N', 3, 5]);
    expect(build(['N', 3, 5], (b) => b.reduce('ReduceMean', 'x', [1], false)).shape).toEqual(['N', 5]);
    expect(build(['N', 3, 5], (b) => b.reduce('ReduceMean', 'x', [-1], true), 18).shape).toEqual(['N', 3, 1]);
    expect(build(['N', 3, 5], (b) => b.transpose('x', [2, 0, 1])).shape).toEqual([5, 'N', 3]);
    expect(build(['N', 3, 5], (b) => b.matmul('x', b.constant({ dtype: 'float32', dims: [5, 7], data: new Float32Array(35) }))).shape).toEqual(['N', 3, 7]);
  });

  it('gives Constant nodes their shapes, value_floats included', () => {
    expect(build(['N'], (b) => b.node('Constant', [], { value_floats: floats([1, 2, 3]) })[0]).shape).toEqual([3]);
    expect(build(['N'], (b) => b.node('Constant', [], { value_ints: [4, 5] })[0])).toEqual({ dtype: 'int64', shape: [2], value: [4, 5] });
  });

  it('slices and gathers with static and clamped bounds', () => {
    expect(build(['N', 10], (b) => b.slice('x', [2], [100], [1], [3])).shape).toEqual(['N', 3]);
    expect(build(['N', 10], (b) => b.slice('x', [-1], [-11], [1], [-2])).shape).toEqual(['N', 5]);
    expect(build(['N', 10, 4], (b) => b.op('Gather', ['x', b.ints([0, 2])], { axis: 1 })).shape).toEqual(['N', 2, 4]);
  });
});
