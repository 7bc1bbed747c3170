// Tests of the movement-op gradient rules: finite differences, symbolic batch dims, partial gradients, and ORT.
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { checkRule, mulberry } from '../../../test/gradcheck.ts';
import type { RuleCheck } from '../../../test/gradcheck.ts';
import { run } from '../../../test/reference/interpreter.ts';
import type { RefTensor } from '../../../test/reference/interpreter.ts';
import type { AttrInput } from '../../graph/attrs.ts';
import { GraphBuilder } from '../../graph/builder.ts';
import { emptyGraph, Initializer } from '../../graph/ir.ts';
import type { Dim, Model } from '../../graph/ir.ts';
import { newModel, writeModel } from '../../graph/onnx-io.ts';
import { f32, i64 } from '../../graph/tensor.ts';
import { buildGradient } from '../driver.ts';
import { EMITTED_OPS } from '../ops.ts';

const x = (...dims: number[]) => ({ dims });
const ints = (...values: number[]) => ({ dims: [values.length], values, int64: true as const });
const scalarInt = (v: number) => ({ dims: [], values: [v], int64: true as const });
const omitted = { omitted: true as const };

function expectGood(spec: RuleCheck, tol = 1e-6) {
  const r = checkRule(spec);
  expect(r.maxAbsError, JSON.stringify(spec)).toBeLessThan(tol);
  expect(r.maxGrad).toBeGreaterThan(0);
}

