// End-to-end ODIN: compileOdin on four small nets, run on onnxruntime (CPU, WASM, WebGPU), against the
// independent float64 reference; plus the compiler's options, metadata, error messages and CLI.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnsupportedOpError } from '../src/autodiff/driver.ts';
import { DIFFERENTIABLE_OPS } from '../src/autodiff/ops.ts';
import type { Provider } from '../src/autodiff/rule.ts';
import { GraphBuilder } from '../src/graph/builder.ts';
import { emptyGraph } from '../src/graph/ir.ts';
import type { Model } from '../src/graph/ir.ts';
import { ModelFormatError, newModel, readModel, writeModel } from '../src/graph/onnx-io.ts';
import { f32 } from '../src/graph/tensor.ts';
import { compileOdin } from '../src/odin/compile.ts';
import type { OdinCompileOptions } from '../src/odin/compile.ts';
import { UnsupportedModelError } from '../src/odin/model-info.ts';
import { nodeRuntime } from '../src/runtime/node.ts';
import type { OdinSession } from '../src/runtime/session.ts';
import { webRuntime } from '../src/runtime/web.ts';
import { mulberry, NET_IO, NETS, NUM_CLASSES, resNet } from './nets.ts';
import type { NetSpec } from './nets.ts';
import { odinReference, softmax } from './odin-reference.ts';
import type { OdinReferenceResult } from './odin-reference.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const ENGINE = resolve(ROOT, 'packages/engine');
const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** CIFAR-10's per-channel statistics, the usual normalisation of a 32×32 RGB classifier. */
const MEAN = [0.4914, 0.4822, 0.4465];
const STD = [0.247, 0.2435, 0.2616];
const EPSILONS = [0, 0.0014, 0.004];
const T_ODIN = 1000;
const SIZE = 16;
const BATCH = 4;
const DIMS = [BATCH, 3, SIZE, SIZE];

/** The figures: msp within 1e-5 and odin (T = 1000) within 1e-7 of the float64 reference. */
const TOL = { msp: 1e-5, odinT1000: 1e-7, odinT1: 1e-5, logits: 1e-4, energy: 1e-4, crossRuntime: 1e-5, webgpu: 1e-4 };

/**
 * Image 0 is constant (so every max-pool window away from the border is a tie), image 1 uniform noise, the others tinted
 * sinusoidal patterns with noise, clipped to [0,1] and rounded to float32.
 */
function testImages(n: number, size: number, seed: number): Float32Array {
  const rand = mulberry(seed);
  const hw = size * size;
  const out = new Float32Array(n * 3 * hw);
  for (let i = 0; i < n; i++) {
    const amp = 0.3 + 0.7 * rand();
    const [fx, fy] = [rand(), rand()];
    for (let c = 0; c < 3; c++) {
      const base = rand();
      for (let p = 0; p < hw; p++) {
        const [y, x] = [Math.floor(p / size), p % size];
        const v = i === 0 ? 0.5 : i === 1 ? rand() : base + amp * (0.5 * Math.sin(fx * x + fy * y + 2 * c) + 0.5 * (rand() - 0.5));
        out[(i * 3 + c) * hw + p] = Math.min(1, Math.max(0, v));
      }
    }
  }
  return out;
}

interface OdinOutputs {
  logits: Float32Array;
  msp: Float32Array;
  energy: Float32Array;
  odin: Float32Array;
  prediction: number[];
  /** ∂loss/∂image, where the graph was given the extra output (see exposeGradient). */
  grad?: Float32Array;
}

const GRAD_OUTPUT = 'test/grad';

/**
 * Adds the input gradient that compileOdin takes the sign of as an extra output `test/grad`, to compare
 * the perturbation's sign pattern with the reference (the sign is taken by the one GreaterOrEqual outside
 * the gradient rules).
 */
function exposeGradient(model: Model): Model {
  const signs = model.graph.nodes.filter((n) => n.op === 'GreaterOrEqual' && !n.name.startsWith('odin/grad/'));
  if (signs.length !== 1) throw new Error(`expected one sign node in the compiled graph, found ${signs.length}`);
  model.graph.nodes.push({ op: 'Identity', domain: '', name: 'test/grad_identity', inputs: [signs[0].inputs[0]], outputs: [GRAD_OUTPUT], attrs: {} });
  model.graph.outputs.push({ name: GRAD_OUTPUT, dtype: 'float32', shape: model.graph.inputs[0].shape });
  return model;
}

