// Image-folder reader: PNG/JPEG decoding (gray stays gray, alpha dropped, 16-bit), sorted recursive walk, labels, corrupt files.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drain, put, tempDir } from './fixtures.ts';
import { decodeImage } from './folder.ts';
import { openDataset } from './open.ts';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(() => cleanup());

const png = (px: number[], width: number, height: number, channels: 1 | 2 | 3 | 4) => {
  const s = sharp(Buffer.from(px), { raw: { width, height, channels } });
  return (channels <= 2 ? s.toColourspace('b-w') : s).png().toBuffer();
};
const bytesOf = (px: Float32Array, scale = 255) => Array.from(px, (v) => Math.round(v * scale));

describe('image folder', () => {
  it('decodes gray, gray+alpha, RGB, RGBA and 16-bit PNGs exactly', async () => {
    const gray = await decodeImage(await png([0, 10, 20, 30, 40, 255], 3, 2, 1));
    expect(gray).toMatchObject({ width: 3, height: 2, channels: 1 });
    expect(bytesOf(gray.pixels)).toEqual([0, 10, 20, 30, 40, 255]);
    const grayAlpha = await decodeImage(await png([7, 0, 8, 128, 9, 255], 3, 1, 2));
    expect(grayAlpha.channels).toBe(1);
    expect(bytesOf(grayAlpha.pixels)).toEqual([7, 8, 9]);
    const rgba = await decodeImage(await png([1, 2, 3, 4, 5, 6, 7, 8], 2, 1, 4));
    expect(rgba.channels).toBe(3);
    expect(bytesOf(rgba.pixels)).toEqual([1, 2, 3, 5, 6, 7]);
    const all = Array.from({ length: 256 * 3 }, (_, i) => (i * 7) % 256);
    expect(bytesOf((await decodeImage(await png(all, 256, 1, 3))).pixels)).toEqual(all);
    const deep = await sharp(new Uint16Array([0, 1000, 65535]), { raw: { width: 3, height: 1, channels: 1 } }).toColourspace('grey16').png().toBuffer();
    const d = await decodeImage(deep);
    expect(d.channels).toBe(1);
    expect(bytesOf(d.pixels, 65535)).toEqual([0, 1000, 65535]);
  });

  it('walks sub-folders in sorted order, labels by top-level folder, reports a corrupt file and goes on', async () => {
    const root = join(dir, 'set');
    for (const d of ['cat', 'dog', 'dog/puppies', 'empty']) await mkdir(join(root, d), { recursive: true });
    await put(root, 'top.png', await png([50], 1, 1, 1));
    await put(root, 'dog/b.png', await png([1, 2, 3], 1, 1, 3));
    await put(root, 'dog/a.jpg', await sharp({ create: { width: 4, height: 4, channels: 3, background: { r: 200, g: 100, b: 50 } } }).jpeg({ quality: 100 }).toBuffer());
    await put(root, 'dog/puppies/c.PNG', await png([9], 1, 1, 1));
    await put(root, 'cat/z.png', await png([60], 1, 1, 1));
    await put(root, 'cat/broken.png', Buffer.from('\x89PNG\r\n\x1a\n definitely not a png'));
    await put(root, 'cat/notes.txt', 'ignored');
    await put(root, 'empty/readme.md', 'no images here');
    const ds = await openDataset('set', { root: dir });
    expect(ds).toMatchObject({ name: 'set', size: 6, labels: ['cat', 'dog'] });
    const { samples, skips, batches } = await drain(ds, 2);
    expect(skips).toHaveLength(1);
    expect(skips[0].id).toBe('cat/broken.png');
    expect(skips[0].reason).toContain('cat/broken.png');
    expect(batches).toEqual([1, 2, 2]);
    expect(samples.map((s) => s.index)).toEqual([1, 2, 3, 4, 5]);
    expect(samples.map((s) => [s.id, s.label])).toEqual([
      ['cat/z.png', 0],
      ['dog/a.jpg', 1],
      ['dog/b.png', 1],
      ['dog/puppies/c.PNG', 1],
      ['top.png', undefined],
    ]);
    const jpeg = samples[1].image;
    expect(jpeg).toMatchObject({ width: 4, height: 4, channels: 3 });
    expect(bytesOf(jpeg.pixels.subarray(0, 3)).map((v, i) => Math.abs(v - [200, 100, 50][i]))).toSatisfy((d: number[]) => d.every((x) => x <= 2));
    expect(Array.from(samples[2].image.pixels, (v) => Math.round(v * 255))).toEqual([1, 2, 3]);
  });

  it('rejects a folder without images', async () => {
    await mkdir(join(dir, 'nothing'));
    await expect(openDataset('nothing', { root: dir })).rejects.toThrow(/nothing: no PNG\/JPEG images/);
  });
});
