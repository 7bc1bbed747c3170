// Reduction and softmax gradient rules: finite differences, the first-max convention, symbolic dims, ORT.
import { describe, expect, it } from 'vitest';
import { EMITTED_OPS } from '../ops.ts';
import { checkRule, mulberry } from '../../../test/gradcheck.ts';
import type { InputSpec, RuleCheck } from '../../../test/gradcheck.ts';
import { ortVjp, vjpAt, vjpRef } from '../../../test/ort-vjp.ts';

let seed = 201;
const X = (dims: number[]): InputSpec => {
  const r = mulberry(seed++);
  return { dims, values: Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => r() * 2 - 1) };
};
const axes = (values: number[]): InputSpec => ({ dims: [values.length], values, int64: true });
const none: InputSpec = { omitted: true };

/** A Reduce* case with axes as an input (ReduceSum, or opset ≥ 18) or as an attribute (older ReduceMean/Max). */
function reduce(op: string, dims: number[], ax: number[] | undefined, opset: number, attrs: RuleCheck['attrs'] = {}): RuleCheck {
  const asInput = op === 'ReduceSum' || opset >= 18;
  if (asInput) return { op, inputs: ax ? [X(dims), axes(ax)] : [X(dims)], attrs, opset };
  return { op, inputs: [X(dims)], attrs: ax ? { ...attrs, axes: ax } : attrs, opset };
}

const REDUCE_CASES: [string, RuleCheck][] = ['ReduceSum', 'ReduceMean', 'ReduceMax'].flatMap((op) =>
  [13, 17, 18].flatMap((opset): [string, RuleCheck][] => [
    [`${op} axis 1 @${opset}`, reduce(op, [2, 3, 4], [1], opset)],
    [`${op} axis -1 keepdims 0 @${opset}`, reduce(op, [2, 3, 4], [-1], opset, { keepdims: 0 })],
    [`${op} axes 0,2 @${opset}`, reduce(op, [2, 3, 4], [0, 2], opset)],
    [`${op} axes 2,0 keepdims 0 @${opset}`, reduce(op, [2, 3, 4], [2, 0], opset, { keepdims: 0 })],
    [`${op} all @${opset}`, reduce(op, [2, 3, 4], undefined, opset)],
    [`${op} all keepdims 0 @${opset}`, reduce(op, [3, 4], undefined, opset, { keepdims: 0 })],
    [`${op} 4-D axes 1,2,3 @${opset}`, reduce(op, [2, 3, 2, 2], [1, 2, 3], opset, { keepdims: 0 })],
  ]),
);

const CASES: [string, RuleCheck][] = [
  ...REDUCE_CASES,
  ['ReduceSum empty axes input', { op: 'ReduceSum', inputs: [X([2, 3]), axes([])], opset: 13 }],
  ['ReduceSum noop_with_empty_axes', { op: 'ReduceSum', inputs: [X([2, 3]), axes([])], attrs: { noop_with_empty_axes: 1 } }],
  ['ReduceSum noop_with_empty_axes omitted', { op: 'ReduceSum', inputs: [X([2, 3]), none], attrs: { noop_with_empty_axes: 1 } }],
  ['ReduceMean noop_with_empty_axes', { op: 'ReduceMean', inputs: [X([2, 3])], attrs: { noop_with_empty_axes: 1 }, opset: 18 }],
  ['ReduceMax noop_with_empty_axes', { op: 'ReduceMax', inputs: [X([2, 3]), axes([])], attrs: { noop_with_empty_axes: 1 }, opset: 18 }],
  ['Softmax', { op: 'Softmax', inputs: [X([3, 5])], opset: 13 }],
  ['Softmax axis 0', { op: 'Softmax', inputs: [X([3, 5])], attrs: { axis: 0 } }],
  ['Softmax 3-D axis 1', { op: 'Softmax', inputs: [X([2, 3, 4])], attrs: { axis: 1 }, opset: 18 }],
  ['LogSoftmax', { op: 'LogSoftmax', inputs: [X([3, 5])], opset: 13 }],
  ['LogSoftmax axis 0', { op: 'LogSoftmax', inputs: [X([3, 5])], attrs: { axis: 0 } }],
  ['LogSoftmax 3-D axis -2', { op: 'LogSoftmax', inputs: [X([2, 3, 4])], attrs: { axis: -2 }, opset: 18 }],
];

describe('reduction rules match finite differences', () => {
  it.each(CASES)('%s', (_, spec) => {
    const r = checkRule(spec);
    expect(r.maxAbsError).toBeLessThan(1e-6);
    expect(r.maxGrad).toBeGreaterThan(0);
  });
});