const CASES: [string, RuleCheck][] = [
  ['Flatten axis 1', { op: 'Flatten', inputs: [x(2, 3, 4)] }],
  ['Flatten axis 0', { op: 'Flatten', inputs: [x(2, 3, 4)], attrs: { axis: 0 } }],
  ['Flatten axis -1', { op: 'Flatten', inputs: [x(2, 3, 4)], attrs: { axis: -1 } }],
  ['Flatten axis = rank', { op: 'Flatten', inputs: [x(2, 3, 4)], attrs: { axis: 3 } }],
  ['Reshape -1', { op: 'Reshape', inputs: [x(2, 3, 4), ints(4, -1)] }],
  ['Reshape 0 copies', { op: 'Reshape', inputs: [x(2, 3, 4), ints(0, 12)] }],
  ['Reshape to 1-D', { op: 'Reshape', inputs: [x(2, 3, 4), ints(24)], opset: 13 }],
  ['Squeeze axes', { op: 'Squeeze', inputs: [x(2, 1, 3, 1), ints(1, 3)] }],
  ['Squeeze axis -1', { op: 'Squeeze', inputs: [x(2, 1, 3, 1), ints(-1)], opset: 13 }],
  ['Squeeze all', { op: 'Squeeze', inputs: [x(1, 3, 1)] }],
  ['Unsqueeze 0,-1', { op: 'Unsqueeze', inputs: [x(2, 3), ints(0, -1)] }],
  ['Unsqueeze 1', { op: 'Unsqueeze', inputs: [x(2, 3), ints(1)], opset: 18 }],
  ['Transpose perm', { op: 'Transpose', inputs: [x(2, 3, 4)], attrs: { perm: [2, 0, 1] } }],
  ['Transpose default', { op: 'Transpose', inputs: [x(2, 3, 4)] }],
  ['Transpose NCHW->NHWC', { op: 'Transpose', inputs: [x(2, 3, 4, 5)], attrs: { perm: [0, 2, 3, 1] } }],
  ['Concat axis 1', { op: 'Concat', inputs: [x(2, 3), x(2, 1), x(2, 4)], attrs: { axis: 1 } }],
  ['Concat axis -1', { op: 'Concat', inputs: [x(2, 3, 2), x(2, 3, 5)], attrs: { axis: -1 } }],
  ['Concat axis 0', { op: 'Concat', inputs: [x(1, 3), x(4, 3)], attrs: { axis: 0 } }],
  ['Concat one input', { op: 'Concat', inputs: [x(2, 3)], attrs: { axis: 0 } }],
  ['Split input', { op: 'Split', inputs: [x(2, 6), ints(1, 2, 3)], attrs: { axis: 1 }, outputs: 3 }],
  ['Split equal op13', { op: 'Split', inputs: [x(6, 4)], outputs: 3, opset: 13 }],
  ['Split equal axis -1', { op: 'Split', inputs: [x(2, 3, 4)], attrs: { axis: -1 }, outputs: 2, opset: 17 }],
  ['Split num_outputs op18', { op: 'Split', inputs: [x(7, 2)], attrs: { num_outputs: 3 }, outputs: 3, opset: 18 }],
  ['Split input op18', { op: 'Split', inputs: [x(3, 5), ints(4, 1)], attrs: { axis: 1 }, outputs: 2, opset: 18 }],
  ['Slice basic', { op: 'Slice', inputs: [x(5, 6), ints(1), ints(4), ints(1)] }],
  ['Slice no axes', { op: 'Slice', inputs: [x(5, 6), ints(1, 2), ints(3, 5)] }],
  ['Slice negative bounds', { op: 'Slice', inputs: [x(5, 6), ints(-4), ints(-1), ints(-1)] }],
  ['Slice clamped ends', { op: 'Slice', inputs: [x(5, 6), ints(2, -100), ints(1000, 4), ints(0, 1)] }],
  ['Slice step 2', { op: 'Slice', inputs: [x(5, 7), ints(1), ints(7), ints(1), ints(2)] }],
  ['Slice step 3 past end', { op: 'Slice', inputs: [x(5, 8), ints(0), ints(100), ints(1), ints(3)] }],
  ['Slice step 2 even', { op: 'Slice', inputs: [x(3, 6), ints(0), ints(6), ints(1), ints(2)] }],
  ['Slice step -1', { op: 'Slice', inputs: [x(4, 5), ints(-1), ints(-1000), ints(1), ints(-1)] }],
  ['Slice step -1 partial', { op: 'Slice', inputs: [x(4, 6), ints(4), ints(1), ints(1), ints(-1)] }],
  ['Slice step -2', { op: 'Slice', inputs: [x(4, 7), ints(5), ints(0), ints(1), ints(-2)] }],
  ['Slice step -3 to start', { op: 'Slice', inputs: [x(3, 8), ints(100), ints(-100), ints(-1), ints(-3)] }],
  ['Slice multi-axis steps', { op: 'Slice', inputs: [x(5, 4, 7), ints(0, 6, 1), ints(5, 0, 3), ints(0, 2, 1), ints(2, -3, 1)] }],
  ['Slice Focus (::2, ::2)', { op: 'Slice', inputs: [x(1, 2, 4, 6), ints(1, 0), ints(1000, 1000), ints(2, 3), ints(2, 2)] }],
  ['Slice step 4 axis 0', { op: 'Slice', inputs: [x(9, 2, 3), ints(1), ints(9), ints(0), ints(4)], opset: 18 }],
  ['Gather scalar axis 0', { op: 'Gather', inputs: [x(5, 3), scalarInt(2)] }],
  ['Gather scalar negative', { op: 'Gather', inputs: [x(5, 3), scalarInt(-1)] }],
  ['Gather class token', { op: 'Gather', inputs: [x(2, 4, 3), scalarInt(0)], attrs: { axis: 1 } }],
  ['Gather repeats + negative', { op: 'Gather', inputs: [x(5, 3), ints(0, 2, 2, -1)] }],
  ['Gather axis 1 2-D indices', { op: 'Gather', inputs: [x(2, 4, 3), { dims: [2, 2], values: [3, 0, -3, 3], int64: true }], attrs: { axis: 1 } }],
  ['Gather axis -1 2x3 indices', { op: 'Gather', inputs: [x(2, 3, 4), { dims: [2, 3], values: [0, 1, 2, 3, 3, -4], int64: true }], attrs: { axis: -1 } }],
  ['Gather 1-D data', { op: 'Gather', inputs: [x(6), ints(5, 1, 1)] }],
  ['Gather 70 indices (dynamic one-hot)', { op: 'Gather', inputs: [x(2, 6), { dims: [70], values: Array.from({ length: 70 }, (_, i) => ((i * 7) % 12) - 6), int64: true }], attrs: { axis: 1 } }],
  ['Expand leading', { op: 'Expand', inputs: [x(3, 1), ints(2, 3, 4)] }],
  ['Expand 1 -> 5', { op: 'Expand', inputs: [x(1), ints(5)] }],
  ['Expand middle', { op: 'Expand', inputs: [x(2, 1, 4), ints(2, 3, 4)] }],
  ['Expand shorter shape', { op: 'Expand', inputs: [x(2, 3, 4), ints(4)] }],
  ['Expand both ways', { op: 'Expand', inputs: [x(1, 4), ints(3, 1)] }],
  ['Tile axis 0', { op: 'Tile', inputs: [x(2, 3), ints(2, 1)] }],
  ['Tile axis 1', { op: 'Tile', inputs: [x(2, 3), ints(1, 3)] }],
  ['Tile all', { op: 'Tile', inputs: [x(2, 1, 3), ints(2, 3, 2)] }],
  ['Tile none', { op: 'Tile', inputs: [x(2, 3), ints(1, 1)] }],
  ['Pad constant', { op: 'Pad', inputs: [x(2, 3), ints(1, 2, 0, 1)] }],
  ['Pad constant value wrt', { op: 'Pad', inputs: [x(2, 3), ints(1, 0, 2, 1), x()], opset: 13 }],
  ['Pad NCHW spatial', { op: 'Pad', inputs: [x(1, 2, 3, 3), ints(0, 0, 1, 2, 0, 0, 2, 1)] }],
  ['Pad negative (crop)', { op: 'Pad', inputs: [x(4, 5), ints(-1, 2, 1, -2)] }],
  ['Pad crop + value wrt', { op: 'Pad', inputs: [x(4, 5), ints(-1, 2, 1, -2), x()] }],
  ['Pad axes op18', { op: 'Pad', inputs: [x(2, 3, 4), ints(1, 1, 2, 0), omitted, ints(2, 0)], opset: 18 }],
  ['Pad axes negative op18', { op: 'Pad', inputs: [x(2, 3, 4), ints(-1, 2), x(), ints(-2)], opset: 18 }],
  ['Pad edge', { op: 'Pad', inputs: [x(3, 4), ints(2, 1, 1, 3)], attrs: { mode: 'edge' } }],
  ['Pad edge dim 1', { op: 'Pad', inputs: [x(1, 4), ints(2, 0, 1, 0)], attrs: { mode: 'edge' } }],
  ['Pad reflect', { op: 'Pad', inputs: [x(4, 5), ints(3, 1, 2, 4)], attrs: { mode: 'reflect' } }],
  ['Pad reflect NCHW', { op: 'Pad', inputs: [x(1, 2, 3, 3), ints(0, 0, 1, 1, 0, 0, 1, 1)], attrs: { mode: 'reflect' }, opset: 13 }],
  ['Pad wrap op19', { op: 'Pad', inputs: [x(3, 4), ints(1, 4, 3, 2)], attrs: { mode: 'wrap' }, opset: 19 }],
  ['Pad edge axes op18', { op: 'Pad', inputs: [x(3, 4), ints(2, 1), omitted, ints(1)], attrs: { mode: 'edge' }, opset: 18 }],
];

