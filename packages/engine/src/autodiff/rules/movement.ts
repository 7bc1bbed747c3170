// Gradient rules: movement ops.
import type { DifferentiableOp } from '../ops.ts';
import type { Rule } from '../rule.ts';

export const movementRules = {} satisfies Partial<Record<DifferentiableOp, Rule>>;
