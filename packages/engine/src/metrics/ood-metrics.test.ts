// Tests for computeOodMetrics: hand-worked cases, a brute-force O(n²) cross-check, and fast-check properties.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeOodMetrics, type OodMetrics } from './index.ts';
import { mulberry32 } from '../preprocess/random.ts';

type Metrics = OodMetrics;
const METRIC_KEYS = ['fprAt95Tpr', 'detectionError', 'auroc', 'auprIn', 'auprOut'] as const;

/** Strips the curves so results compare with toEqual / toBeCloseTo. */
function metricsOf(scoresIn: number[], scoresOut: number[]): Metrics {
  const { curves: _curves, ...m } = computeOodMetrics(scoresIn, scoresOut);
  return m;
}

function expectClose(actual: Metrics, expected: Metrics, digits = 12): void {
  for (const key of [...METRIC_KEYS, 'threshold'] as const) {
    expect(actual[key], key).toBeCloseTo(expected[key], digits);
  }
}

/**
 * Brute force straight from the definitions: sweep every distinct score value (plus +∞),
 * counting each class from scratch at each threshold — O(n · distinct). AUROC by all pairs.
 */
function bruteForce(sIn: number[], sOut: number[]): Metrics {
  const nIn = sIn.length;
  const nOut = sOut.length;
  const thresholds = [...new Set([...sIn, ...sOut])].sort((a, b) => b - a);
  const countAtLeast = (xs: number[], t: number) => xs.filter((x) => x >= t).length;

  let fpr95 = NaN;
  let threshold = NaN;
  let detErr = 0.5; // t = +∞: accept nothing.
  let apIn = 0;
  let prevRecall = 0;
  for (const t of thresholds) {
    const tp = countAtLeast(sIn, t);
    const fp = countAtLeast(sOut, t);
    if (Number.isNaN(threshold) && tp / nIn >= 0.95) {
      threshold = t;
      fpr95 = fp / nOut;
    }
    detErr = Math.min(detErr, 0.5 * (1 - tp / nIn) + 0.5 * (fp / nOut));
    apIn += (tp / nIn - prevRecall) * (tp / (tp + fp));
    prevRecall = tp / nIn;
  }

  // AUPR-Out: OOD positive, scores negated → thresholds in increasing order of the original score.
  let apOut = 0;
  prevRecall = 0;
  for (const t of [...thresholds].reverse()) {
    const tp = sOut.filter((x) => x <= t).length;
    const fp = sIn.filter((x) => x <= t).length;
    apOut += (tp / nOut - prevRecall) * (tp / (tp + fp));
    prevRecall = tp / nOut;
  }

  let u = 0;
  for (const a of sIn) for (const b of sOut) u += a > b ? 1 : a === b ? 0.5 : 0;

  return { fprAt95Tpr: fpr95, detectionError: detErr, auroc: u / (nIn * nOut), auprIn: apIn, auprOut: apOut, threshold };
}

const rng = mulberry32;