describe('movement rules match finite differences', () => {
  for (const [name, spec] of CASES) {
    const opsets = spec.opset ? [spec.opset] : [13, 17, 18];
    for (const opset of opsets) it(`${name} @${opset}`, () => expectGood({ ...spec, opset }));
  }
});

/** A graph around one op, with declared (possibly symbolic) input shapes, its gradient, and concrete feeds. */
interface Built {
  model: Model;
  feeds: Record<string, RefTensor>;
  wrt: string[];
  grads: Map<string, string>;
  weights: Record<string, Float64Array>;
}

interface Spec {
  op: string;
  /** Float inputs: concrete dims plus the declared shape; int inputs: constants, or graph inputs when `feed`. */
  inputs: ({ dims: number[]; declared?: Dim[]; wrt?: false } | { ints: number[]; dims?: number[]; feed?: true } | { omitted: true })[];
  attrs?: Record<string, AttrInput>;
  outputs?: number;
  /** Outputs to seed (all by default). */
  seed?: number[];
  opset?: number;
}

function build(spec: Spec): Built {
  const rand = mulberry(7);
  const graph = emptyGraph(spec.op);
  const opset = spec.opset ?? 17;
  const model = newModel(graph, opset);
  const b = new GraphBuilder(graph, opset);
  const feeds: Record<string, RefTensor> = {};
  const wrt: string[] = [];
  const names = spec.inputs.map((inp, k) => {
    if ('omitted' in inp) return '';
    const name = `in${k}`;
    if ('ints' in inp) {
      const dims = inp.dims ?? [inp.ints.length];
      if (inp.feed) {
        graph.inputs.push({ name, dtype: 'int64', shape: dims });
        feeds[name] = { dtype: 'int64', dims, data: BigInt64Array.from(inp.ints.map(BigInt)) };
      } else graph.initializers.set(name, new Initializer(name, 'int64', dims, i64(inp.ints, dims)));
      return name;
    }
    graph.inputs.push({ name, dtype: 'float32', shape: inp.declared ?? inp.dims });
    const n = inp.dims.reduce((p, q) => p * q, 1);
    feeds[name] = { dtype: 'float', dims: inp.dims, data: Float64Array.from({ length: n }, () => Math.fround(rand() * 2 - 1)) };
    if (inp.wrt !== false) wrt.push(name);
    return name;
  });
  const outs = b.node(spec.op, names, spec.attrs ?? {}, spec.outputs ?? 1);
  const probe = run(model, feeds, outs);
  const weights: Record<string, Float64Array> = {};
  const seeds = (spec.seed ?? outs.map((_, i) => i)).map((i) => {
    const o = outs[i];
    const w = Float64Array.from({ length: probe[o].data.length }, () => Math.fround(rand() * 2 - 1));
    weights[o] = w;
    return { of: o, grad: b.constant(f32(Array.from(w), probe[o].dims), `w_${o}`) };
  });
  const grads = buildGradient(model, { seeds, wrt });
  return { model, feeds, wrt, grads, weights };
}

