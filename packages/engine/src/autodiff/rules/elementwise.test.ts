// Elementwise gradient rules: finite-difference checks, PyTorch kink conventions, and ORT acceptance.
import { describe, expect, it } from 'vitest';
import { buildGradient } from '../driver.ts';
import { GraphBuilder } from '../../graph/builder.ts';
import { emptyGraph, Initializer } from '../../graph/ir.ts';
import { newModel } from '../../graph/onnx-io.ts';
import { f32 } from '../../graph/tensor.ts';
import { CPU_EMITTED_OPS, EMITTED_OPS } from '../ops.ts';
import { checkRule, mulberry } from '../../../test/gradcheck.ts';
import type { InputSpec, RuleCheck } from '../../../test/gradcheck.ts';
import { ortVjp, vjpAt } from '../../../test/ort-vjp.ts';
import { run } from '../../../test/reference/interpreter.ts';

let seed = 11;
/** A differentiable input with values uniform in [lo, hi). */
const X = (dims: number[], lo = -1, hi = 1): InputSpec => {
  const r = mulberry(seed++);
  return { dims, values: Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => lo + (hi - lo) * r()) };
};
const C = (dims: number[], values: number[]): InputSpec => ({ dims, values, constant: true });
const I = (dims: number[], values: number[]): InputSpec => ({ dims, values, int64: true });
const none: InputSpec = { omitted: true };

