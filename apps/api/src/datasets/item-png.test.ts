// Tests of renderItemPng on imported datasets: PNGs decode back to the source pixels; bad indices and corrupt items throw.
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Dataset } from '@odin/engine';
import { importDataset, openDatasetAt } from './import.ts';
import { ItemUnreadableError, renderItemPng } from './item-png.ts';
import { npyBytes, pixels, png, put, ramp, tempDir, zipBytes } from './test-fixtures.ts';

let root: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir: root, cleanup } = await tempDir()));
afterEach(() => cleanup());

async function importAndOpen(bytes: Uint8Array): Promise<Dataset> {
  const dir = join(root, 'ds');
  const imported = await importDataset(await put(root, 'blob', bytes), dir);
  return openDatasetAt(dir, imported, 'preview');
}

/** Pixels of a PNG as stored (sharp's raw output would widen gray to RGB), with its IHDR bit depth and colour type. */
async function decode(pngBytes: Buffer): Promise<{ data: number[]; channels: number; width: number; height: number; depth: number; colorType: string }> {
  const meta = await sharp(pngBytes).metadata();
  expect(meta.format).toBe('png');
  const img = sharp(pngBytes);
  const { data, info } = await (meta.channels === 1 ? img.toColourspace('b-w') : img).raw().toBuffer({ resolveWithObject: true });
  const colorType = ({ 0: 'gray', 2: 'rgb' } as Record<number, string>)[pngBytes[25]] ?? `type ${pngBytes[25]}`;
  return { data: Array.from(data), channels: info.channels, width: info.width, height: info.height, depth: pngBytes[24], colorType };
}

describe('renderItemPng', () => {
  it('renders gray items as 1-channel PNGs with the source bytes', async () => {
    const data = ramp(4 * 6 * 5, 9);
    const ds = await importAndOpen(npyBytes(data, [4, 6, 5]));
    for (const i of [0, 3]) {
      const out = await decode(await renderItemPng(ds, i));
      expect(out).toEqual({ data: Array.from(data.subarray(i * 30, (i + 1) * 30)), channels: 1, width: 5, height: 6, depth: 8, colorType: 'gray' });
    }
  });

  it('renders RGB items from an unpacked zip with the source pixels', async () => {
    const ds = await importAndOpen(await zipBytes([{ name: 'a/x.png', data: await png(7, 3, 3, 4) }, { name: 'b/y.png', data: await png(2, 2, 3, 5) }]));
    const out = await decode(await renderItemPng(ds, 0));
    expect(out).toEqual({ data: Array.from(pixels(7, 3, 3, 4)), channels: 3, width: 7, height: 3, depth: 8, colorType: 'rgb' });
  });

  it('rounds pixel × 255', async () => {
    const ds = await importAndOpen(npyBytes(Float32Array.from([0, 0.5, 0.999, 1, 0.2, 0.0019]), [1, 2, 3]));
    expect((await decode(await renderItemPng(ds, 0))).data).toEqual([0, 128, 255, 255, 51, 0]);
  });

  it('throws RangeError for indices outside the dataset', async () => {
    const ds = await importAndOpen(npyBytes(ramp(2 * 2 * 2), [2, 2, 2]));
    for (const i of [-1, 2, 1.5, Number.NaN]) await expect(renderItemPng(ds, i)).rejects.toBeInstanceOf(RangeError);
  });

  it('throws ItemUnreadableError for a corrupt item, naming it', async () => {
    const data = new Float32Array(3 * 4).fill(0.25);
    data[5] = -1;
    const ds = await importAndOpen(npyBytes(data, [3, 2, 2]));
    const err = await renderItemPng(ds, 1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ItemUnreadableError);
    expect(err).toMatchObject({ index: 1, id: 'data.npy#1', reason: expect.stringMatching(/outside \[0,1\]/) });
    expect((await decode(await renderItemPng(ds, 2))).data).toEqual([64, 64, 64, 64]);
  });
});