/** Max |analytic − central difference| over all wrt inputs, and the largest gradient seen. */
function fdError({ model, feeds, wrt, grads, weights }: Built): { err: number; maxGrad: number } {
  const loss = () => {
    const r = run(model, feeds, Object.keys(weights));
    let s = 0;
    for (const [o, w] of Object.entries(weights)) w.forEach((wi, i) => (s += wi * Number(r[o].data[i])));
    return s;
  };
  const analytic = run(model, feeds, [...grads.values()]);
  let err = 0;
  let maxGrad = 0;
  const h = 1e-6;
  for (const name of wrt) {
    const g = analytic[grads.get(name)!].data as Float64Array;
    const v = feeds[name].data as Float64Array;
    expect(g.length).toBe(v.length);
    for (let i = 0; i < v.length; i++) {
      const orig = v[i];
      v[i] = orig + h;
      const up = loss();
      v[i] = orig - h;
      const down = loss();
      v[i] = orig;
      err = Math.max(err, Math.abs((up - down) / (2 * h) - g[i]));
      maxGrad = Math.max(maxGrad, Math.abs(g[i]));
    }
  }
  return { err, maxGrad };
}

const BIG = Number.MAX_SAFE_INTEGER;
const sym = (dims: number[], declared: Dim[]) => ({ dims, declared });

