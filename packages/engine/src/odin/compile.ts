// compileOdin: turns a classifier into one ONNX graph computing logits, MSP, energy, and ODIN scores for an ε sweep.
import { buildGradient } from '../autodiff/driver.ts';
import type { Provider } from '../autodiff/rule.ts';
import type { Backend } from '../runtime/session.ts';
import { WEBGPU_OPS } from '../autodiff/ops.ts';
import { GraphBuilder } from '../graph/builder.ts';
import { cloneModel } from '../graph/ir.ts';
import type { Dim, Graph, Model, Node, ValueInfo } from '../graph/ir.ts';
import { foldConstants } from '../graph/fold.ts';
import { pruneDead, renameValue, topoSort } from '../graph/prune.ts';
import { staticTargets } from '../graph/static-targets.ts';
import { inferShapes } from '../graph/shapes.ts';
import { f32, i64 } from '../graph/tensor.ts';
import { inlineDecidedIfs } from '../graph/inline-if.ts';
import { setOpset, upgradeToOpset13, OpsetUpgradeError } from '../graph/upgrade.ts';
import { makeBatchDynamic } from './batch.ts';
import { METADATA, channelBroadcastDims, channelLayout, perChannel, readNormalization, spatialSize, withInputSize, writeNormalization } from './input-semantics.ts';
import type { Normalization } from './input-semantics.ts';
import {
  UnsupportedModelError,
  checkBatchAxis,
  checkOpset,
  findImageInput,
  findLogits,
  formatShape,
} from './model-info.ts';

export interface OdinCompileOptions {
  /** Per-channel mean on the [0,1] pixel scale; overrides the model's `odin:mean` metadata (METADATA.mean). */
  mean?: number[];
  /** Per-channel std on the [0,1] pixel scale; overrides `odin:std`. */
  std?: number[];
  /** The model input to use as the image (default: the single float input). */
  input?: string;
  /** The value to use as logits (default: the [N,K] output, looking through a final Softmax). */
  logits?: string;
  /** [height, width] for an input whose spatial dims are dynamic (`?` or a symbol); must match fixed ones. */
  inputSize?: [number, number] | number[];
  /**
   * The execution provider the graph is compiled for (autodiff/rule.ts's Provider): 'cpu' and 'cuda' get
   * onnxruntime-specific gradient formulations; the default, 'portable', runs on every backend, WebGPU included.
   */
  provider?: Provider;
}

export interface OdinCompileReport {
  opset: number;
  input: { name: string; shape: string; layout: string };
  logits: {
    name: string;
    numClasses: number;
    /** Set when the output is a Softmax/LogSoftmax and its input is used as the logits. */
    skippedHead?: string;
    /** The ops between that head and the output that were looked through (e.g. Identity, Reshape). */
    lookedThrough?: string[];
  };
  /** The model's opset before it was upgraded to 13 on import (opsets 7–12). */
  upgradedFrom?: number;
  /**
   * How the batch is handled: 'dynamic' as exported; 'rewritten' when a fixed batch of 1 was made dynamic
   * (the Reshape targets that carried it now copy it); 'fixed' when the graph only runs one image at a time
   * (its image input is [1,…] and its epsilon input [1]; evaluate() feeds it image by image). `note` says why.
   */
  batch: { mode: 'dynamic' | 'rewritten' | 'fixed'; note?: string };
  /** [height, width] of the image input (from the model, or inputSize), where it has spatial dims. */
  inputSize?: [number, number];
  normalization: { mean: number[]; std: number[]; source: 'options' | 'metadata' | 'none' };
  nodes: number;
  /** Op counts of the whole compiled graph. */
  ops: Record<string, number>;
  /** Ops the WebGPU provider lacks: those nodes fall back to the CPU/WASM. */
  webgpuFallbacks: string[];
}

/** The gradient formulations for a runtime backend: onnxruntime's CPU provider gets its own, every other the portable ones. */
export const providerFor = (backend: Backend): Provider => (backend === 'cpu' ? 'cpu' : 'portable');

/** The compiled graph's fixed contract (see docs and the README). */
export const ODIN_IO = {
  inputs: { image: 'image', temperature: 'temperature', epsilon: 'epsilon' },
  outputs: { logits: 'logits', msp: 'msp', energy: 'energy', odin: 'odin', prediction: 'prediction' },
} as const;

