// Checks a gradient rule: the emitted VJP graph, run in float64 by the reference interpreter,
// against central finite differences of the same interpreter.
import { buildGradient } from '../src/autodiff/driver.ts';
import { GraphBuilder } from '../src/graph/builder.ts';
import type { AttrInput } from '../src/graph/attrs.ts';
import { emptyGraph, Initializer } from '../src/graph/ir.ts';
import type { Dim, Model } from '../src/graph/ir.ts';
import type { Provider } from '../src/autodiff/rule.ts';
import { newModel } from '../src/graph/onnx-io.ts';
import { f32, i64 } from '../src/graph/tensor.ts';
import { centralDifference } from './reference/finite-diff.ts';
import { run } from './reference/interpreter.ts';
import type { RefTensor } from './reference/interpreter.ts';
import { mulberry32 } from '../src/preprocess/random.ts';

/** One input of the op under test: a differentiable float input, or a constant (e.g. axes, shape). */
export type InputSpec =
  | { dims: number[]; values?: number[]; wrt?: true }
  | { dims: number[]; values: number[]; int64: true }
  | { dims: number[]; values?: number[]; constant: true }
  | { omitted: true };

export interface RuleCheck {
  op: string;
  inputs: InputSpec[];
  attrs?: Record<string, AttrInput>;
  outputs?: number;
  opset?: number;
  seed?: number;
  /** Finite-difference step. */
  h?: number;
  /** The provider the gradient is compiled for (default 'portable'). */
  provider?: Provider;
}

export interface RuleCheckResult {
  maxAbsError: number;
  maxRelError: number;
  /** Largest |gradient| seen, to show the check is not vacuous. */
  maxGrad: number;
  model: Model;
}

/** Seeded uniform [0, 1) numbers: the engine's mulberry32. */
export const mulberry = mulberry32;

const size = (dims: number[]) => dims.reduce((a, b) => a * b, 1);

/** A one-node graph op(inputs): float inputs are graph inputs (values rounded to float32), the rest initializers. */
export interface OpGraph {
  model: Model;
  b: GraphBuilder;
  /** float64 feeds for the differentiable inputs. */
  feeds: Record<string, RefTensor>;
  wrt: string[];
  outs: string[];
}

/**
 * Builds op(inputs) for `spec`. `declared` optionally gives the shapes the graph declares for the
 * differentiable inputs (by input index), e.g. with a symbolic batch dim; the feeds keep concrete dims.
 */
export function buildOpGraph(spec: RuleCheck, rand: () => number, declared: Record<number, Dim[]> = {}): OpGraph {
  const graph = emptyGraph(spec.op);
  const opset = spec.opset ?? 17;
  const model = newModel(graph, opset);
  const b = new GraphBuilder(graph, opset);
  const feeds: Record<string, RefTensor> = {};
  const names: string[] = [];
  const wrt: string[] = [];
  spec.inputs.forEach((inp, k) => {
    if ('omitted' in inp) return names.push('');
    const name = `in${k}`;
    names.push(name);
    const values = inp.values ?? Array.from({ length: size(inp.dims) }, () => rand() * 2 - 1);
    if ('int64' in inp) graph.initializers.set(name, new Initializer(name, 'int64', inp.dims, i64(values, inp.dims)));
    else if ('constant' in inp) graph.initializers.set(name, new Initializer(name, 'float32', inp.dims, f32(values, inp.dims)));
    else {
      graph.inputs.push({ name, dtype: 'float32', shape: declared[k] ?? inp.dims });
      feeds[name] = { dtype: 'float', dims: inp.dims, data: Float64Array.from(Float32Array.from(values)) };
      wrt.push(name);
    }
  });
  const outs = b.node(spec.op, names, spec.attrs ?? {}, spec.outputs ?? 1);
  return { model, b, feeds, wrt, outs };
}

/** Builds op(inputs), seeds each float output with random weights, and compares the VJP to central differences. */
export function checkRule(spec: RuleCheck): RuleCheckResult {
  const rand = mulberry(spec.seed ?? 1);
  const { model, b, feeds, wrt, outs } = buildOpGraph(spec, rand);
  // Probe the output shapes once to size the random output weights.
  const probe = run(model, feeds, outs);
  const weights: Record<string, Float64Array> = {};
  const seeds = outs
    .filter((o) => probe[o].dtype === 'float')
    .map((o) => {
      const w = Float64Array.from({ length: probe[o].data.length }, () => Math.fround(rand() * 2 - 1));
      weights[o] = w;
      return { of: o, grad: b.constant(f32(Array.from(w), probe[o].dims), `w_${o}`) };
    });
  const grads = buildGradient(model, { seeds, wrt, provider: spec.provider });
  const loss = (f: Record<string, RefTensor>) => {
    const r = run(model, f, Object.keys(weights));
    let s = 0;
    for (const [o, w] of Object.entries(weights)) {
      const d = r[o].data as Float64Array;
      for (let i = 0; i < w.length; i++) s += d[i] * w[i];
    }
    return s;
  };
  const analytic = run(model, feeds, [...grads.values()]);
  const h = spec.h ?? 1e-6;
  let maxAbsError = 0;
  let maxRelError = 0;
  let maxGrad = 0;
  for (const name of wrt) {
    const g = analytic[grads.get(name)!].data as Float64Array;
    const x = feeds[name].data as Float64Array;
    if (g.length !== x.length) throw new Error(`gradient of ${name} has ${g.length} values, expected ${x.length}`);
    const numeric = centralDifference(() => loss(feeds), x, h);
    for (let i = 0; i < x.length; i++) {
      const err = Math.abs(numeric[i] - g[i]);
      maxAbsError = Math.max(maxAbsError, err);
      maxRelError = Math.max(maxRelError, err / Math.max(1, Math.abs(numeric[i])));
      maxGrad = Math.max(maxGrad, Math.abs(g[i]));
    }
  }
  return { maxAbsError, maxRelError, maxGrad, model };
}
