// Gradient rules: normalization ops.
import type { DifferentiableOp } from '../ops.ts';
import type { Rule } from '../rule.ts';

export const normalizationRules = {} satisfies Partial<Record<DifferentiableOp, Rule>>;
