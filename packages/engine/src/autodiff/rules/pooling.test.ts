// Pooling gradient rules: finite differences, the first-maximum convention at ties, and agreement with ORT's pools.
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { checkRule, mulberry } from '../../../test/gradcheck.ts';
import type { InputSpec, RuleCheck } from '../../../test/gradcheck.ts';
import { ortVjp, vjpAt } from '../../../test/ort-vjp.ts';
import { buildGradient } from '../driver.ts';
import { CPU_EMITTED_OPS, EMITTED_OPS } from '../ops.ts';
import type { AttrInput } from '../../graph/attrs.ts';
import { GraphBuilder } from '../../graph/builder.ts';
import { emptyGraph } from '../../graph/ir.ts';
import { newModel, writeModel } from '../../graph/onnx-io.ts';

let seed = 601;
const size = (dims: number[]) => dims.reduce((a, b) => a * b, 1);
const values = (dims: number[]) => {
  const r = mulberry(seed++);
  return Array.from({ length: size(dims) }, () => r() * 2 - 1);
};
const X = (dims: number[]): InputSpec => ({ dims, values: values(dims) });
const dimsOf = (spec: RuleCheck) => (spec.inputs[0] as { dims: number[] }).dims;
const pool = (op: string, dims: number[], attrs: Record<string, AttrInput> = {}, opset = 17, outputs = 1): RuleCheck => ({ op, inputs: [X(dims)], attrs, opset, outputs });

const k2s2 = { kernel_shape: [2, 2], strides: [2, 2] };
const k3s2p1 = { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] };
const k3s1p1 = { kernel_shape: [3, 3], pads: [1, 1, 1, 1] };

const MAX_CASES: [string, RuleCheck][] = [
  ['2×2 stride 2', pool('MaxPool', [2, 3, 6, 6], k2s2)],
  ['2×2 stride 2, odd size (floor)', pool('MaxPool', [2, 2, 7, 5], k2s2)],
  ['2×2 stride 2, odd size, ceil_mode', pool('MaxPool', [2, 2, 7, 5], { ...k2s2, ceil_mode: 1 })],
  ['2×2 stride 2, pads 1', pool('MaxPool', [1, 2, 6, 6], { ...k2s2, pads: [1, 1, 1, 1] })],
  ['2×3 strides 2,3 (tiles, not square)', pool('MaxPool', [2, 2, 6, 9], { kernel_shape: [2, 3], strides: [2, 3] })],
  ['3×3 stride 3', pool('MaxPool', [1, 2, 9, 9], { kernel_shape: [3, 3], strides: [3, 3] })],
  ['3×3 stride 2 pad 1', pool('MaxPool', [2, 2, 7, 7], k3s2p1)],
  ['3×3 stride 1 pad 1', pool('MaxPool', [1, 2, 5, 5], k3s1p1)],
  ['3×3 stride 2, ceil_mode', pool('MaxPool', [1, 2, 6, 6], { kernel_shape: [3, 3], strides: [2, 2], ceil_mode: 1 })],
  ['3×3 stride 2 pad 1, even size, ceil_mode', pool('MaxPool', [1, 2, 8, 8], { ...k3s2p1, ceil_mode: 1 })],
  ['3×2 strides 3,1, asymmetric pads', pool('MaxPool', [1, 2, 8, 6], { kernel_shape: [3, 2], strides: [3, 1], pads: [2, 0, 0, 1] })],
  ['2×2 stride 1, dilations 2', pool('MaxPool', [1, 2, 6, 6], { kernel_shape: [2, 2], dilations: [2, 2] })],
  ['3×3 stride 2, dilations 2, pads 2', pool('MaxPool', [1, 2, 9, 9], { kernel_shape: [3, 3], strides: [2, 2], dilations: [2, 2], pads: [2, 2, 2, 2] })],
  ['auto_pad SAME_UPPER 3×3 stride 2', pool('MaxPool', [1, 2, 6, 7], { kernel_shape: [3, 3], strides: [2, 2], auto_pad: 'SAME_UPPER' })],
  ['auto_pad SAME_LOWER 2×2 stride 1', pool('MaxPool', [1, 2, 5, 5], { kernel_shape: [2, 2], auto_pad: 'SAME_LOWER' })],
  ['auto_pad SAME_UPPER 2×2 stride 2, odd size', pool('MaxPool', [1, 2, 5, 7], { ...k2s2, auto_pad: 'SAME_UPPER' })],
  ['auto_pad VALID 3×3 stride 2', pool('MaxPool', [1, 2, 7, 6], { kernel_shape: [3, 3], strides: [2, 2], auto_pad: 'VALID' })],
  ['1-D 3 stride 2 pad 1', pool('MaxPool', [2, 3, 9], { kernel_shape: [3], strides: [2], pads: [1, 1] })],
  ['3-D 2×2×2 stride 2', pool('MaxPool', [1, 2, 4, 4, 4], { kernel_shape: [2, 2, 2], strides: [2, 2, 2] })],
  ['3-D 3×2×2 strides 1,2,1', pool('MaxPool', [1, 1, 5, 4, 3], { kernel_shape: [3, 2, 2], strides: [1, 2, 1], pads: [1, 0, 0, 1, 0, 1] })],
  ['with the Indices output, opset 13', pool('MaxPool', [1, 2, 6, 6], k3s2p1, 13, 2)],
  ['opset 18', pool('MaxPool', [1, 2, 6, 6], k2s2, 18)],
  ['opset 21', pool('MaxPool', [1, 2, 7, 7], k3s2p1, 21)],
];

