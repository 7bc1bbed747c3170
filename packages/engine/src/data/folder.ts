// Folders of PNG/JPEG images, walked recursively in sorted order and decoded with sharp; top-level sub-folders are the classes.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Dataset, Image } from '../preprocess/types.ts';
import { MAX_IMAGE_PIXELS, makeDataset, type Item } from './dataset.ts';

const IMAGE_EXT = /\.(png|jpe?g)$/i;
/** How many images of a batch are decoded at once (sharp works on libuv's thread pool). */
const CONCURRENCY = 8;

/** One image file: its path relative to the root (with `/`), and its class when it sits under a sub-folder. */
interface Entry {
  rel: string;
  label?: number;
}

/** Relative paths of the images under `dir`: each folder's entries sorted by name (code-unit order), depth first; dot-files are ignored. */
async function walk(dir: string, rel = ''): Promise<string[]> {
  const entries = (await readdir(join(dir, rel), { withFileTypes: true })).filter((e) => !e.name.startsWith('.'));
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const e of entries) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    let isDir = e.isDirectory();
    let isFile = e.isFile();
    if (e.isSymbolicLink()) {
      const s = await stat(join(dir, r)).catch(() => undefined);
      isDir = s?.isDirectory() ?? false;
      isFile = s?.isFile() ?? false;
    }
    if (isDir) out.push(...(await walk(dir, r)));
    else if (isFile && IMAGE_EXT.test(e.name)) out.push(r);
  }
  return out;
}

/** True when `dir` holds at least one PNG/JPEG image somewhere beneath it. */
export async function hasImages(dir: string): Promise<boolean> {
  return (await walk(dir)).length > 0;
}

/**
 * Decodes a PNG/JPEG to a float [0,1] HWC image with sharp. Grayscale (with or without alpha)
 * stays 1 channel; everything else becomes sRGB with 3 channels. Alpha is dropped, not composited.
 * 8-bit sources are scaled by 1/255, 16-bit ones by 1/65535. EXIF orientation is not applied (as with PIL's `Image.open`).
 */
export async function decodeImage(bytes: Uint8Array): Promise<Image> {
  const meta = await sharp(bytes).metadata();
  // A small file can declare a huge image (a pixel flood); refuse it from the header, before decoding.
  if (meta.width * meta.height > MAX_IMAGE_PIXELS) throw new Error(`the image is ${meta.width}×${meta.height} pixels; at most ${MAX_IMAGE_PIXELS.toLocaleString('en-US')} are allowed`);
  const gray = meta.space === 'b-w' || meta.space === 'grey16';
  const wide = meta.depth === 'ushort';
  let pipeline = sharp(bytes).removeAlpha();
  // Only convert when needed: sharp's 8-bit sRGB → rgb16 conversion is not an exact ×257.
  if (gray) pipeline = pipeline.toColourspace(wide ? 'grey16' : 'b-w');
  else if (wide) pipeline = pipeline.toColourspace('rgb16');
  else if (meta.space !== 'srgb') pipeline = pipeline.toColourspace('srgb');
  const { data, info } = await pipeline.raw({ depth: wide ? 'ushort' : 'uchar' }).toBuffer({ resolveWithObject: true });
  const channels = info.channels;
  if (channels !== 1 && channels !== 3) throw new Error(`decoded to ${channels} channels`);
  const n = info.width * info.height * channels;
  const pixels = new Float32Array(n);
  if (wide) {
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const le = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
    for (let i = 0; i < n; i++) pixels[i] = view.getUint16(2 * i, le) / 65535;
  } else {
    for (let i = 0; i < n; i++) pixels[i] = data[i] / 255;
  }
  return { width: info.width, height: info.height, channels, pixels };
}

/** Applies `fn` to every element with at most `limit` in flight, keeping order. */
async function mapLimit<T, R>(xs: T[], limit: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(xs.length);
  let next = 0;
  const worker = async () => {
    while (next < xs.length) {
      const i = next++;
      out[i] = await fn(xs[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, xs.length) }, worker));
  return out;
}

/**
 * Opens a folder of PNG/JPEG images (recursive, sorted path order). The names of the top-level
 * sub-folders that contain images, sorted, are the labels; images directly in the root have no
 * label. Ids are paths relative to the root. A file that fails to decode is reported as skipped.
 */
export async function openImageFolder(root: string, name: string): Promise<Dataset> {
  const rels = await walk(root);
  if (rels.length === 0) throw new Error(`${name}: no PNG/JPEG images found under ${root}.`);
  const classes = [...new Set(rels.filter((r) => r.includes('/')).map((r) => r.slice(0, r.indexOf('/'))))].sort();
  const index = new Map(classes.map((c, i) => [c, i]));
  const entries: Entry[] = rels.map((rel) => {
    const slash = rel.indexOf('/');
    return slash < 0 ? { rel } : { rel, label: index.get(rel.slice(0, slash)) };
  });
  const load = async ({ rel, label }: Entry): Promise<Item> => {
    try {
      const image = await decodeImage(await readFile(join(root, rel)));
      return label === undefined ? { id: rel, image } : { id: rel, image, label };
    } catch (e) {
      return { id: rel, skip: `cannot decode ${rel}: ${(e as Error).message}` };
    }
  };
  return makeDataset({
    name,
    size: entries.length,
    labels: classes.length > 0 ? classes : undefined,
    async *items(start, chunk) {
      for (let i = start; i < entries.length; i += chunk) yield mapLimit(entries.slice(i, i + chunk), CONCURRENCY, load);
    },
  });
}
