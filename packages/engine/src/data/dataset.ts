// Builds the Dataset contract from a reader's raw item stream: batching by raw position, skip reporting, argument checks.
import type { BatchOptions, Dataset, Sample } from '../preprocess/types.ts';
import { DatasetError } from './errors.ts';

/** Largest image (height × width) an array reader takes; one float RGB image of this size is 200 MB. */
export const MAX_IMAGE_PIXELS = 4096 * 4096;

/** Refuses empty images and images larger than {@link MAX_IMAGE_PIXELS}, as a header declares them. */
export function checkImageSize(file: string, height: number, width: number): void {
  if (height === 0 || width === 0) throw new DatasetError(`${file}: empty images (${height}×${width}).`);
  if (height * width > MAX_IMAGE_PIXELS) throw new DatasetError(`${file}: images of ${height}×${width} pixels are larger than the ${MAX_IMAGE_PIXELS.toLocaleString('en-US')} pixels allowed.`);
}

/** A raw item: a decoded sample, or a corrupt one with the reason it was skipped. */
export type Item = Sample | { id: string; skip: string };

/** What a format reader provides; {@link makeDataset} turns it into a {@link Dataset}. */
export interface ItemSource {
  name: string;
  size: number;
  labels?: string[];
  /**
   * Raw items from position `start` to the end, in order, in chunks of any length. `chunk` is a
   * hint for how many to decode at once (the batch size); readers hold at most about one chunk.
   */
  items(start: number, chunk: number): AsyncIterable<Item[]>;
}

/** Wraps a reader: validates options, groups raw items into windows of `batchSize` (one batch per window, empty if all were skipped), reports skips and sets each sample's raw `index`. */
export function makeDataset(src: ItemSource): Dataset {
  const { name, size, labels } = src;
  return {
    name,
    size,
    ...(labels ? { labels } : {}),
    async *batches({ start = 0, batchSize, onSkip }: BatchOptions): AsyncIterable<Sample[]> {
      if (!Number.isInteger(batchSize) || batchSize <= 0) throw new RangeError(`${name}: batchSize must be a positive integer, got ${batchSize}.`);
      if (!Number.isInteger(start) || start < 0 || start > size) throw new RangeError(`${name}: start must be an integer in [0, ${size}], got ${start}.`);
      if (start === size) return;
      let batch: Sample[] = [];
      let seen = 0;
      for await (const chunk of src.items(start, batchSize)) {
        for (const item of chunk) {
          if ('skip' in item) onSkip?.({ id: item.id, reason: item.skip });
          else batch.push({ ...item, index: start + seen });
          if (++seen % batchSize === 0) {
            yield batch;
            batch = [];
          }
        }
      }
      if (seen % batchSize !== 0) yield batch;
    },
  };
}

/** Scales bytes to [0,1] floats (v / 255). */
export function bytesToUnit(bytes: Uint8Array): Float32Array {
  const out = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = bytes[i] / 255;
  return out;
}

/** Reorders a planar CHW buffer into interleaved HWC. */
export function chwToHwc(src: Float32Array, channels: number, plane: number): Float32Array {
  if (channels === 1) return src;
  const out = new Float32Array(src.length);
  for (let c = 0; c < channels; c++) for (let i = 0; i < plane; i++) out[i * channels + c] = src[c * plane + i];
  return out;
}
