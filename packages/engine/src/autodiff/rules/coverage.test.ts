// The rule table: every differentiable op has a rule, no op is defined by two families, and the driver refuses a
// rule that returns the wrong number of gradients.
import { describe, expect, it } from 'vitest';
import { checkArity } from '../driver.ts';
import { DIFFERENTIABLE_OPS } from '../ops.ts';
import type { Rule } from '../rule.ts';
import { RULES, mergeRuleFamilies } from './index.ts';

describe('rule coverage', () => {
  it('has a rule for every op in DIFFERENTIABLE_OPS', () => {
    const missing = DIFFERENTIABLE_OPS.filter((op) => typeof (RULES as Record<string, unknown>)[op] !== 'function');
    expect(missing).toEqual([]);
  });

  it('refuses an op that two families define', () => {
    const rule: Rule = () => [undefined];
    expect(mergeRuleFamilies({ a: { Relu: rule }, b: { Sigmoid: rule } })).toEqual({ Relu: rule, Sigmoid: rule });
    expect(() => mergeRuleFamilies({ elementwise: { Relu: rule, Tanh: rule }, movement: { Relu: rule } })).toThrow(
      'the gradient rule for Relu is defined twice, in the elementwise and movement rules',
    );
  });

  it('refuses a rule that leaves out a needed gradient or gives one for an input the node lacks', () => {
    const node = { op: 'Gemm', domain: '', name: 'fc', inputs: ['x', 'w', 'b'], outputs: ['y'], attrs: {} };
    expect(checkArity(node, ['dx', undefined, 'db'], [true, false, true])).toEqual(['dx', undefined, 'db']);
    // Trailing inputs that need nothing may be left out; an explicit undefined says "none".
    expect(checkArity(node, ['dx'], [true, false, false])).toEqual(['dx']);
    expect(checkArity(node, ['dx', undefined], [true, true, false])).toEqual(['dx', undefined]);
    expect(() => checkArity(node, ['dx'], [true, true, false])).toThrow('the gradient rule for Gemm (node "fc") returned 1 gradient(s) and none for input 1 ("w"), which needs one');
    expect(() => checkArity(node, ['dx', 'dw', 'db', 'extra'], [true, true, true])).toThrow('the gradient rule for Gemm (node "fc") returned 4 gradients for its 3 input(s)');
    expect(checkArity(node, ['dx', 'dw', 'db', undefined], [true, true, true])).toHaveLength(4);
  });
});
