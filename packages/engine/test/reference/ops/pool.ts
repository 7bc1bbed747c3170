// Pooling: MaxPool and AveragePool over any number of spatial dims, and the global pools.
//
// NOTE: AveragePool follows onnxruntime (and PyTorch). With ceil_mode=1 a last window that would start
// in the right padding is dropped. The divisor with count_include_pad=1 counts the window's taps that lie
// inside the padded extent [-pad_begin, in + pad_end), pad cells included but not the cells a ceil_mode
// window hangs beyond the padded extent; with count_include_pad=0 it counts only the taps inside the input.
import { attrInt } from '../../../src/graph/attrs.ts';
import { make, size } from '../tensor.ts';
import { fail, floatInput, input } from './context.ts';
import type { OpContext, OpImpl } from './context.ts';
import { kernelShape, paddedCounts, resolveWindow, windowTaps } from './geometry.ts';
import type { Window } from './geometry.ts';

/** Pool geometry: X is [N, C, in...], Y is [N, C, out...]; taps as windowTaps(out, in). */
export interface PoolLayout {
  N: number;
  C: number;
  K: number;
  inSize: number;
  outSize: number;
  win: Window;
  taps: Int32Array;
  dims: number[];
}

/** Resolves a MaxPool/AveragePool node's window, with ceil_mode. */
export function poolLayout(ctx: OpContext): PoolLayout {
  const x = input(ctx, 0).dims;
  if (x.length < 3) fail(ctx, `X [${x}] should be [N, C, ...spatial]`);
  const win = resolveWindow(ctx, x.slice(2), kernelShape(ctx), attrInt(ctx.node, 'ceil_mode', 0) !== 0);
  return {
    N: x[0], C: x[1], K: size(win.kernel), inSize: size(win.inDims), outSize: size(win.outDims),
    win, taps: windowTaps(win.outDims, win.inDims, win), dims: [x[0], x[1], ...win.outDims],
  };
}

/** For each MaxPool output element, the flat input index of the first maximum in its window (row-major taps; padding never wins). */
export function maxPoolArgmax(x: Float64Array, p: PoolLayout): Int32Array {
  const at = new Int32Array(size(p.dims)).fill(-1);
  for (let nc = 0; nc < p.N * p.C; nc++)
    for (let o = 0; o < p.outSize; o++) {
      let best = -Infinity;
      let bi = -1;
      for (let k = 0; k < p.K; k++) {
        const t = p.taps[o * p.K + k];
        if (t < 0) continue;
        const v = x[nc * p.inSize + t];
        if (bi < 0 || v > best) {
          best = v;
          bi = nc * p.inSize + t;
        }
      }
      at[nc * p.outSize + o] = bi;
    }
  return at;
}

const maxPool: OpImpl = (ctx) => {
  const x = floatInput(ctx, 0);
  const p = poolLayout(ctx);
  const at = maxPoolArgmax(x, p);
  const y = Float64Array.from(at, (i) => (i < 0 ? -Infinity : x[i]));
  if (ctx.node.outputs.length > 1 && ctx.node.outputs[1] && attrInt(ctx.node, 'storage_order', 0) !== 0)
    fail(ctx, 'Indices with storage_order=1 is not supported');
  return [make('float', p.dims, y), make('int64', [...p.dims], BigInt64Array.from(at, (i) => BigInt(i)))];
};

/** AveragePool divisor per output spatial position (see the NOTE at the top). */
export function averagePoolDivisors(ctx: OpContext, p: PoolLayout): Float64Array {
  if (attrInt(ctx.node, 'count_include_pad', 0)) return paddedCounts(p.win);
  const d = new Float64Array(p.outSize);
  for (let o = 0; o < p.outSize; o++) for (let k = 0; k < p.K; k++) if (p.taps[o * p.K + k] >= 0) d[o]++;
  return d;
}

const averagePool: OpImpl = (ctx) => {
  const x = floatInput(ctx, 0);
  const p = poolLayout(ctx);
  const div = averagePoolDivisors(ctx, p);
  const y = new Float64Array(size(p.dims));
  for (let nc = 0; nc < p.N * p.C; nc++)
    for (let o = 0; o < p.outSize; o++) {
      let s = 0;
      for (let k = 0; k < p.K; k++) {
        const t = p.taps[o * p.K + k];
        if (t >= 0) s += x[nc * p.inSize + t];
      }
      y[nc * p.outSize + o] = s / div[o];
    }
  return [make('float', p.dims, y)];
};

/** Global pool geometry: `rows` = N * C blocks of `inner` spatial elements; output dims keep the spatial axes as 1. */
export function globalLayout(ctx: OpContext): { rows: number; inner: number; dims: number[] } {
  const x = input(ctx, 0).dims;
  if (x.length < 2) fail(ctx, `X [${x}] should be [N, C, ...spatial]`);
  return { rows: x[0] * x[1], inner: size(x.slice(2)), dims: x.map((d, i) => (i < 2 ? d : 1)) };
}

/** For each (n, c), the flat index of the first maximum over the spatial block. */
export function globalArgmax(x: Float64Array, rows: number, inner: number): Int32Array {
  const at = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let bi = r * inner;
    for (let i = 1; i < inner; i++) if (x[r * inner + i] > x[bi]) bi = r * inner + i;
    at[r] = bi;
  }
  return at;
}

const globalAveragePool: OpImpl = (ctx) => {
  const x = floatInput(ctx, 0);
  const { rows, inner, dims } = globalLayout(ctx);
  const y = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let i = 0; i < inner; i++) s += x[r * inner + i];
    y[r] = s / inner;
  }
  return [make('float', dims, y)];
};

const globalMaxPool: OpImpl = (ctx) => {
  const x = floatInput(ctx, 0);
  const { rows, inner, dims } = globalLayout(ctx);
  return [make('float', dims, Float64Array.from(globalArgmax(x, rows, inner), (i) => x[i]))];
};

/** The pooling op table. */
export const POOL_OPS: Record<string, OpImpl> = {
  MaxPool: maxPool,
  AveragePool: averagePool,
  GlobalAveragePool: globalAveragePool,
  GlobalMaxPool: globalMaxPool,
};
