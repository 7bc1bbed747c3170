// The op vocabularies agree with each other: every emitted op runs on WebGPU (or is a tiny shape computation).
import { describe, expect, it } from 'vitest';
import { DIFFERENTIABLE_OPS, EMITTED_OPS, NON_DIFFERENTIABLE_OPS, WEBGPU_OPS } from './ops.ts';

describe('op vocabularies', () => {
  it('emits only ops the WebGPU provider implements', () => {
    expect(EMITTED_OPS.filter((op) => !WEBGPU_OPS.has(op))).toEqual([]);
  });

  it('never lists an op as both differentiable and not', () => {
    const nonDiff = new Set<string>(NON_DIFFERENTIABLE_OPS);
    expect(DIFFERENTIABLE_OPS.filter((op) => nonDiff.has(op))).toEqual([]);
  });
});
