// The reference covers the engine's op vocabularies: every op is interpreted, every differentiable op has a tape rule.
// NOTE: imports only the vocabulary lists of src/autodiff/ops.ts, never a gradient rule.
import { describe, expect, it } from 'vitest';
import { CPU_EMITTED_OPS, DIFFERENTIABLE_OPS, EMITTED_OPS, NON_DIFFERENTIABLE_OPS } from '../../src/autodiff/ops.ts';
import { REFERENCE_OPS } from './interpreter.ts';
import { TAPE_OPS } from './tape.ts';

describe('op coverage', () => {
  it('the interpreter implements every differentiable, non-differentiable and emitted op', () => {
    const all = [...new Set<string>([...DIFFERENTIABLE_OPS, ...NON_DIFFERENTIABLE_OPS, ...EMITTED_OPS, ...CPU_EMITTED_OPS])];
    expect(all.filter((op) => !(op in REFERENCE_OPS))).toEqual([]);
  });

  it('the tape has a rule for every differentiable op', () => {
    const tape = new Set<string>(TAPE_OPS);
    expect(DIFFERENTIABLE_OPS.filter((op) => !tape.has(op))).toEqual([]);
  });
});
