// Reductions (Reduce*), ArgMax/ArgMin and CumSum.
import { attrInt, attrInts } from '../../../src/graph/attrs.ts';
import { forEachIndex, make, normAxis, size, strides } from '../tensor.ts';
import { fail, input, intsInput, scalarInput } from './context.ts';
import type { OpContext, OpImpl } from './context.ts';

/**
 * The axes a Reduce* node reduces, or null when it is a no-op (empty axes with noop_with_empty_axes=1).
 * ReduceSum takes axes as an input from opset 13, the others from opset 18; before that, an attribute.
 */
export function reduceAxes(ctx: OpContext): number[] | null {
  const x = input(ctx, 0);
  const fromInput = ctx.node.op === 'ReduceSum' ? ctx.opset >= 13 : ctx.opset >= 18;
  let axes: number[] | undefined;
  if (fromInput) {
    if (ctx.node.attrs.axes) fail(ctx, `takes axes as an input at opset ${ctx.opset}, not an attribute`);
    axes = intsInput(ctx, 1);
  } else {
    if (ctx.inputs[1]) fail(ctx, `takes axes as an attribute at opset ${ctx.opset}, not an input`);
    axes = attrInts(ctx.node, 'axes');
  }
  if (!axes || axes.length === 0) {
    if (attrInt(ctx.node, 'noop_with_empty_axes', 0)) return null;
    return x.dims.map((_, i) => i);
  }
  const norm = [...new Set(axes.map((a) => normAxis(a, x.dims.length)))].sort((a, b) => a - b);
  if (norm.length !== axes.length) fail(ctx, `axes [${axes}] repeat`);
  return norm;
}

/** Where each input element lands in the reduced tensor. */
export interface ReduceLayout {
  /** Output dims honouring keepdims. */
  dims: number[];
  /** Output dims with reduced axes kept as 1 (for broadcasting back). */
  keptDims: number[];
  /** For each input element, the flat index of its output element. */
  map: Int32Array;
  /** Elements reduced into each output element. */
  count: number;
}

/** Layout of a reduction of `inDims` over sorted, normalised `axes`. */
export function reduceLayout(inDims: readonly number[], axes: readonly number[], keepdims: boolean): ReduceLayout {
  const red = new Set(axes);
  const keptDims = inDims.map((d, i) => (red.has(i) ? 1 : d));
  const ks = strides(keptDims).map((s, i) => (red.has(i) ? 0 : s));
  const map = new Int32Array(size(inDims));
  forEachIndex(inDims, (c, k) => {
    let f = 0;
    for (let j = 0; j < c.length; j++) f += c[j] * ks[j];
    map[k] = f;
  });
  const dims = keepdims ? keptDims : inDims.filter((_, i) => !red.has(i));
  return { dims, keptDims, map, count: size(axes.map((a) => inDims[a])) };
}

/** The layout a Reduce* node uses (identity layout for a no-op). */
export function nodeReduceLayout(ctx: OpContext): ReduceLayout {
  const x = input(ctx, 0);
  const axes = reduceAxes(ctx);
  if (axes === null) return { dims: [...x.dims], keptDims: [...x.dims], map: Int32Array.from({ length: x.data.length }, (_, i) => i), count: 1 };
  return reduceLayout(x.dims, axes, attrInt(ctx.node, 'keepdims', 1) !== 0);
}

/** For each output element, the input index of the first maximum (row-major scan; strict > keeps the first). */
export function firstMaxIndex(x: Float64Array, layout: ReduceLayout, sign = 1): Int32Array {
  const n = size(layout.dims);
  const best = new Float64Array(n).fill(-Infinity);
  const at = new Int32Array(n).fill(-1);
  for (let i = 0; i < x.length; i++) {
    const o = layout.map[i];
    const v = sign * x[i];
    if (at[o] < 0 || v > best[o] || (Number.isNaN(v) && !Number.isNaN(best[o]))) {
      best[o] = v;
      at[o] = i;
    }
  }
  return at;
}

type Reducer = { init: number; step: (acc: number, v: number) => number; finish?: (acc: number, count: number) => number };

