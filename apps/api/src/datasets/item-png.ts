// Renders one dataset item as an 8-bit PNG (gray or RGB), e.g. for previews of an imported dataset.
import sharp from 'sharp';
import type { Dataset, Image, SkipReport } from '@odin/engine';

/** The item exists but the engine could not decode it. */
export class ItemUnreadableError extends Error {
  readonly index: number;
  readonly id: string;
  readonly reason: string;

  constructor(index: number, skip: SkipReport) {
    super(`Item ${index} (${skip.id}) cannot be read: ${skip.reason}`);
    this.name = 'ItemUnreadableError';
    this.index = index;
    this.id = skip.id;
    this.reason = skip.reason;
  }
}

/** The image's [0,1] floats as bytes, pixel × 255 rounded (clamped, so out-of-range floats cannot wrap). */
function toBytes(image: Image): Buffer {
  const out = Buffer.alloc(image.pixels.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.round(Math.min(1, Math.max(0, image.pixels[i])) * 255);
  return out;
}

/** The item at raw position `index` as a PNG. Throws RangeError outside [0, size) and ItemUnreadableError when the item is corrupt. */
export async function renderItemPng(dataset: Dataset, index: number): Promise<Buffer> {
  if (!Number.isInteger(index) || index < 0 || index >= dataset.size) {
    throw new RangeError(`${dataset.name}: item index must be an integer in [0, ${dataset.size}), got ${index}.`);
  }
  let skip: SkipReport | undefined;
  let image: Image | undefined;
  for await (const batch of dataset.batches({ start: index, batchSize: 1, onSkip: (s) => (skip = s) })) {
    image = batch[0]?.image;
    break;
  }
  if (image === undefined) {
    if (skip) throw new ItemUnreadableError(index, skip);
    throw new Error(`${dataset.name}: item ${index} was not produced by the dataset.`);
  }
  const { width, height, channels } = image;
  const raw = sharp(toBytes(image), { raw: { width, height, channels } });
  // Without b-w, sharp writes a 1-channel raw image as an RGB PNG.
  return (channels === 1 ? raw.toColourspace('b-w') : raw).png().toBuffer();
}
