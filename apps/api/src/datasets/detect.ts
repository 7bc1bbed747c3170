// Sniffs an upload's format from its bytes (magic numbers, looking inside gzip), never from its name.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { importError, type ImportContext } from './limits.ts';

export type Detected =
  | { format: 'NPY' }
  | { format: 'IDX'; gzip: boolean }
  | { format: 'ZIP' }
  | { format: 'TAR'; gzip: boolean }
  | { format: 'CIFAR'; variant: 'CIFAR-10' | 'CIFAR-100' };

export const EXPECTED = '.npy, IDX (.gz), CIFAR .bin, or a zip/tar(.gz) of PNG/JPEG';

const HEAD_BYTES = 512;

/** Formats users upload by mistake, named in the error. */
const OTHER_FORMATS: { magic: number[]; what: string }[] = [
  { magic: [0x89, 0x50, 0x4e, 0x47], what: 'a single PNG image (zip or tar a folder of images instead)' },
  { magic: [0xff, 0xd8, 0xff], what: 'a single JPEG image (zip or tar a folder of images instead)' },
  { magic: [0x42, 0x5a, 0x68], what: 'a bzip2 file' },
  { magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], what: 'an xz file' },
  { magic: [0x28, 0xb5, 0x2f, 0xfd], what: 'a zstd file' },
  { magic: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], what: 'a 7z archive' },
  { magic: [0x52, 0x61, 0x72, 0x21], what: 'a RAR archive' },
];
const CIFAR_PIXELS = 3 * 32 * 32;
/** How many records' label bytes are checked before calling a file CIFAR. */
const CIFAR_LABEL_SAMPLES = 64;

/** Up to `n` bytes of `path` from `position`. */
export async function readAt(path: string, n: number, position = 0): Promise<Uint8Array> {
  const fh = await open(path, 'r');
  try {
    const buf = new Uint8Array(n);
    const { bytesRead } = await fh.read(buf, 0, n, position);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** The first `n` inflated bytes of a gzip file; a stream that breaks after yielding some bytes gives what it had. */
async function gunzipHead(path: string, n: number, ctx: ImportContext): Promise<Uint8Array> {
  const out = new Uint8Array(n);
  let have = 0;
  const src = createReadStream(path);
  const gunzip = createGunzip();
  src.on('error', (e) => gunzip.destroy(e));
  try {
    for await (const buf of src.pipe(gunzip) as AsyncIterable<Buffer>) {
      const take = Math.min(buf.length, n - have);
      out.set(buf.subarray(0, take), have);
      have += take;
      if (have === n) break;
    }
  } catch (e) {
    if (have === 0) throw importError(ctx, `it looks gzip-compressed but cannot be decompressed (${(e as Error).message}).`, e);
  } finally {
    gunzip.destroy();
    src.destroy();
  }
  return out.subarray(0, have);
}

const startsWith = (head: Uint8Array, magic: number[]) => magic.every((b, i) => head[i] === b);
const isTar = (head: Uint8Array) => head.length >= 262 && String.fromCharCode(...head.subarray(257, 262)) === 'ustar';

/** `'images'` for IDX images the engine reads, the reason for other IDX files, undefined when it is not IDX. */
function idxKind(head: Uint8Array): string | undefined {
  if (head.length < 4 || head[0] !== 0 || head[1] !== 0) return undefined;
  const [, , type, rank] = head;
  if (type === 0x08 && (rank === 3 || rank === 4)) return 'images';
  if (type === 0x08 && rank === 1) return 'this is an IDX labels file (…-labels-idx1-ubyte); upload the images file (…-images-idx3-ubyte[.gz]) instead.';
  if ([0x09, 0x0b, 0x0c, 0x0d, 0x0e].includes(type) && rank >= 1 && rank <= 4) {
    return `IDX element type 0x${type.toString(16).padStart(2, '0')} is not supported; only unsigned-byte (0x08) images.`;
  }
  return undefined;
}

/** CIFAR-10 (1 label byte < 10) or CIFAR-100 (coarse < 20, fine < 100) records, judged by size and sampled label bytes. */
async function cifarVariant(path: string, size: number): Promise<'CIFAR-10' | 'CIFAR-100' | undefined> {
  const fits = async (labelBytes: 1 | 2, limits: number[]) => {
    const record = labelBytes + CIFAR_PIXELS;
    if (size === 0 || size % record !== 0) return false;
    const fh = await open(path, 'r');
    try {
      const buf = new Uint8Array(labelBytes);
      for (let i = 0; i < Math.min(size / record, CIFAR_LABEL_SAMPLES); i++) {
        await fh.read(buf, 0, labelBytes, i * record);
        if (limits.some((lim, k) => buf[k] >= lim)) return false;
      }
      return true;
    } finally {
      await fh.close();
    }
  };
  if (await fits(1, [10])) return 'CIFAR-10';
  if (await fits(2, [20, 100])) return 'CIFAR-100';
  return undefined;
}

/** Detects the format of `path` (of `size` bytes); throws a DatasetImportError naming what was expected otherwise. */
export async function detectFormat(path: string, size: number, ctx: ImportContext): Promise<Detected> {
  if (size === 0) throw importError(ctx, `the file is empty; expected ${EXPECTED}.`);
  const head = await readAt(path, HEAD_BYTES);
  if (startsWith(head, [0x93, ...Buffer.from('NUMPY')])) return { format: 'NPY' };
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06])) return { format: 'ZIP' };
  if (startsWith(head, [0x1f, 0x8b])) {
    const inner = await gunzipHead(path, HEAD_BYTES, ctx);
    if (isTar(inner)) return { format: 'TAR', gzip: true };
    const idx = idxKind(inner);
    if (idx === 'images') return { format: 'IDX', gzip: true };
    throw importError(ctx, idx ?? `it is gzip-compressed, but holds neither an IDX images file nor a tar archive; expected ${EXPECTED}.`);
  }
  if (isTar(head)) return { format: 'TAR', gzip: false };
  const idx = idxKind(head);
  if (idx === 'images') return { format: 'IDX', gzip: false };
  const variant = await cifarVariant(path, size);
  if (variant) return { format: 'CIFAR', variant };
  if (idx !== undefined) throw importError(ctx, idx);
  const other = OTHER_FORMATS.find((f) => startsWith(head, f.magic));
  throw importError(ctx, other ? `it is ${other.what}, which is not supported; expected ${EXPECTED}.` : `unrecognized file format; expected ${EXPECTED}.`);
}