const SYMBOLIC: [string, Spec][] = [
  ['Flatten [N,3,4]', { op: 'Flatten', inputs: [sym([2, 3, 4], ['N', 3, 4])] }],
  ['Concat axis 1 [N,…]', { op: 'Concat', inputs: [sym([2, 3], ['N', 3]), sym([2, 2], ['N', 2])], attrs: { axis: 1 } }],
  ['Concat axis 0 symbolic sizes', { op: 'Concat', inputs: [sym([2, 3], ['N', 3]), sym([1, 3], [1, 3]), sym([3, 3], ['M', 3])], attrs: { axis: 0 } }],
  ['Slice whole batch + step 2', { op: 'Slice', inputs: [sym([2, 3, 7], ['N', 3, 7]), { ints: [0, 1] }, { ints: [BIG, 7] }, { ints: [0, 2] }, { ints: [1, 2] }] }],
  ['Slice step 2 before batch-like dims', { op: 'Slice', inputs: [sym([5, 2, 3], [5, 'N', 'M']), { ints: [0] }, { ints: [5] }, { ints: [0] }, { ints: [2] }] }],
  ['Slice step 3 with one symbolic after', { op: 'Slice', inputs: [sym([7, 2, 3], [7, 'N', 3]), { ints: [1] }, { ints: [7] }, { ints: [0] }, { ints: [3] }] }],
  ['Slice reverse whole batch', { op: 'Slice', inputs: [sym([3, 4], ['N', 4]), { ints: [-1, 1] }, { ints: [-BIG, 3] }, { ints: [0, 1] }, { ints: [-1, 1] }] }],
  ['Gather class token [N,T,C]', { op: 'Gather', inputs: [sym([2, 5, 3], ['N', 5, 3]), { ints: [0], dims: [] }], attrs: { axis: 1 } }],
  ['Gather fed indices, symbolic axis', { op: 'Gather', inputs: [sym([4, 3], ['N', 3]), { ints: [3, -1, 0, 3, 1], feed: true }] }],
  ['Gather fed 2-D indices, axis 1', { op: 'Gather', inputs: [sym([2, 4, 3], ['N', 4, 3]), { ints: [1, -4, 2, 3, 1, 1], dims: [2, 3], feed: true }], attrs: { axis: 1 } }],
  ['Gather fed indices, symbolic P and Q', { op: 'Gather', inputs: [sym([2, 4, 3], ['N', 4, 'C']), { ints: [1, 2, 2], feed: true }], attrs: { axis: 1 } }],
  ['Expand [N,1,4]', { op: 'Expand', inputs: [sym([2, 1, 4], ['N', 1, 4]), { ints: [1, 3, 4] }] }],
  ['Tile batch', { op: 'Tile', inputs: [sym([2, 3], ['N', 3]), { ints: [2, 2] }] }],
  ['Tile two symbolic', { op: 'Tile', inputs: [sym([2, 3, 2], ['N', 3, 'M']), { ints: [1, 2, 3] }] }],
  ['Pad constant [N,C,H,W]', { op: 'Pad', inputs: [sym([2, 1, 3, 3], ['N', 1, 3, 3]), { ints: [0, 0, 1, -1, 0, 0, 2, 1] }] }],
  ['Reshape [N,12] -> [N,3,4]', { op: 'Reshape', inputs: [sym([2, 12], ['N', 12]), { ints: [-1, 3, 4] }] }],
];

describe('movement rules with symbolic dims', () => {
  for (const [name, spec] of SYMBOLIC)
    it(name, () => {
      const { err, maxGrad } = fdError(build(spec));
      expect(err).toBeLessThan(1e-6);
      expect(maxGrad).toBeGreaterThan(0);
    });
});