const CASES: [string, RuleCheck][] = [
  ['Relu', { op: 'Relu', inputs: [X([2, 3, 4])], opset: 13 }],
  ['LeakyRelu', { op: 'LeakyRelu', inputs: [X([3, 5])] }],
  ['LeakyRelu alpha', { op: 'LeakyRelu', inputs: [X([2, 3])], attrs: { alpha: { type: 'float', value: 0.2 } } }],
  ['LeakyRelu alpha > 1', { op: 'LeakyRelu', inputs: [X([2, 3])], attrs: { alpha: { type: 'float', value: 1.5 } } }],
  ['LeakyRelu negative alpha', { op: 'LeakyRelu', inputs: [X([2, 3])], attrs: { alpha: { type: 'float', value: -0.3 } }, opset: 13 }],
  ['PRelu per-channel slope', { op: 'PRelu', inputs: [X([2, 3, 4, 4]), X([3, 1, 1], 0.1, 0.5)] }],
  ['PRelu trailing slope', { op: 'PRelu', inputs: [X([2, 5]), X([5], 0.1, 0.5)], opset: 13 }],
  ['PRelu scalar slope', { op: 'PRelu', inputs: [X([4, 3]), X([1], 0.1, 0.5)], opset: 18 }],
  ['PRelu constant slope', { op: 'PRelu', inputs: [X([4, 3]), C([3], [0.1, 0.2, 0.3])] }],
  ['Clip min max', { op: 'Clip', inputs: [X([3, 4], -2, 2), C([], [-0.5]), C([], [0.5])], opset: 13 }],
  ['Clip min max, CPU (And)', { op: 'Clip', inputs: [X([3, 4], -2, 2), C([], [-0.5]), C([], [0.5])], opset: 13, provider: 'cpu' }],
  ['Clip min only', { op: 'Clip', inputs: [X([3, 4], -2, 2), C([], [-0.5])] }],
  ['Clip max only', { op: 'Clip', inputs: [X([3, 4], -2, 2), none, C([], [0.5])] }],
  ['Clip no bounds', { op: 'Clip', inputs: [X([3, 4], -2, 2)] }],
  ['Clip bounds wrt', { op: 'Clip', inputs: [X([4, 5], -2, 2), { dims: [], values: [-0.7] }, { dims: [], values: [0.6] }], opset: 18 }],
  ['Sigmoid', { op: 'Sigmoid', inputs: [X([2, 3], -3, 3)] }],
  ['HardSigmoid', { op: 'HardSigmoid', inputs: [X([4, 5], -4, 4)] }],
  ['HardSigmoid alpha beta', { op: 'HardSigmoid', inputs: [X([4, 5], -4, 4)], attrs: { alpha: { type: 'float', value: 0.5 }, beta: { type: 'float', value: 0.4 } } }],
  ['HardSwish', { op: 'HardSwish', inputs: [X([4, 5], -5, 5)], opset: 14 }],
  ['Tanh', { op: 'Tanh', inputs: [X([2, 3, 2], -2, 2)] }],
  ['Erf', { op: 'Erf', inputs: [X([3, 4], -2, 2)] }],
  ['Gelu', { op: 'Gelu', inputs: [X([3, 4], -3, 3)], opset: 20 }],
  ['Gelu tanh', { op: 'Gelu', inputs: [X([3, 4], -3, 3)], attrs: { approximate: 'tanh' }, opset: 20 }],
  ['Softplus', { op: 'Softplus', inputs: [X([3, 4], -3, 3)] }],
  ['Elu', { op: 'Elu', inputs: [X([3, 4], -3, 3)] }],
  ['Elu alpha', { op: 'Elu', inputs: [X([3, 4], -3, 3)], attrs: { alpha: { type: 'float', value: 0.4 } }, opset: 13 }],
  ['Selu', { op: 'Selu', inputs: [X([3, 4], -3, 3)] }],
  ['Selu alpha gamma', { op: 'Selu', inputs: [X([3, 4], -3, 3)], attrs: { alpha: { type: 'float', value: 1.5 }, gamma: { type: 'float', value: 0.8 } }, opset: 18 }],
  ['Celu', { op: 'Celu', inputs: [X([3, 4], -3, 3)] }],
  ['Celu alpha', { op: 'Celu', inputs: [X([3, 4], -3, 3)], attrs: { alpha: { type: 'float', value: 0.5 } }, opset: 13 }],
  ['ThresholdedRelu', { op: 'ThresholdedRelu', inputs: [X([3, 4], -3, 3)] }],
  ['ThresholdedRelu alpha', { op: 'ThresholdedRelu', inputs: [X([3, 4], -3, 3)], attrs: { alpha: { type: 'float', value: -0.5 } }, opset: 13 }],
  ['Mish', { op: 'Mish', inputs: [X([3, 4], -4, 4)], opset: 18 }],
  ['Softsign', { op: 'Softsign', inputs: [X([3, 4], -3, 3)] }],
  ['Exp', { op: 'Exp', inputs: [X([3, 4])] }],
  ['Log', { op: 'Log', inputs: [X([3, 4], 0.2, 2)] }],
  ['Sqrt', { op: 'Sqrt', inputs: [X([3, 4], 0.2, 2)] }],
  ['Pow both', { op: 'Pow', inputs: [X([2, 3], 0.5, 2), X([2, 3], -2, 2)] }],
  ['Pow broadcast exponent', { op: 'Pow', inputs: [X([2, 3], 0.5, 2), X([3], -2, 2)], opset: 13 }],
  ['Pow broadcast base', { op: 'Pow', inputs: [X([3], 0.5, 2), X([2, 3], -2, 2)] }],
  ['Pow scalar exponent', { op: 'Pow', inputs: [X([2, 3], 0.5, 2), { dims: [], values: [1.7] }], opset: 18 }],
  ['Pow const 2', { op: 'Pow', inputs: [X([2, 3], -2, 2), C([], [2])] }],
  ['Pow const 0.5', { op: 'Pow', inputs: [X([2, 3], 0.5, 2), C([], [0.5])] }],
  ['Pow const 3', { op: 'Pow', inputs: [X([2, 3], -2, 2), C([], [3])] }],
  ['Pow const -1.5', { op: 'Pow', inputs: [X([2, 3], 0.5, 2), C([1], [-1.5])] }],
  ['Pow const 1', { op: 'Pow', inputs: [X([2, 3], 0.5, 2), C([], [1])] }],
  ['Pow int64 exponent', { op: 'Pow', inputs: [X([2, 3], -2, 2), I([], [3])] }],
  ['Pow const tensor exponent', { op: 'Pow', inputs: [X([2, 3], 0.5, 2), C([3], [1, 2, -0.5])] }],
  ['Neg', { op: 'Neg', inputs: [X([2, 3])] }],
  ['Abs', { op: 'Abs', inputs: [X([2, 3])] }],
  ['Add same shape', { op: 'Add', inputs: [X([2, 3]), X([2, 3])] }],
  ['Add broadcast', { op: 'Add', inputs: [X([2, 3, 4]), X([3, 1])], opset: 13 }],
  ['Add broadcast left', { op: 'Add', inputs: [X([4]), X([2, 3, 4])] }],
  ['Add both broadcast', { op: 'Add', inputs: [X([2, 1, 4]), X([1, 3, 1])], opset: 18 }],
  ['Add scalar', { op: 'Add', inputs: [X([]), X([2, 3])] }],
  ['Add constant', { op: 'Add', inputs: [X([2, 3]), C([3], [1, 2, 3])] }],
  ['Sub broadcast', { op: 'Sub', inputs: [X([2, 3, 4]), X([3, 1])] }],
  ['Sub broadcast left', { op: 'Sub', inputs: [X([1, 4]), X([2, 3, 4])], opset: 13 }],
  ['Mul broadcast', { op: 'Mul', inputs: [X([2, 3, 4]), X([3, 1])] }],
  ['Mul both broadcast', { op: 'Mul', inputs: [X([2, 1, 4]), X([1, 3, 1])], opset: 18 }],
  ['Mul scalar', { op: 'Mul', inputs: [X([2, 3]), X([])] }],
  ['Div', { op: 'Div', inputs: [X([2, 3]), X([2, 3], 0.5, 1.5)] }],
  ['Div broadcast', { op: 'Div', inputs: [X([2, 3, 4]), X([3, 1], 0.5, 1.5)], opset: 13 }],
  ['Div broadcast numerator', { op: 'Div', inputs: [X([4]), X([2, 3, 4], -1.5, -0.5)] }],
  ['Identity', { op: 'Identity', inputs: [X([2, 3])] }],
  ['Dropout', { op: 'Dropout', inputs: [X([2, 3])], opset: 13 }],
  ['Dropout with mask', { op: 'Dropout', inputs: [X([2, 3]), C([], [0.3])], outputs: 2 }],
  ['Cast to double', { op: 'Cast', inputs: [X([2, 3])], attrs: { to: 11 } }],
  ['Cast to float', { op: 'Cast', inputs: [X([2, 3])], attrs: { to: 1 }, opset: 13 }],
];

