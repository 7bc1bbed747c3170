// Hand-worked checks of the reference interpreter's elementwise ops: broadcasting, activations, comparisons, Cast.
import { describe, expect, it } from 'vitest';
import { float } from '../../src/graph/attrs.ts';
import type { GraphBuilder } from '../../src/graph/builder.ts';
import { erf, erfc } from './ops/erf.ts';
import { boolTensor, floatTensor, intTensor } from './tensor.ts';
import type { RefTensor } from './tensor.ts';
import { buildModel, runOne, values } from './testing.ts';

/** Runs one node over constant-free feeds t0, t1, ... of any dtype ('' leaves an input out). */
function run1(op: string, inputs: (RefTensor | '')[], attrs: Parameters<GraphBuilder['op']>[2] = {}, opset = 18): RefTensor {
  const names = inputs.map((t, i) => (t === '' ? '' : `t${i}`));
  const model = buildModel({ opset, build: (b) => b.op(op, names, attrs) });
  return runOne(model, Object.fromEntries(inputs.flatMap((t, i) => (t === '' ? [] : [[`t${i}`, t]]))));
}
const close = (got: number[], want: number[], tol = 1e-14) => got.forEach((g, i) => expect(Math.abs(g - want[i]), `element ${i}: ${g} vs ${want[i]}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(want[i]))));

describe('broadcasting arithmetic', () => {
  it('Add broadcasts [2,1] with [3]', () => {
    const y = run1('Add', [floatTensor([1, 2], [2, 1]), floatTensor([10, 20, 30])]);
    expect(y.dims).toEqual([2, 3]);
    expect(values(y)).toEqual([11, 21, 31, 12, 22, 32]);
  });

  it('Sub, Mul, Div with a scalar, and rank-0 results', () => {
    expect(values(run1('Sub', [floatTensor([5, 7]), floatTensor([1], [])]))).toEqual([4, 6]);
    expect(values(run1('Mul', [floatTensor([3], []), floatTensor([2], [])]))).toEqual([6]);
    expect(run1('Mul', [floatTensor([3], []), floatTensor([2], [])]).dims).toEqual([]);
    expect(values(run1('Div', [floatTensor([1, -1, 0]), floatTensor([0], [])]))).toEqual([Infinity, -Infinity, NaN]);
  });

  it('integer Div truncates toward zero; Add stays int64', () => {
    const y = run1('Div', [intTensor([7, -7, 7, -7]), intTensor([2, 2, -2, -2])]);
    expect(y.dtype).toBe('int64');
    expect(values(y)).toEqual([3, -3, -3, 3]);
    expect(values(run1('Add', [intTensor([1, 2]), intTensor([40], [])]))).toEqual([41, 42]);
  });

  it('Pow with a float or an integer exponent', () => {
    expect(values(run1('Pow', [floatTensor([2, 4, -8]), floatTensor([3, 0.5, 1 / 3])]))).toEqual([8, 2, NaN]);
    expect(values(run1('Pow', [floatTensor([3, 2]), intTensor([2], [])]))).toEqual([9, 4]);
  });

  it('Max and Min are variadic and broadcast', () => {
    const ins = [floatTensor([1, 5, 3], [3]), floatTensor([4, 2, 6, 0, 0, 9], [2, 3]), floatTensor([2], [])];
    expect(values(run1('Max', ins))).toEqual([4, 5, 6, 2, 5, 9]);
    expect(values(run1('Min', ins))).toEqual([1, 2, 2, 0, 0, 2]);
    expect(values(run1('Max', [floatTensor([1, 2])]))).toEqual([1, 2]);
  });

  it('rejects shapes that do not broadcast', () => {
    expect(() => run1('Add', [floatTensor([1, 2]), floatTensor([1, 2, 3])])).toThrow(/broadcast/);
  });
});

describe('activations and maths', () => {
  const x = floatTensor([-4, -3, -1, 0, 1, 3, 4]);
  it('Relu, LeakyRelu (default alpha 0.01), PRelu with a broadcast slope', () => {
    expect(values(run1('Relu', [x]))).toEqual([0, 0, 0, 0, 1, 3, 4]);
    close(values(run1('LeakyRelu', [x])), [-0.04, -0.03, -0.01, 0, 1, 3, 4]);
    const y = run1('PRelu', [floatTensor([-1, 2, -3, 4, -5, -6], [2, 3]), floatTensor([0.5, 1, 2], [3])]);
    expect(values(y)).toEqual([-0.5, 2, -6, 4, -5, -12]);
  });

  it('HardSigmoid (default alpha 0.2, beta 0.5) and HardSwish', () => {
    close(values(run1('HardSigmoid', [x])), [0, 0, 0.3, 0.5, 0.7, 1, 1]);
    close(values(run1('HardSigmoid', [floatTensor([1])], { alpha: float(0.5), beta: float(0.1) })), [0.6]);
    close(values(run1('HardSwish', [x])), [0, 0, -1 / 3, 0, 2 / 3, 3, 4]);
  });

  it('Softplus, Sigmoid and Tanh stay finite for large |x|', () => {
    const big = floatTensor([-800, -1, 0, 1, 800]);
    close(values(run1('Softplus', [big])), [0, Math.log1p(Math.exp(-1)), Math.LN2, 1 + Math.log1p(Math.exp(-1)), 800]);
    close(values(run1('Sigmoid', [big])), [0, 1 / (1 + Math.E), 0.5, 1 / (1 + Math.exp(-1)), 1]);
    close(values(run1('Tanh', [big])), [-1, Math.tanh(-1), 0, Math.tanh(1), 1]);
  });

  it('Gelu (opset 20): exact and tanh approximation', () => {
    const g = floatTensor([-1, 0, 1, 2]);
    close(values(run1('Gelu', [g], {}, 20)), [-0.15865525393145705, 0, 0.8413447460685429, 1.9544997361036416], 1e-15);
    const t = (v: number) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)));
    close(values(run1('Gelu', [g], { approximate: 'tanh' }, 20)), [-1, 0, 1, 2].map(t));
  });

  it('Erf matches reference values to float64 rounding', () => {
    // erf(0.5), erf(1), erf(2), erf(3) rounded to float64; erfc(5) and erfc(10).
    close(values(run1('Erf', [floatTensor([0.5, 1, 2, 3, -1])])), [0.5204998778130465, 0.8427007929497149, 0.9953222650189527, 0.9999779095030014, -0.8427007929497149], 3e-16);
    expect(Math.abs(erfc(5) / 1.537459794428035e-12 - 1)).toBeLessThan(1e-15);
    expect(Math.abs(erfc(10) / 2.0884875837625446e-45 - 1)).toBeLessThan(1e-15);
    // A positive-term series, accurate in float64, across the whole range the approximation switches over.
    for (let v = -6; v <= 6; v += 0.0371) {
      let term = v;
      let sum = v;
      for (let n = 1; n < 500; n++) sum += term *= (2 * v * v) / (2 * n + 1);
      const want = (2 / Math.sqrt(Math.PI)) * Math.exp(-v * v) * sum;
      expect(Math.abs(erf(v) - want)).toBeLessThanOrEqual(2e-15 * Math.abs(want));
    }
  });

  it('Round halves to even; Sign, Floor, Ceil, Reciprocal, Sin, Cos, Exp, Log, Sqrt, Abs, Neg', () => {
    expect(values(run1('Round', [floatTensor([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 0.4, -0.6])]))).toEqual([-2, -2, -0, 0, 2, 2, 0, -1]);
    expect(values(run1('Sign', [floatTensor([-2, 0, 3])]))).toEqual([-1, 0, 1]);
    expect(values(run1('Floor', [floatTensor([-1.5, 1.5])]))).toEqual([-2, 1]);
    expect(values(run1('Ceil', [floatTensor([-1.5, 1.5])]))).toEqual([-1, 2]);
    expect(values(run1('Reciprocal', [floatTensor([4, -0.5])]))).toEqual([0.25, -2]);
    close(values(run1('Sin', [floatTensor([Math.PI / 2])])), [1]);
    close(values(run1('Cos', [floatTensor([Math.PI])])), [-1]);
    expect(values(run1('Exp', [floatTensor([0])]))).toEqual([1]);
    expect(values(run1('Log', [floatTensor([1, 0])]))).toEqual([0, -Infinity]);
    expect(values(run1('Sqrt', [floatTensor([9, -1])]))).toEqual([3, NaN]);
    expect(values(run1('Abs', [intTensor([-3, 2])]))).toEqual([3, 2]);
    expect(values(run1('Neg', [intTensor([-3, 2])]))).toEqual([3, -2]);
  });

  it('Clip with omitted min or max inputs', () => {
    const v = floatTensor([-2, -0.5, 0.5, 2]);
    expect(values(run1('Clip', [v, floatTensor([-1], []), floatTensor([1], [])]))).toEqual([-1, -0.5, 0.5, 1]);
    expect(values(run1('Clip', [v, '', floatTensor([0], [])]))).toEqual([-2, -0.5, 0, 0]);
    expect(values(run1('Clip', [v, floatTensor([0], [])]))).toEqual([0, 0, 0.5, 2]);
    expect(values(run1('Clip', [v]))).toEqual([-2, -0.5, 0.5, 2]);
    expect(values(run1('Clip', [intTensor([-5, 5]), intTensor([0], [])]))).toEqual([0, 5]);
  });
});

describe('comparisons, logic, Where, Cast', () => {
  it('comparisons broadcast and return bool', () => {
    const a = floatTensor([1, 2, 3]);
    const b = floatTensor([2], []);
    expect(run1('Equal', [a, b]).dtype).toBe('bool');
    expect(values(run1('Equal', [a, b]))).toEqual([0, 1, 0]);
    expect(values(run1('Greater', [a, b]))).toEqual([0, 0, 1]);
    expect(values(run1('GreaterOrEqual', [a, b]))).toEqual([0, 1, 1]);
    expect(values(run1('Less', [a, b]))).toEqual([1, 0, 0]);
    expect(values(run1('LessOrEqual', [a, b]))).toEqual([1, 1, 0]);
    expect(values(run1('Equal', [intTensor([1, 2]), intTensor([2, 2])]))).toEqual([0, 1]);
  });

  it('Not, And, Or, Xor', () => {
    const p = boolTensor([0, 0, 1, 1]);
    const q = boolTensor([0, 1, 0, 1]);
    expect(values(run1('Not', [p]))).toEqual([1, 1, 0, 0]);
    expect(values(run1('And', [p, q]))).toEqual([0, 0, 0, 1]);
    expect(values(run1('Or', [p, q]))).toEqual([0, 1, 1, 1]);
    expect(values(run1('Xor', [p, q]))).toEqual([0, 1, 1, 0]);
  });

  it('Where broadcasts the condition and both branches', () => {
    const y = run1('Where', [boolTensor([1, 0, 1]), floatTensor([1, 2], [2, 1]), floatTensor([-1], [])]);
    expect(y.dims).toEqual([2, 3]);
    expect(values(y)).toEqual([1, -1, 1, 2, -1, 2]);
  });

  it('Cast truncates toward zero, wraps int32, maps to bool by non-zero', () => {
    const v = floatTensor([-1.7, -0.2, 0, 2.9, 3e9]);
    const toInt64 = run1('Cast', [v], { to: 7 });
    expect(toInt64.dtype).toBe('int64');
    expect(values(toInt64)).toEqual([-1, 0, 0, 2, 3e9]);
    expect(values(run1('Cast', [v], { to: 6 }))).toEqual([-1, 0, 0, 2, 3e9 - 2 ** 32]);
    expect(values(run1('Cast', [v], { to: 9 }))).toEqual([1, 1, 0, 1, 1]);
    const f = run1('Cast', [boolTensor([1, 0])], { to: 1 });
    expect([f.dtype, ...values(f)]).toEqual(['float', 1, 0]);
    expect(values(run1('Cast', [intTensor([5])], { to: 11 }))).toEqual([5]);
  });
});
