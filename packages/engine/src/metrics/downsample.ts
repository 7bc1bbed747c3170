// Curve downsampling: picks at most N vertices of a long polyline, evenly spaced by arc length, keeping both endpoints.

/** Default cap on the number of points returned for each curve. */
export const MAX_CURVE_POINTS = 1000;

/**
 * Chooses which vertices of a polyline to keep so that at most `maxPoints` remain.
 *
 * Vertices are chosen roughly every `length / (maxPoints - 1)` of cumulative arc length, so steep
 * and flat stretches get points in proportion to how much of the drawn curve they are. The first
 * and last vertices are always kept and the returned indices are strictly increasing, so a curve
 * that is monotone stays monotone. A polyline of zero length falls back to uniform index spacing.
 *
 * @param count number of vertices; vertex i is (x(i), y(i)).
 * @param maxPoints at least 2.
 * @returns strictly increasing vertex indices, starting at 0 and ending at count - 1.
 */
export function downsampleIndices(
  count: number,
  x: (i: number) => number,
  y: (i: number) => number,
  maxPoints: number = MAX_CURVE_POINTS,
): number[] {
  if (!Number.isInteger(maxPoints) || maxPoints < 2) throw new Error(`maxPoints must be an integer ≥ 2, got ${maxPoints}`);
  if (count <= maxPoints) return Array.from({ length: count }, (_, i) => i);

  // Cumulative arc length. NOTE: plain sqrt, not Math.hypot (several times slower); our curves
  // live in [0, 1]², far from overflow.
  const travelled = new Float64Array(count);
  let px = x(0);
  let py = y(0);
  for (let i = 1; i < count; i++) {
    const cx = x(i);
    const cy = y(i);
    const dx = cx - px;
    const dy = cy - py;
    travelled[i] = travelled[i - 1] + Math.sqrt(dx * dx + dy * dy);
    px = cx;
    py = cy;
  }
  const total = travelled[count - 1];
  if (!(total > 0) || !Number.isFinite(total)) return uniformIndices(count, maxPoints);

  const step = total / (maxPoints - 1);
  const kept = [0];
  let next = step;
  for (let i = 1; i < count - 1 && kept.length < maxPoints - 1; i++) {
    if (travelled[i] >= next) {
      kept.push(i);
      // A long segment can cross several targets; skip the ones it already covered.
      while (next <= travelled[i]) next += step;
    }
  }
  kept.push(count - 1);
  return kept;
}

/** maxPoints indices spread evenly over 0..count-1 (count > maxPoints ≥ 2), endpoints included. */
function uniformIndices(count: number, maxPoints: number): number[] {
  const kept: number[] = [];
  for (let j = 0; j < maxPoints; j++) kept.push(Math.round((j * (count - 1)) / (maxPoints - 1)));
  return kept;
}
