// Option parsers shared by the subcommands: a bad value is a usage error (exit 2) that names the flag.
import { CliError, EXIT } from './errors.ts';

function numberOption(test: (n: number) => boolean, what: string) {
  return (name: string) => (v: string) => {
    const n = Number(v);
    if (v.trim() === '' || !test(n)) throw new CliError(`${name} must be ${what}, got "${v}"`, EXIT.usage);
    return n;
  };
}

export const nonNegativeNumber = numberOption((n) => Number.isFinite(n) && n >= 0, 'a non-negative number');
export const positiveNumber = numberOption((n) => Number.isFinite(n) && n > 0, 'a positive number');
export const positiveInt = numberOption((n) => Number.isInteger(n) && n > 0, 'a positive integer');
export const nonNegativeInt = numberOption((n) => Number.isInteger(n) && n >= 0, 'a non-negative integer');

/** Collects a repeatable option's values. */
export const collect = (value: string, previous: string[] = []) => [...previous, value];