async function cpuSession(model: Model): Promise<OdinSession> {
  return nodeRuntime.createSession(writeModel(model), { backend: 'cpu', threads: 1 });
}

async function runOdin(session: OdinSession, images: Float32Array, dims: number[], temperature: number, epsilons: number[]): Promise<OdinOutputs> {
  const out = await session.run({
    image: { data: images, dims },
    temperature: { data: Float32Array.of(temperature), dims: [1] },
    epsilon: { data: Float32Array.from(epsilons), dims: [epsilons.length] },
  });
  return {
    logits: out.logits.data as Float32Array,
    msp: out.msp.data as Float32Array,
    energy: out.energy.data as Float32Array,
    odin: out.odin.data as Float32Array,
    prediction: Array.from(out.prediction.data as BigInt64Array, Number),
    grad: out[GRAD_OUTPUT]?.data as Float32Array | undefined,
  };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Rows whose top-two reference logits are closer than float32 can separate; their ŷ may legitimately differ. */
function nearTies(ref: OdinReferenceResult): Set<number> {
  const k = ref.numClasses;
  const rows = new Set<number>();
  for (let r = 0; r < ref.prediction.length; r++) {
    const row = [...ref.logits.subarray(r * k, (r + 1) * k)].sort((a, b) => b - a);
    if (row[0] - row[1] < 1e-4) rows.add(r);
  }
  return rows;
}

/** Column e of an [N,E] row-major array. */
const column = (a: ArrayLike<number>, e: number, cols: number) => Array.from({ length: a.length / cols }, (_, r) => a[r * cols + e]);

/** Rows of an [N, ...] array, for running images alone. */
const imageAt = (images: Float32Array, i: number, dims: number[]) => {
  const per = images.length / dims[0];
  return images.slice(i * per, (i + 1) * per);
};

/** Measured max abs differences, printed after the run (vitest shows console output per file). */
const figures: Record<string, string | number>[] = [];
const runtimeFigures: Record<string, string | number>[] = [];

afterAll(() => {
  if (figures.length) console.table(figures);
  if (runtimeFigures.length) console.table(runtimeFigures);
});

interface Case {
  spec: NetSpec;
  opset: number;
  size: number;
  /** What the graph is compiled for: every backend, or onnxruntime's CPU provider (its MaxPool gradient from Indices). */
  provider: Provider;
  /** The compiled graph's opset where it is not the model's: 16 for a MaxPool net compiled for the CPU. */
  compiledOpset?: number;
}

const net = (name: string) => NETS.find((n) => n.name === name)!;
const CASES: Case[] = [
  ...NETS.map((spec) => ({ spec, opset: 17, size: SIZE, provider: 'portable' as const })),
  ...NETS.map((spec) => ({ spec, opset: 17, size: SIZE, provider: 'cpu' as const })),
  { spec: net('resnet'), opset: 13, size: SIZE, provider: 'portable' },
  { spec: net('resnet'), opset: 13, size: SIZE, provider: 'cpu', compiledOpset: 16 },
  { spec: net('densenet'), opset: 13, size: SIZE, provider: 'portable' },
  { spec: net('vit'), opset: 21, size: SIZE, provider: 'portable' },
  { spec: net('mobilenet'), opset: 20, size: SIZE, provider: 'portable' },
  { spec: net('resnet'), opset: 17, size: 32, provider: 'portable' },
  { spec: net('resnet'), opset: 17, size: 32, provider: 'cpu' },
  { spec: net('densenet'), opset: 18, size: 32, provider: 'portable' },
];

describe.each(CASES)('ODIN on $spec.name at opset $opset, $size×$size, compiled for $provider, vs the float64 reference', ({ spec, opset, size, provider, compiledOpset = opset }) => {
  const dims = [BATCH, 3, size, size];
  const images = testImages(BATCH, size, 7 + opset + size);
  const row: Record<string, string | number> = { net: spec.name, opset, size, provider };
  let source: Model;
  let compiled: Model;
  let session: OdinSession;
  let hot: OdinOutputs;
  let cold: OdinOutputs;
  let refHot: OdinReferenceResult;
  let refCold: OdinReferenceResult;

  beforeAll(async () => {
    figures.push(row);
    source = spec.build({ size, opset });
    compiled = compileOdin(source, { mean: MEAN, std: STD, provider }).model;
    session = await cpuSession(exposeGradient(compileOdin(source, { mean: MEAN, std: STD, provider }).model));
    hot = await runOdin(session, images, dims, T_ODIN, EPSILONS);
    cold = await runOdin(session, images, dims, 1, EPSILONS);
    const options = { mean: MEAN, std: STD, epsilons: EPSILONS };
    refHot = odinReference(source, images, dims, { ...options, temperature: T_ODIN });
    refCold = odinReference(source, images, dims, { ...options, temperature: 1 });
  });
  afterAll(() => session?.release());

  it('keeps the model opset (but for a MaxPool net compiled for the CPU below 16)', () => {
    expect(compiled.opset).toBe(compiledOpset);
    const reread = readModel(writeModel(compiled));
    expect(reread.opset).toBe(compiledOpset);
    expect(reread.opsetImports.find((o) => o.domain === '')?.version).toBe(compiledOpset);
  });

  it('matches the reference: logits, msp, energy, prediction, odin', () => {
    const diffs = {
      logits: maxAbsDiff(hot.logits, refHot.logits),
      msp: maxAbsDiff(hot.msp, refHot.msp),
      energy: maxAbsDiff(hot.energy, refHot.energy),
      odinT1000: maxAbsDiff(hot.odin, refHot.odin),
      odinT1: maxAbsDiff(cold.odin, refCold.odin),
    };
    // How far ODIN moves the score, to show the comparison is not vacuous.
    const shift = maxAbsDiff(column(refHot.odin, 2, 3), column(refHot.odin, 0, 3));
    Object.assign(row, Object.fromEntries(Object.entries(diffs).map(([k, v]) => [k, v.toExponential(2)])), { odinShiftT1000: shift.toExponential(2) });
    const ties = nearTies(refHot);
    hot.prediction.forEach((p, r) => {
      if (!ties.has(r)) expect(p, `prediction of image ${r}`).toBe(refHot.prediction[r]);
    });
    expect(diffs.logits).toBeLessThanOrEqual(TOL.logits);
    expect(diffs.energy).toBeLessThanOrEqual(TOL.energy);
    expect(diffs.msp).toBeLessThanOrEqual(TOL.msp);
    expect(diffs.odinT1).toBeLessThanOrEqual(TOL.odinT1);
    expect(diffs.odinT1000).toBeLessThanOrEqual(TOL.odinT1000);
    expect(shift).toBeGreaterThan(20 * TOL.odinT1000);
    // ε = 0 leaves the image alone: its score is max softmax(logits/T) of the first pass.
    expect(maxAbsDiff(column(cold.odin, 0, 3), cold.msp)).toBeLessThanOrEqual(1e-6);
  });

  it('perturbs with the reference sign pattern (constant image with max-pool ties included)', () => {
    const g = hot.grad!;
    const scale = Math.max(...refHot.grad.map(Math.abs));
    // Signs may only differ where the gradient is too small for float32 to resolve.
    const tiny = 1e-5 * scale;
    let flips = 0;
    let resolvedFlips = 0;
    for (let i = 0; i < g.length; i++)
      if ((g[i] >= 0 ? 1 : -1) !== refHot.sign[i]) {
        flips++;
        if (Math.abs(refHot.grad[i]) > tiny) resolvedFlips++;
      }
    const gradError = maxAbsDiff(g, refHot.grad) / scale;
    Object.assign(row, { gradRelError: gradError.toExponential(2), signFlips: `${flips}/${g.length}` });
    expect(resolvedFlips).toBe(0);
    expect(gradError).toBeLessThanOrEqual(1e-4);
    // The constant image has a gradient, so its sign pattern is tested too.
    expect(Math.max(...refHot.grad.subarray(0, g.length / BATCH).map(Math.abs))).toBeGreaterThan(0);
  });

  it('gives the same scores for an ε sweep as for one ε at a time', async () => {
    for (const [e, eps] of EPSILONS.entries()) {
      const single = await runOdin(session, images, dims, T_ODIN, [eps]);
      expect(maxAbsDiff(single.odin, column(hot.odin, e, EPSILONS.length)), `ε = ${eps}`).toBe(0);
      expect(single.msp).toEqual(hot.msp);
    }
  });

  it("scores an image independently of the batch's other images", async () => {
    for (let i = 0; i < BATCH; i++) {
      const alone = await runOdin(session, imageAt(images, i, dims), [1, ...dims.slice(1)], T_ODIN, EPSILONS);
      const cols = EPSILONS.length;
      expect(maxAbsDiff(alone.odin, hot.odin.subarray(i * cols, (i + 1) * cols)), `image ${i}`).toBeLessThanOrEqual(1e-9);
      expect(maxAbsDiff(alone.msp, [hot.msp[i]]), `image ${i}`).toBeLessThanOrEqual(1e-6);
      expect(alone.prediction[0]).toBe(hot.prediction[i]);
    }
  });
});

describe('compile options and metadata', () => {
  const images = testImages(BATCH, SIZE, 99);
  let plain: OdinOutputs;

  const compileAndRun = async (model: Model, options?: OdinCompileOptions) => {
    const { model: compiled, report } = compileOdin(model, options);
    const session = await cpuSession(compiled);
    try {
      return { report, out: await runOdin(session, images, DIMS, T_ODIN, EPSILONS) };
    } finally {
      await session.release();
    }
  };

  beforeAll(async () => {
    plain = (await compileAndRun(resNet({ size: SIZE }), { mean: MEAN, std: STD })).out;
  });

  it('looks through a trailing Softmax to its logits', async () => {
    const { report, out } = await compileAndRun(resNet({ size: SIZE, softmax: true }), { mean: MEAN, std: STD });
    expect(report.logits).toEqual({ name: NET_IO.logits, numClasses: NUM_CLASSES, skippedHead: 'Softmax' });
    expect(out).toEqual(plain);
  });

  it('uses the value named by `logits` as it is, Softmax included', async () => {
    const model = resNet({ size: SIZE, softmax: true });
    const { report, out } = await compileAndRun(model, { mean: MEAN, std: STD, logits: NET_IO.probs });
    expect(report.logits.name).toBe(NET_IO.probs);
    expect(report.logits.skippedHead).toBeUndefined();
    // The "logits" are now the probabilities: the reference, told the same, agrees.
    const ref = odinReference(model, images, DIMS, { mean: MEAN, std: STD, temperature: T_ODIN, epsilons: EPSILONS, logits: NET_IO.probs });
    expect(maxAbsDiff(out.logits, ref.logits)).toBeLessThanOrEqual(1e-6);
    expect(maxAbsDiff(out.odin, ref.odin)).toBeLessThanOrEqual(TOL.odinT1000);
    for (let r = 0; r < BATCH; r++) expect(maxAbsDiff(out.logits.subarray(r * 10, r * 10 + 10), softmax(plain.logits.subarray(r * 10, r * 10 + 10), 1))).toBeLessThanOrEqual(1e-6);
  });

  it('takes the image input named by `input` when the model has several float inputs', async () => {
    // A second float input that the logits do not depend on (e.g. an auxiliary head's input).
    const model = resNet({ size: SIZE });
    model.graph.inputs.push({ name: 'aux', dtype: 'float32', shape: ['N', 4, 2] });
    model.graph.nodes.push({ op: 'Identity', domain: '', name: 'aux_identity', inputs: ['aux'], outputs: ['aux_out'], attrs: {} });
    model.graph.outputs.push({ name: 'aux_out', dtype: 'float32', shape: ['N', 4, 2] });
    expect(() => compileOdin(model, { mean: MEAN, std: STD })).toThrow(/several float inputs \(x, aux\); choose one with --input/);
    const { report, out } = await compileAndRun(model, { mean: MEAN, std: STD, input: NET_IO.input });
    expect(report.input.name).toBe(NET_IO.input);
    expect(out).toEqual(plain);
    expect(() => compileOdin(model, { input: 'image0' })).toThrow(/no input "image0"; its inputs are: x, aux/);
  });

  it('reads the normalisation from odin:mean / odin:std metadata when no options are given', async () => {
    const model = resNet({ size: SIZE });
    model.metadata.set('odin:mean', MEAN.join(','));
    model.metadata.set('odin:std', STD.join(','));
    const { report, out } = await compileAndRun(readModel(writeModel(model)));
    expect(report.normalization).toEqual({ mean: MEAN, std: STD, source: 'metadata' });
    expect(out).toEqual(plain);
    // Options override the metadata.
    const overridden = await compileAndRun(model, { mean: [0.5], std: [0.25] });
    expect(overridden.report.normalization.source).toBe('options');
    expect(maxAbsDiff(overridden.out.msp, plain.msp)).toBeGreaterThan(1e-4);
  });

  it('records the normalisation and logits in the compiled model metadata', () => {
    const { model } = compileOdin(resNet({ size: SIZE, softmax: true }), { mean: MEAN, std: STD });
    const meta = readModel(writeModel(model)).metadata;
    expect(meta.get('odin:mean')).toBe(MEAN.join(','));
    expect(meta.get('odin:std')).toBe(STD.join(','));
    // The model's own value "logits" is renamed to free the contract's output name; the metadata names the source model's value.
    expect(meta.get('odin:logits')).toBe(NET_IO.logits);
    expect(model.graph.nodes.some((n) => n.outputs.includes(`model/${NET_IO.logits}`))).toBe(true);
  });
});

describe('the same compiled graph on other runtimes', () => {
  const images = testImages(BATCH, SIZE, 123);
  const compiled = (name: string) => compileOdin(NETS.find((n) => n.name === name)!.build({ size: SIZE }), { mean: MEAN, std: STD }).model;

  it.each(NETS.map((n) => n.name))('onnxruntime-web WASM matches onnxruntime-node CPU on %s', async (name) => {
    const bytes = writeModel(compiled(name));
    const cpu = await nodeRuntime.createSession(bytes, { backend: 'cpu', threads: 1 });
    const wasm = await webRuntime.createSession(bytes, { backend: 'wasm', threads: 1 });
    try {
      for (const T of [1, T_ODIN]) {
        const a = await runOdin(cpu, images, DIMS, T, EPSILONS);
        const b = await runOdin(wasm, images, DIMS, T, EPSILONS);
        const diffs = { msp: maxAbsDiff(a.msp, b.msp), odin: maxAbsDiff(a.odin, b.odin), logits: maxAbsDiff(a.logits, b.logits) };
        runtimeFigures.push({ net: name, runtime: `wasm T=${T}`, ...Object.fromEntries(Object.entries(diffs).map(([k, v]) => [k, v.toExponential(2)])) });
        expect(diffs.msp).toBeLessThanOrEqual(TOL.crossRuntime);
        expect(diffs.odin).toBeLessThanOrEqual(TOL.crossRuntime);
        expect(b.prediction).toEqual(a.prediction);
      }
    } finally {
      await cpu.release();
      await wasm.release();
    }
  });

});

describe.skipIf(!existsSync(SWIFTSHADER))(`onnxruntime-node WebGPU on SwiftShader Vulkan (skipped without ${SWIFTSHADER}: apt-get install chromium)`, () => {
  const images = testImages(BATCH, SIZE, 321);
  const models = new Map<string, Model>();
  const gpu = new Map<string, Record<string, number[]>>();
  const cpu = new Map<string, OdinOutputs>();
  let dir = '';

  beforeAll(async () => {
    for (const spec of NETS) models.set(spec.name, exposeGradient(compileOdin(spec.build({ size: SIZE }), { mean: MEAN, std: STD }).model));
    dir = mkdtempSync(join(tmpdir(), 'odin-webgpu-'));
    const imagesPath = join(dir, 'images.bin');
    writeFileSync(imagesPath, new Uint8Array(images.buffer));
    const modelPaths = [...models].map(([name, model]) => {
      const path = join(dir, `${name}.onnx`);
      writeFileSync(path, writeModel(model));
      return path;
    });
    // VK_ICD_FILENAMES must be set before onnxruntime's Dawn opens Vulkan, so the WebGPU runs get their own
    // process. Chromium ships its libvulkan next to the ICD, so the loader is taken from there too.
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', WEBGPU_CHILD, imagesPath, JSON.stringify(DIMS), JSON.stringify(EPSILONS), ...modelPaths], {
      cwd: ENGINE,
      encoding: 'utf8',
      timeout: 300_000,
      env: { ...process.env, VK_ICD_FILENAMES: SWIFTSHADER, LD_LIBRARY_PATH: [dirname(SWIFTSHADER), process.env.LD_LIBRARY_PATH].filter(Boolean).join(':') },
    });
    if (child.status !== 0) throw new Error(`the WebGPU child process failed (status ${child.status}):\n${child.stderr}`);
    const lines = child.stdout.trim().split('\n').filter((l) => l.startsWith('{'));
    [...models.keys()].forEach((name, i) => gpu.set(name, JSON.parse(lines[i])));
    for (const [name, model] of models) {
      const session = await cpuSession(model);
      cpu.set(name, await runOdin(session, images, DIMS, T_ODIN, EPSILONS));
      await session.release();
    }
  }, 360_000);
  afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

  it.each(NETS.map((n) => n.name))('%s: msp and odin (T = 1000) within 1e-4 of CPU', (name) => {
    const [a, b] = [cpu.get(name)!, gpu.get(name)!];
    const diffs = { msp: maxAbsDiff(a.msp, b.msp), odin: maxAbsDiff(a.odin, b.odin), logits: maxAbsDiff(a.logits, b.logits) };
    runtimeFigures.push({ net: name, runtime: 'webgpu T=1000', ...Object.fromEntries(Object.entries(diffs).map(([k, v]) => [k, v.toExponential(2)])) });
    expect(diffs.msp).toBeLessThanOrEqual(TOL.webgpu);
    expect(diffs.odin).toBeLessThanOrEqual(TOL.webgpu);
    expect(b.prediction).toEqual(a.prediction);
  });

  // NOTE: at T = 1000 ODIN moves the score by only ~1e-5–1e-4, so the 1e-4 bound above cannot tell a wrong
  // perturbation from a right one; the gradient's sign pattern can.
  it.each(NETS.map((n) => n.name))('%s: the input gradient and its sign pattern match CPU', (name) => {
    const [a, b] = [cpu.get(name)!.grad!, gpu.get(name)![GRAD_OUTPUT]];
    const scale = Math.max(...a.map(Math.abs));
    let flips = 0;
    for (let i = 0; i < a.length; i++) if (Math.abs(a[i]) > 1e-4 * scale && a[i] >= 0 !== b[i] >= 0) flips++;
    const error = maxAbsDiff(a, b) / scale;
    runtimeFigures.push({ net: name, runtime: 'webgpu gradient', gradRelError: error.toExponential(2), signFlips: `${flips}/${a.length}` });
    expect(flips, `${flips} of ${a.length} gradient signs differ from CPU (relative gradient error ${error.toExponential(2)})`).toBe(0);
    expect(error).toBeLessThanOrEqual(1e-3);
  });
});

