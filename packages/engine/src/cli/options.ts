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

/** `--input-size H,W`: two positive integers. */
export function inputSizeOption(v: string): [number, number] {
  const parts = v.split(/[,x×]/).map((p) => p.trim());
  const dims = parts.map(Number);
  if (dims.length !== 2 || parts.some((p) => p === '') || dims.some((d) => !Number.isInteger(d) || d <= 0))
    throw new CliError(`--input-size must be H,W with two positive integers, got "${v}"`, EXIT.usage);
  return dims as [number, number];
}