describe('computeOodMetrics: hand-worked cases', () => {
  it('ties across classes', () => {
    // in = [3, 2, 2, 1], out = [2, 1, 0]; nIn = 4, nOut = 3.
    // t  | TP FP | TPR  FPR | 0.5(1−TPR)+0.5·FPR | precision_in
    // +∞ |  0  0 | 0    0   | 0.5                |
    // 3  |  1  0 | 1/4  0   | 3/8                | 1
    // 2  |  3  1 | 3/4  1/3 | 1/8 + 1/6 = 7/24   | 3/4
    // 1  |  4  2 | 1    2/3 | 1/3                | 4/6
    // 0  |  4  3 | 1    1   | 1/2                | 4/7
    // FPR95: first TPR ≥ 0.95 is at t = 1 → FPR 2/3, threshold 1.   Detection error = 7/24.
    // AUROC (pairs, ties ½): in 3 beats 3 outs → 3; each in 2: tie ½ + beats 1, 0 → 2.5 (×2 = 5);
    //   in 1: loses to 2, tie ½, beats 0 → 1.5. U = 9.5 → 9.5 / 12 = 19/24.
    // AUPR-In = 1/4·1 + 1/2·3/4 + 1/4·4/6 + 0 = 6/24 + 9/24 + 4/24 = 19/24.
    // AUPR-Out (OOD iff s ≤ v, v increasing): v=0: TP 1 FP 0 → R 1/3 P 1; v=1: TP 2 FP 1 → R 2/3 P 2/3;
    //   v=2: TP 3 FP 3 → R 1 P 1/2; v=3: R 1. AP = 1/3 + 1/3·2/3 + 1/3·1/2 = 6/18 + 4/18 + 3/18 = 13/18.
    expectClose(metricsOf([3, 2, 2, 1], [2, 1, 0]), {
      fprAt95Tpr: 2 / 3,
      detectionError: 7 / 24,
      auroc: 19 / 24,
      auprIn: 19 / 24,
      auprOut: 13 / 18,
      threshold: 1,
    });
  });

  it('all scores equal', () => {
    // One group at t = 5 holding everything: TP 3, FP 2 → TPR 1, FPR 1.
    // FPR95 = 1 at threshold 5. Detection error = min(0.5 at +∞, 0 + 0.5·1) = 0.5. AUROC = ½ (all ties).
    // AUPR-In = 1 · 3/5; AUPR-Out = 1 · 2/5.
    expectClose(metricsOf([5, 5, 5], [5, 5]), {
      fprAt95Tpr: 1,
      detectionError: 0.5,
      auroc: 0.5,
      auprIn: 0.6,
      auprOut: 0.4,
      threshold: 5,
    });
  });

  it('perfect separation', () => {
    // in = [4, 3] above out = [2, 1]: at t = 3, TPR 1 and FPR 0 → FPR95 0, threshold 3, detection error 0.
    // Every in beats every out → AUROC 1. Precision is 1 until recall 1 in both directions → AP 1, 1.
    expectClose(metricsOf([4, 3], [2, 1]), {
      fprAt95Tpr: 0,
      detectionError: 0,
      auroc: 1,
      auprIn: 1,
      auprOut: 1,
      threshold: 3,
    });
  });

  it('reversed separation', () => {
    // in = [1, 2], out = [3, 4]. t: 4 → TP 0 FP 1; 3 → 0, 2; 2 → 1, 2; 1 → 2, 2.
    // FPR95: TPR reaches 1 only at t = 1 → FPR 1, threshold 1.
    // Detection error: +∞ 0.5; 4: 0.5+0.25; 3: 0.5+0.5; 2: 0.25+0.5; 1: 0+0.5 → 0.5.  AUROC = 0.
    // AUPR-In: recall steps at t=2 (R ½, P 1/3) and t=1 (R 1, P 2/4) → ½·1/3 + ½·½ = 5/12.
    // AUPR-Out is the mirror image: v=1 → FP 1 only, v=2 → FP 2, v=3 → R ½ P 1/3, v=4 → R 1 P ½ → 5/12.
    expectClose(metricsOf([1, 2], [3, 4]), {
      fprAt95Tpr: 1,
      detectionError: 0.5,
      auroc: 0,
      auprIn: 5 / 12,
      auprOut: 5 / 12,
      threshold: 1,
    });
  });

  it('FPR95 boundary: 19 of 20 is exactly 95%', () => {
    // in = 1..20: the largest t with P(s_in ≥ t) ≥ 0.95 is t = 2 (19/20 = 0.95 exactly).
    // out = [2.5, 1.5, 2]: P(s_out ≥ 2) = 2/3 (the tie at 2 counts as accepted).
    const sIn = Array.from({ length: 20 }, (_, i) => i + 1);
    const m = metricsOf(sIn, [2.5, 1.5, 2]);
    expect(m.threshold).toBe(2);
    expect(m.fprAt95Tpr).toBeCloseTo(2 / 3, 15);
  });

  it('accepts Float32Array and Float64Array the same as number[]', () => {
    const a = metricsOf([0.5, 0.25, 0.75], [0.125, 0.5]);
    const { curves: _c1, ...b } = computeOodMetrics(new Float32Array([0.5, 0.25, 0.75]), new Float64Array([0.125, 0.5]));
    expect(b).toEqual(a);
  });
});

