// Gradient rules: linalg ops.
import type { DifferentiableOp } from '../ops.ts';
import type { Rule } from '../rule.ts';

export const linalgRules = {} satisfies Partial<Record<DifferentiableOp, Rule>>;
