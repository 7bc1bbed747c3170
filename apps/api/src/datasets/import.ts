// Turns an uploaded blob into a dataset folder the engine streams: detects the format, links or safely unpacks it, validates every item.
import { createReadStream } from 'node:fs';
import { copyFile, link, mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { createGunzip } from 'node:zlib';
import type { Dataset, Sample } from '@odin/engine';
import { openDataset, parseIdxHeader, parseNpyHeader } from '@odin/engine/node';
import { isSystemError, unpackTar, unpackZip } from './archive.ts';
import { detectFormat, readAt, type Detected } from './detect.ts';
import { DatasetImportError, DEFAULT_IMPORT_LIMITS, formatBytes, importError, overRatio, type ImportContext, type ImportLimits, type RejectedEntry } from './limits.ts';

export { DEFAULT_IMPORT_LIMITS, DatasetImportError, type ImportLimits, type RejectedEntry } from './limits.ts';

export type DatasetFormat = 'NPY' | 'IDX' | 'CIFAR' | 'ZIP' | 'TAR';

export interface ImportedDataset {
  format: DatasetFormat;
  /** Path (file or folder) inside dir to open with openDatasetAt. */
  path: string;
  /** Items the engine will stream (raw positions, corrupt ones included), after rejected archive entries were dropped. */
  itemCount: number;
  /** [height, width, channels] of the first readable item. */
  itemShape: [number, number, number];
  labels: string[] | null;
  /** Archive entries refused while unpacking, then items the engine reported as corrupt during validation. */
  rejected: RejectedEntry[];
}

/** Raw positions per batch of the validation pass. */
const VALIDATE_BATCH = 256;
/** How many reasons an error message quotes. */
const QUOTED_REASONS = 3;

/** Where a placed upload sits in dir, and how engine item ids map back to archive paths. */
interface Placed {
  path: string;
  idPrefix: string;
  rejected: RejectedEntry[];
}

/** Strips a leading `<name>: ` the engine puts on its messages and hides internal paths. */
function engineReason(e: unknown, paths: string[]): string {
  let msg = (e as Error).message;
  for (const p of paths) if (msg.startsWith(`${p}: `)) msg = msg.slice(p.length + 2);
  for (const p of paths) msg = msg.replaceAll(p, 'the file');
  return msg;
}

async function linkOrCopy(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
  } catch {
    await copyFile(from, to);
  }
}

const product = (xs: number[]) => xs.reduce((a, b) => a * b, 1);

/** Checks an .npy header and that the file holds all the data it declares (the engine would report missing items as skips). */
async function checkNpy(blobPath: string, size: number, ctx: ImportContext): Promise<void> {
  const pre = await readAt(blobPath, 12);
  const headerLength = pre.length < 12 ? 12 : pre[6] === 1 ? 10 + (pre[8] | (pre[9] << 8)) : 12 + new DataView(pre.buffer, pre.byteOffset).getUint32(8, true);
  const head = await readAt(blobPath, Math.min(headerLength, 1 << 20));
  let header;
  try {
    header = parseNpyHeader(head, 'npy');
  } catch (e) {
    throw importError(ctx, engineReason(e, ['npy']), e);
  }
  const dataBytes = product(header.shape) * (header.dtype === 'uint8' ? 1 : 4);
  if (size < header.dataOffset + dataBytes) {
    throw importError(ctx, `the .npy file is truncated: its header declares a ${header.dtype} array of shape (${header.shape.join(', ')}), ${formatBytes(dataBytes)} of data, but the file holds only ${formatBytes(Math.max(0, size - header.dataOffset))}.`);
  }
}

