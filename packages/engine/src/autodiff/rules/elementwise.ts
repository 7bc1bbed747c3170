// Gradient rules: elementwise ops.
import type { DifferentiableOp } from '../ops.ts';
import type { Rule } from '../rule.ts';

export const elementwiseRules = {} satisfies Partial<Record<DifferentiableOp, Rule>>;
