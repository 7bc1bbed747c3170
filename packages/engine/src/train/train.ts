// The training loop: shuffled mini-batches through the training graph on onnxruntime, optimiser steps in JS.
import { Initializer } from '../graph/ir.ts';
import type { Model } from '../graph/ir.ts';
import { cloneModel } from '../graph/ir.ts';
import { writeModel } from '../graph/onnx-io.ts';
import { permutation } from '../preprocess/random.ts';
import type { Backend, OdinSession, Runtime } from '../runtime/session.ts';
import { inputDims } from '../evaluate/score.ts';
import type { InMemorySet } from './in-memory.ts';
import { createOptimizer, learningRate } from './optimizers.ts';
import type { OptimizerConfig } from './optimizers.ts';
import { TRAIN_IO, buildTrainingGraph } from './training-graph.ts';

export interface TrainProgress {
  epoch: number;
  epochs: number;
  step: number;
  stepsPerEpoch: number;
  /** Running mean loss and accuracy over the epoch so far. */
  loss: number;
  accuracy: number;
  imagesPerSecond: number;
  lr: number;
}

export interface TrainOptions {
  /** The initial classifier; its float initializers are trained. */
  model: Model;
  data: InMemorySet;
  /** Normalisation applied in front of the model, (x − mean)/std. */
  mean: number;
  std: number;
  epochs: number;
  batchSize: number;
  seed: number;
  optimizer: OptimizerConfig;
  runtime: Runtime;
  backend?: Backend;
  threads?: number;
  /** Stop after this many steps in total (for short runs and tests). */
  maxSteps?: number;
  onProgress?: (p: TrainProgress) => void;
  signal?: AbortSignal;
}

export interface TrainResult {
  model: Model;
  history: { epoch: number; loss: number; accuracy: number; seconds: number; imagesPerSecond: number }[];
  seconds: number;
}

/** Trains with deterministic shuffling (permutation seeded by seed + epoch). */
export async function train(opts: TrainOptions): Promise<TrainResult> {
  const { model: graph, params, input } = buildTrainingGraph(opts.model);
  const session: OdinSession = await opts.runtime.createSession(writeModel(graph), { backend: opts.backend ?? 'cpu', threads: opts.threads });
  const values = params.map((p) => Float32Array.from(opts.model.graph.initializers.get(p)!.tensor.data as Float32Array));
  const dims = params.map((p) => opts.model.graph.initializers.get(p)!.dims);
  const optimizer = createOptimizer(opts.optimizer, values.map((v) => v.length));
  const { data, batchSize } = opts;
  const stepsPerEpoch = Math.ceil(data.count / batchSize);
  const totalSteps = Math.min(opts.maxSteps ?? Infinity, stepsPerEpoch * opts.epochs);
  const history: TrainResult['history'] = [];
  const started = performance.now();
  let globalStep = 0;
  const batchImages = new Float32Array(batchSize * data.stride);
  const batchLabels = new BigInt64Array(batchSize);
  try {
    for (let epoch = 0; epoch < opts.epochs && globalStep < totalSteps; epoch++) {
      const order = permutation(data.count, opts.seed + epoch);
      const epochStart = performance.now();
      let lossSum = 0;
      let correct = 0;
      let seen = 0;
      for (let step = 0; step < stepsPerEpoch && globalStep < totalSteps; step++, globalStep++) {
        if (opts.signal?.aborted) throw new Error('training cancelled');
        const n = Math.min(batchSize, data.count - step * batchSize);
        for (let i = 0; i < n; i++) {
          const src = order[step * batchSize + i];
          const from = data.images.subarray(src * data.stride, (src + 1) * data.stride);
          const to = i * data.stride;
          for (let k = 0; k < data.stride; k++) batchImages[to + k] = (from[k] - opts.mean) / opts.std;
          batchLabels[i] = BigInt(data.labels[src]);
        }
        const feeds: Record<string, { data: Float32Array | BigInt64Array; dims: number[] }> = {
          [input]: { data: batchImages.subarray(0, n * data.stride), dims: inputDims(data.spec, n) },
          [TRAIN_IO.labels]: { data: batchLabels.subarray(0, n), dims: [n] },
        };
        params.forEach((p, k) => (feeds[p] = { data: values[k], dims: dims[k] }));
        const out = await session.run(feeds);
        const grads = params.map((p) => out[`${TRAIN_IO.gradPrefix}${p}`].data as Float32Array);
        const lr = learningRate(opts.optimizer, globalStep, totalSteps);
        optimizer.step(values, grads, lr);
        const loss = (out[TRAIN_IO.loss].data as Float32Array)[0];
        if (!Number.isFinite(loss)) throw new Error(`training diverged at epoch ${epoch + 1}, step ${step + 1} (loss ${loss}); lower the learning rate`);
        lossSum += loss * n;
        correct += (out[TRAIN_IO.correct].data as Float32Array)[0];
        seen += n;
        const seconds = (performance.now() - epochStart) / 1000;
        opts.onProgress?.({ epoch: epoch + 1, epochs: opts.epochs, step: step + 1, stepsPerEpoch, loss: lossSum / seen, accuracy: correct / seen, imagesPerSecond: seen / seconds, lr });
      }
      const seconds = (performance.now() - epochStart) / 1000;
      history.push({ epoch: epoch + 1, loss: lossSum / seen, accuracy: correct / seen, seconds, imagesPerSecond: seen / seconds });
    }
  } finally {
    await session.release();
  }
  const trained = cloneModel(opts.model);
  params.forEach((p, k) => trained.graph.initializers.set(p, new Initializer(p, 'float32', dims[k], { dtype: 'float32', dims: dims[k], data: values[k] })));
  return { model: trained, history, seconds: (performance.now() - started) / 1000 };
}
