// The committed demo model: it loads, carries its metadata, and scores ≥ 90% on the official Fashion-MNIST test set.
import { readFile } from 'node:fs/promises';
import { evaluateAccuracy, readModel } from '@odin/engine';
import { FASHION_MNIST_LABELS, nodeRuntime, openDataset } from '@odin/engine/node';
import { describe, expect, it } from 'vitest';

const MODEL = new URL('../packages/engine/demo/fashion-mnist-small-cnn.onnx', import.meta.url);

describe('demo model', () => {
  it('is small, standard ONNX with odin:* metadata', async () => {
    const bytes = await readFile(MODEL);
    expect(bytes.length).toBeLessThan(2 * 1024 * 1024);
    const model = readModel(new Uint8Array(bytes));
    const meta = model.metadata;
    expect(JSON.parse(meta.get('odin:labels')!)).toEqual(FASHION_MNIST_LABELS);
    expect(meta.get('odin:layout')).toBe('NCHW');
    expect(meta.get('odin:dataset')).toBe('fashion-mnist:train');
    expect(Number(meta.get('odin:mean'))).toBeCloseTo(0.286, 2);
    expect(Number(meta.get('odin:std'))).toBeCloseTo(0.353, 2);
    expect(meta.get('odin:train')).toMatch(/^odin train --data fashion-mnist:train --arch small-cnn/);
  });

  it('scores at least 90% on the official Fashion-MNIST test images', async () => {
    const model = readModel(new Uint8Array(await readFile(MODEL)));
    const test = await openDataset('fashion-mnist:test');
    expect(test.size).toBe(10_000);
    const accuracy = await evaluateAccuracy(model, test, nodeRuntime, { threads: 2 });
    expect(accuracy).toBeGreaterThanOrEqual(0.9);
  });
});
