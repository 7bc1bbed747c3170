// Shared pieces of dataset import: the unpacking limits, rejected-entry reports and the user-facing error.

/** Bounds on what an uploaded archive may unpack to. */
export interface ImportLimits {
  /** Most entries (files, folders, links…) an archive may list. */
  maxEntries: number;
  /** Most bytes an archive may inflate to, all entries together. */
  maxTotalBytes: number;
  /** Most inflated/compressed bytes, per zip entry and over the whole archive. */
  maxRatio: number;
  /** Largest single entry; bigger ones are rejected, not fatal. */
  maxEntryBytes: number;
}

export const DEFAULT_IMPORT_LIMITS: ImportLimits = Object.freeze({
  maxEntries: 100_000,
  maxTotalBytes: 8 * 1024 ** 3,
  maxRatio: 200,
  maxEntryBytes: 256 * 1024 ** 2,
});

/** An archive entry refused while unpacking, or an item the engine could not decode. */
export interface RejectedEntry {
  entry: string;
  reason: string;
}

/** The upload cannot become a dataset; the message is meant for the user. */
export class DatasetImportError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DatasetImportError';
  }
}

/** What import steps need to phrase errors and check limits. */
export interface ImportContext {
  /** The upload as named in messages: `'digits.zip'`, or `the upload`. */
  display: string;
  limits: ImportLimits;
}

export function importError(ctx: ImportContext, reason: string, cause?: unknown): DatasetImportError {
  return new DatasetImportError(`Cannot import ${ctx.display}: ${reason}`, cause === undefined ? undefined : { cause });
}

/** Inflation below this many bytes never counts as a bomb, so tiny, very compressible entries pass. */
export const RATIO_FLOOR_BYTES = 64 * 1024;

/** True when `inflated` bytes from `compressed` ones exceeds the allowed ratio. */
export function overRatio(inflated: number, compressed: number, maxRatio: number): boolean {
  return inflated > RATIO_FLOOR_BYTES && inflated > compressed * maxRatio;
}

export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${+(n / 1024 ** 3).toFixed(1)} GiB`;
  if (n >= 1024 ** 2) return `${+(n / 1024 ** 2).toFixed(1)} MiB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}
