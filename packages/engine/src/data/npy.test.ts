// .npy reader: uint8/float32 round trips in every layout, chunked reads, header and shape errors, corrupt items.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drain, npyBytes, put, ramp, tempDir } from './fixtures.ts';
import { openNpy, parseNpyHeader } from './npy.ts';
import { openDataset } from './open.ts';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(() => cleanup());

describe('npy', () => {
  it('reads uint8 [N,H,W] as grayscale scaled by 1/255, in order, in batches', async () => {
    const data = ramp(10 * 2 * 3);
    const path = await put(dir, 'gray.npy', npyBytes(data, [10, 2, 3]));
    const ds = await openDataset('gray.npy', { root: dir });
    expect(ds.name).toBe('gray.npy');
    expect(ds.size).toBe(10);
    const { samples, batches } = await drain(ds, 4);
    expect(batches).toEqual([4, 4, 2]);
    expect(samples.map((s) => s.id)).toEqual(Array.from({ length: 10 }, (_, i) => `gray.npy#${i}`));
    expect(samples[3].image).toMatchObject({ width: 3, height: 2, channels: 1 });
    expect(Array.from(samples[3].image.pixels)).toEqual(Array.from(data.subarray(18, 24), (v) => Math.fround(v / 255)));
    expect(samples[0].label).toBeUndefined();
    expect((await drain(await openNpy(path, 'x'), 3, 8)).samples.map((s) => s.id)).toEqual(['gray.npy#8', 'gray.npy#9']);
  });

  it('reads NCHW (dim 1 = 3) as HWC, and NHWC as is', async () => {
    // One 1×2 RGB image: planes R=[1,2], G=[3,4], B=[5,6] → HWC [1,3,5, 2,4,6].
    await put(dir, 'nchw.npy', npyBytes(Uint8Array.from([1, 2, 3, 4, 5, 6]), [1, 3, 1, 2]));
    // The same pixels as a 2×1 NHWC image (dim 1 = 2 is not a channel count).
    await put(dir, 'nhwc.npy', npyBytes(Uint8Array.from([1, 3, 5, 2, 4, 6]), [1, 2, 1, 3]));
    for (const [f, width, height] of [['nchw.npy', 2, 1], ['nhwc.npy', 1, 2]] as const) {
      const [s] = (await drain(await openDataset(f, { root: dir }))).samples;
      expect(s.image).toMatchObject({ width, height, channels: 3 });
      expect(Array.from(s.image.pixels, (v) => Math.round(v * 255))).toEqual([1, 3, 5, 2, 4, 6]);
    }
  });

  it('takes float32 as [0,1] and skips items with values outside it', async () => {
    const data = Float32Array.from([0, 0.25, 0.5, 1, 0.1, 1.5, 0.3, 0.2, Number.NaN, 0, 0, 0]);
    await put(dir, 'f.npy', npyBytes(data, [3, 2, 2]));
    const { samples, skips } = await drain(await openDataset('f.npy', { root: dir }), 2);
    expect(samples.map((s) => s.id)).toEqual(['f.npy#0']);
    expect(Array.from(samples[0].image.pixels)).toEqual([0, 0.25, 0.5, 1]);
    expect(skips.map((s) => s.id)).toEqual(['f.npy#1', 'f.npy#2']);
    expect(skips[0].reason).toMatch(/outside \[0,1\]/);
    expect(skips[1].reason).toMatch(/NaN/);
  });

  it('gives each sample its raw position as index, counting corrupt items, from any start and through invert', async () => {
    const data = Float32Array.from({ length: 7 * 4 }, (_, i) => (i % 4) / 4);
    data[3 * 4 + 1] = -1;
    await put(dir, 'hole.npy', npyBytes(data, [7, 2, 2]));
    const ds = await openDataset('hole.npy', { root: dir });
    const all = await drain(ds, 2);
    expect(all.skips.map((s) => s.id)).toEqual(['hole.npy#3']);
    expect(all.samples.map((s) => s.index)).toEqual([0, 1, 2, 4, 5, 6]);
    expect((await drain(ds, 3, 2)).samples.map((s) => s.index)).toEqual([2, 4, 5, 6]);
    expect((await drain(await openDataset('invert:hole.npy', { root: dir }), 4, 1)).samples.map((s) => s.index)).toEqual([1, 2, 4, 5, 6]);
  });

  it('reports the images missing from a truncated file as skipped', async () => {
    const bytes = npyBytes(ramp(5 * 4), [5, 2, 2]);
    await put(dir, 'trunc.npy', bytes.subarray(0, bytes.length - 6));
    const { samples, skips } = await drain(await openDataset('trunc.npy', { root: dir }), 2);
    expect(samples).toHaveLength(3);
    expect(skips.map((s) => s.id)).toEqual(['trunc.npy#3', 'trunc.npy#4']);
    expect(skips[0].reason).toMatch(/truncated/);
  });

  it('rejects unsupported dtypes, shapes and non-npy files with the file name', async () => {
    await put(dir, 'i32.npy', npyBytes(new Uint8Array(16), [1, 2, 2], '<i4'));
    await put(dir, 'be.npy', npyBytes(new Uint8Array(16), [1, 2, 2], '>f4'));
    await put(dir, 'flat.npy', npyBytes(new Uint8Array(16), [4, 4]));
    await put(dir, 'c4.npy', npyBytes(new Uint8Array(32), [2, 2, 2, 4]));
    await put(dir, 'junk.npy', 'not numpy at all');
    await expect(openDataset('i32.npy', { root: dir })).rejects.toThrow(/i32\.npy: unsupported dtype '<i4'/);
    await expect(openDataset('be.npy', { root: dir })).rejects.toThrow(/be\.npy: unsupported dtype/);
    await expect(openDataset('flat.npy', { root: dir })).rejects.toThrow(/flat\.npy: unsupported array shape \(4, 4\)/);
    await expect(openDataset('c4.npy', { root: dir })).rejects.toThrow(/c4\.npy: .*1 or 3 channels/);
    await expect(openDataset('junk.npy', { root: dir })).rejects.toThrow(/junk\.npy: not an \.npy file/);
  });

  it('parses version 2 headers and rejects Fortran order', () => {
    const v1 = npyBytes(new Uint8Array(4), [1, 2, 2]);
    const len = v1[8] | (v1[9] << 8);
    const v2 = new Uint8Array(v1.length + 2);
    v2.set(v1.subarray(0, 8));
    v2[6] = 2;
    new DataView(v2.buffer).setUint32(8, len, true);
    v2.set(v1.subarray(10), 12);
    expect(parseNpyHeader(v2, 'v2.npy')).toEqual({ dtype: 'uint8', shape: [1, 2, 2], dataOffset: 12 + len });
    const fortran = Buffer.from(Buffer.from(v1).toString('latin1').replace("'fortran_order': False", "'fortran_order': True "), 'latin1');
    expect(() => parseNpyHeader(fortran, 'f.npy')).toThrow(/f\.npy: Fortran-order/);
  });
});
