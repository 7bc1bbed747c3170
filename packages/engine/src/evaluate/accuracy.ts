// Top-1 accuracy of a classifier with odin:* metadata on a labelled dataset.
import type { Model } from '../graph/ir.ts';
import { writeModel } from '../graph/onnx-io.ts';
import { modelInput, normalizeBatch, readNormalization } from '../odin/input-semantics.ts';
import { toModelInput } from '../preprocess/model-input.ts';
import type { Dataset } from '../preprocess/types.ts';
import type { Backend, Runtime } from '../runtime/session.ts';
import { inputDims } from './score.ts';

export interface AccuracyOptions {
  backend?: Backend;
  threads?: number;
  /** The image input, where the model has several float inputs. */
  input?: string;
}

/** Fraction of labelled images whose argmax logit equals the label; per-channel normalisation from the model metadata. */
export async function evaluateAccuracy(model: Model, data: Dataset, runtime: Runtime, options: AccuracyOptions = {}): Promise<number> {
  const { input, spec } = modelInput(model, { input: options.input });
  const norm = readNormalization(model.metadata);
  const session = await runtime.createSession(writeModel(model), { backend: options.backend ?? 'cpu', threads: options.threads });
  const output = model.graph.outputs[0].name;
  let correct = 0;
  let total = 0;
  try {
    for await (const batch of data.batches({ batchSize: 500 })) {
      const x = normalizeBatch(toModelInput(batch.map((s) => s.image), spec), spec, norm);
      const out = await session.run({ [input.name]: { data: x, dims: inputDims(spec, batch.length) } }, [output]);
      const logits = out[output].data as Float32Array;
      const k = logits.length / batch.length;
      batch.forEach((s, i) => {
        if (s.label === undefined) return;
        let best = 0;
        for (let j = 1; j < k; j++) if (logits[i * k + j] > logits[i * k + best]) best = j;
        correct += best === s.label ? 1 : 0;
        total++;
      });
    }
  } finally {
    await session.release();
  }
  if (total === 0) throw new Error(`${data.name} has no labelled images`);
  return correct / total;
}
