// Unpacks zip and tar(.gz) uploads into a folder of PNG/JPEG images, refusing unsafe entries and stopping archive bombs.
import { createReadStream } from 'node:fs';
import { mkdir, open as openFile, stat, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import sharp from 'sharp';
import tar from 'tar-stream';
import type { Header as TarHeader } from 'tar-stream';
import yauzl from 'yauzl';
import { DatasetImportError, formatBytes, importError, overRatio, type ImportContext, type RejectedEntry } from './limits.ts';

/** What unpacking left in the items folder. */
export interface UnpackResult {
  /** The images written, as `/`-separated paths relative to the items folder (archive paths, normalized). */
  images: string[];
  rejected: RejectedEntry[];
}

/** Largest image (width × height) kept; decoding one takes 12 bytes a pixel as float RGB. */
export const MAX_IMAGE_PIXELS = 4096 * 4096;

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const IMAGE_NAME = /\.(png|jpe?g)$/i;
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_MAGIC = [0xff, 0xd8, 0xff];

export type NameCheck = { segments: string[] } | { reason: string } | { directory: true };

/** Judges an entry name: the path segments to write it at, that it is a folder, or why it is refused. */
export function checkEntryName(name: string): NameCheck {
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(name)) return { reason: 'control characters in name' };
  if (name.includes('\\')) return { reason: 'backslash in path' };
  if (/^[a-zA-Z]:/.test(name)) return { reason: 'drive letter in path' };
  if (name.startsWith('/')) return { reason: 'absolute path' };
  const parts = name.split('/');
  if (parts.includes('..')) return { reason: "path leaves the archive ('..')" };
  const segments = parts.filter((p) => p !== '' && p !== '.').map((p) => p.normalize('NFC'));
  if (segments.length === 0 || name.endsWith('/')) return { directory: true };
  if (segments.some((s) => s.startsWith('.') || s === '__MACOSX')) return { reason: 'hidden file or macOS metadata' };
  if (!IMAGE_NAME.test(segments[segments.length - 1])) return { reason: 'not a .png, .jpg or .jpeg file' };
  return { segments };
}

function isImageMagic(head: Uint8Array): boolean {
  const starts = (magic: number[]) => head.length >= magic.length && magic.every((b, i) => head[i] === b);
  return starts(PNG_MAGIC) || starts(JPEG_MAGIC);
}

/** Why a path could not be created, for clashes the archive itself causes; undefined for real I/O failures. */
function clashReason(e: unknown): string | undefined {
  switch ((e as NodeJS.ErrnoException).code) {
    case 'EEXIST':
    case 'EISDIR':
      return 'duplicate entry, or clashes with a folder of the same name';
    case 'ENOTDIR':
      return 'a folder in its path is a file in the archive';
    case 'ENAMETOOLONG':
      return 'name too long';
    case 'EILSEQ':
    case 'EINVAL':
      return 'invalid file name';
    default:
      return undefined;
  }
}

/** An operating-system error (ENOSPC, EIO…): the server's problem, not the upload's. */
export function isSystemError(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code);
}

async function drain(data: AsyncIterable<Buffer>): Promise<void> {
  for await (const _chunk of data) {
    // Discarded: tar entries must be read to reach the next one.
  }
}

/** Writes accepted entries under the items folder, keeping count of entries and bytes against the limits. */
class Unpacker {
  private entries = 0;
  private inflated = 0;
  private written = 0;
  readonly images: string[] = [];
  readonly rejected: RejectedEntry[] = [];

  constructor(
    private readonly ctx: ImportContext,
    private readonly itemsDir: string,
    /** Size of the archive file, for the overall ratio; undefined when it is not compressed. */
    private readonly compressedBytes: number | undefined,
  ) {}

  countEntry(): void {
    if (++this.entries > this.ctx.limits.maxEntries) throw tooManyEntries(this.ctx);
  }

  reject(entry: string, reason: string): void {
    this.rejected.push({ entry, reason });
  }

  /** Counts `n` more bytes inflated from the archive; fails past the total or the overall ratio. */
  addInflated(n: number): void {
    const { maxTotalBytes, maxRatio } = this.ctx.limits;
    this.inflated += n;
    if (this.inflated > maxTotalBytes) throw importError(this.ctx, `it unpacks to more than ${formatBytes(maxTotalBytes)}; refusing to unpack it.`);
    if (this.compressedBytes !== undefined && overRatio(this.inflated, this.compressedBytes, maxRatio)) {
      throw importError(this.ctx, `it expands to more than ${maxRatio}× its compressed size (an archive bomb?); refusing to unpack it.`);
    }
  }

