// Turn decoded images into one batched model input tensor: channels, size (resize or crop), then layout.
import { convertChannels } from './color.ts';
import { centreCrop, resizeBilinear } from './resize.ts';
import type { Image, InputSpec } from './types.ts';

/** How an image whose size differs from the model's is brought to it. */
export type FitMode = 'resize' | 'crop';

function checkSpec(spec: InputSpec): void {
  const { layout, channels, height, width } = spec;
  if (!Number.isInteger(height) || !Number.isInteger(width) || height <= 0 || width <= 0) {
    throw new Error(`Invalid input spec: size ${height}×${width} must be positive integers.`);
  }
  if (channels !== 1 && channels !== 3) throw new Error(`Invalid input spec: ${String(channels)} channels; only 1 or 3 are supported.`);
  if (layout === 'NHW' && channels !== 1) throw new Error('Invalid input spec: layout NHW has no channel axis, so it needs channels = 1.');
  if (!['NCHW', 'NHWC', 'NHW', 'ND'].includes(layout)) throw new Error(`Invalid input spec: unknown layout '${String(layout)}'.`);
}

function checkImage(image: Image, n: number): void {
  const { width, height, channels, pixels } = image;
  if (channels !== 1 && channels !== 3) throw new Error(`Image ${n}: ${String(channels)} channels; only 1 or 3 are supported.`);
  if (pixels.length !== width * height * channels) {
    throw new Error(`Image ${n}: ${pixels.length} pixel values for ${height}×${width}×${channels}.`);
  }
}

/**
 * Maps each image to the model's input and concatenates them: `[N, …]` in `spec.layout`.
 *
 * Per image: convert channels (RGB → gray with BT.601 luma, gray → RGB by replication), then
 * bring it to `spec.height`×`spec.width` — `'resize'` (default) stretches with bilinear
 * interpolation (align_corners=false, no antialias; see {@link resizeBilinear}); `'crop'` takes
 * the centre, scaling up first only if the image is smaller (see {@link centreCrop}) — and finally
 * lay it out: NCHW planar, NHWC / ND interleaved (`ND` = `[N, H·W·C]` in HWC order), NHW for
 * grayscale. Pure arithmetic on decoded pixels, so the browser and the server produce the same bits.
 */
export function toModelInput(images: Image[], spec: InputSpec, mode: FitMode = 'resize'): Float32Array {
  checkSpec(spec);
  if (mode !== 'resize' && mode !== 'crop') throw new Error(`Unknown fit mode '${String(mode)}': expected 'resize' or 'crop'.`);
  const { channels: c, height: h, width: w, layout } = spec;
  const per = h * w * c;
  const out = new Float32Array(images.length * per);
  images.forEach((image, n) => {
    checkImage(image, n);
    const gray = convertChannels(image, c);
    const fitted = mode === 'resize' ? resizeBilinear(gray, h, w) : centreCrop(gray, h, w);
    const px = fitted.pixels;
    const base = n * per;
    if (layout === 'NCHW' && c === 3) {
      const plane = h * w;
      for (let i = 0; i < plane; i++) {
        out[base + i] = px[3 * i];
        out[base + plane + i] = px[3 * i + 1];
        out[base + 2 * plane + i] = px[3 * i + 2];
      }
    } else {
      // HWC order; identical to CHW when there is one channel.
      out.set(px, base);
    }
  });
  return out;
}
