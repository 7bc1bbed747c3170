// Helpers for the reference tests: small models via GraphBuilder, seeded random tensors, tape-vs-finite-difference checks.
import { expect } from 'vitest';
import { GraphBuilder } from '../../src/graph/builder.ts';
import type { DType, Graph, Model } from '../../src/graph/ir.ts';
import { newModel } from '../../src/graph/onnx-io.ts';
import { checkGradient } from './finite-diff.ts';
import type { CheckOptions } from './finite-diff.ts';
import { run, trace } from './interpreter.ts';
import { gradient } from './tape.ts';
import { floatTensor, fromTensorData, size } from './tensor.ts';
import type { RefTensor } from './tensor.ts';
import { mulberry32 } from '../../src/preprocess/random.ts';

/** What buildModel makes: inputs, the nodes (via a GraphBuilder) and the outputs. */
export interface ModelSpec {
  /** Default-domain opset; 18 unless given. */
  opset?: number;
  /** Graph inputs by name: float32 dims, or dims with a dtype. */
  inputs?: Record<string, number[] | { dims: number[]; dtype: DType }>;
  /** Appends nodes; returns the graph output name(s). */
  build: (b: GraphBuilder, inputs: Record<string, string>) => string | string[];
  /** Output dtypes (float32 unless given), for writing the model out. */
  outputDtypes?: DType[];
}

/** A model built on a Graph literal with GraphBuilder and wrapped by newModel. */
export function buildModel(spec: ModelSpec): Model {
  const opset = spec.opset ?? 18;
  const inputs = Object.entries(spec.inputs ?? {}).map(([name, d]) =>
    Array.isArray(d) ? { name, dtype: 'float32' as DType, shape: d } : { name, dtype: d.dtype, shape: d.dims },
  );
  const graph: Graph = { name: 'test', nodes: [], inputs, outputs: [], initializers: new Map(), valueInfo: new Map() };
  const b = new GraphBuilder(graph, opset);
  const names = Object.fromEntries(inputs.map((v) => [v.name, v.name]));
  const outs = [spec.build(b, names)].flat();
  graph.outputs = outs.map((name, i) => ({ name, dtype: spec.outputDtypes?.[i] ?? 'float32' }));
  return newModel(graph, opset);
}

/** A model with a single `op` node over float inputs x0, x1, ... of the given dims ('' entries stay omitted). */
export function opModel(op: string, dims: (number[] | string)[], attrs: Parameters<GraphBuilder['op']>[2] = {}, opset = 18, outputs = 1): Model {
  const inputs: Record<string, number[]> = {};
  dims.forEach((d, i) => {
    if (Array.isArray(d)) inputs[`x${i}`] = d;
  });
  return buildModel({
    opset,
    inputs,
    build: (b) => b.node(op, dims.map((d, i) => (Array.isArray(d) ? `x${i}` : d)), attrs, outputs),
  });
}

/** Seeded uniform [0, 1) numbers: the engine's mulberry32. */
export const rng = mulberry32;

/** Uniform values in [lo, hi), resampled while closer than `margin` to any of `avoid` (kinks). */
export function randomTensor(r: () => number, dims: number[], opts: { lo?: number; hi?: number; avoid?: number[]; margin?: number } = {}): RefTensor {
  const { lo = -2, hi = 2, avoid = [], margin = 0.02 } = opts;
  const data = new Float64Array(size(dims));
  for (let i = 0; i < data.length; i++) {
    let v: number;
    do v = lo + (hi - lo) * r();
    while (avoid.some((k) => Math.abs(v - k) < margin));
    data[i] = v;
  }
  return floatTensor(data, dims);
}

/** Float values of a run's single output. */
export function runOne(model: Model, feeds: Record<string, RefTensor>, output?: string): RefTensor {
  const name = output ?? model.graph.outputs[0].name;
  return run(model, feeds, [name])[name];
}

/** A tensor's values as plain numbers. */
export function values(t: RefTensor): number[] {
  return Array.from(t.data as ArrayLike<number | bigint>, Number);
}

/**
 * Checks the tape's gradient of <seed, output> with respect to each of `wrt` (feeds or initializers)
 * against central differences of the interpreter, with a random seed.
 */
export function expectTapeMatchesFiniteDifferences(model: Model, feeds: Record<string, RefTensor>, wrt: string[], opts: CheckOptions & { output?: string; seed?: number } = {}): void {
  const output = opts.output ?? model.graph.outputs[0].name;
  const out = runOne(model, feeds, output);
  const seed = randomTensor(rng(opts.seed ?? 7), out.dims, { lo: -1, hi: 1 });
  const grads = gradient(model, feeds, { output, seed, wrt });
  const base = trace(model, feeds, wrt).values;
  for (const w of wrt) {
    const x0 = feeds[w] ?? fromTensorData(model.graph.initializers.get(w)!.tensor);
    const x = Float64Array.from(x0.data as Float64Array);
    const f = (v: Float64Array) => {
      const y = runOne(model, { ...feeds, [w]: floatTensor(v, [...x0.dims]) }, output).data as Float64Array;
      let s = 0;
      for (let i = 0; i < y.length; i++) s += y[i] * (seed.data as Float64Array)[i];
      return s;
    };
    expect(grads[w].dims, `dims of d/d${w}`).toEqual(base.get(w)!.dims);
    const check = checkGradient(f, x, grads[w].data as Float64Array, { rtol: 1e-5, atol: 1e-6, ...opts });
    const i = check.worstIndex;
    expect(check.ok, `d/d${w}[${i}]: tape ${grads[w].data[i]} vs finite difference ${check.numeric[i]} (max abs err ${check.maxAbsError})`).toBe(true);
  }
}
