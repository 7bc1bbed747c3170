// Loads a labelled dataset into one model-layout Float32Array, for shuffled training.
import { toModelInput } from '../preprocess/model-input.ts';
import type { Dataset, InputSpec } from '../preprocess/types.ts';
import { inputDims } from '../evaluate/score.ts';

export interface InMemorySet {
  images: Float32Array;
  labels: Int32Array;
  count: number;
  /** Values per image. */
  stride: number;
  spec: InputSpec;
}

/** Reads every labelled sample of `dataset` (up to `limit`) into memory in the model's layout. */
export async function loadIntoMemory(dataset: Dataset, spec: InputSpec, limit = dataset.size): Promise<InMemorySet> {
  const stride = inputDims(spec, 1).slice(1).reduce((a, b) => a * b, 1);
  const n = Math.min(limit, dataset.size);
  const images = new Float32Array(n * stride);
  const labels = new Int32Array(n);
  let count = 0;
  for await (const batch of dataset.batches({ batchSize: 1000 })) {
    const usable = batch.filter((s) => s.label !== undefined).slice(0, n - count);
    images.set(toModelInput(usable.map((s) => s.image), spec), count * stride);
    usable.forEach((s, i) => (labels[count + i] = s.label!));
    count += usable.length;
    if (count >= n) break;
  }
  if (count === 0) throw new Error(`${dataset.name} has no labelled images to train on`);
  return { images: images.subarray(0, count * stride), labels: labels.subarray(0, count), count, stride, spec };
}

/** Mean and std over all pixels (one value; the demo data is grayscale). */
export function pixelStats(set: InMemorySet): { mean: number; std: number } {
  let sum = 0;
  let sq = 0;
  for (const v of set.images) {
    sum += v;
    sq += v * v;
  }
  const n = set.images.length;
  const mean = sum / n;
  return { mean, std: Math.sqrt(Math.max(sq / n - mean * mean, 1e-12)) };
}
