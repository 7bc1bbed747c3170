// Noise images for the ODIN baselines: uniform U[0,1] and Gaussian N(0.5, 1) clamped to [0,1].
import { itemRng, normal } from './random.ts';
import type { Image, ImageShape } from './types.ts';

/** Kinds of generated out-of-distribution noise, as in the ODIN reference code. */
export type NoiseKind = 'uniform' | 'gaussian';

/**
 * Item `index` of the noise set `kind` with `seed`. Pixels are drawn in HWC order from a stream
 * that depends only on (seed, index): uniform is U[0,1) per pixel; gaussian is N(0.5, 1) clamped to [0,1]
 * (so about 31% of its pixels are exactly 0 and 31% exactly 1, as in ODIN's `clamp(randn + 0.5, 0, 1)`).
 */
export function noiseImage(kind: NoiseKind, seed: number, index: number, shape: ImageShape): Image {
  const { height, width, channels } = shape;
  const pixels = new Float32Array(height * width * channels);
  const rng = itemRng(seed, index);
  if (kind === 'uniform') {
    for (let i = 0; i < pixels.length; i++) pixels[i] = rng();
  } else {
    const z = normal(rng);
    for (let i = 0; i < pixels.length; i++) pixels[i] = Math.min(1, Math.max(0, 0.5 + z()));
  }
  return { width, height, channels, pixels };
}
