// Geometry on decoded images: bilinear resize (half-pixel centres, no antialias) and centre crop.
import type { Image } from './types.ts';

/** Per output index along one axis: the two source indices and the weight of the second. */
interface Taps {
  i0: Int32Array;
  i1: Int32Array;
  w1: Float64Array;
}

/** PyTorch's `area_pixel_compute_source_index` with align_corners=false, then its clamped neighbour. */
function taps(inSize: number, outSize: number): Taps {
  const scale = inSize / outSize;
  const i0 = new Int32Array(outSize);
  const i1 = new Int32Array(outSize);
  const w1 = new Float64Array(outSize);
  for (let o = 0; o < outSize; o++) {
    const src = Math.max(scale * (o + 0.5) - 0.5, 0);
    const lo = Math.min(Math.floor(src), inSize - 1);
    i0[o] = lo;
    i1[o] = lo < inSize - 1 ? lo + 1 : lo;
    w1[o] = src - lo;
  }
  return { i0, i1, w1 };
}

/**
 * Bilinear resize to `height`×`width`, matching `torch.nn.functional.interpolate(mode='bilinear',
 * align_corners=False, antialias=False)` (and OpenCV's INTER_LINEAR) up to float rounding.
 * NOTE: no antialiasing, so strong downscaling aliases; PIL's BILINEAR and torchvision's default
 * `Resize(antialias=True)` widen the filter when shrinking and give different values there.
 */
export function resizeBilinear(image: Image, height: number, width: number): Image {
  const { channels: c, pixels } = image;
  if (image.height === height && image.width === width) return image;
  const ty = taps(image.height, height);
  const tx = taps(image.width, width);
  const out = new Float32Array(height * width * c);
  const rowStride = image.width * c;
  for (let y = 0; y < height; y++) {
    const r0 = ty.i0[y] * rowStride;
    const r1 = ty.i1[y] * rowStride;
    const wy1 = ty.w1[y];
    const wy0 = 1 - wy1;
    for (let x = 0; x < width; x++) {
      const c0 = tx.i0[x] * c;
      const c1 = tx.i1[x] * c;
      const wx1 = tx.w1[x];
      const wx0 = 1 - wx1;
      const o = (y * width + x) * c;
      for (let k = 0; k < c; k++) {
        out[o + k] =
          wy0 * (wx0 * pixels[r0 + c0 + k] + wx1 * pixels[r0 + c1 + k]) +
          wy1 * (wx0 * pixels[r1 + c0 + k] + wx1 * pixels[r1 + c1 + k]);
      }
    }
  }
  return { width, height, channels: c, pixels: out };
}

/** Python's `round` (half to even), which torchvision's `center_crop` uses for the offsets. */
function roundHalfEven(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/**
 * Centre crop to `height`×`width`, offsets as torchvision's `center_crop`
 * (`round((H − h) / 2)`, halves to even). When the image is smaller than the target in either
 * dimension it is first scaled up uniformly (bilinear, as {@link resizeBilinear}) just enough to
 * cover the target, so no padding is ever introduced (torchvision would pad with zeros instead).
 */
export function centreCrop(image: Image, height: number, width: number): Image {
  if (image.height < height || image.width < width) {
    const s = Math.max(height / image.height, width / image.width);
    const h = Math.max(height, Math.round(image.height * s));
    const w = Math.max(width, Math.round(image.width * s));
    image = resizeBilinear(image, h, w);
  }
  if (image.height === height && image.width === width) return image;
  const { channels: c, pixels } = image;
  const top = roundHalfEven((image.height - height) / 2);
  const left = roundHalfEven((image.width - width) / 2);
  const out = new Float32Array(height * width * c);
  for (let y = 0; y < height; y++) {
    const from = ((top + y) * image.width + left) * c;
    out.set(pixels.subarray(from, from + width * c), y * width * c);
  }
  return { width, height, channels: c, pixels: out };
}
