// Graph-level behaviour of the reference interpreter, and the generator ops (Shape, Constant, Range, ...).
import { describe, expect, it } from 'vitest';
import { float, floats } from '../../src/graph/attrs.ts';
import type { GraphBuilder } from '../../src/graph/builder.ts';
import { Initializer } from '../../src/graph/ir.ts';
import { f32, i64 } from '../../src/graph/tensor.ts';
import { run } from './interpreter.ts';
import { floatTensor } from './tensor.ts';
import { buildModel, runOne, values } from './testing.ts';

describe('graph evaluation', () => {
  it('computes initializers in float64 and lets feeds override them', () => {
    const m = buildModel({ inputs: { x: [2] }, build: (b) => b.mul('x', b.constant(f32([0.1, 3]), 'w')) });
    const y = runOne(m, { x: floatTensor([1, 1]) });
    expect(values(y)[0]).toBe(Math.fround(0.1));
    expect(values(runOne(m, { x: floatTensor([1, 1]), w: floatTensor([2, 2]) }))).toEqual([2, 2]);
  });

  it('returns any intermediate value and evaluates only what is needed', () => {
    const m = buildModel({
      inputs: { x: [2] },
      build: (b) => {
        const h = b.op('Relu', ['x']);
        b.op('NotAnOnnxOp', ['x']);
        return b.neg(h);
      },
    });
    const h = m.graph.nodes[0].outputs[0];
    const out = run(m, { x: floatTensor([-1, 2]) }, [h, m.graph.outputs[0].name]);
    expect(values(out[h])).toEqual([0, 2]);
    expect(values(out[m.graph.outputs[0].name])).toEqual([-0, -2]);
  });

  it('runs nodes listed out of order', () => {
    const m = buildModel({ inputs: { x: [1] }, build: (b) => b.neg(b.op('Exp', ['x'])) });
    m.graph.nodes.reverse();
    expect(values(runOne(m, { x: floatTensor([0]) }))).toEqual([-1]);
  });

  it('names the op and node of an unsupported op, and a missing feed', () => {
    const m = buildModel({ inputs: { x: [1] }, build: (b) => b.op('NotAnOnnxOp', ['x']) });
    expect(() => runOne(m, { x: floatTensor([0]) })).toThrow(/unsupported op NotAnOnnxOp node "NotAnOnnxOp_node"/);
    const d = buildModel({ inputs: { x: [1] }, build: (b) => b.node('Relu', ['x'], {}, 1, 'com.example')[0] });
    expect(() => runOne(d, { x: floatTensor([0]) })).toThrow(/com\.example\.Relu/);
    expect(() => runOne(buildModel({ inputs: { x: [1] }, build: (b) => b.neg('x') }), {})).toThrow(/no feed for graph input "x"/);
  });

  it('NonZero', () => {
    const m = buildModel({ inputs: { x: [2, 3] }, outputDtypes: ['int64'], build: (b) => b.op('NonZero', ['x']) });
    const y = runOne(m, { x: floatTensor([0, 1, 0, 2, 0, 3], [2, 3]) });
    expect([y.dims, values(y)]).toEqual([[2, 3], [0, 1, 1, 1, 0, 2]]);
  });
});

