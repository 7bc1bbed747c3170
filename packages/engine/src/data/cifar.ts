// CIFAR-10 / CIFAR-100 binary batches: one .bin file or a folder of them, with class names from the meta text files.
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Dataset } from '../preprocess/types.ts';
import { bytesToUnit, chwToHwc, makeDataset } from './dataset.ts';
import { readRecords, type DecodeRecord, type RecordFile } from './records.ts';

const SIDE = 32;
const PIXELS = 3 * SIDE * SIDE;

/** The two record layouts: CIFAR-10 has one label byte, CIFAR-100 two (coarse, fine; we use fine). */
interface Variant {
  name: 'CIFAR-10' | 'CIFAR-100';
  labelBytes: 1 | 2;
  classes: number;
  meta: string;
}
const CIFAR10: Variant = { name: 'CIFAR-10', labelBytes: 1, classes: 10, meta: 'batches.meta.txt' };
const CIFAR100: Variant = { name: 'CIFAR-100', labelBytes: 2, classes: 100, meta: 'fine_label_names.txt' };

/** The .bin files of a folder, sorted by name (so `data_batch_1..5, test_batch` for CIFAR-10). */
export async function listBinFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.bin') && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort()
    .map((n) => join(dir, n));
}

/** Picks the layout that divides every file size; file names break a tie (`data_batch_*`/`test_batch` → 10, `train`/`test` → 100). */
function detect(files: { path: string; size: number }[], spec: string): Variant {
  const fits = (v: Variant) => files.every((f) => f.size > 0 && f.size % (v.labelBytes + PIXELS) === 0);
  const ten = fits(CIFAR10);
  const hundred = fits(CIFAR100);
  if (ten && !hundred) return CIFAR10;
  if (hundred && !ten) return CIFAR100;
  if (!ten && !hundred) {
    throw new Error(`${spec}: not CIFAR binary batches; each file's size must be a multiple of ${1 + PIXELS} (CIFAR-10) or ${2 + PIXELS} (CIFAR-100) bytes.`);
  }
  const names = files.map((f) => basename(f.path));
  if (names.every((n) => /^(data_batch_\d+|test_batch)\.bin$/.test(n))) return CIFAR10;
  if (names.every((n) => /^(train|test)\.bin$/.test(n))) return CIFAR100;
  throw new Error(`${spec}: file sizes fit both CIFAR-10 and CIFAR-100 records; name the files as in the official archives (data_batch_N.bin / test_batch.bin or train.bin / test.bin).`);
}

async function classNames(dir: string, v: Variant): Promise<string[] | undefined> {
  for (const meta of [v.meta, 'batches.meta.txt']) {
    try {
      const names = (await readFile(join(dir, meta), 'utf8')).split(/\r?\n/).map((s) => s.trim()).filter((s) => s !== '');
      if (names.length === v.classes) return names;
    } catch {
      // No such meta file: try the next, else go without names.
    }
  }
  return undefined;
}

/**
 * Opens CIFAR binary batches: one `.bin` file, or every `.bin` file of a folder in name order
 * (for the CIFAR-10 archive that is the 50,000 training images followed by the 10,000 test ones;
 * pass `test_batch.bin` alone for the test set). Images are 32×32 RGB; CIFAR-100's label is the
 * fine one. Class names come from `batches.meta.txt` (CIFAR-10) or `fine_label_names.txt`
 * (CIFAR-100) next to the files, when present.
 */
export async function openCifar(path: string, name: string): Promise<Dataset> {
  const isDir = (await stat(path)).isDirectory();
  const paths = isDir ? await listBinFiles(path) : [path];
  if (paths.length === 0) throw new Error(`${name}: no .bin files in folder ${path}.`);
  const sized = await Promise.all(paths.map(async (p) => ({ path: p, size: (await stat(p)).size })));
  const v = detect(sized, name);
  const recordSize = v.labelBytes + PIXELS;
  const files: RecordFile[] = sized.map((f) => ({ path: f.path, header: 0, count: f.size / recordSize }));
  const labels = await classNames(isDir ? path : dirname(path), v);
  const decode: DecodeRecord = (bytes, _f, _i, id) => {
    const label = bytes[v.labelBytes - 1];
    if (label >= v.classes) return { id, skip: `${v.name} label ${label} out of range (< ${v.classes})` };
    const pixels = chwToHwc(bytesToUnit(bytes.subarray(v.labelBytes)), 3, SIDE * SIDE);
    return { id, image: { width: SIDE, height: SIDE, channels: 3, pixels }, label };
  };
  return makeDataset({
    name,
    size: files.reduce((s, f) => s + f.count, 0),
    labels,
    items: (start, chunk) => readRecords(files, { recordSize, decode }, start, chunk),
  });
}
