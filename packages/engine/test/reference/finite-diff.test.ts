// centralDifference and checkGradient on functions with known gradients.
import { describe, expect, it } from 'vitest';
import { centralDifference, checkGradient } from './finite-diff.ts';

describe('finite differences', () => {
  const f = (x: Float64Array) => Math.sin(x[0]) * x[1] + x[1] ** 3;
  const exact = (x: Float64Array) => [Math.cos(x[0]) * x[1], Math.sin(x[0]) + 3 * x[1] ** 2];

  it('centralDifference is second-order accurate and restores x', () => {
    const x = Float64Array.of(0.3, -1.2);
    const g = centralDifference(f, x);
    exact(x).forEach((v, i) => expect(Math.abs(g[i] - v)).toBeLessThan(1e-8));
    expect(Array.from(x)).toEqual([0.3, -1.2]);
  });

  it('checkGradient accepts the exact gradient and flags a wrong one', () => {
    const x = Float64Array.of(0.3, -1.2);
    const good = checkGradient(f, x, exact(x));
    expect(good.ok).toBe(true);
    expect(good.maxAbsError).toBeLessThan(1e-8);
    const wrong = exact(x);
    wrong[1] *= 1.001;
    const bad = checkGradient(f, x, wrong);
    expect(bad.ok).toBe(false);
    expect(bad.worstIndex).toBe(1);
    expect(bad.maxRelError).toBeGreaterThan(5e-4);
    expect(checkGradient(f, x, [NaN, 0]).ok).toBe(false);
  });
});
