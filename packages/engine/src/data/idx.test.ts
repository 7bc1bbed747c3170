// IDX reader: plain and gzipped round trips with the labels file found by name, resuming mid-stream, corrupt and mismatched files.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drain, idxBytes, put, ramp, tempDir } from './fixtures.ts';
import { findIdxLabels, openIdx } from './idx.ts';
import { openDataset } from './open.ts';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(() => cleanup());

const N = 23;
const H = 3;
const W = 4;
const pixels = ramp(N * H * W, 5);
const labels = Uint8Array.from({ length: N }, (_, i) => i % 10);

describe('IDX', () => {
  for (const gz of [false, true]) {
    it(`round-trips ${gz ? 'gzipped' : 'plain'} images with their labels file`, async () => {
      const ext = gz ? '.gz' : '';
      const sub = join(dir, gz ? 'gz' : 'plain');
      await mkdir(sub);
      await put(sub, `t10k-images-idx3-ubyte${ext}`, idxBytes(pixels, [N, H, W], gz));
      await put(sub, `t10k-labels-idx1-ubyte${ext}`, idxBytes(labels, [N], gz));
      const spec = join(gz ? 'gz' : 'plain', `t10k-images-idx3-ubyte${ext}`);
      const ds = await openDataset(spec, { root: dir });
      expect(ds).toMatchObject({ name: spec, size: N });
      const { samples, skips, batches } = await drain(ds, 5);
      expect(skips).toEqual([]);
      expect(batches).toEqual([5, 5, 5, 5, 3]);
      expect(samples.map((s) => s.label)).toEqual(Array.from(labels));
      samples.forEach((s, i) => {
        expect(s.id).toBe(`t10k-images-idx3-ubyte${ext}#${i}`);
        expect(s.image).toMatchObject({ width: W, height: H, channels: 1 });
        expect(Array.from(s.image.pixels, (v) => Math.round(v * 255))).toEqual(Array.from(pixels.subarray(i * H * W, (i + 1) * H * W)));
      });
      const tail = await drain(ds, 4, 17);
      expect(tail.samples.map((s) => s.id)).toEqual(samples.slice(17).map((s) => s.id));
      expect(tail.samples.map((s) => Array.from(s.image.pixels))).toEqual(samples.slice(17).map((s) => Array.from(s.image.pixels)));
    });
  }

  it('finds labels by the standard naming, across compression', async () => {
    const sub = join(dir, 'names');
    await mkdir(sub);
    await put(sub, 'train-images.idx3-ubyte', idxBytes(pixels, [N, H, W]));
    await put(sub, 'train-labels.idx1-ubyte.gz', idxBytes(labels, [N], true));
    expect(await findIdxLabels(join(sub, 'train-images.idx3-ubyte'))).toBe(join(sub, 'train-labels.idx1-ubyte.gz'));
    await put(sub, 'other-images-idx3-ubyte', idxBytes(pixels, [N, H, W]));
    const ds = await openIdx(join(sub, 'other-images-idx3-ubyte'), 'other');
    expect(ds.labels).toBeUndefined();
    expect((await drain(ds)).samples[0].label).toBeUndefined();
  });

  it('reports images cut off by a truncated gzip stream as skipped', async () => {
    const sub = join(dir, 'trunc');
    await mkdir(sub);
    const gz = idxBytes(pixels, [N, H, W], true);
    await put(sub, 'x-images-idx3-ubyte.gz', gz.subarray(0, Math.floor(gz.length * 0.6)));
    const { samples, skips } = await drain(await openDataset(join(sub, 'x-images-idx3-ubyte.gz')), 4);
    expect(samples.length + skips.length).toBe(N);
    expect(skips.length).toBeGreaterThan(0);
    expect(skips[0].id).toBe(`x-images-idx3-ubyte.gz#${samples.length}`);
    expect(skips[0].reason).toMatch(/gzip|truncated/);
  });

  it('rejects bad magic, non-byte types and label count mismatches', async () => {
    const sub = join(dir, 'bad');
    await mkdir(sub);
    await put(sub, 'a-images-idx3-ubyte', 'hello world, not idx');
    await expect(openDataset(join(sub, 'a-images-idx3-ubyte'))).rejects.toThrow(/a-images-idx3-ubyte: not an IDX file/);
    const floats = idxBytes(new Uint8Array(16), [1, 2, 2]);
    floats[2] = 0x0d;
    await put(sub, 'b-images-idx3-ubyte', floats);
    await expect(openDataset(join(sub, 'b-images-idx3-ubyte'))).rejects.toThrow(/b-images-idx3-ubyte: IDX element type 0xd/);
    await put(sub, 'c-images-idx3-ubyte', idxBytes(pixels, [N, H, W]));
    await put(sub, 'c-labels-idx1-ubyte', idxBytes(labels.subarray(1), [N - 1]));
    await expect(openDataset(join(sub, 'c-images-idx3-ubyte'))).rejects.toThrow(/c-labels-idx1-ubyte: expected 23 labels/);
  });
});