  /**
   * Streams one entry's bytes to its file; `open` is called once the file exists, so a stream is
   * read from the moment it is opened. With `compressed` (zip), bytes count towards the archive
   * total here and the entry's own ratio is checked; `drain` reads a refused entry to its end (tar).
   */
  async write(entry: string, segments: string[], open: () => Promise<AsyncIterable<Buffer>>, opts: { compressed?: number; drain: boolean }): Promise<void> {
    const { maxEntryBytes, maxTotalBytes, maxRatio } = this.ctx.limits;
    const root = resolve(this.itemsDir);
    const target = join(root, ...segments);
    let fh: FileHandle;
    try {
      if (!target.startsWith(root + sep)) throw Object.assign(new Error('outside'), { code: 'EINVAL' });
      await mkdir(dirname(target), { recursive: true });
      fh = await openFile(target, 'wx');
    } catch (e) {
      const why = clashReason(e);
      if (why === undefined) throw e;
      this.reject(entry, why);
      if (opts.drain) await drain(await open());
      return;
    }
    let bytes = 0;
    let head = Buffer.alloc(0);
    let typeChecked = false;
    let reason: string | undefined;
    try {
      for await (const chunk of await open()) {
        bytes += chunk.length;
        if (opts.compressed !== undefined) {
          this.addInflated(chunk.length);
          if (overRatio(bytes, opts.compressed, maxRatio)) {
            throw importError(this.ctx, `entry '${entry}' expands to more than ${maxRatio}× its compressed size (an archive bomb?); refusing to unpack it.`);
          }
        }
        if (reason !== undefined) continue;
        if (bytes > maxEntryBytes) reason = `larger than ${formatBytes(maxEntryBytes)}`;
        else if (this.written + bytes > maxTotalBytes) throw importError(this.ctx, `it unpacks to more than ${formatBytes(maxTotalBytes)}; refusing to unpack it.`);
        else if (!typeChecked) {
          head = Buffer.concat([head, chunk.subarray(0, PNG_MAGIC.length - head.length)]);
          if (head.length >= PNG_MAGIC.length) {
            typeChecked = true;
            if (!isImageMagic(head)) reason = 'content is not a PNG or JPEG image';
          }
        }
        if (reason !== undefined) {
          if (opts.drain) continue;
          break;
        }
        await fh.write(chunk);
      }
      if (reason === undefined && !typeChecked && !isImageMagic(head)) reason = 'content is not a PNG or JPEG image';
    } finally {
      await fh.close();
    }
    reason ??= await oversizeReason(target);
    if (reason !== undefined) {
      await unlink(target);
      this.reject(entry, reason);
      return;
    }
    this.written += bytes;
    this.images.push(segments.join('/'));
  }
}

function tooManyEntries(ctx: ImportContext): DatasetImportError {
  return importError(ctx, `the archive has more than ${ctx.limits.maxEntries.toLocaleString('en-US')} entries; refusing to unpack it.`);
}

/** Why an image is too large to decode, from its header; unreadable headers are left for the engine to report. */
async function oversizeReason(path: string): Promise<string | undefined> {
  try {
    const { width, height } = await sharp(path).metadata();
    if (width * height > MAX_IMAGE_PIXELS) return `image is ${width}×${height} pixels; at most ${MAX_IMAGE_PIXELS.toLocaleString('en-US')} pixels are allowed`;
  } catch {
    // The validation pass reports undecodable images.
  }
  return undefined;
}

