// Hand-worked checks of the reference interpreter's data movement ops.
import { describe, expect, it } from 'vitest';
import type { GraphBuilder } from '../../src/graph/builder.ts';
import { floatTensor, intTensor } from './tensor.ts';
import type { RefTensor } from './tensor.ts';
import { buildModel, runOne, values } from './testing.ts';

const iota = (n: number) => Array.from({ length: n }, (_, i) => i);
/** Runs `build` over a feed x and returns its (first) output. */
function runWith(x: RefTensor, build: (b: GraphBuilder, x: string) => string | string[], opset = 18): RefTensor {
  return runOne(buildModel({ opset, inputs: { x: x.dims }, build: (b) => build(b, 'x') }), { x });
}
/** All outputs of a multi-output build. */
function runAll(x: RefTensor, build: (b: GraphBuilder, x: string) => string[], opset = 18): RefTensor[] {
  const m = buildModel({ opset, inputs: { x: x.dims }, build: (b) => build(b, 'x') });
  return m.graph.outputs.map((o) => runOne(m, { x }, o.name));
}

describe('Slice', () => {
  const x = floatTensor(iota(10));
  it('negative steps with clamped starts and ends', () => {
    expect(values(runWith(x, (b, v) => b.slice(v, [-1], [-100], [0], [-3])))).toEqual([9, 6, 3, 0]);
    expect(values(runWith(x, (b, v) => b.slice(v, [100], [2], [0], [-2])))).toEqual([9, 7, 5, 3]);
    expect(values(runWith(x, (b, v) => b.slice(v, [-3], [1000], [0])))).toEqual([7, 8, 9]);
    expect(values(runWith(x, (b, v) => b.slice(v, [5], [2], [0])))).toEqual([]);
  });

  it('INT64 max/min ends and several axes', () => {
    const m = floatTensor(iota(12), [3, 4]);
    const y = runWith(m, (b, v) => b.slice(v, [-1, 1], [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER], [0, -1], [-1, 2]));
    expect(y.dims).toEqual([3, 2]);
    expect(values(y)).toEqual([9, 11, 5, 7, 1, 3]);
  });
});

describe('reshapes', () => {
  const x = floatTensor(iota(24), [2, 3, 4]);
  it('Reshape copies 0 dims and infers -1; allowzero keeps a literal 0', () => {
    expect(runWith(x, (b, v) => b.reshape(v, [0, -1])).dims).toEqual([2, 12]);
    expect(runWith(x, (b, v) => b.reshape(v, [-1, 0, 2])).dims).toEqual([4, 3, 2]);
    const empty = floatTensor([], [0, 3]);
    expect(runWith(empty, (b, v) => b.op('Reshape', [v, b.ints([3, 0])], { allowzero: 1 })).dims).toEqual([3, 0]);
    expect(() => runWith(x, (b, v) => b.reshape(v, [5, -1]))).toThrow(/cannot reshape/);
  });

  it('Flatten, Squeeze (all or some axes) and Unsqueeze (negative axes)', () => {
    expect(runWith(x, (b, v) => b.op('Flatten', [v], { axis: 2 })).dims).toEqual([6, 4]);
    expect(runWith(x, (b, v) => b.op('Flatten', [v], { axis: 0 })).dims).toEqual([1, 24]);
    expect(runWith(x, (b, v) => b.op('Flatten', [v], { axis: -1 })).dims).toEqual([6, 4]);
    const ones = floatTensor([1, 2], [1, 2, 1]);
    expect(runWith(ones, (b, v) => b.op('Squeeze', [v])).dims).toEqual([2]);
    expect(runWith(ones, (b, v) => b.squeeze(v, [-1])).dims).toEqual([1, 2]);
    expect(() => runWith(ones, (b, v) => b.squeeze(v, [1]))).toThrow(/squeeze/);
    expect(runWith(ones, (b, v) => b.unsqueeze(v, [0, -1])).dims).toEqual([1, 1, 2, 1, 1]);
  });

  it('Transpose with and without perm', () => {
    const y = runWith(x, (b, v) => b.transpose(v, [2, 0, 1]));
    expect(y.dims).toEqual([4, 2, 3]);
    expect(values(y).slice(0, 7)).toEqual([0, 4, 8, 12, 16, 20, 1]);
    expect(runWith(x, (b, v) => b.op('Transpose', [v])).dims).toEqual([4, 3, 2]);
  });
});