/** Runs each compiled graph on onnxruntime-node's WebGPU provider and prints its outputs as one JSON line. */
const WEBGPU_CHILD = `
import { readFileSync } from 'node:fs';
import { nodeRuntime } from ${JSON.stringify(resolve(ENGINE, 'src/runtime/node.ts'))};
const [imagesPath, dims, epsilons, ...models] = process.argv.slice(1);
const images = new Float32Array(new Uint8Array(readFileSync(imagesPath)).buffer);
const eps = JSON.parse(epsilons);
for (const modelPath of models) {
  const session = await nodeRuntime.createSession(new Uint8Array(readFileSync(modelPath)), { backend: 'webgpu' });
  const out = await session.run({
    image: { data: images, dims: JSON.parse(dims) },
    temperature: { data: Float32Array.of(${T_ODIN}), dims: [1] },
    epsilon: { data: Float32Array.from(eps), dims: [eps.length] },
  });
  await session.release();
  console.log(JSON.stringify(Object.fromEntries(Object.entries(out).map(([k, t]) => [k, Array.from(t.data, Number)]))));
}
`;

/** A small model at `opset` from input `x` (default float32 [N,3,8,8]); `output` is its declared output shape. */
function tinyModel(
  opset: number,
  build: (b: GraphBuilder) => string,
  { dtype = 'float32', shape = ['N', 3, 8, 8], output }: { dtype?: 'float32' | 'int64'; shape?: (number | string)[]; output?: (number | string)[] } = {},
): Model {
  const graph = emptyGraph('tiny');
  const model = newModel(graph, opset);
  graph.inputs.push({ name: 'x', dtype, shape });
  const b = new GraphBuilder(graph, opset);
  const out = build(b);
  graph.outputs = [{ name: out, dtype: 'float32', shape: output }];
  return model;
}