/** Unpacks a zip with yauzl, one entry at a time; names are decoded and checked here, since yauzl's own check fails the whole archive. */
export async function unpackZip(path: string, itemsDir: string, ctx: ImportContext): Promise<UnpackResult> {
  const { size } = await stat(path);
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true });
  } catch (e) {
    if (isSystemError(e)) throw e;
    throw importError(ctx, `not a readable zip archive (${(e as Error).message}).`, e);
  }
  const u = new Unpacker(ctx, itemsDir, size);
  try {
    if (zip.entryCount > ctx.limits.maxEntries) throw tooManyEntries(ctx);
    for await (const entry of zip.eachEntry()) {
      u.countEntry();
      const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, true);
      const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
      if (mode === S_IFLNK) {
        u.reject(name, 'symbolic link');
        continue;
      }
      if (mode === S_IFDIR) continue;
      if (mode !== 0 && mode !== S_IFREG) {
        u.reject(name, 'device or other special file');
        continue;
      }
      const check = checkEntryName(name);
      if ('directory' in check) continue;
      if ('reason' in check) {
        u.reject(name, check.reason);
        continue;
      }
      if (entry.isEncrypted()) {
        u.reject(name, 'encrypted');
        continue;
      }
      if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
        u.reject(name, `compression method ${entry.compressionMethod} is not supported (only stored and deflate)`);
        continue;
      }
      if (entry.uncompressedSize > ctx.limits.maxEntryBytes) {
        u.reject(name, `larger than ${formatBytes(ctx.limits.maxEntryBytes)}`);
        continue;
      }
      const open = () => zip.openReadStreamPromise(entry) as Promise<AsyncIterable<Buffer>>;
      await u.write(name, check.segments, open, { compressed: Math.max(entry.compressedSize, 1), drain: false });
    }
  } catch (e) {
    if (e instanceof DatasetImportError || isSystemError(e)) throw e;
    throw importError(ctx, `corrupt zip archive (${(e as Error).message}).`, e);
  } finally {
    zip.close();
  }
  return { images: u.images, rejected: u.rejected };
}

/** A tar entry as tar-stream's iterator yields it (streamx's typings leave out that its streams are async iterables). */
type TarEntry = { header: TarHeader } & AsyncIterable<Buffer>;

async function tarEntry(u: Unpacker, entry: TarEntry, ctx: ImportContext): Promise<void> {
  const { name, type, size = 0 } = entry.header;
  u.countEntry();
  const refuse = async (reason: string) => {
    u.reject(name, reason);
    await drain(entry);
  };
  switch (type) {
    case 'file':
    case 'contiguous-file':
      break;
    case 'directory':
      return drain(entry);
    case 'symlink':
      return refuse('symbolic link');
    case 'link':
      return refuse('hard link');
    case 'character-device':
    case 'block-device':
    case 'fifo':
      return refuse('device or other special file');
    default:
      return refuse(`unsupported tar entry type ${type ?? 'unknown'}`);
  }
  const check = checkEntryName(name);
  if ('directory' in check) return drain(entry);
  if ('reason' in check) return refuse(check.reason);
  if (size > ctx.limits.maxEntryBytes) return refuse(`larger than ${formatBytes(ctx.limits.maxEntryBytes)}`);
  await u.write(name, check.segments, async () => entry, { drain: true });
}

/** Unpacks a tar (gunzipped on the fly when `gzip`) with tar-stream; every inflated byte is metered before tar-stream sees it. */
export async function unpackTar(path: string, itemsDir: string, ctx: ImportContext, gzip: boolean): Promise<UnpackResult> {
  const { size } = await stat(path);
  const u = new Unpacker(ctx, itemsDir, gzip ? size : undefined);
  let failure: unknown;
  const extract = tar.extract();
  const fail = (e: unknown) => {
    failure ??= e;
    extract.destroy(e as Error);
  };
  const src = createReadStream(path);
  const gunzip = gzip ? createGunzip() : undefined;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      try {
        u.addInflated(chunk.length);
        cb(null, chunk);
      } catch (e) {
        fail(e);
        cb(e as Error);
      }
    },
  });
  // An entry cut short only says 'Stream was destroyed'; the extractor's own error says why.
  let extractError: unknown;
  extract.on('error', (e: unknown) => (extractError ??= e));
  src.on('error', fail);
  gunzip?.on('error', (e) => fail(importError(ctx, `corrupt or truncated gzip data (${e.message}).`, e)));
  meter.on('error', fail);
  (gunzip ? src.pipe(gunzip).pipe(meter) : src.pipe(meter)).pipe(extract);
  try {
    for await (const entry of extract) await tarEntry(u, entry as unknown as TarEntry, ctx);
  } catch (e) {
    const cause = failure ?? extractError ?? e;
    if (cause instanceof DatasetImportError || isSystemError(cause)) throw cause;
    throw importError(ctx, `corrupt or truncated tar archive (${(cause as Error).message}).`, cause);
  } finally {
    src.destroy();
    gunzip?.destroy();
    meter.destroy();
    extract.destroy();
  }
  if (failure !== undefined) throw failure;
  return { images: u.images, rejected: u.rejected };
}