describe('elementwise rules match finite differences', () => {
  it.each(CASES)('%s', (_, spec) => {
    const r = checkRule(spec);
    expect(r.maxAbsError).toBeLessThan(1e-6);
    expect(r.maxGrad).toBeGreaterThan(0);
  });
});

describe('elementwise kink conventions (PyTorch)', () => {
  const at = (op: string, xs: number[], extra: InputSpec[] = [], attrs: RuleCheck['attrs'] = {}, opset = 17) =>
    vjpAt({ op, inputs: [{ dims: [xs.length], values: xs }, ...extra], attrs, opset })[0];
  it("ReLU'(0) = 0", () => expect(at('Relu', [-1, 0, 1])).toEqual([0, 0, 1]));
  it("LeakyReLU'(0) = alpha", () => expect(at('LeakyRelu', [-1, 0, 1], [], { alpha: { type: 'float', value: 0.125 } })).toEqual([0.125, 0.125, 1]));
  it("LeakyReLU'(0) = alpha outside [0, 1] too", () => expect(at('LeakyRelu', [-1, 0, 1], [], { alpha: { type: 'float', value: -0.5 } })).toEqual([-0.5, -0.5, 1]));
  it('LeakyReLU passes dy exactly on the positive side', () => {
    const [g] = vjpAt({ op: 'LeakyRelu', inputs: [{ dims: [2], values: [1, 2] }], attrs: { alpha: { type: 'float', value: 0.3 } } });
    expect(g).toEqual([1, 1]);
  });
  it("PRelu'(0) = slope", () => expect(at('PRelu', [-1, 0, 2], [C([1], [0.25])])).toEqual([0.25, 0.25, 1]));
  it("Abs'(0) = 0", () => expect(at('Abs', [-2, 0, 3])).toEqual([-1, 0, 1]));
  it('Clip passes only strictly inside', () => expect(at('Clip', [-1, -0.5, 1, 2], [C([], [-1]), C([], [1])])).toEqual([0, 1, 0, 0]));
  it('ReLU6 as Clip(0, 6)', () => expect(at('Clip', [0, 6, 3, -1, 7], [C([], [0]), C([], [6])])).toEqual([0, 0, 1, 0, 0]));
  it.each(['portable', 'cpu'] as const)('Clip, compiled for %s: strictly inside, nothing when lo > hi (the mask reads y)', (provider) => {
    const clipAt = (xs: number[], lo: number, hi: number) => vjpAt({ op: 'Clip', inputs: [{ dims: [xs.length], values: xs }, C([], [lo]), C([], [hi])], provider, opset: 13 })[0];
    expect(clipAt([0, 6, 3, -1, 7, 5.999999], 0, 6)).toEqual([0, 0, 1, 0, 0, 1]);
    expect(clipAt([0, 1, 2, 3], 2, 1)).toEqual([0, 0, 0, 0]);
  });
  it('HardSigmoid is flat at its corners', () => expect(at('HardSigmoid', [-2.5, 2.5, 0])).toEqual([0, 0, Math.fround(0.2)]));
  it('HardSwish follows the PyTorch backward at ±3', () => {
    const g = at('HardSwish', [-3, 3, -4, 4, 0], [], {}, 14);
    [-0.5, 1.5, 0, 1, 0.5].forEach((v, i) => expect(g[i]).toBeCloseTo(v, 12));
  });
  it('Elu, Selu and Celu take the negative branch at 0, as PyTorch does', () => {
    const e = at('Elu', [-1, 0, 1], [], { alpha: { type: 'float', value: 0.5 } });
    expect(e[0]).toBeCloseTo(0.5 * Math.exp(-1), 7);
    expect(e.slice(1)).toEqual([0.5, 1]);
    const g = at('Selu', [0, 1]);
    expect(g[0]).toBeCloseTo(1.67326319217681884765625 * 1.05070102214813232421875, 6);
    expect(g[1]).toBeCloseTo(1.05070102214813232421875, 7);
    expect(at('Celu', [0, 2], [], { alpha: { type: 'float', value: 2 } })).toEqual([1, 1]);
  });
  it('ThresholdedRelu passes dy only strictly above alpha', () => expect(at('ThresholdedRelu', [0.5, 1, 1.5])).toEqual([0, 0, 1]));
  it('Mish stays finite where exp overflows', () => {
    const g = at('Mish', [-200, 0, 200], [], {}, 18);
    expect(g[0]).toBeCloseTo(0, 12);
    expect(g[1]).toBeCloseTo(Math.tanh(Math.LN2), 6);
    expect(g[2]).toBe(1);
  });
  it('Pow with exponent 0 has a zero gradient, also at 0', () => expect(at('Pow', [0, 1, 2], [C([], [0])])).toEqual([0, 0, 0]));
  it('Pow exponent gradient is 0 at a zero base', () => {
    const [, de] = vjpAt({ op: 'Pow', inputs: [{ dims: [2], values: [0, 2] }, { dims: [2], values: [2, 3] }] });
    expect(de[0]).toBe(0);
    expect(de[1]).toBeCloseTo(8 * Math.log(2), 12);
  });
  it('Cast to an integer type carries no gradient', () => {
    const [g] = vjpAt({ op: 'Cast', inputs: [{ dims: [2], values: [1.5, 2.5] }], attrs: { to: 7 } });
    expect(g).toEqual([0, 0]);
  });
});

