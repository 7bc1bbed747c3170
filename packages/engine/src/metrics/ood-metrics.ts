// The OOD evaluation entry point: one sort of both score sets, then every ODIN metric and curve from one sweep.
import { averagePrecisionIn, averagePrecisionOut, prCurveIn, prCurveOut, type PrCurve } from './average-precision.ts';
import { MAX_CURVE_POINTS } from './downsample.ts';
import { auroc, detectionError, fprAtTpr, rocCurve, type RocCurve } from './roc.ts';
import { sweepThresholds, type ScoreArray } from './sweep.ts';

/**
 * The standard ODIN evaluation numbers. Higher score = "more in-distribution", and
 * in-distribution is the POSITIVE class. All values except `threshold` are fractions in [0, 1].
 * Definitions are also in docs/metrics.md.
 */
export interface OodMetrics {
  /**
   * FPR at 95% TPR: let t be the largest threshold with P(s_in ≥ t) ≥ 0.95; this is P(s_out ≥ t).
   * Equals sklearn's `fpr[argmax(tpr >= 0.95)]` from `roc_curve(labels_in_is_1, scores,
   * drop_intermediate=False)`.
   */
  fprAt95Tpr: number;
  /**
   * Detection error: min over t of 0.5·P(s_in < t) + 0.5·P(s_out ≥ t), t ranging over all reals
   * (every distinct score value, plus +∞ which gives 0.5). At most 0.5.
   */
  detectionError: number;
  /** Area under the ROC curve with ties counting ½ (= Mann–Whitney U / (n_in·n_out)). */
  auroc: number;
  /**
   * Average precision, in-distribution positive (sklearn's `average_precision_score`):
   * AP = Σ_k (R_k − R_{k−1})·P_k over distinct thresholds in decreasing order, ties grouped.
   */
  auprIn: number;
  /** The same average precision with OOD as the positive class and the scores negated. */
  auprOut: number;
  /**
   * The t of `fprAt95Tpr` (an in-distribution score): classify "in-distribution iff
   * score ≥ threshold" to get ≥ 95% TPR at that FPR. In score units, not a fraction.
   */
  threshold: number;
}

/** Curves for plotting, each downsampled to at most 1000 points with both endpoints kept. */
export interface OodCurves {
  /**
   * ROC curve (in-distribution positive), by decreasing threshold: from (fpr 0, tpr 0) at
   * threshold +Infinity to (1, 1) at the lowest score. fpr and tpr are non-decreasing.
   * NOTE: thresholds[0] is +Infinity, which JSON.stringify writes as null.
   */
  roc: RocCurve;
  /** PR curve, in-distribution positive: recall non-decreasing from (0, 1) to (1, n_in / n). */
  prIn: PrCurve;
  /** PR curve, OOD positive (scores negated): recall non-decreasing from (0, 1) to (1, n_out / n). */
  prOut: PrCurve;
}

/** Options for {@link computeOodMetrics}. */
export interface OodMetricsOptions {
  /** Cap on the points in each curve (≥ 2); default 1000. */
  maxCurvePoints?: number;
}

/**
 * Computes every OOD metric and curve for a detector's scores in O(n log n) (one sort).
 *
 * @param scoresIn scores of in-distribution inputs (the positive class); higher = more in-distribution.
 * @param scoresOut scores of out-of-distribution inputs.
 * @throws Error if either input is empty or contains NaN.
 */
export function computeOodMetrics(
  scoresIn: ScoreArray,
  scoresOut: ScoreArray,
  options: OodMetricsOptions = {},
): OodMetrics & { curves: OodCurves } {
  const { maxCurvePoints = MAX_CURVE_POINTS } = options;
  const sweep = sweepThresholds(scoresIn, scoresOut);
  const { fpr, threshold } = fprAtTpr(sweep, 0.95);
  return {
    fprAt95Tpr: fpr,
    detectionError: detectionError(sweep),
    auroc: auroc(sweep),
    auprIn: averagePrecisionIn(sweep),
    auprOut: averagePrecisionOut(sweep),
    threshold,
    curves: {
      roc: rocCurve(sweep, maxCurvePoints),
      prIn: prCurveIn(sweep, maxCurvePoints),
      prOut: prCurveOut(sweep, maxCurvePoints),
    },
  };
}
