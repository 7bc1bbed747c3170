// ROC-based metrics from a threshold sweep: FPR at 95% TPR (and its threshold), detection error, AUROC, ROC curve.
import { downsampleIndices, MAX_CURVE_POINTS } from './downsample.ts';
import type { ThresholdSweep } from './sweep.ts';

/**
 * FPR at a target TPR, in-distribution positive.
 *
 * Let t be the largest threshold with P(s_in ≥ t) ≥ `tprTarget`; returns P(s_out ≥ t) and t.
 * This is sklearn's `fpr[argmax(tpr >= 0.95)]` from `roc_curve(..., drop_intermediate=False)`.
 * t is always one of the in-distribution scores.
 *
 * NOTE: the comparison is `tp / nIn >= tprTarget` in double precision, exactly as sklearn does it,
 * so e.g. 19 of 20 in-distribution scores counts as reaching 0.95.
 */
export function fprAtTpr(s: ThresholdSweep, tprTarget = 0.95): { fpr: number; threshold: number } {
  for (let k = 1; k <= s.m; k++) {
    if (s.tp[k] / s.nIn >= tprTarget) return { fpr: s.fp[k] / s.nOut, threshold: s.values[k - 1] };
  }
  // Unreachable for tprTarget ≤ 1: the last point has tp = nIn.
  throw new Error(`TPR never reaches ${tprTarget}`);
}

/**
 * Detection error: min over all thresholds t of 0.5·P(s_in < t) + 0.5·P(s_out ≥ t).
 * t ranges over every distinct score value plus +∞ (accept nothing, error 0.5).
 */
export function detectionError(s: ThresholdSweep): number {
  let best = 0.5;
  for (let k = 1; k <= s.m; k++) {
    const err = 0.5 * ((s.nIn - s.tp[k]) / s.nIn) + 0.5 * (s.fp[k] / s.nOut);
    if (err < best) best = err;
  }
  return best;
}

/**
 * Area under the ROC curve (trapezoids through every distinct threshold), which counts ties as ½:
 * it equals the Mann–Whitney U / (nIn·nOut) = P(s_in > s_out) + ½·P(s_in = s_out).
 *
 * NOTE: the sum Σ Δfp·(tp_k + tp_{k-1}) is accumulated in integers held in doubles, so it is exact
 * while 2·nIn·nOut < 2^53 (about 6.7e7 scores per class); the only rounding is the final division.
 */
export function auroc(s: ThresholdSweep): number {
  let twiceU = 0;
  for (let k = 1; k <= s.m; k++) twiceU += (s.fp[k] - s.fp[k - 1]) * (s.tp[k] + s.tp[k - 1]);
  return twiceU / (2 * s.nIn * s.nOut);
}

/** ROC curve points in order of decreasing threshold, from (0, 0) to (1, 1). */
export interface RocCurve {
  fpr: number[];
  tpr: number[];
  /** thresholds[i] is the t of point i (accept iff score ≥ t); thresholds[0] = +Infinity. */
  thresholds: number[];
}

/** ROC curve from (0,0) at t = +∞ to (1,1) at the lowest score, downsampled to ≤ maxPoints. */
export function rocCurve(s: ThresholdSweep, maxPoints: number = MAX_CURVE_POINTS): RocCurve {
  const fprAt = (k: number) => s.fp[k] / s.nOut;
  const tprAt = (k: number) => s.tp[k] / s.nIn;
  const idx = downsampleIndices(s.m + 1, fprAt, tprAt, maxPoints);
  return {
    fpr: idx.map(fprAt),
    tpr: idx.map(tprAt),
    thresholds: idx.map((k) => (k === 0 ? Infinity : s.values[k - 1])),
  };
}
