// Tests for arc-length curve downsampling: point cap, endpoints, ordering and spacing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { downsampleIndices } from './downsample.ts';

describe('downsampleIndices', () => {
  it('keeps everything when the curve is short enough', () => {
    expect(downsampleIndices(3, (i) => i, (i) => i, 5)).toEqual([0, 1, 2]);
  });

  it('caps the count, keeps endpoints, and returns strictly increasing indices', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })), { minLength: 2, maxLength: 300 }),
        fc.integer({ min: 2, max: 50 }),
        (pts, maxPoints) => {
          const idx = downsampleIndices(pts.length, (i) => pts[i][0], (i) => pts[i][1], maxPoints);
          expect(idx.length).toBeLessThanOrEqual(maxPoints);
          expect(idx[0]).toBe(0);
          expect(idx.at(-1)).toBe(pts.length - 1);
          expect(idx.every((k, i) => i === 0 || k > idx[i - 1])).toBe(true);
        },
      ),
    );
  });

  it('spaces points by arc length: a vertical jump then a long flat run both get points', () => {
    // 10 vertices climbing x=0 from y=0 to 1, then 10,000 vertices along y=1: half the length each.
    const n = 10 + 10_000;
    const x = (i: number) => (i < 10 ? 0 : (i - 9) / 10_000);
    const y = (i: number) => (i < 10 ? i / 9 : 1);
    const idx = downsampleIndices(n, x, y, 21);
    // Targets every 0.1 of the total length 2: nine on the climb (vertices 0.111 apart, so one
    // vertex covers two targets) and nine on the flat run, plus the two endpoints → 20.
    expect(idx.length).toBe(20);
    expect(idx.filter((i) => i < 10).length).toBe(10);
    expect(idx.filter((i) => i >= 10).length).toBe(10);
  });

  it('falls back to uniform spacing for a zero-length curve', () => {
    expect(downsampleIndices(9, () => 0, () => 0, 3)).toEqual([0, 4, 8]);
  });

  it('rejects maxPoints < 2', () => {
    expect(() => downsampleIndices(5, (i) => i, (i) => i, 1)).toThrow(/maxPoints/);
  });
});