const AVG_CASES: [string, RuleCheck][] = [
  ['2×2 stride 2', pool('AveragePool', [2, 3, 6, 6], k2s2)],
  ['2×2 stride 2, pads 1, exclude pad', pool('AveragePool', [1, 2, 6, 6], { ...k2s2, pads: [1, 1, 1, 1] })],
  ['2×2 stride 2, pads 1, include pad', pool('AveragePool', [1, 2, 6, 6], { ...k2s2, pads: [1, 1, 1, 1], count_include_pad: 1 })],
  ['3×3 stride 1 pad 1, exclude pad', pool('AveragePool', [1, 2, 5, 5], k3s1p1)],
  ['3×3 stride 1 pad 1, include pad', pool('AveragePool', [1, 2, 5, 5], { ...k3s1p1, count_include_pad: 1 })],
  ['3×3 stride 2 pad 1, odd size, ceil_mode, exclude pad', pool('AveragePool', [1, 2, 7, 8], { ...k3s2p1, ceil_mode: 1 })],
  ['3×3 stride 2 pad 1, odd size, ceil_mode, include pad', pool('AveragePool', [1, 2, 7, 8], { ...k3s2p1, ceil_mode: 1, count_include_pad: 1 })],
  ['3×3 stride 2, ceil_mode past the end, include pad', pool('AveragePool', [1, 2, 6, 6], { kernel_shape: [3, 3], strides: [2, 2], ceil_mode: 1, count_include_pad: 1 })],
  ['3×3 stride 2, asymmetric pads, include pad', pool('AveragePool', [1, 2, 5, 7], { kernel_shape: [3, 3], strides: [2, 2], pads: [0, 2, 1, 0], count_include_pad: 1 })],
  ['2×3 stride 2, SAME_UPPER, include pad', pool('AveragePool', [1, 2, 5, 7], { kernel_shape: [2, 3], strides: [2, 2], auto_pad: 'SAME_UPPER', count_include_pad: 1 })],
  ['2×3 stride 2, SAME_LOWER, exclude pad', pool('AveragePool', [1, 2, 5, 7], { kernel_shape: [2, 3], strides: [2, 2], auto_pad: 'SAME_LOWER' })],
  ['3 stride 3, 1-D', pool('AveragePool', [2, 3, 10], { kernel_shape: [3], strides: [3] })],
  ['3-D 2×2×2 stride 2 pad 1, include pad', pool('AveragePool', [1, 2, 4, 5, 4], { kernel_shape: [2, 2, 2], strides: [2, 2, 2], pads: [1, 1, 1, 1, 1, 1], count_include_pad: 1 })],
  ['3×3 dilations 2 pad 1, include pad, opset 19', pool('AveragePool', [1, 2, 7, 7], { ...k3s1p1, dilations: [2, 2], count_include_pad: 1 }, 19)],
  ['opset 13', pool('AveragePool', [1, 2, 7, 7], k3s2p1, 13)],
  ['opset 21', pool('AveragePool', [1, 2, 7, 7], { ...k3s2p1, count_include_pad: 1 }, 21)],
];

