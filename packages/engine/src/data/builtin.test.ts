// Generated sets (uniform / Gaussian noise) and invert: reproducibility, statistics, resuming, shape option, bounded memory.
import { describe, expect, it } from 'vitest';
import { drain } from './fixtures.ts';
import { openDataset } from './open.ts';

const flat = (ps: { image: { pixels: Float32Array } }[]) => ps.flatMap((s) => Array.from(s.image.pixels));

describe('uniform / gaussian', () => {
  it('are reproducible with the same seed, differ with another, and default to seed 0 and 28×28×1', async () => {
    const a = flat((await drain(await openDataset('uniform:20:7'))).samples);
    const b = flat((await drain(await openDataset('uniform:20:7'), 3)).samples);
    const c = flat((await drain(await openDataset('uniform:20:8'))).samples);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    const d = await openDataset('uniform:20');
    expect(flat((await drain(d)).samples)).toEqual(flat((await drain(await openDataset('uniform:20:0'))).samples));
    const [first] = (await drain(d)).samples;
    expect(first.image).toMatchObject({ width: 28, height: 28, channels: 1 });
    expect(first.id).toBe('uniform#0');
    const g1 = flat((await drain(await openDataset('gaussian:10:3'))).samples);
    expect(flat((await drain(await openDataset('gaussian:10:3'), 4)).samples)).toEqual(g1);
    expect(flat((await drain(await openDataset('gaussian:10:4'))).samples)).not.toEqual(g1);
  });

  it('item i does not depend on where reading starts', async () => {
    const ds = await openDataset('gaussian:50:1', { shape: { height: 4, width: 5, channels: 3 } });
    const all = (await drain(ds, 8)).samples;
    const tail = (await drain(ds, 5, 33)).samples;
    expect(tail.map((s) => s.id)).toEqual(all.slice(33).map((s) => s.id));
    expect(tail.map((s) => s.index)).toEqual(Array.from({ length: 17 }, (_, i) => 33 + i));
    expect(flat(tail)).toEqual(flat(all.slice(33)));
    expect(all[0].image).toMatchObject({ width: 5, height: 4, channels: 3 });
  });

  it('have the ODIN statistics: U[0,1) mean 1/2; clamp(N(0.5,1)) ≈31% zeros, ≈31% ones', async () => {
    const u = flat((await drain(await openDataset('uniform:200:5'), 64)).samples);
    expect(u.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(u.reduce((s, v) => s + v, 0) / u.length).toBeCloseTo(0.5, 2);
    const g = flat((await drain(await openDataset('gaussian:200:5'), 64)).samples);
    const zeros = g.filter((v) => v === 0).length / g.length;
    const ones = g.filter((v) => v === 1).length / g.length;
    // P(N(0.5,1) < 0) = Φ(−0.5) ≈ 0.3085.
    expect(zeros).toBeCloseTo(0.3085, 2);
    expect(ones).toBeCloseTo(0.3085, 2);
    expect(g.reduce((s, v) => s + v, 0) / g.length).toBeCloseTo(0.5, 2);
  });

  it('rejects malformed specs and shapes', async () => {
    await expect(openDataset('uniform:abc')).rejects.toThrow(/'uniform:abc': expected uniform:N\[:seed\]/);
    await expect(openDataset('gaussian:10:99999999999')).rejects.toThrow(/seed in \[0, 2\^32\)/);
    await expect(openDataset('uniform:10', { shape: { height: 0, width: 2, channels: 1 } })).rejects.toThrow(/invalid shape/);
  });

  it('streams 100,000 images in bounded memory', async () => {
    const ds = await openDataset('uniform:100000:1');
    const fullSet = ds.size * 28 * 28 * 4;
    const used = () => {
      const m = process.memoryUsage();
      return m.heapUsed + m.arrayBuffers;
    };
    const base = used();
    let peak = 0;
    let count = 0;
    let sum = 0;
    for await (const batch of ds.batches({ batchSize: 500 })) {
      count += batch.length;
      sum += batch[0].image.pixels[0];
      peak = Math.max(peak, used() - base);
    }
    expect(count).toBe(100_000);
    expect(sum).toBeGreaterThan(0);
    console.log(`uniform:100000 peak growth ${(peak / 2 ** 20).toFixed(1)} MiB vs full set ${(fullSet / 2 ** 20).toFixed(1)} MiB`);
    expect(peak).toBeLessThan(fullSet / 4);
  });
});

describe('invert', () => {
  it('maps x to 1 − x, keeping ids, labels and size, and nests', async () => {
    const base = (await drain(await openDataset('uniform:5:2'))).samples;
    const ds = await openDataset('invert:uniform:5:2');
    expect(ds).toMatchObject({ name: 'invert:uniform:5:2', size: 5 });
    const inv = (await drain(ds, 2)).samples;
    expect(inv.map((s) => s.id)).toEqual(base.map((s) => s.id));
    expect(flat(inv)).toEqual(flat(base).map((v) => Math.fround(1 - v)));
    const twice = (await drain(await openDataset('invert:invert:uniform:5:2'))).samples;
    const b = flat(base);
    expect(Math.max(...flat(twice).map((v, i) => Math.abs(v - b[i])))).toBeLessThan(1e-7);
    await expect(openDataset('invert:')).rejects.toThrow(/invert: needs a dataset/);
  });
});
