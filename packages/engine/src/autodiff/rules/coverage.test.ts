// Every differentiable op has a gradient rule in the table.
import { describe, expect, it } from 'vitest';
import { DIFFERENTIABLE_OPS } from '../ops.ts';
import { RULES } from './index.ts';

describe('rule coverage', () => {
  it('has a rule for every op in DIFFERENTIABLE_OPS', () => {
    const missing = DIFFERENTIABLE_OPS.filter((op) => typeof (RULES as Record<string, unknown>)[op] !== 'function');
    expect(missing).toEqual([]);
  });
});
