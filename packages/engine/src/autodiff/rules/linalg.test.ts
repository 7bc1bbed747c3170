// Linalg gradient rules: finite-difference checks, symbolic batch dims, and ORT acceptance.
import { describe, expect, it } from 'vitest';
import { EMITTED_OPS } from '../ops.ts';
import { checkRule, mulberry } from '../../../test/gradcheck.ts';
import type { InputSpec, RuleCheck } from '../../../test/gradcheck.ts';
import { ortVjp, vjpRef } from '../../../test/ort-vjp.ts';

let seed = 101;
const X = (dims: number[]): InputSpec => {
  const r = mulberry(seed++);
  return { dims, values: Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => r() * 2 - 1) };
};
const C = (dims: number[]): InputSpec => ({ ...(X(dims) as { values: number[] }), dims, constant: true });
const f = (value: number) => ({ type: 'float' as const, value });

const CASES: [string, RuleCheck][] = [
  ['MatMul 2-D', { op: 'MatMul', inputs: [X([3, 4]), X([4, 5])], opset: 13 }],
  ['MatMul constant weight', { op: 'MatMul', inputs: [X([3, 4]), C([4, 5])] }],
  ['MatMul batched x 2-D weight', { op: 'MatMul', inputs: [X([2, 3, 4]), X([4, 5])] }],
  ['MatMul rank-4 x 2-D weight', { op: 'MatMul', inputs: [X([2, 2, 3, 4]), X([4, 5])], opset: 18 }],
  ['MatMul batched both', { op: 'MatMul', inputs: [X([2, 3, 4]), X([2, 4, 5])] }],
  ['MatMul broadcast batch', { op: 'MatMul', inputs: [X([2, 1, 3, 4]), X([3, 4, 5])], opset: 13 }],
  ['MatMul broadcast batch left', { op: 'MatMul', inputs: [X([1, 3, 4]), X([2, 4, 5])] }],
  ['MatMul 2-D x batched', { op: 'MatMul', inputs: [X([3, 4]), X([2, 4, 5])] }],
  ['MatMul 1-D x 2-D', { op: 'MatMul', inputs: [X([4]), X([4, 5])] }],
  ['MatMul 2-D x 1-D', { op: 'MatMul', inputs: [X([3, 4]), X([4])] }],
  ['MatMul 1-D x 1-D', { op: 'MatMul', inputs: [X([4]), X([4])], opset: 18 }],
  ['MatMul batched x 1-D', { op: 'MatMul', inputs: [X([2, 3, 4]), X([4])] }],
  ['MatMul 1-D x batched', { op: 'MatMul', inputs: [X([4]), X([2, 4, 5])] }],
  ['Gemm', { op: 'Gemm', inputs: [X([3, 4]), X([4, 5]), X([5])], opset: 13 }],
  ['Gemm transA', { op: 'Gemm', inputs: [X([4, 3]), X([4, 5]), X([3, 5])], attrs: { transA: 1 } }],
  ['Gemm transB', { op: 'Gemm', inputs: [X([3, 4]), X([5, 4]), X([1, 5])], attrs: { transB: 1 } }],
  ['Gemm transA transB', { op: 'Gemm', inputs: [X([4, 3]), X([5, 4]), X([3, 1])], attrs: { transA: 1, transB: 1 }, opset: 18 }],
  ['Gemm alpha beta', { op: 'Gemm', inputs: [X([3, 4]), X([5, 4]), X([5])], attrs: { transB: 1, alpha: f(0.7), beta: f(-1.3) } }],
  ['Gemm alpha transA', { op: 'Gemm', inputs: [X([4, 3]), X([4, 5]), X([1])], attrs: { transA: 1, alpha: f(2.5), beta: f(0.5) } }],
  ['Gemm scalar C', { op: 'Gemm', inputs: [X([3, 4]), X([4, 5]), X([])], attrs: { beta: f(2) } }],
  ['Gemm no C', { op: 'Gemm', inputs: [X([3, 4]), X([5, 4])], attrs: { transB: 1, alpha: f(0.5) } }],
  ['Gemm constant weight', { op: 'Gemm', inputs: [X([3, 4]), C([5, 4]), C([5])], attrs: { transB: 1 } }],
];

describe('linalg rules match finite differences', () => {
  it.each(CASES)('%s', (_, spec) => {
    const r = checkRule(spec);
    expect(r.maxAbsError).toBeLessThan(1e-6);
    expect(r.maxGrad).toBeGreaterThan(0);
  });
});

describe('linalg rules with a symbolic batch dim', () => {
  const SYMBOLIC: [string, RuleCheck, Record<number, (number | string)[]>][] = [
    ['MatMul [N,K] x [K,M]', { op: 'MatMul', inputs: [X([2, 4]), X([4, 5])] }, { 0: ['N', 4] }],
    ['MatMul [N,T,K] x [K,M]', { op: 'MatMul', inputs: [X([2, 3, 4]), X([4, 5])] }, { 0: ['N', 3, 4] }],
    ['MatMul [N,T,K] x [N,K,M]', { op: 'MatMul', inputs: [X([2, 3, 4]), X([2, 4, 5])] }, { 0: ['N', 3, 4], 1: ['N', 4, 5] }],
    ['MatMul [N,K] x [K]', { op: 'MatMul', inputs: [X([2, 4]), X([4])] }, { 0: ['N', 4] }],
    ['Gemm [N,K]', { op: 'Gemm', inputs: [X([2, 4]), X([5, 4]), X([5])], attrs: { transB: 1 } }, { 0: ['N', 4] }],
  ];
  it.each(SYMBOLIC)('%s gives the static-shape gradients', (_, spec, declared) => {
    expect(vjpRef(spec, declared)).toEqual(vjpRef(spec));
  });
  it.each(SYMBOLIC)('%s runs on onnxruntime-node', async (_, spec, declared) => {
    const r = await ortVjp(spec, declared);
    expect(r.maxAbsDiff).toBeLessThan(1e-5 * Math.max(1, r.maxGrad));
  });
});

describe('onnxruntime-node accepts the emitted linalg VJPs', () => {
  it('runs every case at opsets 13, 17, 18 and 21 and agrees with the reference', async () => {
    const emitted = new Set<string>();
    for (const [, spec] of CASES)
      for (const opset of [spec.opset ?? 17, 21]) {
        const r = await ortVjp({ ...spec, opset });
        r.emitted.forEach((op) => emitted.add(op));
        expect(r.maxAbsDiff, `${spec.op} at opset ${opset}`).toBeLessThan(1e-5 * Math.max(1, r.maxGrad));
      }
    expect([...emitted].filter((op) => !(EMITTED_OPS as readonly string[]).includes(op))).toEqual([]);
    expect([...emitted].sort()).toEqual(['Flatten', 'Gemm', 'MatMul', 'Mul', 'ReduceSum', 'Squeeze', 'Transpose', 'Unsqueeze']);
  });
});