/** Checks a plain IDX file holds every image its header declares. */
async function checkIdx(blobPath: string, size: number, ctx: ImportContext): Promise<void> {
  let header;
  try {
    header = parseIdxHeader(await readAt(blobPath, 64), 'idx');
  } catch (e) {
    throw importError(ctx, engineReason(e, ['idx']), e);
  }
  const dataBytes = product(header.dims);
  if (size < header.dataOffset + dataBytes) {
    throw importError(ctx, `the IDX file is truncated: its header declares [${header.dims.join(', ')}] bytes of images, ${formatBytes(dataBytes)}, but the file holds only ${formatBytes(Math.max(0, size - header.dataOffset))}.`);
  }
}

/** Inflates a gzipped IDX file once: it must be intact, hold every declared image, and stay within the size and ratio limits. */
async function checkIdxGz(blobPath: string, size: number, ctx: ImportContext): Promise<void> {
  const { maxTotalBytes, maxRatio } = ctx.limits;
  const src = createReadStream(blobPath);
  const gunzip = createGunzip();
  src.on('error', (e) => gunzip.destroy(e));
  let total = 0;
  let head = Buffer.alloc(0);
  let expected: number | undefined;
  try {
    for await (const chunk of src.pipe(gunzip) as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > maxTotalBytes) throw importError(ctx, `it decompresses to more than ${formatBytes(maxTotalBytes)}.`);
      if (overRatio(total, size, maxRatio)) throw importError(ctx, `it decompresses to more than ${maxRatio}× its size (a gzip bomb?); refusing to read it.`);
      if (expected === undefined && head.length < 64) {
        head = Buffer.concat([head, chunk.subarray(0, 64 - head.length)]);
        if (head.length >= 4 && head.length >= 4 + 4 * head[3]) {
          try {
            const header = parseIdxHeader(head, 'idx');
            expected = header.dataOffset + product(header.dims);
          } catch (e) {
            throw importError(ctx, engineReason(e, ['idx']), e);
          }
        }
      }
    }
  } catch (e) {
    if (e instanceof DatasetImportError || isSystemError(e)) throw e;
    throw importError(ctx, `corrupt or truncated gzip data (${(e as Error).message}).`, e);
  } finally {
    gunzip.destroy();
    src.destroy();
  }
  if (expected === undefined) throw importError(ctx, 'the gzipped IDX file is truncated inside its header.');
  if (total < expected) throw importError(ctx, `the gzipped IDX file is truncated: its header declares ${formatBytes(expected)}, it decompresses to ${formatBytes(total)}.`);
}

/** The prefix of paths that every image shares (a wrapping folder, as zips of a folder have), so sub-folders below it become the labels. */
function wrapperFolders(images: string[]): string[] {
  const prefix: string[] = [];
  let paths = images.map((p) => p.split('/'));
  while (paths.length > 0 && paths.every((p) => p.length > 1 && p[0] === paths[0][0])) {
    prefix.push(paths[0][0]);
    paths = paths.map((p) => p.slice(1));
  }
  return prefix;
}

function quoteRejected(rejected: RejectedEntry[]): string {
  if (rejected.length === 0) return '';
  const shown = rejected.slice(0, QUOTED_REASONS).map((r) => `'${r.entry}': ${r.reason}`);
  const more = rejected.length > QUOTED_REASONS ? `; and ${rejected.length - QUOTED_REASONS} more` : '';
  return ` (${shown.join('; ')}${more})`;
}