/** x → Flatten → Gemm → [N,10], with `middle` spliced in after the Flatten. */
function tinyClassifier(opset: number, middle: (b: GraphBuilder, x: string) => string = (_b, x) => x, shape: (number | string)[] = ['N', 3, 8, 8]): Model {
  return tinyModel(
    opset,
    (b) => {
      const flat = middle(b, b.op('Flatten', ['x'], { axis: 1 }));
      const w = b.constant(f32(Array.from({ length: 10 * 192 }, (_, i) => Math.sin(i) / 14), [192, 10]), 'w');
      return b.matmul(flat, w);
    },
    // Declared as exporters do, so the logits are found even where shape inference stops at an unknown op.
    { shape, output: [shape[0], 10] },
  );
}

describe('models the compiler cannot use give clear errors', () => {
  it('a file that is not ONNX', () => {
    const bytes = new TextEncoder().encode('PK\u0003\u0004 this is a zip file, not an ONNX model');
    expect(() => readModel(bytes)).toThrow(ModelFormatError);
    expect(() => readModel(bytes)).toThrow(/not (a readable )?ONNX|not an ONNX model/);
  });

  it('a truncated ONNX file', () => {
    const bytes = writeModel(resNet({ size: SIZE }));
    for (const keep of [bytes.length - 7, Math.floor(bytes.length / 2), 40]) {
      const truncated = bytes.slice(0, keep);
      expect(() => readModel(truncated), `first ${keep} of ${bytes.length} bytes`).toThrow(ModelFormatError);
      expect(() => readModel(truncated)).toThrow(/truncated/);
    }
  });

  it('a model with no float image input', () => {
    const model = tinyModel(
      17,
      (b) => {
        const table = b.constant(f32(Array.from({ length: 50 * 10 }, (_, i) => i / 500), [50, 10]), 'table');
        return b.op('Gather', [table, 'x'], { axis: 0 });
      },
      { dtype: 'int64', shape: ['N'] },
    );
    expect(() => compileOdin(model)).toThrow(UnsupportedModelError);
    expect(() => compileOdin(model)).toThrow(/no float32 image input \(inputs: x: int64\)/);
  });

  it('a model whose output is not [N,K]', () => {
    const model = tinyModel(17, (b) => b.op('Relu', [b.op('Conv', ['x', b.constant(f32(Array(10 * 3 * 9).fill(0.1), [10, 3, 3, 3]), 'w')], { pads: [1, 1, 1, 1] })]));
    expect(() => compileOdin(model)).toThrow(UnsupportedModelError);
    expect(() => compileOdin(model)).toThrow(/no model output is a float \[N,K\] tensor of class scores \(outputs: relu \[N,10,8,8\]\); name the logits with --logits/);
    expect(() => compileOdin(model, { logits: 'relu' })).toThrow(/"relu" has shape \[N,10,8,8\], not \[N,K\]/);
  });

  it.each([
    { op: 'Sin', opset: 17, attrs: {} },
    { op: 'Resize', opset: 18, attrs: {} },
  ])('a model with an unsupported op ($op) on the path to the logits', ({ op, opset, attrs }) => {
    const model = tinyClassifier(opset, (b, x) => b.op(op, [x], attrs));
    const nodeName = model.graph.nodes.find((n) => n.op === op)!.name;
    let error: unknown;
    try {
      compileOdin(model);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UnsupportedOpError);
    const message = (error as Error).message;
    expect(message).toContain(`no gradient rule for op ${op}`);
    expect(message).toContain(`node "${nodeName}"`);
    expect(message).toContain(`Supported ops: ${DIFFERENTIABLE_OPS.join(', ')}.`);
  });

  it('a custom-domain op on the path', () => {
    const model = tinyClassifier(17, (b, x) => b.node('FancyAct', [x], {}, 1, 'com.example')[0]);
    model.opsetImports.push({ domain: 'com.example', version: 1 });
    expect(() => compileOdin(model)).toThrow(/no gradient rule for op com\.example\.FancyAct \(node "FancyAct_node"\)/);
  });

  it('a model exported with a fixed batch size other than 1', () => {
    const model = tinyClassifier(17, undefined, [2, 3, 8, 8]);
    expect(() => compileOdin(model)).toThrow(UnsupportedModelError);
    expect(() => compileOdin(model)).toThrow(/input "x" was exported with a fixed batch size of 2; re-export it with a dynamic batch dimension/);
  });

  it('a model below opset 7', () => {
    const model = tinyClassifier(6);
    expect(() => compileOdin(model)).toThrow(UnsupportedModelError);
    expect(() => compileOdin(model)).toThrow(/opset 6; opsets 7–21 are supported \(7–12 are upgraded to 13 on import\)\. Re-export it with a newer opset, e\.g\. torch\.onnx\.export\(\.\.\., opset_version=17\)/);
  });

  it('a model at opset 11 with an op the upgrade does not know', () => {
    const model = tinyClassifier(11, (b, x) => b.op('Scatter', [x, x, x]));
    expect(() => compileOdin(model)).toThrow(UnsupportedModelError);
    expect(() => compileOdin(model)).toThrow(/cannot upgrade Scatter node "Scatter_node" from opset 11 to 13/);
  });
});

