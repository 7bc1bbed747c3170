// Gradient rules: reduction ops.
import type { DifferentiableOp } from '../ops.ts';
import type { Rule } from '../rule.ts';

export const reductionRules = {} satisfies Partial<Record<DifferentiableOp, Rule>>;
