// The rule table: one entry per differentiable op, gathered from the per-family files.
// Typing it over DifferentiableOp makes a missing rule a compile error.
import type { DifferentiableOp } from '../ops.ts';
import type { Rule } from '../rule.ts';
import { convolutionRules } from './convolution.ts';
import { elementwiseRules } from './elementwise.ts';
import { linalgRules } from './linalg.ts';
import { movementRules } from './movement.ts';
import { normalizationRules } from './normalization.ts';
import { poolingRules } from './pooling.ts';
import { reductionRules } from './reduction.ts';

type Family = Partial<Record<DifferentiableOp, Rule>>;

/** Joins rule families into one table; an op that two families define is an error, not a silent override. */
export function mergeRuleFamilies(families: Record<string, Family>): Family {
  const table: Family = {};
  const owner = new Map<string, string>();
  for (const [family, rules] of Object.entries(families))
    for (const op of Object.keys(rules) as DifferentiableOp[]) {
      if (owner.has(op)) throw new Error(`the gradient rule for ${op} is defined twice, in the ${owner.get(op)} and ${family} rules`);
      owner.set(op, family);
      table[op] = rules[op];
    }
  return table;
}

/** What the families define together: typing RULES over DifferentiableOp makes a missing rule a compile error. */
type AllFamilies = typeof elementwiseRules & typeof linalgRules & typeof movementRules & typeof reductionRules &
  typeof normalizationRules & typeof convolutionRules & typeof poolingRules;

export const RULES: { [K in DifferentiableOp]: Rule } = mergeRuleFamilies({
  elementwise: elementwiseRules,
  linalg: linalgRules,
  movement: movementRules,
  reduction: reductionRules,
  normalization: normalizationRules,
  convolution: convolutionRules,
  pooling: poolingRules,
}) as AllFamilies;