describe('Where', () => {
  it('routes dy to the chosen branch and sums it over broadcast axes; the condition gets none', () => {
    const graph = emptyGraph('where');
    const model = newModel(graph, 17);
    const b = new GraphBuilder(graph, 17);
    graph.initializers.set('c', new Initializer('c', 'float32', [2, 1], f32([1, -1], [2, 1])));
    graph.inputs.push({ name: 'x', dtype: 'float32', shape: [2, 3] }, { name: 'y', dtype: 'float32', shape: [3] });
    const cond = b.op('Greater', ['c', b.scalar(0)]);
    const out = b.where(cond, 'x', 'y');
    const w = [1, 2, 3, 4, 5, 6];
    const grads = buildGradient(model, { seeds: [{ of: out, grad: b.constant(f32(w, [2, 3])) }], wrt: ['x', 'y'] });
    const feeds = {
      x: { dtype: 'float' as const, dims: [2, 3], data: new Float64Array(6) },
      y: { dtype: 'float' as const, dims: [3], data: new Float64Array(3) },
    };
    const r = run(model, feeds, [grads.get('x')!, grads.get('y')!]);
    expect(Array.from(r[grads.get('x')!].data as Float64Array)).toEqual([1, 2, 3, 0, 0, 0]);
    expect(Array.from(r[grads.get('y')!].data as Float64Array)).toEqual([4, 5, 6]);
    expect(r[grads.get('y')!].dims).toEqual([3]);
  });
});

describe('onnxruntime-node accepts the emitted elementwise VJPs', () => {
  const ORT_CASES: RuleCheck[] = [
    ...CASES.map(([, spec]) => spec),
    ...CASES.filter(([, s]) => (s.opset ?? 17) === 17 && s.op !== 'Gelu').map(([, s]) => ({ ...s, opset: 13 + (s.op === 'HardSwish' ? 1 : 0) })),
    ...CASES.filter(([, s]) => (s.opset ?? 17) === 17).map(([, s]) => ({ ...s, opset: 21 })),
  ];
  it('runs every case at opsets 13/14, 17, 18, 20 and 21 and agrees with the reference', async () => {
    const emitted = new Set<string>();
    for (const spec of ORT_CASES) {
      const r = await ortVjp(spec);
      r.emitted.forEach((op) => emitted.add(op));
      // Graphs compiled for onnxruntime's CPU may also use CPU_EMITTED_OPS; the portable ones only EMITTED_OPS.
      const allowed: readonly string[] = spec.provider === 'cpu' ? [...EMITTED_OPS, ...CPU_EMITTED_OPS] : EMITTED_OPS;
      expect([...r.emitted].filter((op) => !allowed.includes(op)), `${spec.op} for ${spec.provider ?? 'portable'}`).toEqual([]);
      expect(r.maxAbsDiff, `${spec.op} at opset ${spec.opset}`).toBeLessThan(1e-5 * Math.max(1, r.maxGrad));
    }
    expect(emitted.size).toBeGreaterThan(10);
  });
});
