// If nodes with a condition that shape inference decides are replaced by their branch; results do not change.
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from './builder.ts';
import { inlineDecidedIfs } from './inline-if.ts';
import { cloneModel, emptyGraph } from './ir.ts';
import type { Model } from './ir.ts';
import { graphToProto, newModel, writeModel } from './onnx-io.ts';
import { i64 } from './tensor.ts';
import { compileOdin } from '../odin/compile.ts';

/** torch.onnx's `x.squeeze(1)` on a dim it cannot see: If(Equal(Shape(h)[axis], 1), Squeeze(h, 1), Identity(h)), both branches reading `h` from the outer graph. */
function squeezeByIf(axis: number): Model {
  const g = emptyGraph('outer');
  g.inputs.push({ name: 'x', dtype: 'float32', shape: ['N', 1, 3] });
  const b = new GraphBuilder(g, 13);
  const h = b.op('Relu', ['x']);
  const dim = b.op('Gather', [b.shape(h), b.constant(i64([axis]))], { axis: 0 });
  const cond = b.op('Equal', [dim, b.constant(i64([1]))]);
  const branch = (op: 'Squeeze' | 'Identity') => {
    const sub = emptyGraph(op);
    const sb = new GraphBuilder(sub, 13, `${op}/`);
    const out = op === 'Squeeze' ? sb.op('Squeeze', [h, sb.constant(i64([1]))]) : sb.op('Identity', [h]);
    sub.outputs.push({ name: out, dtype: 'float32' });
    return { type: 'graph' as const, value: graphToProto(sub) };
  };
  const [y] = b.node('If', [cond], { then_branch: branch('Squeeze'), else_branch: branch('Identity') }, 1);
  b.node('Neg', [y], {}, ['y']);
  g.outputs.push({ name: 'y', dtype: 'float32' });
  return newModel(g, 13);
}

async function runY(model: Model, x: Float32Array): Promise<{ data: Float32Array; dims: readonly number[] }> {
  const s = await ort.InferenceSession.create(writeModel(model));
  const y = (await s.run({ x: new ort.Tensor('float32', x, [2, 1, 3]) })).y;
  return { data: y.data as Float32Array, dims: y.dims };
}

describe('inlineDecidedIfs', () => {
  const x = Float32Array.from([1, -2, 3, -4, 5, 6]);

  it.each([
    ['then', 1, 'Squeeze', [2, 3]],
    ['else', 2, 'Identity', [2, 1, 3]],
  ])('takes the %s branch where the condition is known, computing what onnxruntime computes with the If', async (_b, axis, op, dims) => {
    const model = squeezeByIf(axis as number);
    const inlined = cloneModel(model);
    expect(inlineDecidedIfs(inlined)).toBe(1);
    expect(inlined.graph.nodes.map((n) => n.op)).not.toContain('If');
    expect(inlined.graph.nodes.map((n) => n.op)).toContain(op);
    const [want, got] = [await runY(model, x), await runY(inlined, x)];
    expect(got.dims).toEqual(dims);
    expect(got).toEqual(want);
  });

  it('leaves an If whose condition depends on data alone', () => {
    const model = squeezeByIf(1);
    const ifNode = model.graph.nodes.find((n) => n.op === 'If')!;
    const b = new GraphBuilder(model.graph, 13, 'data/');
    const dataCond = b.op('Cast', [b.op('ReduceSum', ['x'], { keepdims: 0 })], { to: 9 });
    const added = model.graph.nodes.splice(-2);
    model.graph.nodes.splice(model.graph.nodes.indexOf(ifNode), 0, ...added);
    ifNode.inputs[0] = dataCond;
    expect(inlineDecidedIfs(model)).toBe(0);
  });

  it('an If left on the gradient path stops compileOdin with its name instead of dropping the gradient', () => {
    const g = emptyGraph('outer');
    g.inputs.push({ name: 'x', dtype: 'float32', shape: ['N', 1, 3] });
    const b = new GraphBuilder(g, 13);
    const h = b.op('Relu', ['x']);
    const cond = b.op('Cast', [b.op('ReduceSum', ['x'], { keepdims: 0 })], { to: 9 });
    const branch = (negate: boolean) => {
      const sub = emptyGraph(String(negate));
      const sb = new GraphBuilder(sub, 13, `b${Number(negate)}/`);
      const squeezed = sb.op('Squeeze', [h, sb.constant(i64([1]))]);
      sub.outputs.push({ name: negate ? sb.op('Neg', [squeezed]) : squeezed, dtype: 'float32' });
      return { type: 'graph' as const, value: graphToProto(sub) };
    };
    b.node('If', [cond], { then_branch: branch(true), else_branch: branch(false) }, ['y']);
    g.outputs.push({ name: 'y', dtype: 'float32', shape: ['N', 3] });
    expect(() => compileOdin(newModel(g, 13))).toThrow(/no gradient rule for op If \(node "If_node"\)/);
  });
});