const GLOBAL_CASES: [string, RuleCheck][] = [
  ['GlobalMaxPool 2-D', pool('GlobalMaxPool', [2, 3, 4, 5])],
  ['GlobalMaxPool 1-D', pool('GlobalMaxPool', [2, 3, 7])],
  ['GlobalMaxPool 3-D', pool('GlobalMaxPool', [1, 2, 3, 3, 2])],
  ['GlobalAveragePool 2-D', pool('GlobalAveragePool', [2, 3, 4, 5])],
  ['GlobalAveragePool 1-D', pool('GlobalAveragePool', [2, 3, 7], {}, 13)],
  ['GlobalAveragePool 3-D', pool('GlobalAveragePool', [1, 2, 3, 3, 2], {}, 21)],
];

/** MaxPool compiled for onnxruntime's CPU provider (Indices + ScatterElements), at the case's opset and at 13 (no reduction). */
const CPU_MAX_CASES: [string, RuleCheck][] = MAX_CASES.flatMap(([n, s]): [string, RuleCheck][] => [
  [`${n}, CPU scatter`, { ...s, provider: 'cpu' }],
  [`${n}, CPU scatter, opset 13`, { ...s, provider: 'cpu', opset: 13 }],
]);

describe('pooling rules match finite differences', () => {
  it.each([
    ...MAX_CASES.map(([n, s]) => [`MaxPool ${n}`, s] as const),
    ...CPU_MAX_CASES.map(([n, s]) => [`MaxPool ${n}`, s] as const),
    ...AVG_CASES.map(([n, s]) => [`AveragePool ${n}`, s] as const),
    ...GLOBAL_CASES,
  ])('%s', (_, spec) => {
    const r = checkRule(spec);
    expect(r.maxAbsError).toBeLessThan(1e-6);
    expect(r.maxGrad).toBeGreaterThan(0);
  });
});

/**
 * The expected MaxPool gradient with every output weight 1, by brute force: each window's count goes to its
 * first maximum in row-major order over the taps inside the input (padding never wins).
 */
function firstMaxCounts(x: number[], [H, W]: number[], k: number[], s: number[], pads: number[], out: number[]): number[] {
  const g = new Array<number>(H * W).fill(0);
  for (let oh = 0; oh < out[0]; oh++)
    for (let ow = 0; ow < out[1]; ow++) {
      let best = -1;
      for (let i = 0; i < k[0]; i++)
        for (let j = 0; j < k[1]; j++) {
          const [h, w] = [oh * s[0] - pads[0] + i, ow * s[1] - pads[1] + j];
          if (h < 0 || h >= H || w < 0 || w >= W) continue;
          if (best < 0 || x[h * W + w] > x[best]) best = h * W + w;
        }
      g[best] += 1;
    }
  return g;
}

