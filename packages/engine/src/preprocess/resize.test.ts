// Bilinear resize and centre crop on tiny hand-checked images (values as torch.nn.functional.interpolate / torchvision center_crop).
import { describe, expect, it } from 'vitest';
import { centreCrop, resizeBilinear } from './resize.ts';
import type { Image } from './types.ts';

const img = (height: number, width: number, values: number[], channels: 1 | 3 = 1): Image => ({ width, height, channels, pixels: Float32Array.from(values) });
const arange = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('resizeBilinear (align_corners=false, no antialias)', () => {
  it('upsamples 2×2 → 4×4 like F.interpolate', () => {
    const out = resizeBilinear(img(2, 2, [0, 1, 2, 3]), 4, 4);
    expect(Array.from(out.pixels)).toEqual([0, 0.25, 0.75, 1, 0.5, 0.75, 1.25, 1.5, 1.5, 1.75, 2.25, 2.5, 2, 2.25, 2.75, 3]);
  });

  it('downsamples 4×4 → 2×2 by averaging 2×2 blocks (half-pixel centres)', () => {
    expect(Array.from(resizeBilinear(img(4, 4, arange(16)), 2, 2).pixels)).toEqual([2.5, 4.5, 10.5, 12.5]);
  });

  it('handles non-square sizes, keeps channels independent, and is the identity at equal size', () => {
    // 1×2 RGB → 1×4: each channel interpolates on its own.
    const out = resizeBilinear(img(1, 2, [0, 10, 100, 1, 20, 200], 3), 1, 4);
    expect(out).toMatchObject({ width: 4, height: 1, channels: 3 });
    expect(Array.from(out.pixels)).toEqual([0, 10, 100, 0.25, 12.5, 125, 0.75, 17.5, 175, 1, 20, 200]);
    const same = img(2, 3, arange(6));
    expect(resizeBilinear(same, 2, 3)).toBe(same);
  });
});

describe('centreCrop', () => {
  it('takes the centre with torchvision offsets (round half to even)', () => {
    expect(Array.from(centreCrop(img(4, 4, arange(16)), 2, 2).pixels)).toEqual([5, 6, 9, 10]);
    // (5 − 2) / 2 = 1.5 → 2 for both axes.
    expect(Array.from(centreCrop(img(5, 5, arange(25)), 2, 2).pixels)).toEqual([12, 13, 17, 18]);
    // (3 − 2) / 2 = 0.5 → 0.
    expect(Array.from(centreCrop(img(1, 3, [7, 8, 9]), 1, 2).pixels)).toEqual([7, 8]);
  });

  it('scales a too-small image up just enough to cover the target, then crops', () => {
    const small = img(2, 2, [0, 1, 2, 3]);
    expect(Array.from(centreCrop(small, 4, 4).pixels)).toEqual(Array.from(resizeBilinear(small, 4, 4).pixels));
    // 2×4 → 4×4: scale 2 gives 4×8, crop columns 2..5.
    const wide = img(2, 4, arange(8));
    const up = resizeBilinear(wide, 4, 8);
    const expected = [0, 1, 2, 3].flatMap((y) => Array.from(up.pixels.subarray(y * 8 + 2, y * 8 + 6)));
    expect(Array.from(centreCrop(wide, 4, 4).pixels)).toEqual(expected);
  });
});