describe('generators', () => {
  const x = floatTensor(new Array(24).fill(0), [2, 3, 4]);
  const gen = (build: Parameters<typeof buildModel>[0]['build'], opset = 18) => runOne(buildModel({ opset, inputs: { x: [2, 3, 4] }, build }), { x });

  it('Shape with start/end, and Size', () => {
    expect(values(gen((b) => b.shape('x')))).toEqual([2, 3, 4]);
    expect(values(gen((b) => b.op('Shape', ['x'], { start: -2 })))).toEqual([3, 4]);
    expect(values(gen((b) => b.op('Shape', ['x'], { start: 1, end: -1 })))).toEqual([3]);
    expect(values(gen((b) => b.op('Shape', ['x'], { start: 5 })))).toEqual([]);
    const s = gen((b) => b.op('Size', ['x']));
    expect([s.dtype, s.dims, values(s)]).toEqual(['int64', [], [24]]);
  });

  it('Constant from each value attribute', () => {
    const c = (attrs: Parameters<GraphBuilder['op']>[2]) => gen((b) => b.op('Constant', [], attrs));
    expect(values(c({ value: { type: 'tensor', value: f32([1.5, 2], [2, 1]) } }))).toEqual([1.5, 2]);
    expect(c({ value_float: float(0.25) }).dims).toEqual([]);
    expect(values(c({ value_floats: floats([1, 2]) }))).toEqual([1, 2]);
    expect(c({ value_int: 7 }).dtype).toBe('int64');
    expect(values(c({ value_ints: [3, 4] }))).toEqual([3, 4]);
    expect(() => c({})).toThrow(/unsupported value attribute/);
  });

  it('ConstantOfShape (default float 0, or the value tensor) from a shape computation', () => {
    const z = gen((b) => b.op('ConstantOfShape', [b.shape('x')]));
    expect([z.dtype, z.dims, values(z).every((v) => v === 0)]).toEqual(['float', [2, 3, 4], true]);
    const sevens = gen((b) => b.op('ConstantOfShape', [b.ints([2])], { value: { type: 'tensor', value: i64([7], [1]) } }));
    expect([sevens.dtype, values(sevens)]).toEqual(['int64', [7, 7]]);
  });

  it('Range with float and int64 inputs, including an empty range', () => {
    expect(values(gen((b) => b.op('Range', [b.scalar(1), b.scalar(-2), b.scalar(-0.75)])))).toEqual([1, 0.25, -0.5, -1.25]);
    expect(values(gen((b) => b.op('Range', [b.scalar(0, 'int64'), b.scalar(5, 'int64'), b.scalar(2, 'int64')])))).toEqual([0, 2, 4]);
    expect(values(gen((b) => b.op('Range', [b.scalar(5, 'int64'), b.scalar(0, 'int64'), b.scalar(1, 'int64')])))).toEqual([]);
  });

  it('Identity, and Dropout in inference form with its mask', () => {
    const m = buildModel({ inputs: { x: [3] }, outputDtypes: ['float32', 'bool'], build: (b) => b.node('Dropout', ['x', b.scalar(0.5)], {}, 2) });
    const feeds = { x: floatTensor([1, 2, 3]) };
    expect(values(runOne(m, feeds))).toEqual([1, 2, 3]);
    const mask = runOne(m, feeds, m.graph.outputs[1].name);
    expect([mask.dtype, values(mask)]).toEqual(['bool', [1, 1, 1]]);
    expect(values(gen((b) => b.op('Identity', [b.shape('x')])))).toEqual([2, 3, 4]);
    const train = buildModel({ inputs: { x: [3] }, build: (b) => b.op('Dropout', ['x', b.scalar(0.5), b.constant({ dtype: 'bool', dims: [], data: Uint8Array.of(1) })]) });
    expect(() => runOne(train, feeds)).toThrow(/training_mode/);
  });
});

describe('initializers', () => {
  it('decode float16 and int32 tensors', () => {
    const m = buildModel({ build: (b) => b.op('Identity', [b.constant({ dtype: 'float16', dims: [3], data: Uint16Array.from([0x3c00, 0xc000, 0x3555]) })]) });
    const y = runOne(m, {});
    expect(values(y)[0]).toBe(1);
    expect(values(y)[1]).toBe(-2);
    expect(values(y)[2]).toBeCloseTo(1 / 3, 3);
    m.graph.initializers.set('n', new Initializer('n', 'int32', [1], { dtype: 'int32', dims: [1], data: Int32Array.of(-5) }));
    expect(values(run(m, {}, ['n']).n)).toEqual([-5]);
  });
});
