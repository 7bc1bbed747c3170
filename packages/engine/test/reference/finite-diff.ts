// Central finite differences, and a comparison of an analytic gradient against them.

/**
 * The gradient of a scalar function by central differences: (f(x + h e_i) - f(x - h e_i)) / 2h.
 * `x` is restored after each probe. NOTE: the truncation error is O(h^2 f'''), the rounding error
 * O(eps |f| / h); h = 1e-6 balances them for O(1) values in float64 (about 1e-9 absolute).
 */
export function centralDifference(f: (x: Float64Array) => number, x: Float64Array, h = 1e-6): Float64Array {
  const g = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    x[i] = v + h;
    const up = f(x);
    x[i] = v - h;
    const down = f(x);
    x[i] = v;
    g[i] = (up - down) / (2 * h);
  }
  return g;
}

/** The outcome of checkGradient. */
export interface GradientCheck {
  /** True when every element satisfies |analytic - numeric| <= atol + rtol |numeric|. */
  ok: boolean;
  maxAbsError: number;
  /** max |analytic - numeric| / max(|numeric|, tiny). */
  maxRelError: number;
  /** The element with the largest error relative to its tolerance, or -1 for an empty gradient. */
  worstIndex: number;
  numeric: Float64Array;
}

/** Step and tolerances for checkGradient (defaults h = 1e-6, rtol = 1e-5, atol = 1e-7). */
export interface CheckOptions {
  h?: number;
  rtol?: number;
  atol?: number;
}

/**
 * Compares `analytic` to the central-difference gradient of `f` at `x`.
 *
 * @returns the max absolute and relative errors, the worst element and whether all are within tolerance
 */
export function checkGradient(f: (x: Float64Array) => number, x: Float64Array, analytic: ArrayLike<number>, opts: CheckOptions = {}): GradientCheck {
  const { h = 1e-6, rtol = 1e-5, atol = 1e-7 } = opts;
  if (analytic.length !== x.length) throw new Error(`analytic gradient has ${analytic.length} values for ${x.length} inputs`);
  const numeric = centralDifference(f, x, h);
  let maxAbsError = 0;
  let maxRelError = 0;
  let worst = -1;
  let worstRatio = -1;
  let ok = true;
  for (let i = 0; i < x.length; i++) {
    const err = Math.abs(analytic[i] - numeric[i]);
    const tol = atol + rtol * Math.abs(numeric[i]);
    const ratio = Number.isNaN(err) ? Infinity : err / tol;
    if (!(err <= tol)) ok = false;
    maxAbsError = Math.max(maxAbsError, err);
    maxRelError = Math.max(maxRelError, err / Math.max(Math.abs(numeric[i]), 1e-300));
    if (ratio > worstRatio) {
      worstRatio = ratio;
      worst = i;
    }
  }
  return { ok, maxAbsError, maxRelError, worstIndex: worst, numeric };
}