describe('Concat and Split', () => {
  it('Concat along a negative axis', () => {
    const m = buildModel({ inputs: { a: [2, 1], b: [2, 2] }, build: (b) => b.op('Concat', ['a', 'b'], { axis: -1 }) });
    const y = runOne(m, { a: floatTensor([1, 2], [2, 1]), b: floatTensor([3, 4, 5, 6], [2, 2]) });
    expect(values(y)).toEqual([1, 3, 4, 2, 5, 6]);
  });

  it('Split by the split input, by num_outputs (uneven at opset 18) and into equal parts', () => {
    const x = floatTensor(iota(7));
    expect(runAll(x, (b, v) => b.split(v, 0, [2, 4, 1])).map(values)).toEqual([[0, 1], [2, 3, 4, 5], [6]]);
    expect(runAll(x, (b, v) => b.node('Split', [v], { num_outputs: 3 }, 3)).map(values)).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    expect(runAll(floatTensor(iota(6), [2, 3]), (b, v) => b.node('Split', [v], { axis: 0 }, 2), 13).map(values)).toEqual([[0, 1, 2], [3, 4, 5]]);
    expect(() => runAll(x, (b, v) => b.node('Split', [v], {}, 2), 13)).toThrow(/evenly/);
  });
});

describe('gathers', () => {
  const x = floatTensor(iota(12), [3, 4]);
  it('Gather with negative indices along axis 1, and scalar indices', () => {
    const y = runWith(x, (b, v) => b.op('Gather', [v, b.constant({ dtype: 'int64', dims: [2], data: BigInt64Array.from([-1n, 1n]) })], { axis: 1 }));
    expect(y.dims).toEqual([3, 2]);
    expect(values(y)).toEqual([3, 1, 7, 5, 11, 9]);
    const s = runWith(x, (b, v) => b.op('Gather', [v, b.scalar(-1, 'int64')]));
    expect([s.dims, values(s)]).toEqual([[4], [8, 9, 10, 11]]);
    expect(() => runWith(x, (b, v) => b.op('Gather', [v, b.scalar(3, 'int64')]))).toThrow(/out of range/);
  });

  it('GatherElements', () => {
    const idx = { dtype: 'int64' as const, dims: [3, 2], data: BigInt64Array.from([0n, -1n, 2n, 1n, 1n, 0n]) };
    expect(values(runWith(x, (b, v) => b.op('GatherElements', [v, b.constant(idx)], { axis: 1 })))).toEqual([0, 3, 6, 5, 9, 8]);
  });
});

describe('Expand, Tile, Pad', () => {
  it('Expand broadcasts both ways', () => {
    const y = runWith(floatTensor([1, 2, 3], [3, 1]), (b, v) => b.op('Expand', [v, b.ints([2, 1, 2])]));
    expect(y.dims).toEqual([2, 3, 2]);
    expect(values(y)).toEqual([1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3]);
  });

  it('Tile repeats each axis', () => {
    expect(values(runWith(floatTensor([1, 2], [1, 2]), (b, v) => b.op('Tile', [v, b.ints([2, 2])])))).toEqual([1, 2, 1, 2, 1, 2, 1, 2]);
  });

  it('Pad constant, edge, reflect, negative pads and the axes input', () => {
    const v = floatTensor([1, 2, 3]);
    expect(values(runWith(v, (b, x) => b.pad(x, [2, 1], 9)))).toEqual([9, 9, 1, 2, 3, 9]);
    expect(values(runWith(v, (b, x) => b.op('Pad', [x, b.ints([2, 1])], { mode: 'edge' })))).toEqual([1, 1, 1, 2, 3, 3]);
    expect(values(runWith(v, (b, x) => b.op('Pad', [x, b.ints([2, 2])], { mode: 'reflect' })))).toEqual([3, 2, 1, 2, 3, 2, 1]);
    expect(values(runWith(v, (b, x) => b.op('Pad', [x, b.ints([-1, 1])])))).toEqual([2, 3, 0]);
    const m = floatTensor([1, 2, 3, 4], [2, 2]);
    const y = runWith(m, (b, x) => b.op('Pad', [x, b.ints([1, 0]), '', b.ints([-1])]));
    expect([y.dims, values(y)]).toEqual([[2, 3], [0, 1, 2, 0, 3, 4]]);
  });

  it('DepthToSpace (DCR and CRD) and SpaceToDepth invert each other', () => {
    const x = floatTensor(iota(8), [1, 8, 1, 1]);
    // DCR: channel (bh * 2 + bw) * 2 + c; CRD: channel c * 4 + bh * 2 + bw.
    expect(values(runWith(x, (b, v) => b.op('DepthToSpace', [v], { blocksize: 2 })))).toEqual([0, 2, 4, 6, 1, 3, 5, 7]);
    expect(values(runWith(x, (b, v) => b.op('DepthToSpace', [v], { blocksize: 2, mode: 'CRD' })))).toEqual(iota(8));
    const img = floatTensor(iota(32), [1, 2, 4, 4]);
    const round = runWith(img, (b, v) => b.op('DepthToSpace', [b.op('SpaceToDepth', [v], { blocksize: 2 })], { blocksize: 2 }));
    expect(values(round)).toEqual(iota(32));
  });
});

describe('index inputs', () => {
  it('accept int64 constants from the builder', () => {
    const y = runWith(floatTensor(iota(4)), (b, v) => b.op('Gather', [v, b.constant({ dtype: 'int32', dims: [2], data: Int32Array.from([3, 0]) })]));
    expect(values(y)).toEqual([3, 0]);
    expect(intTensor([1]).dtype).toBe('int64');
  });
});
