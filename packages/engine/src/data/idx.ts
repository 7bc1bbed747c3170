// IDX image files (MNIST / Fashion-MNIST format), plain or gzipped, with the labels file found by the standard naming.
import { access, open } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Dataset, Image } from '../preprocess/types.ts';
import { bytesToUnit, checkImageSize, makeDataset } from './dataset.ts';
import { DatasetError } from './errors.ts';
import { gunzipPrefix, gunzipRecords, readMaybeGzip } from './gzip.ts';
import { readRecords, type RecordFile } from './records.ts';

/** Parsed IDX header: element type code, dimensions, and where the data starts. */
export interface IdxHeader {
  type: number;
  dims: number[];
  dataOffset: number;
}

/** True when a file name looks like an IDX file (`…idx3-ubyte`, optionally `.gz`). */
export function isIdxName(path: string): boolean {
  return /idx\d-ubyte(\.gz)?$/i.test(path);
}

/** Parses an IDX header (magic `00 00 <type> <rank>`, then rank big-endian uint32 sizes); only unsigned bytes (type 0x08) are accepted. */
export function parseIdxHeader(head: Uint8Array, file: string): IdxHeader {
  if (head.length < 4 || head[0] !== 0 || head[1] !== 0) throw new DatasetError(`${file}: not an IDX file (bad magic).`);
  const type = head[2];
  const rank = head[3];
  if (type !== 0x08) throw new DatasetError(`${file}: IDX element type 0x${type.toString(16)} is not supported; only unsigned bytes (0x08).`);
  if (rank < 1 || head.length < 4 + 4 * rank) throw new DatasetError(`${file}: truncated IDX header.`);
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  return { type, dims, dataOffset: 4 + 4 * rank };
}

async function readIdxHeader(path: string): Promise<IdxHeader> {
  let head: Uint8Array;
  if (path.endsWith('.gz')) head = await gunzipPrefix(path, 64);
  else {
    const fh = await open(path, 'r');
    try {
      const buf = new Uint8Array(64);
      const { bytesRead } = await fh.read(buf, 0, 64, 0);
      head = buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  }
  return parseIdxHeader(head, path);
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** The labels file next to an IDX images file (`*-images-idx3-ubyte[.gz]` → `*-labels-idx1-ubyte[.gz]`), if present; also tries the other compression. */
export async function findIdxLabels(imagesPath: string): Promise<string | undefined> {
  const name = basename(imagesPath);
  const swapped = name.replace(/images([-.])idx3-ubyte/i, 'labels$1idx1-ubyte');
  if (swapped === name) return undefined;
  const plain = swapped.replace(/\.gz$/i, '');
  for (const candidate of [swapped, plain === swapped ? `${plain}.gz` : plain]) {
    const full = join(dirname(imagesPath), candidate);
    if (await exists(full)) return full;
  }
  return undefined;
}

/** Options for {@link openIdx}. */
export interface IdxOptions {
  /** Class names; labels then index this list and must be in range. */
  labelNames?: string[];
  /** Item id prefix (default: the images file name). */
  idPrefix?: string;
}

/**
 * Opens an IDX images file (`[N,H,W]` grayscale, or `[N,H,W,C]` with C ∈ {1,3}); bytes are scaled by 1/255.
 * A `.gz` file is stream-decompressed (reading from `start` decompresses and discards what comes
 * before). Labels come from the companion labels file when it exists; it is small and read whole.
 */
export async function openIdx(path: string, name: string, opts: IdxOptions = {}): Promise<Dataset> {
  const header = await readIdxHeader(path);
  const { dims } = header;
  let channels: 1 | 3 = 1;
  if (dims.length === 4 && (dims[3] === 1 || dims[3] === 3)) channels = dims[3];
  else if (dims.length !== 3) throw new DatasetError(`${path}: IDX images must be [N,H,W] or [N,H,W,C] with C of 1 or 3, got [${dims.join(', ')}].`);
  const [n, height, width] = dims;
  checkImageSize(path, height, width);
  const labelsPath = await findIdxLabels(path);
  let labels: Uint8Array | undefined;
  if (labelsPath) {
    const bytes = await readMaybeGzip(labelsPath, header.dataOffset + n);
    const lh = parseIdxHeader(bytes, labelsPath);
    if (lh.dims.length !== 1 || lh.dims[0] !== n) throw new DatasetError(`${labelsPath}: expected ${n} labels for ${basename(path)}, found shape [${lh.dims.join(', ')}].`);
    if (bytes.length < lh.dataOffset + n) throw new DatasetError(`${labelsPath}: truncated (${bytes.length - lh.dataOffset} of ${n} labels).`);
    labels = bytes.subarray(lh.dataOffset, lh.dataOffset + n);
    const names = opts.labelNames;
    if (names) {
      const bad = labels.findIndex((l) => l >= names.length);
      if (bad >= 0) throw new DatasetError(`${labelsPath}: label ${labels[bad]} at ${bad} is out of range for ${names.length} classes.`);
    }
  }
  const file: RecordFile = { path, header: header.dataOffset, count: n, idPrefix: opts.idPrefix };
  const recordSize = height * width * channels;
  const decode = (bytes: Uint8Array, _f: RecordFile, i: number, id: string) => {
    const image: Image = { width, height, channels, pixels: bytesToUnit(bytes) };
    return labels ? { id, image, label: labels[i] } : { id, image };
  };
  const gz = path.endsWith('.gz');
  return makeDataset({
    name,
    size: n,
    labels: labels ? opts.labelNames : undefined,
    items: (start, chunk) => (gz ? gunzipRecords(file, { recordSize, decode }, start, chunk) : readRecords([file], { recordSize, decode }, start, chunk)),
  });
}