const RESERVED = [...Object.values(ODIN_IO.inputs), ...Object.values(ODIN_IO.outputs)];

/**
 * Compiles ODIN (Liang, Li & Srikant 2018) into one graph:
 *   logits = f(norm(x)), ŷ = argmax logits (first on ties),
 *   g = ∂ CE(logits/T, ŷ)/∂x per image, x' = x − ε·s(g) with s(g) = +1 if g ≥ 0 else −1,
 *   odin[n, e] = max softmax(f(norm(x'_e)) / T).
 * The E perturbed copies run as one batch of E·N, so an ε sweep costs 2 + E forward passes.
 */
export function compileOdin(source: Model, options: OdinCompileOptions = {}): { model: Model; report: OdinCompileReport } {
  checkOpset(source);
  const model = cloneModel(source);
  const g = model.graph;
  let upgradedFrom: number | undefined;
  try {
    upgradedFrom = upgradeToOpset13(model);
  } catch (e) {
    if (e instanceof OpsetUpgradeError) throw new UnsupportedModelError(e.message);
    throw e;
  }
  // The CPU MaxPool gradient is one ScatterElements from opset 16, where it can add; from 13 to 16 no op a classifier
  // uses changes its meaning but RoiAlign (its default sampling), so only a model without one moves up.
  if (options.provider === 'cpu' && model.opset < 16 && g.nodes.some((n) => n.op === 'MaxPool') && !g.nodes.some((n) => n.op === 'RoiAlign')) setOpset(model, 16);
  foldConstants(g);
  // A copy: renaming the model's values below must not change what the report says.
  const found = findImageInput(model, options.input);
  const fixedBatch = checkBatchAxis(found);
  const inputIndex = g.inputs.indexOf(found);
  const sized = { ...found, shape: withInputSize(found, options.inputSize, model.metadata.get(METADATA.layout)) };
  g.inputs[inputIndex] = sized;
  // With the input's sizes known, shape inference decides torch.onnx's `If(Equal(Shape(x)[i], 1))` squeezes.
  if (inlineDecidedIfs(model)) foldConstants(g);
  let batch: OdinCompileReport['batch'] = { mode: 'dynamic' };
  if (fixedBatch !== undefined) {
    const r = makeBatchDynamic(model, sized.name);
    batch =
      r.mode === 'rewritten'
        ? { mode: 'rewritten', note: `exported with a fixed batch of 1; made dynamic${r.reshapes.length ? ` by letting ${r.reshapes.length} Reshape target(s) copy the batch (${r.reshapes.join(', ')})` : ''}` }
        : { mode: 'fixed', note: `exported with a fixed batch of 1 that cannot be made dynamic (${r.reason}); compiled for batch 1, evaluated one image at a time` };
  }
  const input = { ...model.graph.inputs[inputIndex] };
  const logits = findLogits(model, inferShapes(model), options.logits);
  // The head's pass-through ops (Identity, Reshape to [N,K], Cast) are applied to its input, which becomes the logits.
  const headInput = logits.name;
  if (logits.through?.length) logits.name = reapply(model, logits.through, logits.name);

  // Free the contract's names in case the model uses them internally.
  const taken = new Set([...g.nodes.flatMap((n) => n.outputs), ...g.inputs.map((v) => v.name), ...g.initializers.keys()]);
  let modelInput = input.name;
  let logitsName = logits.name;
  for (const name of RESERVED)
    if (taken.has(name)) {
      const renamed = `model/${name}`;
      renameValue(g, name, renamed);
      if (modelInput === name) modelInput = renamed;
      if (logitsName === name) logitsName = renamed;
    }

  const b = new GraphBuilder(g, model.opset, 'odin/');
  const fixed = batch.mode === 'fixed';
  const N: Dim = fixed ? 1 : 'N';
  const imageShape: Dim[] = [N, ...input.shape!.slice(1)];
  const norm = readNormalization(model.metadata, options);
  const layout = channelLayout(input.shape!, norm.mean.length, model.metadata.get(METADATA.layout));

  // image -> (image - mean) / std -> the model's own input.
  const image: ValueInfo = { name: ODIN_IO.inputs.image, dtype: 'float32', shape: imageShape };
  normalize(b, { from: image.name, to: modelInput }, norm, channelBroadcastDims(norm, layout, input.shape!.length));
  const logitInputs = new Set(ancestorNodes(g.nodes, logitsName).flatMap((n) => n.inputs));
  const used = g.inputs.filter((v) => v.name !== modelInput && logitInputs.has(v.name)).map((v) => v.name);
  if (used.length)
    throw new UnsupportedModelError(`the logits depend on model inputs other than the image (${used.join(', ')}); an ODIN graph takes only the image, so fold those inputs into the model or make them initializers`);
  g.inputs = [image, { name: ODIN_IO.inputs.temperature, dtype: 'float32', shape: [1] }, { name: ODIN_IO.inputs.epsilon, dtype: 'float32', shape: [fixed ? 1 : 'E'] }];
  // Inferred again: the gradient rules need the types of the renamed values and the normalisation's.
  const types = inferShapes(model);
  // From the normalised image on: the perturbed pass starts there (see below).
  const forward = forwardNodes(g, modelInput, logitsName);

  const T = ODIN_IO.inputs.temperature;
  const L = logitsName;
  const out = ODIN_IO.outputs;
  b.op('Identity', [L]);
  g.nodes[g.nodes.length - 1].outputs = [out.logits];
  const softmax = b.op('Softmax', [L], { axis: -1 });
  renameValue(g, b.reduce('ReduceMax', softmax, [1], false), out.msp);
  const m = b.reduce('ReduceMax', L, [1], true);
  const lse = b.add(m, b.op('Log', [b.reduceSum(b.op('Exp', [b.sub(L, m)]), [1], true)]));
  renameValue(g, b.squeeze(lse, [1]), out.energy);
  const prediction = b.op('ArgMax', [L], { axis: 1, keepdims: 0 });
  renameValue(g, prediction, out.prediction);

  // d/dL of Σ_n CE(L_n/T, ŷ_n) = (softmax(L/T) − onehot(ŷ)) / T, row by row.
  const classes = b.constant(i64(Array.from({ length: logits.numClasses }, (_, k) => k)), 'classes');
  const onehot = b.cast(b.op('Equal', [b.unsqueeze(out.prediction, [1]), classes]), 'float32');
  const pT = b.op('Softmax', [b.div(L, T)], { axis: -1 });
  const dL = b.div(b.sub(pT, onehot), T);
  const grad = buildGradient(model, { seeds: [{ of: L, grad: dL }], wrt: [image.name], types, prefix: 'odin/grad/', provider: options.provider }).get(image.name)!;

  // s(g) = +1 where g ≥ 0, else −1; x'_e = x − ε_e·s(g), stacked as a batch of E·N. It is fed to the model
  // normalised, as norm(x'_e) = norm(x) − ε_e·s(g)/std: the E copies skip the normalisation's two passes.
  const { std } = perChannel(norm);
  const invStd = (sign: number) => b.constant(f32(std.map((v) => sign / v), channelBroadcastDims(norm, layout, input.shape!.length)), 'sign_over_std');
  const step = b.where(b.op('GreaterOrEqual', [grad, b.scalar(0)]), invStd(1), invStd(-1));
  const rank = imageShape.length;
  const epsColumn = b.reshape(ODIN_IO.inputs.epsilon, [-1, ...Array(rank).fill(1)]);
  const perturbed = b.sub(b.unsqueeze(modelInput, [0]), b.mul(epsColumn, b.unsqueeze(step, [0])));
  const restShape = b.op('Slice', [b.shape(image.name), b.ints([1]), b.ints([rank]), b.ints([0])]);
  const stacked = b.reshape(perturbed, b.op('Concat', [b.ints([-1]), restShape], { axis: 0 }));
  const L2 = duplicate(b, forward, { from: modelInput, to: stacked }, L);
  const odinFlat = b.reduce('ReduceMax', b.op('Softmax', [b.div(L2, T)], { axis: -1 }), [1], false);
  const byEps = b.reshape(odinFlat, b.op('Concat', [b.shape(ODIN_IO.inputs.epsilon), b.ints([-1])], { axis: 0 }));
  renameValue(g, b.transpose(byEps, [1, 0]), out.odin);

  g.outputs = [
    { name: out.logits, dtype: 'float32', shape: [N, logits.numClasses] },
    { name: out.msp, dtype: 'float32', shape: [N] },
    { name: out.energy, dtype: 'float32', shape: [N] },
    { name: out.odin, dtype: 'float32', shape: [N, fixed ? 1 : 'E'] },
    { name: out.prediction, dtype: 'int64', shape: [N] },
  ];
  g.valueInfo = new Map();
  pruneDead(g);
  topoSort(g);
  // Then the shape chains that constant targets leave unused go too.
  if (staticTargets(model) > 0) pruneDead(g);
  model.metadata.set(METADATA.compiled, 'odin');
  writeNormalization(model.metadata, norm.mean, norm.std);
  model.metadata.set(METADATA.logits, headInput);

  const ops: Record<string, number> = {};
  for (const n of g.nodes) ops[n.op] = (ops[n.op] ?? 0) + 1;
  return {
    model,
    report: {
      opset: model.opset,
      input: { name: input.name, shape: formatShape(input.shape), layout },
      logits: {
        name: headInput,
        numClasses: logits.numClasses,
        ...(logits.skippedHead ? { skippedHead: logits.skippedHead } : {}),
        ...(logits.through?.length ? { lookedThrough: logits.through.map((n) => n.op) } : {}),
      },
      ...(upgradedFrom !== undefined ? { upgradedFrom } : {}),
      batch,
      ...(spatialSize(input.shape!, layout) ? { inputSize: spatialSize(input.shape!, layout) } : {}),
      normalization: norm,
      nodes: g.nodes.length,
      ops,
      webgpuFallbacks: Object.keys(ops).filter((op) => !WEBGPU_OPS.has(op)).sort(),
    },
  };
}