const REDUCERS: Record<string, Reducer> = {
  ReduceSum: { init: 0, step: (a, v) => a + v },
  ReduceMean: { init: 0, step: (a, v) => a + v, finish: (a, n) => a / n },
  ReduceMax: { init: -Infinity, step: (a, v) => (v > a || Number.isNaN(v) ? v : a) },
  ReduceMin: { init: Infinity, step: (a, v) => (v < a || Number.isNaN(v) ? v : a) },
  ReduceProd: { init: 1, step: (a, v) => a * v },
  ReduceL2: { init: 0, step: (a, v) => a + v * v, finish: (a) => Math.sqrt(a) },
  ReduceL1: { init: 0, step: (a, v) => a + Math.abs(v) },
  ReduceSumSquare: { init: 0, step: (a, v) => a + v * v },
};

function reduce(op: string): OpImpl {
  const r = REDUCERS[op];
  return (ctx) => {
    const x = input(ctx, 0);
    if (x.dtype === 'bool') fail(ctx, 'bool input is not supported');
    const layout = nodeReduceLayout(ctx);
    const acc = new Float64Array(size(layout.dims)).fill(r.init);
    for (let i = 0; i < x.data.length; i++) acc[layout.map[i]] = r.step(acc[layout.map[i]], Number(x.data[i]));
    if (r.finish) for (let o = 0; o < acc.length; o++) acc[o] = r.finish(acc[o], layout.count);
    // NOTE: integer reductions go through float64, exact up to 2^53.
    if (x.dtype === 'int64') return [make('int64', layout.dims, BigInt64Array.from(acc, (v) => BigInt(Math.trunc(v))))];
    return [make('float', layout.dims, acc)];
  };
}

function argReduce(sign: 1 | -1): OpImpl {
  return (ctx) => {
    const x = input(ctx, 0);
    const axis = normAxis(attrInt(ctx.node, 'axis', 0), x.dims.length);
    const last = attrInt(ctx.node, 'select_last_index', 0) !== 0;
    const layout = reduceLayout(x.dims, [axis], attrInt(ctx.node, 'keepdims', 1) !== 0);
    const inner = size(x.dims.slice(axis + 1));
    const n = size(layout.dims);
    const best = new Float64Array(n);
    const at = new BigInt64Array(n).fill(-1n);
    for (let i = 0; i < x.data.length; i++) {
      const o = layout.map[i];
      const v = sign * Number(x.data[i]);
      if (at[o] < 0n || v > best[o] || (last && v === best[o])) {
        best[o] = v;
        at[o] = BigInt(Math.floor(i / inner) % x.dims[axis]);
      }
    }
    return [make('int64', layout.dims, at)];
  };
}

/** CumSum along the axis input, optionally exclusive and/or reversed. */
const cumsum: OpImpl = (ctx) => {
  const x = input(ctx, 0);
  const a = scalarInput(ctx, 1);
  if (a === undefined) fail(ctx, 'axis is required');
  const axis = normAxis(a, x.dims.length);
  const exclusive = attrInt(ctx.node, 'exclusive', 0) !== 0;
  const reverse = attrInt(ctx.node, 'reverse', 0) !== 0;
  const inner = size(x.dims.slice(axis + 1));
  const outer = size(x.dims.slice(0, axis));
  const n = x.dims[axis];
  const src = Array.from(x.data as ArrayLike<number | bigint>, Number);
  const out = new Float64Array(src.length);
  for (let o = 0; o < outer; o++)
    for (let i = 0; i < inner; i++) {
      let acc = 0;
      for (let s = 0; s < n; s++) {
        const k = reverse ? n - 1 - s : s;
        const idx = (o * n + k) * inner + i;
        if (exclusive) {
          out[idx] = acc;
          acc += src[idx];
        } else {
          acc += src[idx];
          out[idx] = acc;
        }
      }
    }
  if (x.dtype === 'int64') return [make('int64', [...x.dims], BigInt64Array.from(out, (v) => BigInt(v)))];
  if (x.dtype !== 'float') fail(ctx, 'bool input is not supported');
  return [make('float', [...x.dims], out)];
};

/** The reduction op table. */
export const REDUCE_OPS: Record<string, OpImpl> = {
  ...Object.fromEntries(Object.keys(REDUCERS).map((op) => [op, reduce(op)])),
  ArgMax: argReduce(1),
  ArgMin: argReduce(-1),
  CumSum: cumsum,
};
