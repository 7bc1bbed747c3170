// Histogram bins on hand-worked cases.
import { describe, expect, it } from 'vitest';
import { histogram } from './histogram.ts';

describe('histogram', () => {
  it('puts each score in its bin on shared edges, the maximum in the last bin', () => {
    const h = histogram([0, 0.1, 0.5], [1, 0.99, 0.26], 4);
    expect(h.edges).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(h.in).toEqual([2, 0, 1, 0]);
    expect(h.out).toEqual([0, 1, 0, 2]);
  });
  it('keeps every count when all scores are equal, and is empty without scores', () => {
    const h = histogram([0.3, 0.3], [0.3], 5);
    expect(h.in.reduce((a, b) => a + b)).toBe(2);
    expect(h.out.reduce((a, b) => a + b)).toBe(1);
    expect(histogram([], [])).toEqual({ edges: [], in: [], out: [] });
  });
});