/** A value name replaced by another. */
interface Substitution {
  from: string;
  to: string;
}

/** Emits (image − mean)/std from the image (`from`) into the model's original input (`to`), ahead of the model's nodes; `dims` broadcast the channels. */
function normalize(b: GraphBuilder, { from: image, to: target }: Substitution, norm: Normalization, dims: number[]): void {
  const start = b.graph.nodes.length;
  if (norm.mean.every((v) => v === 0) && norm.std.every((v) => v === 1)) {
    b.node('Identity', [image], {}, [target]);
  } else {
    const { mean, std } = perChannel(norm);
    b.node('Div', [b.sub(image, b.constant(f32(mean, dims), 'mean')), b.constant(f32(std, dims), 'std')], {}, [target]);
  }
  b.graph.nodes.unshift(...b.graph.nodes.splice(start));
}

/** Re-emits `through` (a chain of single-input movement ops) on `from`; returns the new end of the chain. */
function reapply(model: Model, through: Node[], from: string): string {
  const b = new GraphBuilder(model.graph, model.opset, 'odin/logits/');
  let last = from;
  for (const n of through) {
    const out = b.fresh(n.outputs[0]);
    model.graph.nodes.push({ ...n, name: b.fresh(n.name || n.op), inputs: [last, ...n.inputs.slice(1)], outputs: [out] });
    last = out;
  }
  return last;
}

