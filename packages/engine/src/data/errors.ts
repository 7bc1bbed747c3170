// The error dataset readers throw for a file they cannot read (bad magic, unsupported dtype or shape, a header that lies).

/** A dataset file that cannot be used; the message names the file and says why. */
export class DatasetError extends Error {
  override name = 'DatasetError';
}