describe('odin compile (CLI)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'odin-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const odin = (...args: string[]) => spawnSync(process.execPath, [join(ENGINE, 'bin/odin.js'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });

  it('writes a graph onnxruntime loads, with the ODIN contract', async () => {
    const modelPath = join(dir, 'resnet.onnx');
    const outPath = join(dir, 'resnet.odin.onnx');
    writeFileSync(modelPath, writeModel(resNet({ size: SIZE, softmax: true })));
    const result = odin('compile', modelPath, '-o', outPath, '--mean', MEAN.join(','), '--std', STD.join(','));
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('looking through the final Softmax');
    const session = await nodeRuntime.createSession(new Uint8Array(readFileSync(outPath)), { backend: 'cpu' });
    try {
      expect([...session.inputNames]).toEqual(['image', 'temperature', 'epsilon']);
      expect([...session.outputNames].sort()).toEqual(['energy', 'logits', 'msp', 'odin', 'prediction']);
      const images = testImages(2, SIZE, 5);
      const out = await runOdin(session, images, [2, 3, SIZE, SIZE], T_ODIN, EPSILONS);
      expect(out.odin.length).toBe(2 * EPSILONS.length);
    } finally {
      await session.release();
    }
  });

  it('passes --logits and --input through to the compiler', () => {
    const modelPath = join(dir, 'probs.onnx');
    writeFileSync(modelPath, writeModel(resNet({ size: SIZE, softmax: true })));
    const result = odin('compile', modelPath, '-o', join(dir, 'probs.odin.onnx'), '--logits', NET_IO.probs, '--input', NET_IO.input, '--json');
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.logits).toEqual({ name: NET_IO.probs, numClasses: NUM_CLASSES });
    expect(report.input.name).toBe(NET_IO.input);
    expect(report.normalization.source).toBe('none');
  });

  it("--provider cpu compiles for onnxruntime's CPU (MaxPool's gradient by ScatterElements); an unknown provider is refused", () => {
    const modelPath = join(dir, 'resnet-cpu.onnx');
    writeFileSync(modelPath, writeModel(resNet({ size: SIZE })));
    const ops = (...extra: string[]) => {
      const result = odin('compile', modelPath, '-o', join(dir, 'resnet-cpu.odin.onnx'), '--json', ...extra);
      expect(result.status, result.stderr).toBe(0);
      return JSON.parse(result.stdout).ops as Record<string, number>;
    };
    expect(ops('--provider', 'cpu').ScatterElements).toBeGreaterThan(0);
    expect(ops().ScatterElements).toBeUndefined();
    const refused = odin('compile', modelPath, '-o', join(dir, 'x.onnx'), '--provider', 'webgpu');
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('portable, cpu');
  });

  it('exits with code 3 and one line on stderr for a file that is not ONNX', () => {
    const bogus = join(dir, 'notes.onnx');
    writeFileSync(bogus, 'just some text\n');
    const result = odin('compile', bogus, '-o', join(dir, 'out.onnx'));
    expect(result.status).toBe(3);
    expect(result.stderr).toMatch(new RegExp(`^odin: ${bogus.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: not`));
    expect(existsSync(join(dir, 'out.onnx'))).toBe(false);
  });

  it('exits with code 3 for a model with an unsupported op', () => {
    const path = join(dir, 'sin.onnx');
    writeFileSync(path, writeModel(tinyClassifier(17, (b, x) => b.op('Sin', [x]))));
    const result = odin('compile', path, '-o', join(dir, 'sin.odin.onnx'));
    expect(result.status).toBe(3);
    expect(result.stderr).toContain('no gradient rule for op Sin');
  });
});
