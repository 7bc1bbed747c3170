// Third-party exports from ../shared/real-models (CNTK MNIST at opset 12 with a batch fixed by a Reshape, keras2onnx
// MNIST at opset 11, NHWC, Softmax → Identity output): they compile, their logits equal onnxruntime on the source
// model, and their ODIN scores equal the float64 reference run on the source model itself.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMnist } from '../src/data/mnist.ts';
import { readModel, writeModel } from '../src/graph/onnx-io.ts';
import type { Model } from '../src/graph/ir.ts';
import { compileOdin } from '../src/odin/compile.ts';
import type { OdinCompileReport } from '../src/odin/compile.ts';
import { evaluate } from '../src/evaluate/evaluate.ts';
import { memoryDataset } from './datasets.ts';
import { nodeRuntime } from '../src/runtime/node.ts';
import type { OdinSession } from '../src/runtime/session.ts';
import { odinReference } from './odin-reference.ts';
import { maxAbsDiff, referenceByImage, runSource } from './odin-run.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
/** Kept outside the repository (see its README); never copied in. */
const REAL = resolve(ROOT, '../shared/real-models');
const EPSILONS = [0, 0.0014, 0.004];
const T = 1000;
// At T = 1000 the scores sit near 1/K, so ODIN's tolerance is that of the engine's own ODIN tests (odin.test.ts).
const TOL = { logits: 1e-5, msp: 1e-5, odin: 1e-7 };

interface RealModel {
  file: string;
  /** The pre-softmax value the reference reads as logits. */
  logits: string;
  layout: 'NCHW' | 'NHWC';
  batchOfOne: boolean;
  report: Partial<OdinCompileReport>;
}

const MODELS: RealModel[] = [
  {
    file: 'mnist12_cntk.onnx',
    logits: 'Plus214_Output_0',
    layout: 'NCHW',
    batchOfOne: true,
    report: { upgradedFrom: 12, logits: { name: 'Plus214_Output_0', numClasses: 10 } },
  },
  {
    file: 'mnist_keras2onnx.onnx',
    logits: 'biased_tensor_name',
    layout: 'NHWC',
    batchOfOne: false,
    report: { upgradedFrom: 11, batch: { mode: 'dynamic' }, logits: { name: 'biased_tensor_name', numClasses: 10, skippedHead: 'Softmax', lookedThrough: ['Identity'] } },
  },
];

const present = existsSync(REAL);
if (!present) console.warn(`skipping the real-model tests: ${REAL} is absent (see ../shared/real-models/README.md)`);

/** MNIST's first test digits (as the `mnist` package orders them, shuffled by the engine) and one noise image, [n,28,28] raw pixels. */
async function digits(n: number): Promise<{ pixels: Float32Array; labels: number[] }> {
  const data = await openMnist('mnist');
  const pixels = new Float32Array((n + 1) * 784);
  const labels: number[] = [];
  for await (const batch of data.batches({ batchSize: n })) {
    batch.forEach((s, i) => {
      pixels.set(s.image.pixels, i * 784);
      labels.push(s.label!);
    });
    break;
  }
  for (let p = 0; p < 784; p++) pixels[n * 784 + p] = Math.fround(((p * 7919) % 1000) / 1000);
  return { pixels, labels };
}

