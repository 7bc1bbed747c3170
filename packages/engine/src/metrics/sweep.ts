// Threshold sweep: sorts in- and out-of-distribution scores once and counts both classes at every distinct threshold.

/** Scores as produced by a detector; higher means "more in-distribution". */
export type ScoreArray = Float32Array | Float64Array | readonly number[];

/**
 * Cumulative counts at every distinct score value, taken in decreasing order.
 *
 * Point `k` (0 ≤ k ≤ m) is the classifier "in-distribution iff score ≥ values[k-1]":
 * `tp[k]` in-distribution and `fp[k]` out-of-distribution scores are accepted. Point 0 is the
 * "accept nothing" threshold (+∞, `tp[0] = fp[0] = 0`) and point m accepts everything
 * (`tp[m] = nIn`, `fp[m] = nOut`). Counts are exact integers held in doubles.
 */
export interface ThresholdSweep {
  /** Number of distinct score values. */
  readonly m: number;
  /** Distinct score values in strictly decreasing order (length m). */
  readonly values: Float64Array;
  /** tp[k] = #{in-distribution scores ≥ values[k-1]} (length m + 1, tp[0] = 0). */
  readonly tp: Float64Array;
  /** fp[k] = #{out-of-distribution scores ≥ values[k-1]} (length m + 1, fp[0] = 0). */
  readonly fp: Float64Array;
  readonly nIn: number;
  readonly nOut: number;
}

/** Copies scores into a Float64Array, throwing a clear error on empty input or NaN. */
function toCheckedFloat64(scores: ScoreArray, name: string): Float64Array {
  const out = Float64Array.from(scores);
  if (out.length === 0) throw new Error(`${name} is empty: at least one score is needed`);
  for (let i = 0; i < out.length; i++) {
    if (Number.isNaN(out[i])) throw new Error(`${name}[${i}] is NaN: scores must be numbers (not NaN)`);
  }
  return out;
}

/**
 * Builds the threshold sweep in O(n log n).
 *
 * Each class is copied into a Float64Array and sorted with the native typed-array sort (no
 * comparator, so V8 sorts numerically in native code); the two sorted runs are then merged from
 * the top down. Together that is one sort of the concatenated scores, with the class of each
 * score known from its run, so no index permutation or label array is needed.
 *
 * NOTE: -0 and +0 compare equal and fall in the same group; ±Infinity are allowed scores.
 *
 * @throws Error if either input is empty or contains NaN.
 */
export function sweepThresholds(scoresIn: ScoreArray, scoresOut: ScoreArray): ThresholdSweep {
  const a = toCheckedFloat64(scoresIn, 'scoresIn');
  const b = toCheckedFloat64(scoresOut, 'scoresOut');
  a.sort();
  b.sort();
  const nIn = a.length;
  const nOut = b.length;
  const values = new Float64Array(nIn + nOut);
  const tp = new Float64Array(nIn + nOut + 1);
  const fp = new Float64Array(nIn + nOut + 1);
  let i = nIn - 1;
  let j = nOut - 1;
  let m = 0;
  let tpCount = 0;
  let fpCount = 0;
  while (i >= 0 || j >= 0) {
    const v = i < 0 ? b[j] : j < 0 ? a[i] : a[i] >= b[j] ? a[i] : b[j];
    while (i >= 0 && a[i] === v) {
      tpCount++;
      i--;
    }
    while (j >= 0 && b[j] === v) {
      fpCount++;
      j--;
    }
    values[m] = v;
    m++;
    tp[m] = tpCount;
    fp[m] = fpCount;
  }
  return { m, values: values.subarray(0, m), tp: tp.subarray(0, m + 1), fp: fp.subarray(0, m + 1), nIn, nOut };
}
