// Average precision (AUPR-In, AUPR-Out) and precision–recall curves from a threshold sweep.
import { downsampleIndices, MAX_CURVE_POINTS } from './downsample.ts';
import type { ThresholdSweep } from './sweep.ts';

/** Precision–recall curve in order of increasing recall. */
export interface PrCurve {
  recall: number[];
  precision: number[];
}

/**
 * Average precision with in-distribution positive (sklearn's `average_precision_score`):
 * AP = Σ_k (R_k − R_{k−1})·P_k over distinct thresholds in decreasing order (ties grouped), R_0 = 0.
 *
 * NOTE: a plain left-to-right double sum of up to n terms; its rounding error is far below 1e-9.
 */
export function averagePrecisionIn(s: ThresholdSweep): number {
  let sum = 0;
  for (let k = 1; k <= s.m; k++) {
    const dtp = s.tp[k] - s.tp[k - 1];
    if (dtp > 0) sum += dtp * (s.tp[k] / (s.tp[k] + s.fp[k]));
  }
  return sum / s.nIn;
}

/**
 * Average precision with out-of-distribution positive and the scores negated: the same sum as
 * {@link averagePrecisionIn} with thresholds taken in increasing order of the original score
 * ("OOD iff score ≤ v").
 *
 * Accepting the groups below and at values[q-1] leaves tp[q-1], fp[q-1] above them, so the OOD
 * detector has TP = nOut − fp[q-1] and FP = nIn − tp[q-1].
 */
export function averagePrecisionOut(s: ThresholdSweep): number {
  let sum = 0;
  for (let k = s.m; k >= 1; k--) {
    const dtp = s.fp[k] - s.fp[k - 1];
    if (dtp > 0) {
      const tpOut = s.nOut - s.fp[k - 1];
      const fpOut = s.nIn - s.tp[k - 1];
      sum += dtp * (tpOut / (tpOut + fpOut));
    }
  }
  return sum / s.nOut;
}

/**
 * PR curve with in-distribution positive: from (recall 0, precision 1) — sklearn's conventional
 * first point — through every distinct threshold in decreasing order, to (1, nIn / (nIn + nOut)).
 */
export function prCurveIn(s: ThresholdSweep, maxPoints: number = MAX_CURVE_POINTS): PrCurve {
  const recallAt = (k: number) => s.tp[k] / s.nIn;
  const precisionAt = (k: number) => (k === 0 ? 1 : s.tp[k] / (s.tp[k] + s.fp[k]));
  const idx = downsampleIndices(s.m + 1, recallAt, precisionAt, maxPoints);
  return { recall: idx.map(recallAt), precision: idx.map(precisionAt) };
}

/**
 * PR curve with out-of-distribution positive (scores negated): from (0, 1) through every distinct
 * threshold in increasing order of the original score, to (1, nOut / (nIn + nOut)).
 */
export function prCurveOut(s: ThresholdSweep, maxPoints: number = MAX_CURVE_POINTS): PrCurve {
  // Point j accepts as OOD every score ≤ values[m - j], i.e. all but the top q = m − j groups.
  const recallAt = (j: number) => (s.nOut - s.fp[s.m - j]) / s.nOut;
  const precisionAt = (j: number) => {
    if (j === 0) return 1;
    const q = s.m - j;
    const tpOut = s.nOut - s.fp[q];
    return tpOut / (tpOut + s.nIn - s.tp[q]);
  };
  const idx = downsampleIndices(s.m + 1, recallAt, precisionAt, maxPoints);
  return { recall: idx.map(recallAt), precision: idx.map(precisionAt) };
}