describe('partial gradients', () => {
  it('Split: outputs without a gradient contribute zeros', () => {
    const built = build({ op: 'Split', inputs: [{ dims: [2, 6] }, { ints: [1, 2, 3] }], attrs: { axis: 1 }, outputs: 3, seed: [1] });
    const { err } = fdError(built);
    expect(err).toBeLessThan(1e-6);
    const g = run(built.model, built.feeds, [built.grads.get('in0')!])[built.grads.get('in0')!].data as Float64Array;
    // Columns 0 and 3..5 belong to unseeded outputs.
    for (let r = 0; r < 2; r++) for (const c of [0, 3, 4, 5]) expect(g[r * 6 + c]).toBe(0);
  });
  it('Split op18 num_outputs: only the last output seeded', () => {
    const { err, maxGrad } = fdError(build({ op: 'Split', inputs: [{ dims: [7, 2] }], attrs: { num_outputs: 3 }, outputs: 3, seed: [2], opset: 18 }));
    expect(err).toBeLessThan(1e-6);
    expect(maxGrad).toBeGreaterThan(0);
  });
  it('Concat: only the needed input gets a gradient, and through a Slice', () => {
    const built = build({ op: 'Concat', inputs: [{ dims: [2, 3], wrt: false }, { dims: [2, 4] }, { dims: [2, 1], wrt: false }], attrs: { axis: 1 } });
    expect(fdError(built).err).toBeLessThan(1e-6);
    const emitted = built.model.graph.nodes.slice(1).map((n) => n.op);
    expect(emitted).toEqual(['Slice']);
  });
  it('Pad: no gradient for the constant value unless asked', () => {
    const built = build({ op: 'Pad', inputs: [{ dims: [2, 3] }, { ints: [1, 1, 1, 1] }, { dims: [], wrt: false }] });
    expect(fdError(built).err).toBeLessThan(1e-6);
    expect(built.model.graph.nodes.slice(1).map((n) => n.op)).toEqual(['Slice']);
  });
  it('Gather: a constant scalar index is a single Unsqueeze + Pad', () => {
    const built = build({ op: 'Gather', inputs: [{ dims: [2, 5, 3] }, { ints: [-2], dims: [] }], attrs: { axis: 1 } });
    expect(built.model.graph.nodes.slice(1).map((n) => n.op)).toEqual(['Unsqueeze', 'Pad']);
    const g = run(built.model, built.feeds, [built.grads.get('in0')!])[built.grads.get('in0')!].data as Float64Array;
    // Only row 3 of axis 1 is non-zero.
    g.forEach((v, i) => expect(v !== 0).toBe(Math.floor(i / 3) % 5 === 3));
  });
  it('Gather: repeated indices add up', () => {
    const built = build({ op: 'Gather', inputs: [{ dims: [3] }, { ints: [1, 1, -2, 0] }] });
    const w = Object.values(built.weights)[0];
    const g = run(built.model, built.feeds, [built.grads.get('in0')!])[built.grads.get('in0')!].data as Float64Array;
    expect(g[1]).toBeCloseTo(w[0] + w[1] + w[2], 12);
    expect(g[0]).toBeCloseTo(w[3], 12);
    expect(g[2]).toBe(0);
  });
  it('Slice with non-constant starts names the node', () => {
    expect(() => build({ op: 'Slice', inputs: [{ dims: [4] }, { ints: [1], feed: true }, { ints: [3] }] })).toThrow(/Slice node ".*".*starts.*constant/);
  });
  it('Slice of a symbolic axis, partially, names the node', () => {
    expect(() => build({ op: 'Slice', inputs: [sym([4, 2], ['N', 2]), { ints: [1] }, { ints: [3] }, { ints: [0] }] })).toThrow(/Slice node ".*".*static size for axis 0/);
  });
  it('Slice: an empty slice gives a zero gradient', () => {
    const built = build({ op: 'Slice', inputs: [{ dims: [4, 3] }, { ints: [3] }, { ints: [1] }, { ints: [0] }] });
    const g = built.grads.get('in0')!;
    expect(Array.from(run(built.model, built.feeds, [g])[g].data as Float64Array)).toEqual(Array(12).fill(0));
  });
});

