// Chunked reads of fixed-size records from one or more binary files (npy, raw IDX, CIFAR), via positioned file-handle reads.
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Item } from './dataset.ts';
import { DatasetError } from './errors.ts';

/** One file of consecutive records after a `header` of bytes. */
export interface RecordFile {
  path: string;
  header: number;
  count: number;
  /** Prefix of item ids (default: the file's base name). */
  idPrefix?: string;
}

/** Turns one record's bytes into a raw item; `local` is the index in its file. */
export type DecodeRecord = (bytes: Uint8Array, file: RecordFile, local: number, id: string) => Item;

/** The size of one record in bytes and how to decode it. */
export interface RecordFormat {
  recordSize: number;
  decode: DecodeRecord;
}

/** Upper bound on one read, so huge batch sizes do not mean huge buffers. */
const MAX_READ_BYTES = 16 << 20;

/**
 * Most records a file may lack and still be read, its missing records reported as skips (a download cut short).
 * A file lacking more has a header that lies about its size: listing 10^12 skips would never end.
 */
export const MAX_MISSING_RECORDS = 100_000;

/** A file that lacks more than {@link MAX_MISSING_RECORDS} of the records its header declares. */
export function truncatedError(name: string, present: number, declared: number, cause?: string): DatasetError {
  const why = cause ? ` (${cause})` : '';
  return new DatasetError(`${name}: the header declares ${declared.toLocaleString('en-US')} records, but the file holds only ${present.toLocaleString('en-US')}${why}; it is truncated or its header is wrong.`);
}

/**
 * Streams records from global position `start` across `files` (in order), reading at most
 * `chunk` records (and 16 MiB) at a time. Ids are `<idPrefix or file name>#<index in file>`. Records past the
 * end of a truncated file come back as skips instead of errors.
 */
export async function* readRecords(files: RecordFile[], { recordSize, decode }: RecordFormat, start: number, chunk: number): AsyncIterable<Item[]> {
  const perRead = Math.max(1, Math.min(chunk, Math.floor(MAX_READ_BYTES / recordSize)));
  let skip = start;
  for (const file of files) {
    if (skip >= file.count) {
      skip -= file.count;
      continue;
    }
    const name = basename(file.path);
    const prefix = file.idPrefix ?? name;
    const fh = await open(file.path, 'r');
    try {
      for (let local = skip; local < file.count; ) {
        const n = Math.min(perRead, file.count - local);
        const buf = new Uint8Array(n * recordSize);
        const { bytesRead } = await fh.read(buf, 0, buf.length, file.header + local * recordSize);
        const present = local + Math.floor(bytesRead / recordSize);
        if (file.count - present > MAX_MISSING_RECORDS) throw truncatedError(name, present, file.count);
        const items: Item[] = [];
        for (let k = 0; k < n; k++) {
          const id = `${prefix}#${local + k}`;
          if ((k + 1) * recordSize > bytesRead) {
            items.push({ id, skip: `file truncated: record ${local + k} ends past the end of ${name}` });
          } else {
            items.push(decode(buf.subarray(k * recordSize, (k + 1) * recordSize), file, local + k, id));
          }
        }
        yield items;
        local += n;
      }
    } finally {
      await fh.close();
    }
    skip = 0;
  }
}