/** The nodes between the image and the logits that depend on the image, in order. */
function forwardNodes(g: Graph, image: string, logits: string): Node[] {
  const dependsOnImage = new Set([image]);
  const onPath: Node[] = [];
  for (const n of g.nodes) if (n.inputs.some((i) => dependsOnImage.has(i))) {
    n.outputs.forEach((o) => dependsOnImage.add(o));
    onPath.push(n);
  }
  return ancestorNodes(onPath, logits);
}

/** The nodes of `nodes` (in order) that `target` depends on. */
function ancestorNodes(nodes: Node[], target: string): Node[] {
  const needed = new Set([target]);
  const result: Node[] = [];
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i];
    if (!n.outputs.some((o) => needed.has(o))) continue;
    result.push(n);
    n.inputs.forEach((x) => needed.add(x));
  }
  return result.reverse();
}

/** Re-emits `nodes` with `from` replaced by `to` and fresh names for every produced value; returns the copy of `target`. */
function duplicate(b: GraphBuilder, nodes: Node[], { from, to }: Substitution, target: string): string {
  const map = new Map([[from, to]]);
  for (const n of nodes) {
    const outputs = n.outputs.map((o) => {
      if (!o) return o;
      const fresh = b.fresh(`pass2/${o}`);
      map.set(o, fresh);
      return fresh;
    });
    b.graph.nodes.push({ ...n, name: b.fresh(`pass2/${n.name || n.op}`), inputs: n.inputs.map((i) => map.get(i) ?? i), outputs });
  }
  const result = map.get(target);
  if (!result) throw new Error(`logits "${target}" do not depend on the image input`);
  return result;
}
