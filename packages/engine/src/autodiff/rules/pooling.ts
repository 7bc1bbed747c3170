// Gradient rules: pooling ops.
import type { DifferentiableOp } from '../ops.ts';
import type { Rule } from '../rule.ts';

export const poolingRules = {} satisfies Partial<Record<DifferentiableOp, Rule>>;
