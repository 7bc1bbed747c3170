// Generated and derived datasets: seeded uniform/Gaussian noise, and the inversion (1 − x) of any dataset.
import { noiseImage, type NoiseKind } from '../preprocess/synthetic.ts';
import type { Dataset, ImageShape, Sample } from '../preprocess/types.ts';
import { makeDataset, type Item } from './dataset.ts';

/** Image shape of generated sets when none is given: 28×28 grayscale, like (Fashion-)MNIST. */
export const DEFAULT_NOISE_SHAPE: ImageShape = { height: 28, width: 28, channels: 1 };

export interface NoiseSet {
  kind: NoiseKind;
  size: number;
  seed: number;
  shape: ImageShape;
}

/** `size` noise images (see {@link noiseImage}); item i depends only on (kind, seed, i, shape). Ids are `<kind>#<i>`. */
export function noiseDataset({ kind, size, seed, shape }: NoiseSet, name: string): Dataset {
  return makeDataset({
    name,
    size,
    async *items(start, chunk) {
      for (let k = start; k < size; k += chunk) {
        const items: Item[] = [];
        for (let i = k; i < Math.min(size, k + chunk); i++) items.push({ id: `${kind}#${i}`, image: noiseImage(kind, seed, i, shape) });
        yield items;
      }
    },
  });
}

function invertSample(s: Sample): Sample {
  const src = s.image.pixels;
  const pixels = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) pixels[i] = 1 - src[i];
  return { ...s, image: { ...s.image, pixels } };
}

/** `inner` with every pixel x replaced by 1 − x; same order, ids, labels and skips. */
export function invertDataset(inner: Dataset, name: string): Dataset {
  return {
    name,
    size: inner.size,
    ...(inner.labels ? { labels: inner.labels } : {}),
    async *batches(opts) {
      for await (const batch of inner.batches(opts)) yield batch.map(invertSample);
    },
  };
}
