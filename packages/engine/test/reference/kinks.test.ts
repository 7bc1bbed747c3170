// The tape at exact kinks follows PyTorch: Relu'(0) = 0, slopes below or at 0, Clip only strictly inside, first maximum wins.
import { describe, expect, it } from 'vitest';
import { float } from '../../src/graph/attrs.ts';
import type { GraphBuilder } from '../../src/graph/builder.ts';
import { gradient } from './tape.ts';
import { floatTensor } from './tensor.ts';
import type { RefTensor } from './tensor.ts';
import { buildModel, runOne, values } from './testing.ts';

/** d <seed, f(x)> / dx for a one-input graph, with an all-ones seed unless given. */
function grad(x: RefTensor, build: (b: GraphBuilder, x: string) => string, seed?: number[], extra: Record<string, RefTensor> = {}, wrt = ['x']): number[][] {
  const m = buildModel({ inputs: { x: x.dims, ...Object.fromEntries(Object.entries(extra).map(([k, t]) => [k, t.dims])) }, build: (b) => build(b, 'x') });
  const feeds = { x, ...extra };
  const out = runOne(m, feeds);
  const s = floatTensor(seed ?? new Array(out.data.length).fill(1), out.dims);
  const g = gradient(m, feeds, { output: m.graph.outputs[0].name, seed: s, wrt });
  return wrt.map((w) => values(g[w]));
}

describe('elementwise kinks', () => {
  it('Relu\'(0) = 0', () => {
    expect(grad(floatTensor([-1, 0, 1]), (b, x) => b.op('Relu', [x]))[0]).toEqual([0, 0, 1]);
  });

  it('LeakyRelu and PRelu use the slope at 0 (derivative 1 only for x > 0)', () => {
    expect(grad(floatTensor([-1, 0, 1]), (b, x) => b.op('LeakyRelu', [x], { alpha: float(0.25) }))[0]).toEqual([0.25, 0.25, 1]);
    expect(grad(floatTensor([-1, 0, 1]), (b, x) => b.op('LeakyRelu', [x]))[0]).toEqual([0.01, 0.01, 1]);
    const [dx, dslope] = grad(floatTensor([-2, 0, 3]), (b, x) => b.op('PRelu', [x, 's']), undefined, { s: floatTensor([0.5, 0.5, 0.5]) }, ['x', 's']);
    expect(dx).toEqual([0.5, 0.5, 1]);
    expect(dslope).toEqual([-2, 0, 0]);
  });

  it('Abs\'(0) = 0', () => {
    expect(grad(floatTensor([-2, 0, 2]), (b, x) => b.op('Abs', [x]))[0]).toEqual([-1, 0, 1]);
  });

  it('Clip passes the gradient only strictly inside (min, max)', () => {
    const g = grad(floatTensor([-2, -1, 0, 1, 2]), (b, x) => b.op('Clip', [x, b.scalar(-1), b.scalar(1)]))[0];
    expect(g).toEqual([0, 0, 1, 0, 0]);
    expect(grad(floatTensor([0, 6, 7]), (b, x) => b.op('Clip', [x, b.scalar(0), b.scalar(6)]))[0]).toEqual([0, 0, 0]);
  });

  it('HardSigmoid has slope alpha strictly inside its linear region', () => {
    // alpha 0.2, beta 0.5: linear for -2.5 < x < 2.5.
    expect(grad(floatTensor([-3, -2.5, 0, 2.5, 3]), (b, x) => b.op('HardSigmoid', [x]))[0]).toEqual([0, 0, 0.2, 0, 0]);
  });

  it('HardSwish follows PyTorch: 0 below -3, x/3 + 1/2 on [-3, 3], 1 above 3', () => {
    expect(grad(floatTensor([-4, -3, 0, 3, 4]), (b, x) => b.op('HardSwish', [x]))[0]).toEqual([0, -0.5, 0.5, 1.5, 1]);
  });
});

describe('maximum ties route the gradient to the first maximum', () => {
  it('MaxPool: first in row-major order within each window', () => {
    const x = floatTensor([1, 3, 3, 2, 3, 1, 0, 0, 5], [1, 1, 3, 3]);
    const g = grad(x, (b, v) => b.op('MaxPool', [v], { kernel_shape: [2, 2], strides: [2, 2], ceil_mode: 1 }), [1, 10, 100, 1000])[0];
    expect(g).toEqual([0, 1, 10, 0, 0, 0, 100, 0, 1000]);
  });

  it('MaxPool: overlapping windows accumulate, and padding never wins', () => {
    const g = grad(floatTensor([-5, -5, -7], [1, 1, 3]), (b, v) => b.op('MaxPool', [v], { kernel_shape: [2], pads: [1, 1] }), [1, 10, 100, 1000])[0];
    // Windows [pad,-5], [-5,-5], [-5,-7], [-7,pad]: maxima at 0, 0 (first of the tie), 1, 2.
    expect(g).toEqual([11, 100, 1000]);
  });

  it('GlobalMaxPool and ReduceMax', () => {
    expect(grad(floatTensor([2, 7, 7, 1], [1, 1, 2, 2]), (b, v) => b.op('GlobalMaxPool', [v]))[0]).toEqual([0, 1, 0, 0]);
    const x = floatTensor([4, 1, 4, 2, 9, 9], [2, 3]);
    expect(grad(x, (b, v) => b.op('ReduceMax', [v, b.ints([1])]), [1, 10])[0]).toEqual([1, 0, 0, 0, 10, 0]);
    expect(grad(x, (b, v) => b.op('ReduceMax', [v]))[0]).toEqual([0, 0, 0, 0, 1, 0]);
  });
});