describe.each(['portable', 'cpu', 'cpu at opset 13'])('MaxPool and GlobalMaxPool route the gradient to the first maximum (%s)', (target) => {
  const [provider, opset] = target === 'portable' ? (['portable', 17] as const) : (['cpu', target.endsWith('13') ? 13 : 17] as const);
  // (+ 0 turns a −0 from multiplying a 0 mask into 0, for toEqual.)
  const grad = (op: string, dims: number[], v: number[], attrs: Record<string, AttrInput> = {}) =>
    vjpAt({ op, inputs: [{ dims, values: v }], attrs, provider, opset })[0].map((g) => g + 0);
  it('constant image, 2×2 stride 2: all to the top-left of each window', () => {
    const g = grad('MaxPool', [1, 1, 4, 4], new Array(16).fill(0), k2s2);
    expect(g).toEqual([1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0]);
  });
  it.each([
    ['3×3 stride 1 pad 1, constant negative image', [5, 5], k3s1p1, -2, [5, 5]],
    ['3×3 stride 2 pad 1, constant image', [7, 7], k3s2p1, 0.5, [4, 4]],
    ['3×3 stride 2 pad 1 ceil_mode, constant image', [8, 8], { ...k3s2p1, ceil_mode: 1 }, 1, [5, 5]],
    ['2×2 stride 2 pads 1, constant negative image', [5, 5], { ...k2s2, pads: [1, 1, 1, 1] }, -1, [3, 3]],
  ] as [string, number[], Record<string, number[] | number>, number, number[]][])('%s: padding never wins', (_, hw, attrs, value, out) => {
    const x = new Array(size(hw)).fill(value);
    const pads = (attrs.pads as number[] | undefined) ?? [0, 0, 0, 0];
    const want = firstMaxCounts(x, hw, attrs.kernel_shape as number[], (attrs.strides as number[] | undefined) ?? [1, 1], pads, out);
    expect(grad('MaxPool', [1, 1, ...hw], x, attrs)).toEqual(want);
  });
  it('overlapping windows sharing one maximum sum their gradients there', () => {
    const x = new Array(25).fill(0);
    x[12] = 3;
    const g = grad('MaxPool', [1, 1, 5, 5], x, k3s1p1);
    expect(g[12]).toBe(9);
    expect(g).toEqual(firstMaxCounts(x, [5, 5], [3, 3], [1, 1], [1, 1, 1, 1], [5, 5]));
  });
  it('a tie behind a larger value: the first of the larger values wins', () => {
    // Windows (2×2 stride 2): [1 1; 2 2] → index 2; [2 0; 2 2] → index 0 of its window.
    const g = grad('MaxPool', [1, 1, 2, 4], [1, 1, 2, 0, 2, 2, 2, 2], k2s2);
    expect(g).toEqual([0, 0, 1, 0, 1, 0, 0, 0]);
  });
  it('plateaus of random levels match the brute force (3×3 stride 2 pad 1)', () => {
    const r = mulberry(99);
    const x = Array.from({ length: 81 }, () => Math.floor(r() * 3));
    expect(grad('MaxPool', [1, 1, 9, 9], x, k3s2p1)).toEqual(firstMaxCounts(x, [9, 9], [3, 3], [2, 2], [1, 1, 1, 1], [5, 5]));
  });
  it('SAME with dilations is refused with a clear message (onnxruntime and the spec disagree on its size)', () => {
    expect(() => checkRule(pool('MaxPool', [1, 1, 9, 8], { kernel_shape: [3, 3], strides: [2, 2], dilations: [2, 2], auto_pad: 'SAME_UPPER' }))).toThrow(/explicit pads/);
  });
  it('GlobalMaxPool on a constant image: all to the first position', () => {
    expect(grad('GlobalMaxPool', [1, 2, 2, 3], new Array(12).fill(4))).toEqual([1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0]);
  });
  it('GlobalMaxPool with a repeated maximum: the first one', () => {
    expect(grad('GlobalMaxPool', [1, 1, 2, 3], [0, 5, 1, 5, 5, 2])).toEqual([0, 1, 0, 0, 0, 0]);
  });
});

