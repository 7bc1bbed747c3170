// CLI exit codes and the error type that carries one.

export const EXIT = { ok: 0, usage: 2, badInput: 3, runtime: 4 } as const;

/** An error the CLI reports as one line on stderr, exiting with `code`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

/** Maps known engine errors to exit codes: unusable input files are 3, everything else 4. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof CliError) return error.code;
  const name = (error as Error)?.name;
  if (name === 'CommanderError') return EXIT.usage;
  if (['ModelFormatError', 'UnsupportedModelError', 'UnsupportedOpError', 'DatasetError'].includes(name)) return EXIT.badInput;
  if ((error as NodeJS.ErrnoException)?.code === 'ENOENT' || (error as NodeJS.ErrnoException)?.code === 'EISDIR') return EXIT.badInput;
  return EXIT.runtime;
}
