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

export const RULES: { [K in DifferentiableOp]: Rule } = {
  ...elementwiseRules,
  ...linalgRules,
  ...movementRules,
  ...reductionRules,
  ...normalizationRules,
  ...convolutionRules,
  ...poolingRules,
};