describe('pooling rules on onnxruntime', () => {
  const sym = (dims: number[]) => ({ 0: ['N', ...dims.slice(1)] });
  const ORT_CASES: [string, RuleCheck, Record<number, (number | string)[]>?][] = [
    ...MAX_CASES.filter((_, i) => i % 3 === 0).map(([n, s]) => [`MaxPool ${n}`, s, sym(dimsOf(s))] as [string, RuleCheck, Record<number, (number | string)[]>]),
    ...AVG_CASES.filter((_, i) => i % 2 === 0).map(([n, s]) => [`AveragePool ${n}`, s, sym(dimsOf(s))] as [string, RuleCheck, Record<number, (number | string)[]>]),
    ...GLOBAL_CASES.map(([n, s]) => [n, s, sym(dimsOf(s))] as [string, RuleCheck, Record<number, (number | string)[]>]),
  ];
  it.each(ORT_CASES)('%s', async (_, spec, declared) => {
    const r = await ortVjp(spec, declared);
    expect(r.maxAbsDiff).toBeLessThan(1e-5 * Math.max(1, r.maxGrad));
    expect(r.maxGrad).toBeGreaterThan(0);
    for (const op of r.emitted) expect(EMITTED_OPS).toContain(op);
  });

  // Every CPU case on onnxruntime, whose MaxPool Indices the scatter trusts; plateaus of three levels make ties in
  // most windows, so a kernel that broke ties other than at the first maximum would differ from the reference.
  const plateaus = (spec: RuleCheck): RuleCheck => {
    const r = mulberry(7);
    const dims = dimsOf(spec);
    return { ...spec, inputs: [{ dims, values: Array.from({ length: size(dims) }, () => Math.floor(r() * 3) - 1) }] };
  };
  it.each(CPU_MAX_CASES.flatMap(([n, s]) => [[n, s], [`${n}, at ties`, plateaus(s)]] as [string, RuleCheck][]))('MaxPool %s', async (_, spec) => {
    const r = await ortVjp(spec, sym(dimsOf(spec)));
    expect(r.maxAbsDiff).toBeLessThan(1e-5 * Math.max(1, r.maxGrad));
    expect(r.maxGrad).toBeGreaterThan(0);
    for (const op of r.emitted) expect([...EMITTED_OPS, ...CPU_EMITTED_OPS]).toContain(op);
    expect(r.emitted).toContain('ScatterElements');
  });

  /**
   * ⟨dY, pool(X)⟩ = ⟨dX, X⟩ with onnxruntime's own pool (for MaxPool: at X, where the pool selects): checks the
   * rule's geometry and AveragePool divisors against what onnxruntime computes, odd sizes and ceil_mode included.
   */
  async function adjoint(op: string, dims: number[], attrs: Record<string, AttrInput>, opset = 17): Promise<number> {
    const graph = emptyGraph('adjoint');
    const model = newModel(graph, opset);
    const b = new GraphBuilder(graph, opset);
    graph.inputs.push({ name: 'x', dtype: 'float32', shape: dims });
    const y = b.op(op, ['x'], attrs);
    const xv = Float32Array.from(values(dims));
    const probe = await ort.InferenceSession.create(writeModel({ ...model, graph: { ...graph, outputs: [{ name: y, dtype: 'float32' }] } }));
    const yDims = (await probe.run({ x: new ort.Tensor('float32', xv, dims) }))[y].dims as number[];
    graph.inputs.push({ name: 'dy', dtype: 'float32', shape: yDims });
    const dx = b.op('Identity', [buildGradient(model, { seeds: [{ of: y, grad: 'dy' }], wrt: ['x'] }).get('x')!]);
    graph.outputs = [y, dx].map((name) => ({ name, dtype: 'float32' as const }));
    const session = await ort.InferenceSession.create(writeModel(model));
    const dyv = Float32Array.from(values(yDims));
    const r = await session.run({ x: new ort.Tensor('float32', xv, dims), dy: new ort.Tensor('float32', dyv, yDims) });
    const dot = (a: ArrayLike<number>, c: ArrayLike<number>) => Array.from(a).reduce((s, v, i) => s + v * c[i], 0);
    const lhs = dot(dyv, r[y].data as Float32Array);
    return Math.abs(lhs - dot(r[dx].data as Float32Array, xv)) / Math.max(1, Math.abs(lhs));
  }
  const ADJOINT: [string, string, number[], Record<string, AttrInput>, number?][] = [
    ...AVG_CASES.map(([n, s]) => [`AveragePool ${n}`, 'AveragePool', dimsOf(s), s.attrs!, s.opset] as [string, string, number[], Record<string, AttrInput>, number]),
    ...MAX_CASES.map(([n, s]) => [`MaxPool ${n}`, 'MaxPool', dimsOf(s), s.attrs!, s.opset] as [string, string, number[], Record<string, AttrInput>, number]),
    ['AveragePool 3×3 stride 2 pads 2,0,1,1 ceil_mode, include pad, odd size', 'AveragePool', [1, 2, 9, 7], { kernel_shape: [3, 3], strides: [2, 2], pads: [2, 0, 1, 1], ceil_mode: 1, count_include_pad: 1 }],
  ];
  it.each(ADJOINT)('⟨dY, pool(X)⟩ = ⟨dX, X⟩ on ORT: %s', async (_, op, dims, attrs, opset) => {
    expect(await adjoint(op, dims, attrs, opset)).toBeLessThan(1e-5);
  });
});
