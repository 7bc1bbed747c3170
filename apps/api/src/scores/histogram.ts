// Score histograms of the in-distribution and OOD sets on shared bins, for the run page's overlap plots.
export type Histogram = {
  edges: number[];
  in: number[];
  out: number[];
};

export const HISTOGRAM_BINS = 50;

/** Equal-width bins over [min, max] of both sets; bin i is [edges[i], edges[i+1]), the last one closed. */
export function histogram(scoresIn: ArrayLike<number>, scoresOut: ArrayLike<number>, bins = HISTOGRAM_BINS): Histogram {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of [scoresIn, scoresOut])
    for (let i = 0; i < s.length; i++) {
      lo = Math.min(lo, s[i]);
      hi = Math.max(hi, s[i]);
    }
  if (!Number.isFinite(lo)) return { edges: [], in: [], out: [] };
  if (hi === lo) hi = lo + 1e-6;
  const width = (hi - lo) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? hi : lo + i * width));
  const count = (s: ArrayLike<number>) => {
    const c = new Array<number>(bins).fill(0);
    for (let i = 0; i < s.length; i++) c[Math.min(bins - 1, Math.floor((s[i] - lo) / width))]++;
    return c;
  };
  return { edges, in: count(scoresIn), out: count(scoresOut) };
}
