// A run's score histogram as the API gives it, and where a score falls in its in-distribution counts.

/** Counts per bin; bin i is [edges[i], edges[i+1]), the last one closed. */
export interface Histogram {
  edges: number[];
  in: number[];
  out: number[];
}

/** The share of the in-distribution counts below `score`, spreading each bin's count evenly across it. */
export function inBelow(h: Histogram, score: number): number {
  const total = h.in.reduce((s, c) => s + c, 0);
  if (!total) return 0;
  let below = 0;
  h.in.forEach((count, i) => {
    const [lo, hi] = [h.edges[i], h.edges[i + 1]];
    below += score >= hi ? count : score > lo ? (count * (score - lo)) / (hi - lo) : 0;
  });
  return below / total;
}