describe('computeOodMetrics: errors', () => {
  it('rejects empty inputs', () => {
    expect(() => computeOodMetrics([], [1])).toThrow(/scoresIn is empty/);
    expect(() => computeOodMetrics([1], new Float32Array(0))).toThrow(/scoresOut is empty/);
  });
  it('rejects NaN with its position', () => {
    expect(() => computeOodMetrics([1, NaN], [1])).toThrow(/scoresIn\[1\] is NaN/);
    expect(() => computeOodMetrics([1], new Float32Array([0, 0, NaN]))).toThrow(/scoresOut\[2\] is NaN/);
  });
  it('allows infinite scores', () => {
    expectClose(metricsOf([Infinity, 1], [-Infinity, 1]), bruteForce([Infinity, 1], [-Infinity, 1]));
  });
});

describe('computeOodMetrics: brute-force cross-check', () => {
  it('matches the O(n²) definitions on random data with many ties', () => {
    const rand = rng(12345);
    for (let trial = 0; trial < 20; trial++) {
      const levels = [3, 10, 50, 1000][trial % 4];
      const nIn = 1 + Math.floor(rand() * 400);
      const nOut = 1 + Math.floor(rand() * 400);
      const shift = rand() * 0.6;
      const sIn = Array.from({ length: nIn }, () => Math.floor((rand() * 0.7 + shift) * levels) / levels);
      const sOut = Array.from({ length: nOut }, () => Math.floor(rand() * 0.8 * levels) / levels);
      expectClose(metricsOf(sIn, sOut), bruteForce(sIn, sOut));
    }
  });

  it('matches on arbitrary small integer score sets (fast-check)', () => {
    const scores = fc.array(fc.integer({ min: -6, max: 6 }), { minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(scores, scores, (sIn, sOut) => {
        expectClose(metricsOf(sIn, sOut), bruteForce(sIn, sOut));
      }),
    );
  });
});

describe('computeOodMetrics: properties', () => {
  // Quarter-integers: plenty of ties, and x³ + 2x and exp map them exactly / strictly monotonically.
  const scores = fc.array(
    fc.integer({ min: -40, max: 40 }).map((k) => k / 4),
    { minLength: 1, maxLength: 60 },
  );

  it('AUROC(in, out) = 1 − AUROC(out, in)', () => {
    fc.assert(
      fc.property(scores, scores, (sIn, sOut) => {
        expect(metricsOf(sIn, sOut).auroc).toBeCloseTo(1 - metricsOf(sOut, sIn).auroc, 12);
      }),
    );
  });

  it('every metric is invariant under strictly increasing transforms', () => {
    const transforms: Array<(x: number) => number> = [(x) => x ** 3 + 2 * x, Math.exp, (x) => 3 * x - 7];
    fc.assert(
      fc.property(scores, scores, fc.constantFrom(...transforms), (sIn, sOut, f) => {
        const base = metricsOf(sIn, sOut);
        const moved = metricsOf(sIn.map(f), sOut.map(f));
        for (const key of METRIC_KEYS) expect(moved[key], key).toBeCloseTo(base[key], 12);
        expect(moved.threshold).toBe(f(base.threshold));
      }),
    );
  });

  it('auprOut(in, out) = auprIn(−out, −in)', () => {
    fc.assert(
      fc.property(scores, scores, (sIn, sOut) => {
        const negated = metricsOf(sOut.map((x) => -x), sIn.map((x) => -x));
        expect(metricsOf(sIn, sOut).auprOut).toBeCloseTo(negated.auprIn, 12);
      }),
    );
  });

  it('all fractions lie in [0, 1] and detection error ≤ ½', () => {
    fc.assert(
      fc.property(scores, scores, (sIn, sOut) => {
        const m = metricsOf(sIn, sOut);
        for (const key of METRIC_KEYS) {
          expect(m[key]).toBeGreaterThanOrEqual(0);
          expect(m[key]).toBeLessThanOrEqual(1);
        }
        expect(m.detectionError).toBeLessThanOrEqual(0.5);
        expect(sIn).toContain(m.threshold);
      }),
    );
  });
});

describe('computeOodMetrics: curves', () => {
  function nonDecreasing(xs: number[]): boolean {
    return xs.every((x, i) => i === 0 || x >= xs[i - 1]);
  }

  it('have at most 1000 points, start and end at the right corners, and stay monotone', () => {
    const rand = rng(7);
    const nIn = 30_000;
    const nOut = 20_000;
    const sIn = Float64Array.from({ length: nIn }, () => rand() + 0.3);
    const sOut = Float64Array.from({ length: nOut }, () => rand());
    const { roc, prIn, prOut } = computeOodMetrics(sIn, sOut).curves;

    for (const arr of [roc.fpr, roc.tpr, roc.thresholds, prIn.recall, prIn.precision, prOut.recall, prOut.precision]) {
      expect(arr.length).toBeLessThanOrEqual(1000);
      expect(arr.length).toBeGreaterThan(500);
    }
    expect([roc.fpr[0], roc.tpr[0], roc.thresholds[0]]).toEqual([0, 0, Infinity]);
    expect([roc.fpr.at(-1), roc.tpr.at(-1)]).toEqual([1, 1]);
    expect(roc.thresholds.at(-1)).toBe(Math.min(...sOut));
    expect(nonDecreasing(roc.fpr) && nonDecreasing(roc.tpr)).toBe(true);
    expect(roc.thresholds.every((t, i) => i === 0 || t < roc.thresholds[i - 1])).toBe(true);

    expect([prIn.recall[0], prIn.precision[0]]).toEqual([0, 1]);
    expect(prIn.recall.at(-1)).toBe(1);
    expect(prIn.precision.at(-1)).toBeCloseTo(nIn / (nIn + nOut), 15);
    expect(nonDecreasing(prIn.recall)).toBe(true);

    expect([prOut.recall[0], prOut.precision[0]]).toEqual([0, 1]);
    expect(prOut.recall.at(-1)).toBe(1);
    expect(prOut.precision.at(-1)).toBeCloseTo(nOut / (nIn + nOut), 15);
    expect(nonDecreasing(prOut.recall)).toBe(true);
  });

  it('keep every point of a small problem', () => {
    // Same data as the "ties across classes" case: 4 distinct thresholds → 5 points each.
    const { roc, prIn, prOut } = computeOodMetrics([3, 2, 2, 1], [2, 1, 0]).curves;
    expect(roc.fpr).toEqual([0, 0, 1 / 3, 2 / 3, 1]);
    expect(roc.tpr).toEqual([0, 0.25, 0.75, 1, 1]);
    expect(roc.thresholds).toEqual([Infinity, 3, 2, 1, 0]);
    expect(prIn.recall).toEqual([0, 0.25, 0.75, 1, 1]);
    expect(prIn.precision).toEqual([1, 1, 3 / 4, 4 / 6, 4 / 7]);
    expect(prOut.recall).toEqual([0, 1 / 3, 2 / 3, 1, 1]);
    expect(prOut.precision).toEqual([1, 1, 2 / 3, 1 / 2, 3 / 7]);
  });

  it('respects a smaller maxCurvePoints', () => {
    const sIn = Array.from({ length: 500 }, (_, i) => i);
    const { curves } = computeOodMetrics(sIn, sIn.map((x) => x - 100.5), { maxCurvePoints: 10 });
    expect(curves.roc.fpr.length).toBeLessThanOrEqual(10);
    expect(curves.prOut.recall.length).toBeLessThanOrEqual(10);
  });
});
