// A Dataset over images held in memory (HWC [0,1] pixels), for end-to-end tests of evaluate().
import { makeDataset } from '../src/data/dataset.ts';
import type { Dataset, ImageShape } from '../src/preprocess/types.ts';

/** `pixels[i]` is image i, `shape.height × shape.width × shape.channels` values; ids `<name>#<i>`. */
export function memoryDataset(name: string, pixels: Float32Array[], shape: ImageShape): Dataset {
  return makeDataset({
    name,
    size: pixels.length,
    async *items(start) {
      yield pixels.slice(start).map((p, k) => ({ id: `${name}#${start + k}`, image: { ...shape, pixels: p } }));
    },
  });
}
