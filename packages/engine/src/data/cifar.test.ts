// CIFAR binary reader: CIFAR-10 and CIFAR-100 records (CHW → HWC), class names from meta files, folders of batches.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drain, put, ramp, tempDir } from './fixtures.ts';
import { openDataset } from './open.ts';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(() => cleanup());

const PIX = 3072;

/** `n` records with `labelBytes` label bytes; record i's labels are (i % 20, i % 10) / (i % 10) and its pixels ramp(3072, i). */
function records(n: number, labelBytes: 1 | 2): Uint8Array {
  const out = new Uint8Array(n * (labelBytes + PIX));
  for (let i = 0; i < n; i++) {
    const at = i * (labelBytes + PIX);
    if (labelBytes === 2) out[at] = i % 20;
    out[at + labelBytes - 1] = i % 10;
    out.set(ramp(PIX, i), at + labelBytes);
  }
  return out;
}

/** HWC bytes of record i (planes R, G, B of 1024 each → interleaved). */
function hwc(i: number): number[] {
  const chw = ramp(PIX, i);
  return Array.from({ length: PIX }, (_, k) => chw[(k % 3) * 1024 + Math.floor(k / 3)]);
}

describe('CIFAR', () => {
  it('reads CIFAR-10 batches with class names from batches.meta.txt', async () => {
    const sub = join(dir, 'c10');
    await mkdir(sub);
    await put(sub, 'test_batch.bin', records(6, 1));
    const names = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];
    await put(sub, 'batches.meta.txt', names.join('\n') + '\n\n');
    const ds = await openDataset('c10/test_batch.bin', { root: dir });
    expect(ds).toMatchObject({ name: 'c10/test_batch.bin', size: 6, labels: names });
    const { samples } = await drain(ds, 4);
    expect(samples.map((s) => s.label)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(samples[2].id).toBe('test_batch.bin#2');
    expect(samples[2].image).toMatchObject({ width: 32, height: 32, channels: 3 });
    expect(Array.from(samples[2].image.pixels, (v) => Math.round(v * 255))).toEqual(hwc(2));
  });

  it('reads CIFAR-100 (coarse, fine) records using the fine label', async () => {
    const sub = join(dir, 'c100');
    await mkdir(sub);
    await put(sub, 'train.bin', records(4, 2));
    const ds = await openDataset(join(sub, 'train.bin'));
    expect(ds.size).toBe(4);
    expect(ds.labels).toBeUndefined();
    const { samples } = await drain(ds);
    expect(samples.map((s) => s.label)).toEqual([0, 1, 2, 3]);
    expect(Array.from(samples[3].image.pixels, (v) => Math.round(v * 255))).toEqual(hwc(3));
  });

  it('reads a folder of .bin batches in name order, across file boundaries', async () => {
    const sub = join(dir, 'folder');
    await mkdir(sub);
    await put(sub, 'data_batch_2.bin', records(3, 1));
    await put(sub, 'data_batch_1.bin', records(2, 1));
    await put(sub, 'readme.html', '<p>hi</p>');
    const ds = await openDataset(sub);
    expect(ds.size).toBe(5);
    const { samples } = await drain(ds, 3, 1);
    expect(samples.map((s) => s.id)).toEqual(['data_batch_1.bin#1', 'data_batch_2.bin#0', 'data_batch_2.bin#1', 'data_batch_2.bin#2']);
  });

  it('rejects files that are not whole CIFAR records, and skips out-of-range labels', async () => {
    const sub = join(dir, 'bad');
    await mkdir(sub);
    await put(sub, 'odd.bin', new Uint8Array(5000));
    await expect(openDataset(join(sub, 'odd.bin'))).rejects.toThrow(/odd\.bin: not CIFAR binary batches/);
    const recs = records(2, 1);
    recs[0] = 42;
    await put(sub, 'data_batch_9.bin', recs);
    const { samples, skips } = await drain(await openDataset(join(sub, 'data_batch_9.bin')));
    expect(samples).toHaveLength(1);
    expect(skips).toEqual([{ id: 'data_batch_9.bin#0', reason: expect.stringMatching(/label 42 out of range/) }]);
  });
});
