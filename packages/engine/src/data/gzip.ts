// Streaming gunzip helpers: read a decompressed prefix, read a small file whole, stream fixed-size records.
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { gunzipSync, createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import type { Item } from './dataset.ts';
import { DatasetError } from './errors.ts';
import { MAX_MISSING_RECORDS, truncatedError, type RecordFile, type RecordFormat } from './records.ts';

const MAX_CHUNK_BYTES = 16 << 20;

function gunzipStream(path: string): Readable {
  const src = createReadStream(path);
  const gunzip = createGunzip();
  src.on('error', (e) => gunzip.destroy(e));
  gunzip.on('close', () => src.destroy());
  return src.pipe(gunzip);
}

/** The first `n` decompressed bytes of a .gz file (fewer if it is shorter). Decompresses only what it needs. */
export async function gunzipPrefix(path: string, n: number): Promise<Uint8Array> {
  const out = new Uint8Array(n);
  let have = 0;
  const stream = gunzipStream(path);
  try {
    for await (const buf of stream as AsyncIterable<Buffer>) {
      const take = Math.min(buf.length, n - have);
      out.set(buf.subarray(0, take), have);
      have += take;
      if (have === n) break;
    }
  } catch (e) {
    if (have === 0) throw new DatasetError(`${path}: cannot decompress: ${(e as Error).message}`);
  } finally {
    stream.destroy();
  }
  return out.subarray(0, have);
}

/** A whole small file (a label list), gunzipped when its name ends in `.gz`, inflating at most `maxBytes` of it. */
export async function readMaybeGzip(path: string, maxBytes: number): Promise<Uint8Array> {
  const raw = await readFile(path);
  if (!path.endsWith('.gz')) return raw;
  try {
    return gunzipSync(raw, { maxOutputLength: Math.max(1, Math.min(maxBytes, 2 ** 31)) });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new DatasetError(`${path}: decompresses to more than the ${maxBytes} bytes it should hold.`);
    throw new DatasetError(`${path}: cannot decompress: ${(e as Error).message}`);
  }
}

/**
 * Streams the records of a gzipped file from position `start`: decompresses (and discards) the
 * header and earlier records, then yields chunks of at most `chunk` records (and 16 MiB).
 * A truncated or corrupt stream ends with the missing records reported as skips.
 */
export async function* gunzipRecords(file: RecordFile, { recordSize, decode }: RecordFormat, start: number, chunk: number): AsyncIterable<Item[]> {
  const perChunk = Math.max(1, Math.min(chunk, Math.floor(MAX_CHUNK_BYTES / recordSize)));
  const prefix = file.idPrefix ?? basename(file.path);
  let index = start;
  let discard = file.header + start * recordSize;
  let buf = new Uint8Array(Math.min(perChunk, file.count - index) * recordSize);
  let fill = 0;
  let failure: string | undefined;
  const stream = gunzipStream(file.path);
  const flush = (): Item[] => {
    const n = Math.floor(fill / recordSize);
    const items: Item[] = [];
    for (let k = 0; k < n; k++) {
      const id = `${prefix}#${index + k}`;
      items.push(decode(buf.subarray(k * recordSize, (k + 1) * recordSize), file, index + k, id));
    }
    index += n;
    buf = new Uint8Array(Math.min(perChunk, file.count - index) * recordSize);
    fill = 0;
    return items;
  };
  try {
    for await (let data of stream as AsyncIterable<Buffer>) {
      if (discard > 0) {
        const d = Math.min(discard, data.length);
        discard -= d;
        data = data.subarray(d);
      }
      while (data.length > 0 && index < file.count) {
        const take = Math.min(data.length, buf.length - fill);
        buf.set(data.subarray(0, take), fill);
        fill += take;
        data = data.subarray(take);
        if (fill === buf.length) yield flush();
      }
      if (index >= file.count) break;
    }
  } catch (e) {
    failure = `gzip stream failed: ${(e as Error).message}`;
  } finally {
    stream.destroy();
  }
  if (index < file.count) {
    const present = index + Math.floor(fill / recordSize);
    if (file.count - present > MAX_MISSING_RECORDS) throw truncatedError(basename(file.path), present, file.count, failure);
    const reason = failure ?? `file truncated: ${basename(file.path)} ends before record ${index + Math.floor(fill / recordSize)}`;
    const items: Item[] = fill >= recordSize ? flush() : [];
    for (let i = index; i < file.count; i++) items.push({ id: `${prefix}#${i}`, skip: reason });
    if (items.length > 0) yield items;
  }
}