// ORT smoke test: the emitted gradient graphs load and run on onnxruntime-node (float32) and agree with the reference.
const ORT_CASES: [string, Spec][] = [
  ['Transpose', { op: 'Transpose', inputs: [{ dims: [2, 3, 4] }], attrs: { perm: [1, 2, 0] } }],
  ['Flatten', { op: 'Flatten', inputs: [sym([2, 3, 4], ['N', 3, 4])] }],
  ['Squeeze', { op: 'Squeeze', inputs: [{ dims: [2, 1, 3] }, { ints: [1] }] }],
  ['Concat (Split)', { op: 'Concat', inputs: [{ dims: [2, 3] }, { dims: [2, 2] }], attrs: { axis: 1 } }],
  ['Concat (dynamic Slice)', { op: 'Concat', inputs: [sym([2, 3], ['N', 3]), sym([3, 3], ['M', 3])], attrs: { axis: 0 } }],
  ['Split (Concat + zeros)', { op: 'Split', inputs: [{ dims: [2, 6] }, { ints: [1, 2, 3] }], attrs: { axis: 1 }, outputs: 3, seed: [0, 2] }],
  ['Slice (reverse, spread, crop, pad)', { op: 'Slice', inputs: [sym([2, 5, 8], ['N', 5, 8]), { ints: [4, 1] }, { ints: [0, 8] }, { ints: [1, 2] }, { ints: [-2, 3] }] }],
  ['Slice spread with two symbolic', { op: 'Slice', inputs: [sym([5, 2, 3], [5, 'N', 'M']), { ints: [0] }, { ints: [5] }, { ints: [0] }, { ints: [2] }] }],
  ['Gather (scalar: Pad)', { op: 'Gather', inputs: [sym([2, 5, 3], ['N', 5, 3]), { ints: [0], dims: [] }], attrs: { axis: 1 } }],
  ['Gather (const one-hot)', { op: 'Gather', inputs: [sym([2, 5, 3], ['N', 5, 3]), { ints: [0, 4, 4] }], attrs: { axis: 1 } }],
  ['Gather (dynamic one-hot)', { op: 'Gather', inputs: [sym([2, 4, 3], ['N', 4, 'C']), { ints: [1, -2, 2], feed: true }], attrs: { axis: 1 } }],
  ['Gather (dynamic one-hot, symbolic axis)', { op: 'Gather', inputs: [sym([4, 3], ['N', 3]), { ints: [3, -1, 0], feed: true }] }],
  ['Expand', { op: 'Expand', inputs: [{ dims: [3, 1] }, { ints: [2, 3, 4] }] }],
  ['Tile', { op: 'Tile', inputs: [sym([2, 3, 2], ['N', 3, 'M']), { ints: [1, 2, 3] }] }],
  ['Pad constant + value', { op: 'Pad', inputs: [{ dims: [4, 5] }, { ints: [-1, 2, 1, -2] }, { dims: [] }] }],
  ['Pad edge', { op: 'Pad', inputs: [{ dims: [3, 4] }, { ints: [2, 1, 1, 3] }], attrs: { mode: 'edge' } }],
  ['Pad reflect', { op: 'Pad', inputs: [{ dims: [4, 5] }, { ints: [3, 1, 2, 4] }], attrs: { mode: 'reflect' } }],
];

async function runOrt(built: Built): Promise<Record<string, Float32Array>> {
  const { model, feeds, grads } = built;
  model.graph.outputs = [...grads.values()].map((name) => ({ name, dtype: 'float32' }));
  const session = await ort.InferenceSession.create(writeModel(model));
  const ortFeeds: Record<string, ort.Tensor> = {};
  for (const [name, t] of Object.entries(feeds))
    ortFeeds[name] = t.dtype === 'int64' ? new ort.Tensor('int64', t.data as BigInt64Array, t.dims) : new ort.Tensor('float32', Float32Array.from(t.data as Float64Array), t.dims);
  const out = await session.run(ortFeeds);
  await session.release();
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.data as Float32Array]));
}

describe('onnxruntime-node runs the emitted gradients', () => {
  const seen = new Set<string>();
  for (const opset of [13, 17, 18])
    for (const [name, spec] of ORT_CASES)
      it(`${name} @${opset}`, async () => {
        const built = build({ ...spec, opset });
        const before = built.model.graph.nodes.length;
        const ref = run(built.model, built.feeds, [...built.grads.values()]);
        for (const n of built.model.graph.nodes.slice(1, before)) {
          expect(EMITTED_OPS as readonly string[]).toContain(n.op);
          seen.add(n.op);
        }
        const got = await runOrt(built);
        for (const g of built.grads.values()) {
          const want = ref[g].data as Float64Array;
          expect(got[g].length).toBe(want.length);
          got[g].forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(1e-5));
        }
      });
  it('Pad wrap @19', async () => {
    const built = build({ op: 'Pad', inputs: [{ dims: [3, 4] }, { ints: [1, 4, 3, 2] }], attrs: { mode: 'wrap' }, opset: 19 });
    const ref = run(built.model, built.feeds, [...built.grads.values()]);
    const got = await runOrt(built);
    const g = built.grads.get('in0')!;
    got[g].forEach((v, i) => expect(Math.abs(v - (ref[g].data as Float64Array)[i])).toBeLessThan(1e-5));
  });
  it('covers the ops the rules emit', () => {
    for (const op of ['Reshape', 'Shape', 'Transpose', 'Split', 'Slice', 'Concat', 'Expand', 'Unsqueeze', 'Pad', 'Flatten', 'Gather', 'MatMul', 'Cast', 'Equal', 'Range', 'Less', 'Where', 'Add', 'Sub', 'ReduceSum'])
      expect(seen, op).toContain(op);
  });
});
