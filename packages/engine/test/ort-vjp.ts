// Runs the VJP graph of one op on real onnxruntime-node (float32) and on the reference interpreter (float64),
// to check that ORT accepts the emitted nodes at the model's opset and computes the same gradients.
import * as ort from 'onnxruntime-node';
import { buildGradient } from '../src/autodiff/driver.ts';
import type { Dim, Model } from '../src/graph/ir.ts';
import { writeModel } from '../src/graph/onnx-io.ts';
import { f32 } from '../src/graph/tensor.ts';
import { buildOpGraph, mulberry } from './gradcheck.ts';
import type { RuleCheck } from './gradcheck.ts';
import { run } from './reference/interpreter.ts';
import type { RefTensor } from './reference/interpreter.ts';

export interface OrtVjpResult {
  /** Largest |ORT − reference| over all gradients. */
  maxAbsDiff: number;
  /** Largest |reference gradient|, to show the check is not vacuous. */
  maxGrad: number;
  /** The op types of the emitted gradient nodes. */
  emitted: Set<string>;
}


interface VjpGraph {
  model: Model;
  feeds: Record<string, RefTensor>;
  ortFeeds: Record<string, ort.Tensor>;
  /** Per differentiable input, the name of its gradient (behind an Identity, so it is a fresh name). */
  outNames: string[];
  emitted: Set<string>;
}

/**
 * Builds op(inputs), seeds each float output with `weight` (random by default), and emits the VJP.
 * `declared` optionally gives the shapes the graph declares for the differentiable inputs (by input
 * index), e.g. with a symbolic batch dim, while the feeds keep their concrete dims.
 */
function buildVjp(spec: RuleCheck, weight?: () => number, declared: Record<number, Dim[]> = {}): VjpGraph {
  const rand = mulberry(spec.seed ?? 1);
  const w = weight ?? (() => rand() * 2 - 1);
  const { model, b, feeds, wrt, outs } = buildOpGraph(spec, rand, declared);
  const graph = model.graph;
  const ortFeeds: Record<string, ort.Tensor> = {};
  for (const name of wrt) ortFeeds[name] = new ort.Tensor('float32', Float32Array.from(feeds[name].data as Float64Array), feeds[name].dims);
  const probe = run(model, feeds, outs);
  const seeds = outs
    .filter((o) => probe[o].dtype === 'float')
    .map((o) => ({ of: o, grad: b.constant(f32(Array.from({ length: probe[o].data.length }, w), probe[o].dims), `w_${o}`) }));
  const firstGradNode = graph.nodes.length;
  const grads = buildGradient(model, { seeds, wrt, provider: spec.provider });
  const emitted = new Set(graph.nodes.slice(firstGradNode).map((n) => n.op));
  const outNames = wrt.map((x) => b.op('Identity', [grads.get(x)!]));
  graph.outputs = outNames.map((name) => ({ name, dtype: 'float32' }));
  return { model, feeds, ortFeeds, outNames, emitted };
}

/** The gradients the emitted VJP gives (reference interpreter) with every output weight 1: for a unary op, its derivative. */
export function vjpAt(spec: RuleCheck): number[][] {
  const { model, feeds, outNames } = buildVjp(spec, () => 1);
  const r = run(model, feeds, outNames);
  return outNames.map((n) => Array.from(r[n].data as Float64Array));
}

/** The gradients the emitted VJP gives (reference interpreter) for random output weights, under the declared input shapes. */
export function vjpRef(spec: RuleCheck, declared: Record<number, Dim[]> = {}): number[][] {
  const { model, feeds, outNames } = buildVjp(spec, undefined, declared);
  const r = run(model, feeds, outNames);
  return outNames.map((n, i) => {
    const want = Object.values(feeds)[i].dims;
    if (r[n].dims.join() !== want.join()) throw new Error(`gradient ${i} has dims [${r[n].dims}], expected [${want}]`);
    return Array.from(r[n].data as Float64Array);
  });
}

/** Emits op's VJP and runs it on ORT (float32) and on the reference (float64). */
export async function ortVjp(spec: RuleCheck, declared: Record<number, Dim[]> = {}): Promise<OrtVjpResult> {
  const { model, feeds, ortFeeds, outNames, emitted } = buildVjp(spec, undefined, declared);
  const session = await ort.InferenceSession.create(writeModel(model));
  try {
    const got = await session.run(ortFeeds);
    const want = run(model, feeds, outNames);
    let maxAbsDiff = 0;
    let maxGrad = 0;
    for (const name of outNames) {
      const g = got[name].data as Float32Array;
      const r = want[name].data as Float64Array;
      if (got[name].dims.join() !== want[name].dims.join()) throw new Error(`ORT gradient ${name} has dims [${got[name].dims}], the reference [${want[name].dims}]`);
      for (let i = 0; i < r.length; i++) {
        maxAbsDiff = Math.max(maxAbsDiff, Math.abs(g[i] - r[i]));
        maxGrad = Math.max(maxGrad, Math.abs(r[i]));
      }
    }
    return { maxAbsDiff, maxGrad, emitted };
  } finally {
    await session.release();
  }
}
