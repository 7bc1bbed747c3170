// Hand-worked checks of reductions (axes as attribute or input per opset), ArgMax/ArgMin and CumSum.
import { describe, expect, it } from 'vitest';
import type { GraphBuilder } from '../../src/graph/builder.ts';
import { floatTensor } from './tensor.ts';
import type { RefTensor } from './tensor.ts';
import { buildModel, runOne, values } from './testing.ts';

const x = floatTensor([1, 5, 2, 4, 3, 6], [2, 3]);
function runWith(t: RefTensor, build: (b: GraphBuilder, x: string) => string, opset = 18): RefTensor {
  return runOne(buildModel({ opset, inputs: { x: t.dims }, build: (b) => build(b, 'x') }), { x: t });
}

describe('Reduce*', () => {
  it('ReduceSum takes axes as an input from opset 13', () => {
    const y = runWith(x, (b, v) => b.op('ReduceSum', [v, b.ints([1])], { keepdims: 0 }), 13);
    expect([y.dims, values(y)]).toEqual([[2], [8, 13]]);
    expect(() => runWith(x, (b, v) => b.op('ReduceSum', [v], { axes: [1] }), 13)).toThrow(/as an input/);
  });

  it('the other reductions take axes as an attribute before opset 18 and as an input from 18', () => {
    const attr = runWith(x, (b, v) => b.op('ReduceMean', [v], { axes: [0] }), 17);
    expect([attr.dims, values(attr)]).toEqual([[1, 3], [2.5, 4, 4]]);
    const inp = runWith(x, (b, v) => b.op('ReduceMean', [v, b.ints([-2])]), 18);
    expect(values(inp)).toEqual([2.5, 4, 4]);
    expect(() => runWith(x, (b, v) => b.op('ReduceMax', [v], { axes: [0] }), 18)).toThrow(/as an input/);
    expect(() => runWith(x, (b, v) => b.op('ReduceMax', [v, b.ints([0])]), 17)).toThrow(/as an attribute/);
  });

  it('empty axes reduce everything unless noop_with_empty_axes', () => {
    const all = runWith(x, (b, v) => b.op('ReduceMax', [v]));
    expect([all.dims, values(all)]).toEqual([[1, 1], [6]]);
    expect(values(runWith(x, (b, v) => b.op('ReduceMin', [v], { keepdims: 0 })))).toEqual([1]);
    expect(runWith(x, (b, v) => b.op('ReduceMin', [v], { keepdims: 0 })).dims).toEqual([]);
    expect(values(runWith(x, (b, v) => b.op('ReduceSum', [v], { noop_with_empty_axes: 1 })))).toEqual(values(x));
  });

  it('ReduceL2 and ReduceMin along axes', () => {
    expect(values(runWith(floatTensor([3, 4, 0, 5], [2, 2]), (b, v) => b.op('ReduceL2', [v, b.ints([1])], { keepdims: 0 })))).toEqual([5, 5]);
    expect(values(runWith(x, (b, v) => b.op('ReduceMin', [v, b.ints([1])])))).toEqual([1, 3]);
  });
});

describe('ArgMax, ArgMin, CumSum', () => {
  const ties = floatTensor([3, 1, 3, 0, 2, 2], [2, 3]);
  it('ArgMax picks the first maximum unless select_last_index', () => {
    const y = runWith(ties, (b, v) => b.op('ArgMax', [v], { axis: 1 }));
    expect([y.dtype, y.dims, values(y)]).toEqual(['int64', [2, 1], [0, 1]]);
    expect(values(runWith(ties, (b, v) => b.op('ArgMax', [v], { axis: 1, select_last_index: 1 })))).toEqual([2, 2]);
    expect(values(runWith(ties, (b, v) => b.op('ArgMin', [v], { axis: 0, keepdims: 0 })))).toEqual([1, 0, 1]);
  });

  it('CumSum inclusive, exclusive, reverse', () => {
    const v = floatTensor([1, 2, 3, 4]);
    const cum = (attrs: Record<string, number>) => values(runWith(v, (b, t) => b.op('CumSum', [t, b.scalar(0, 'int64')], attrs)));
    expect(cum({})).toEqual([1, 3, 6, 10]);
    expect(cum({ exclusive: 1 })).toEqual([0, 1, 3, 6]);
    expect(cum({ reverse: 1 })).toEqual([10, 9, 7, 4]);
    expect(cum({ exclusive: 1, reverse: 1 })).toEqual([9, 7, 4, 0]);
    expect(values(runWith(x, (b, t) => b.op('CumSum', [t, b.scalar(-1, 'int64')])))).toEqual([1, 6, 8, 4, 7, 13]);
  });
});
