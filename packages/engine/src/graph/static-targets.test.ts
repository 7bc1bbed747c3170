// Static Reshape/Expand targets: shape chains known up to one dim become constants, results unchanged on onnxruntime.
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from './builder.ts';
import { cloneModel, emptyGraph } from './ir.ts';
import type { Dim, Model } from './ir.ts';
import { newModel, writeModel } from './onnx-io.ts';
import { pruneDead } from './prune.ts';
import { staticTargets } from './static-targets.ts';
import { i64 } from './tensor.ts';

/** y = op(x, target) where target is computed from Shape(x) by `shape`. */
function model(op: 'Reshape' | 'Expand', xShape: Dim[], shape: (b: GraphBuilder, dims: (i: number) => string) => string, allowzero?: number): Model {
  const g = emptyGraph();
  const b = new GraphBuilder(g, 17);
  g.inputs.push({ name: 'x', dtype: 'float32', shape: xShape });
  const dims = (i: number) => b.op('Gather', [b.shape('x'), b.constant(i64([i]))], { axis: 0 });
  b.node(op, ['x', shape(b, dims)], allowzero === undefined ? {} : { allowzero }, ['y']);
  g.outputs.push({ name: 'y', dtype: 'float32' });
  return newModel(g, 17);
}

const concat = (b: GraphBuilder, parts: string[]) => b.op('Concat', parts, { axis: 0 });

async function run(m: Model, dims: number[]) {
  const s = await ort.InferenceSession.create(writeModel(m));
  const x = Float32Array.from({ length: dims.reduce((a, c) => a * c, 1) }, (_, i) => i);
  const y = (await s.run({ x: new ort.Tensor('float32', x, dims) })).y;
  return { dims: y.dims, data: Array.from(y.data as Float32Array) };
}

/** Rewrites a copy; returns it, the number replaced and the ops left. */
function rewrite(m: Model) {
  const out = cloneModel(m);
  const replaced = staticTargets(out);
  pruneDead(out.graph);
  return { out, replaced, ops: out.graph.nodes.map((n) => n.op) };
}

const channelShuffle = (b: GraphBuilder, d: (i: number) => string) => concat(b, [d(0), b.ints([2, 3]), d(2)]);

describe('staticTargets', () => {
  it('makes a channel-shuffle Reshape target constant, copying the batch (0), and prunes its shape chain', async () => {
    const m = model('Reshape', ['N', 6, 4], channelShuffle);
    const { out, replaced, ops } = rewrite(m);
    expect(replaced).toBe(1);
    expect(ops).toEqual(['Reshape']);
    expect(Array.from(out.graph.initializers.get(out.graph.nodes[0].inputs[1])!.tensor.data as BigInt64Array, Number)).toEqual([0, 2, 3, 4]);
    expect(await run(out, [3, 6, 4])).toEqual(await run(m, [3, 6, 4]));
  });

  it('uses -1 for one unknown dim that is not copied in place', async () => {
    const m = model('Reshape', ['N', 6, 4], (b, d) => concat(b, [b.ints([2]), d(0), b.ints([12])]));
    const { out, replaced } = rewrite(m);
    expect(replaced).toBe(1);
    expect(await run(out, [4, 6, 4])).toEqual(await run(m, [4, 6, 4]));
  });

  it('leaves a target with two unknown dims, or with -1 beside an unknown one', () => {
    expect(rewrite(model('Reshape', ['N', 'C', 4], (b, d) => concat(b, [b.ints([4]), d(0), d(1)]))).replaced).toBe(0);
    expect(rewrite(model('Reshape', ['N', 6, 4], (b, d) => concat(b, [b.ints([2]), d(0), b.ints([-1])]))).replaced).toBe(0);
  });

  it("never takes two of shape inference's unknown dims (`?r0`, …) for the same size", async () => {
    const g = emptyGraph();
    const b = new GraphBuilder(g, 17);
    g.inputs.push({ name: 'x', dtype: 'float32', shape: [24] }, { name: 's1', dtype: 'int64', shape: [2] }, { name: 's2', dtype: 'int64', shape: [2] });
    const a = b.reshape('x', 's1');
    const c = b.reshape('x', 's2');
    b.node('Reshape', [a, concat(b, [b.op('Gather', [b.shape(c), b.constant(i64([0]))], { axis: 0 }), b.ints([-1])])], {}, ['y']);
    g.outputs.push({ name: 'y', dtype: 'float32' });
    const m = newModel(g, 17);
    expect(rewrite(m).replaced).toBe(0);
    const s = await ort.InferenceSession.create(writeModel(m));
    const feeds = { x: new ort.Tensor('float32', new Float32Array(24), [24]), s1: new ort.Tensor('int64', BigInt64Array.of(4n, 6n), [2]), s2: new ort.Tensor('int64', BigInt64Array.of(2n, 12n), [2]) };
    expect((await s.run(feeds)).y.dims).toEqual([2, 12]);
  });

  it('does not copy a dim with allowzero, where 0 means an empty axis', () => {
    expect(rewrite(model('Reshape', ['N', 6, 4], (b, d) => concat(b, [d(0), b.ints([24]), b.ints([0])]), 1)).replaced).toBe(1);
    expect(rewrite(model('Reshape', ['N', 'C', 4], (b, d) => concat(b, [d(0), d(1), b.ints([4])]), 1)).replaced).toBe(0);
  });

  it('makes an Expand target constant with 1 where the input already has that dim', async () => {
    const m = model('Expand', ['N', 1, 4], (b, d) => concat(b, [d(0), b.ints([3]), d(2)]));
    const { out, replaced, ops } = rewrite(m);
    expect(replaced).toBe(1);
    expect(ops).toEqual(['Expand']);
    expect(await run(out, [2, 1, 4])).toEqual(await run(m, [2, 1, 4]));
    // A symbolic dim the input does not have stays computed.
    expect(rewrite(model('Expand', [1, 'M'], (b, d) => concat(b, [b.ints([3]), d(1), d(1)]))).replaced).toBe(0);
  });
});
