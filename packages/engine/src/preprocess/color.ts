// Channel conversion: RGB → grayscale (ITU-R BT.601 luma) and grayscale → RGB (replication).
import type { Image } from './types.ts';

/** BT.601 luma weights, the same as PIL's `convert('L')` (which also rounds to 8 bits; we keep floats). */
export const LUMA_601 = [0.299, 0.587, 0.114] as const;

/** Returns `image` with `channels` channels; the same object when it already has them. */
export function convertChannels(image: Image, channels: 1 | 3): Image {
  if (image.channels === channels) return image;
  const { width, height, pixels } = image;
  const n = width * height;
  const out = new Float32Array(n * channels);
  if (channels === 1) {
    const [r, g, b] = LUMA_601;
    for (let i = 0; i < n; i++) out[i] = r * pixels[3 * i] + g * pixels[3 * i + 1] + b * pixels[3 * i + 2];
  } else {
    for (let i = 0; i < n; i++) out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = pixels[i];
  }
  return { width, height, channels, pixels: out };
}
