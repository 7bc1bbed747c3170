// Training: weight gradients of the training graph against finite differences, and a short real training run.
import { describe, expect, it } from 'vitest';
import { openDataset } from '../data/index.ts';
import { nodeRuntime } from '../runtime/node.ts';
import { run } from '../../test/reference/interpreter.ts';
import type { RefTensor } from '../../test/reference/interpreter.ts';
import { mulberry32 } from '../preprocess/random.ts';
import { smallCnn } from './architectures.ts';
import { loadIntoMemory, pixelStats } from './in-memory.ts';
import { train } from './train.ts';
import { TRAIN_IO, buildTrainingGraph } from './training-graph.ts';

describe('training graph', () => {
  it('matches central finite differences for every layer type (conv, gemm weights and biases)', () => {
    const initial = smallCnn({ input: { height: 4, width: 4, channels: 1 }, numClasses: 3, seed: 7 });
    const { model, params, input } = buildTrainingGraph(initial);
    expect(params.length).toBe(8);
    const rand = mulberry32(3);
    const feeds: Record<string, RefTensor> = {
      [input]: { dtype: 'float', dims: [2, 1, 4, 4], data: Float64Array.from({ length: 32 }, () => rand()) },
      [TRAIN_IO.labels]: { dtype: 'int64', dims: [2], data: BigInt64Array.from([0n, 2n]) },
    };
    for (const p of params) {
      const t = initial.graph.initializers.get(p)!;
      // Small random biases so the ReLUs are not all at a kink.
      const data = Float64Array.from(t.tensor.data as Float32Array, (v) => v + (rand() - 0.5) * 0.1);
      feeds[p] = { dtype: 'float', dims: t.dims, data };
    }
    const grads = run(model, feeds, params.map((p) => `${TRAIN_IO.gradPrefix}${p}`));
    const loss = () => (run(model, feeds, [TRAIN_IO.loss])[TRAIN_IO.loss].data as Float64Array)[0];
    const h = 1e-6;
    for (const p of params) {
      const x = feeds[p].data as Float64Array;
      const g = grads[`${TRAIN_IO.gradPrefix}${p}`].data as Float64Array;
      expect(g.length).toBe(x.length);
      let maxErr = 0;
      for (let k = 0; k < 6; k++) {
        const i = Math.floor(rand() * x.length);
        const orig = x[i];
        x[i] = orig + h;
        const up = loss();
        x[i] = orig - h;
        const down = loss();
        x[i] = orig;
        maxErr = Math.max(maxErr, Math.abs((up - down) / (2 * h) - g[i]));
      }
      expect(maxErr, p).toBeLessThan(1e-6);
      expect(Math.max(...Array.from(g, Math.abs)), p).toBeGreaterThan(0);
    }
  });
});

describe('train', () => {
  it('lowers the loss and reaches well above chance on a Fashion-MNIST subset', async () => {
    const data = await openDataset('fashion-mnist:train');
    const spec = { layout: 'NCHW' as const, channels: 1 as const, height: 28, width: 28 };
    const set = await loadIntoMemory(data, spec, 4000);
    const { mean, std } = pixelStats(set);
    const result = await train({
      model: smallCnn({ input: { height: 28, width: 28, channels: 1 }, numClasses: 10, seed: 1 }),
      data: set,
      mean,
      std,
      epochs: 4,
      batchSize: 64,
      seed: 1,
      optimizer: { kind: 'adam', lr: 0.002, schedule: 'cosine' },
      runtime: nodeRuntime,
      threads: 2,
      maxSteps: 250,
    });
    const first = result.history[0];
    const last = result.history[result.history.length - 1];
    expect(last.loss).toBeLessThan(first.loss * 0.8);
    expect(first.loss).toBeLessThan(Math.log(10) * 1.5);
    expect(last.accuracy).toBeGreaterThan(0.75);
  });
});
