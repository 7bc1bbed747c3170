// Gradient rules: convolution ops.
import type { DifferentiableOp } from '../ops.ts';
import type { Rule } from '../rule.ts';

export const convolutionRules = {} satisfies Partial<Record<DifferentiableOp, Rule>>;