describe.skipIf(!present).each(MODELS)('real model $file', (spec) => {
  const N = 4;
  let source: Model;
  let report: OdinCompileReport;
  let session: OdinSession;
  let images: Float32Array;
  let labels: number[];
  const dimsOf = (n: number) => (spec.layout === 'NCHW' ? [n, 1, 28, 28] : [n, 28, 28, 1]);

  beforeAll(async () => {
    source = readModel(new Uint8Array(readFileSync(resolve(REAL, spec.file))));
    const compiled = compileOdin(source);
    report = compiled.report;
    session = await nodeRuntime.createSession(writeModel(compiled.model), { backend: 'cpu', threads: 1 });
    ({ pixels: images, labels } = await digits(N));
  });
  afterAll(() => session?.release());

  it('compiles at opset 13 with the report naming the upgrade, the logits and the batch', () => {
    expect(report).toMatchObject(spec.report);
    expect(report.opset).toBe(13);
    if (spec.batchOfOne) expect(report.batch).toMatchObject({ mode: 'rewritten', note: expect.stringContaining('Times212_reshape0') });
  });

  it('scores a batch like the source model on onnxruntime and the float64 reference', async () => {
    const n = N + 1;
    const out = await session.run({
      image: { data: images, dims: dimsOf(n) },
      temperature: { data: Float32Array.of(T), dims: [1] },
      epsilon: { data: Float32Array.from(EPSILONS), dims: [EPSILONS.length] },
    });
    // The source model as exported, on onnxruntime, and the reference on the source graph (its own opset, its
    // fixed batch), image by image.
    const srcProbs = await runSource(new Uint8Array(readFileSync(resolve(REAL, spec.file))), source.graph.inputs[0].name, source.graph.outputs[0].name, images, dimsOf(n));
    const refs = referenceByImage(source, images, dimsOf(n), { mean: [0], std: [1], temperature: T, epsilons: EPSILONS, logits: spec.logits }).all;
    const refLogits = refs.flatMap((r) => [...r.logits]);
    const logits = out.logits.data as Float32Array;
    expect(maxAbsDiff(logits, refLogits)).toBeLessThanOrEqual(TOL.logits * Math.max(1, ...refLogits.map(Math.abs)));
    // The source's own output: logits for CNTK, probabilities behind Softmax → Identity for keras2onnx.
    const fromCompiled = spec.report.logits?.skippedHead ? refs.flatMap((r) => [...softmaxRows(r.logits)]) : [...logits];
    expect(maxAbsDiff(fromCompiled, srcProbs)).toBeLessThanOrEqual(TOL.logits * Math.max(1, ...srcProbs.map(Math.abs)));
    // It is an MNIST classifier: MNIST's digits are classified right.
    expect(Array.from(out.prediction.data as BigInt64Array, Number).slice(0, N)).toEqual(labels);
    expect(maxAbsDiff(out.msp.data as Float32Array, refs.map((r) => r.msp[0]))).toBeLessThanOrEqual(TOL.msp);
    const refOdin = refs.flatMap((r) => [...r.odin]);
    expect(maxAbsDiff(out.odin.data as Float32Array, refOdin)).toBeLessThanOrEqual(TOL.odin);
    // The perturbation moves the scores by more than the tolerance, so the comparison is not vacuous.
    expect(Math.max(...refs.map((r) => Math.abs(r.odin[2] - r.odin[0])))).toBeGreaterThan(20 * TOL.odin);
  });

  it('evaluate() scores it end to end with the same ODIN scores', async () => {
    const shape = { height: 28, width: 28, channels: 1 as const };
    const split = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => images.slice((from + i) * 784, (from + i + 1) * 784));
    const result = await evaluate({
      model: source,
      inData: memoryDataset('digits', split(0, 3), shape),
      outData: [memoryDataset('rest', split(3, N + 1), shape)],
      runtime: nodeRuntime,
      backend: 'cpu',
      temperature: T,
      epsilon: EPSILONS[1],
      batchSize: 2,
    });
    const ref = (i: number) => odinReference(source, images.slice(i * 784, (i + 1) * 784), dimsOf(1), { mean: [0], std: [1], temperature: T, epsilons: [EPSILONS[1]], logits: spec.logits }).odin[0];
    const inScores = Object.values(result.scores.in)[0].odin.map((r) => r[0]);
    expect(maxAbsDiff(inScores, [0, 1, 2].map(ref))).toBeLessThanOrEqual(TOL.odin);
    expect(maxAbsDiff(result.scores.out[0].odin.map((r) => r[0]), [3, 4].map(ref))).toBeLessThanOrEqual(TOL.odin);
  });
});

function softmaxRows(logits: Float64Array): Float64Array {
  const m = Math.max(...logits);
  const e = logits.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}