describe('ReduceMax routes the gradient to the first maximum', () => {
  const maxGrad = (values: number[], dims: number[], ax: number[], opset = 18, keepdims = 1) =>
    vjpAt({ ...reduce('ReduceMax', dims, ax, opset, { keepdims }), inputs: [{ dims, values }, ...(opset >= 18 ? [axes(ax)] : [])] })[0];
  it('along one axis', () => {
    expect(maxGrad([1, 3, 3, 2, 2, 1], [2, 3], [1])).toEqual([0, 1, 0, 1, 0, 0]);
    expect(maxGrad([1, 3, 3, 2, 2, 1], [2, 3], [1], 13, 0)).toEqual([0, 1, 0, 1, 0, 0]);
  });
  it('along the first axis', () => expect(maxGrad([5, 1, 5, 1, 5, 1], [3, 2], [0])).toEqual([1, 1, 0, 0, 0, 0]));
  it('over several axes in row-major order', () => {
    // [2, 2, 2], reducing axes 1 and 2: batch 0 has ties at (0,1) and (1,0); batch 1 at (1,0) and (1,1).
    expect(maxGrad([0, 7, 7, 1, 0, 0, 4, 4], [2, 2, 2], [1, 2])).toEqual([0, 1, 0, 0, 0, 0, 1, 0]);
    // Non-adjacent axes 0 and 2 of [2, 2, 2]: for middle index 0 the elements are (0,0,0),(0,0,1),(1,0,0),(1,0,1).
    expect(maxGrad([1, 2, 0, 0, 2, 2, 0, 1], [2, 2, 2], [0, 2], 17)).toEqual([0, 1, 0, 0, 0, 0, 0, 1]);
  });
  it('over all axes, a flat region sends everything to the first element', () => expect(maxGrad([3, 3, 3, 3], [2, 2], [])).toEqual([1, 0, 0, 0]));
});

describe('reduction rules with symbolic dims', () => {
  const SYMBOLIC: [string, RuleCheck, Record<number, (number | string)[]>][] = [
    ['ReduceMean over the batch', reduce('ReduceMean', [2, 3, 4], [0, 2], 18), { 0: ['N', 3, 4] }],
    ['ReduceMean over all', reduce('ReduceMean', [2, 3], undefined, 13, { keepdims: 0 }), { 0: ['N', 'M'] }],
    ['ReduceMean over the features', reduce('ReduceMean', [2, 3, 4], [-1], 13), { 0: ['N', 3, 4] }],
    ['ReduceSum over the batch', reduce('ReduceSum', [2, 3], [0], 13, { keepdims: 0 }), { 0: ['N', 3] }],
    ['ReduceMax over the batch', reduce('ReduceMax', [2, 3, 4], [0, 2], 18), { 0: ['N', 3, 4] }],
    ['ReduceMax over two symbolic axes', reduce('ReduceMax', [2, 3, 4], [0, 1], 13, { keepdims: 0 }), { 0: ['N', 'T', 4] }],
    ['ReduceMax over all', reduce('ReduceMax', [2, 3], undefined, 18), { 0: ['N', 3] }],
    ['ReduceMax over the classes', reduce('ReduceMax', [2, 5], [1], 13, { keepdims: 0 }), { 0: ['N', 5] }],
    ['Softmax', { op: 'Softmax', inputs: [X([2, 5])] }, { 0: ['N', 5] }],
  ];
  it.each(SYMBOLIC)('%s gives the static-shape gradients', (_, spec, declared) => {
    const [a, b] = [vjpRef(spec, declared)[0], vjpRef(spec)[0]];
    a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 14));
  });
  it.each(SYMBOLIC)('%s runs on onnxruntime-node', async (_, spec, declared) => {
    const r = await ortVjp(spec, declared);
    expect(r.maxAbsDiff).toBeLessThan(1e-5 * Math.max(1, r.maxGrad));
  });
});

describe('onnxruntime-node accepts the emitted reduction VJPs', () => {
  it('runs every case and agrees with the reference', async () => {
    const emitted = new Set<string>();
    for (const [, spec] of CASES) {
      const r = await ortVjp(spec);
      r.emitted.forEach((op) => emitted.add(op));
      expect(r.maxAbsDiff, `${spec.op} at opset ${spec.opset}`).toBeLessThan(1e-5 * Math.max(1, r.maxGrad));
    }
    expect([...emitted].filter((op) => !(EMITTED_OPS as readonly string[]).includes(op))).toEqual([]);
    expect(emitted).toContain('ReduceMin');
  });
  it('handles ties on ORT too (first maximum)', async () => {
    const spec = { ...reduce('ReduceMax', [2, 3], [1], 13), inputs: [{ dims: [2, 3], values: [1, 3, 3, 2, 2, 1] }] };
    const r = await ortVjp(spec);
    expect(r.maxAbsDiff).toBeLessThan(1e-6);
  });
});