/** Links a single-file upload into dir, or unpacks an archive into dir/items, after the format's own checks. */
async function place(detected: Detected, blobPath: string, size: number, dir: string, ctx: ImportContext): Promise<Placed> {
  const single = async (name: string): Promise<Placed> => {
    await linkOrCopy(blobPath, join(dir, name));
    return { path: name, idPrefix: '', rejected: [] };
  };
  switch (detected.format) {
    case 'NPY':
      await checkNpy(blobPath, size, ctx);
      return single('data.npy');
    case 'IDX':
      if (detected.gzip) await checkIdxGz(blobPath, size, ctx);
      else await checkIdx(blobPath, size, ctx);
      return single(detected.gzip ? 'images-idx3-ubyte.gz' : 'images-idx3-ubyte');
    case 'CIFAR':
      // Names the engine's CIFAR reader maps to the variant when a size fits both record layouts.
      return single(detected.variant === 'CIFAR-10' ? 'data_batch_1.bin' : 'train.bin');
    case 'ZIP':
    case 'TAR': {
      const itemsDir = join(dir, 'items');
      await mkdir(itemsDir);
      const { images, rejected } = detected.format === 'ZIP' ? await unpackZip(blobPath, itemsDir, ctx) : await unpackTar(blobPath, itemsDir, ctx, detected.gzip);
      if (images.length === 0) throw importError(ctx, `the archive holds no usable PNG/JPEG images${quoteRejected(rejected)}.`);
      const wrapper = wrapperFolders(images);
      return { path: ['items', ...wrapper].join('/'), idPrefix: wrapper.map((w) => `${w}/`).join(''), rejected };
    }
  }
}

/** Streams every item once; returns what the engine reports. */
async function validate(dir: string, placed: Placed, ctx: ImportContext): Promise<Omit<ImportedDataset, 'format' | 'path'>> {
  const internal = [resolve(dir, placed.path), resolve(dir)];
  const rejected: RejectedEntry[] = [];
  let first: Sample | undefined;
  let dataset: Dataset;
  try {
    dataset = await openDatasetAt(dir, placed, placed.path);
    for await (const batch of dataset.batches({ batchSize: VALIDATE_BATCH, onSkip: (s) => rejected.push({ entry: placed.idPrefix + s.id, reason: s.reason }) })) {
      first ??= batch[0];
    }
  } catch (e) {
    if (isSystemError(e)) throw e;
    throw importError(ctx, engineReason(e, internal), e);
  }
  if (first === undefined) {
    const what = dataset.size === 0 ? 'it holds no items' : `none of its ${dataset.size.toLocaleString('en-US')} items could be decoded${quoteRejected(rejected)}`;
    throw importError(ctx, `${what}.`);
  }
  const { height, width, channels } = first.image;
  return { itemCount: dataset.size, itemShape: [height, width, channels], labels: dataset.labels ?? null, rejected: [...placed.rejected, ...rejected] };
}

/**
 * Detects the format from the file's bytes (magic numbers; gzip is looked inside), never trusting the name alone; filename is a hint only for the message.
 * Unpacks/links into `dir` (created; on any failure `dir` is removed so nothing half-written remains) and validates by streaming every item once.
 */
export async function importDataset(blobPath: string, dir: string, opts: { filename?: string; limits?: ImportLimits } = {}): Promise<ImportedDataset> {
  const ctx: ImportContext = { display: opts.filename ? `'${opts.filename}'` : 'the upload', limits: { ...DEFAULT_IMPORT_LIMITS, ...opts.limits } };
  const info = await stat(blobPath);
  if (!info.isFile()) throw new Error(`importDataset: ${blobPath} is not a file.`);
  await mkdir(dir, { recursive: true });
  if ((await readdir(dir)).length > 0) throw new Error(`importDataset: ${dir} is not empty.`);
  try {
    const detected = await detectFormat(blobPath, info.size, ctx);
    const placed = await place(detected, blobPath, info.size, dir, ctx);
    return { format: detected.format, path: placed.path, ...(await validate(dir, placed, ctx)) };
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}

/** Opens an imported dataset for the engine, with Dataset.name = name. */
export async function openDatasetAt(dir: string, imported: Pick<ImportedDataset, 'path'>, name: string): Promise<Dataset> {
  const root = resolve(dir);
  const path = resolve(root, imported.path);
  if (path !== root && !path.startsWith(root + sep)) throw new Error(`openDatasetAt: ${imported.path} is outside ${dir}.`);
  const inner = await openDataset(path);
  return {
    name,
    size: inner.size,
    ...(inner.labels ? { labels: inner.labels } : {}),
    batches: (opts) => inner.batches(opts),
  };
}
