// Convolutions: Conv and ConvTranspose over any number of spatial dims, with groups, strides, dilations, pads.
import { attrInts, attrString } from '../../../src/graph/attrs.ts';
import { make, size } from '../tensor.ts';
import { fail, floatInput, input } from './context.ts';
import type { OpContext, OpImpl } from './context.ts';
import { groupOf, kernelShape, resolveWindow, windowTaps } from './geometry.ts';
import type { Window } from './geometry.ts';

/** Conv geometry. X is [N, C, in...], W is [M, C/G, k...], Y is [N, M, out...]. */
export interface ConvLayout {
  N: number;
  C: number;
  M: number;
  G: number;
  /** Input and output channels per group. */
  Cg: number;
  Mg: number;
  /** Kernel taps, input and output spatial sizes. */
  K: number;
  inSize: number;
  outSize: number;
  win: Window;
  /** windowTaps(out, in): for output position o and tap k, the input position or -1. */
  taps: Int32Array;
  dims: number[];
}

/** Resolves a Conv node's channels, groups and window (pads, strides, dilations, auto_pad). */
export function convLayout(ctx: OpContext): ConvLayout {
  const x = input(ctx, 0).dims;
  const w = input(ctx, 1).dims;
  if (x.length < 3 || w.length !== x.length) fail(ctx, `X [${x}] and W [${w}] should be [N, C, ...] and [M, C/group, ...]`);
  const [N, C] = x;
  const M = w[0];
  const G = groupOf(ctx);
  if (C % G || M % G || w[1] !== C / G) fail(ctx, `channels: X has ${C}, W [${w}], group ${G}`);
  const win = resolveWindow(ctx, x.slice(2), kernelShape(ctx, w.slice(2)));
  return {
    N, C, M, G, Cg: C / G, Mg: M / G,
    K: size(win.kernel), inSize: size(win.inDims), outSize: size(win.outDims),
    win, taps: windowTaps(win.outDims, win.inDims, win), dims: [N, M, ...win.outDims],
  };
}

const conv: OpImpl = (ctx) => {
  const x = floatInput(ctx, 0);
  const w = floatInput(ctx, 1);
  const bias = ctx.inputs[2] ? floatInput(ctx, 2) : undefined;
  const { N, C, M, G, Cg, Mg, K, inSize, outSize, taps, dims } = convLayout(ctx);
  const y = new Float64Array(size(dims));
  for (let n = 0; n < N; n++)
    for (let g = 0; g < G; g++)
      for (let mm = 0; mm < Mg; mm++) {
        const m = g * Mg + mm;
        const yBase = (n * M + m) * outSize;
        for (let o = 0; o < outSize; o++) {
          let s = bias ? bias[m] : 0;
          for (let c = 0; c < Cg; c++) {
            const xBase = (n * C + g * Cg + c) * inSize;
            const wBase = (m * Cg + c) * K;
            for (let k = 0; k < K; k++) {
              const t = taps[o * K + k];
              if (t >= 0) s += x[xBase + t] * w[wBase + k];
            }
          }
          y[yBase + o] = s;
        }
      }
  return [make('float', dims, y)];
};

/** ConvTranspose geometry. X is [N, C, in...], W is [C, M/G, k...], Y is [N, M, out...]; taps map X positions to Y positions. */
export function convTransposeLayout(ctx: OpContext): ConvLayout {
  const x = input(ctx, 0).dims;
  const w = input(ctx, 1).dims;
  if (x.length < 3 || w.length !== x.length) fail(ctx, `X [${x}] and W [${w}] should be [N, C, ...] and [C, M/group, ...]`);
  const [N, C] = x;
  const G = groupOf(ctx);
  if (w[0] !== C || C % G) fail(ctx, `channels: X has ${C}, W [${w}], group ${G}`);
  const inDims = x.slice(2);
  const n = inDims.length;
  const kernel = kernelShape(ctx, w.slice(2));
  const strides = attrInts(ctx.node, 'strides') ?? new Array<number>(n).fill(1);
  const dilations = attrInts(ctx.node, 'dilations') ?? new Array<number>(n).fill(1);
  const outPad = attrInts(ctx.node, 'output_padding') ?? new Array<number>(n).fill(0);
  const pads = attrInts(ctx.node, 'pads') ?? new Array<number>(2 * n).fill(0);
  const outputShape = attrInts(ctx.node, 'output_shape');
  const autoPad = attrString(ctx.node, 'auto_pad', 'NOTSET');
  const padsBegin = pads.slice(0, n);
  const padsEnd = pads.slice(n);
  const full = inDims.map((len, i) => strides[i] * (len - 1) + outPad[i] + (kernel[i] - 1) * dilations[i] + 1);
  let outDims: number[];
  if (outputShape || autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    // The spec's rule: SAME_UPPER puts the odd pad cell at the end (onnxruntime 1.30 agrees; see ort-crosscheck).
    const target = outputShape ? outputShape.slice(-n) : inDims.map((len, i) => len * strides[i]);
    target.forEach((t, i) => {
      const total = full[i] - t;
      padsBegin[i] = autoPad === 'SAME_UPPER' ? Math.floor(total / 2) : total - Math.floor(total / 2);
      padsEnd[i] = total - padsBegin[i];
    });
    outDims = target;
  } else {
    if (autoPad === 'VALID') {
      padsBegin.fill(0);
      padsEnd.fill(0);
    }
    outDims = full.map((f, i) => f - padsBegin[i] - padsEnd[i]);
  }
  const win: Window = { inDims, outDims, kernel, strides, dilations, padsBegin, padsEnd };
  const Mg = w[1];
  return {
    N, C, M: Mg * G, G, Cg: C / G, Mg,
    K: size(kernel), inSize: size(inDims), outSize: size(outDims),
    win, taps: windowTaps(inDims, outDims, win), dims: [N, Mg * G, ...outDims],
  };
}

const convTranspose: OpImpl = (ctx) => {
  const x = floatInput(ctx, 0);
  const w = floatInput(ctx, 1);
  const bias = ctx.inputs[2] ? floatInput(ctx, 2) : undefined;
  const { N, C, M, G, Cg, Mg, K, inSize, outSize, taps, dims } = convTransposeLayout(ctx);
  const y = new Float64Array(size(dims));
  for (let n = 0; n < N; n++)
    for (let g = 0; g < G; g++)
      for (let c = 0; c < Cg; c++) {
        const ci = g * Cg + c;
        for (let i = 0; i < inSize; i++) {
          const xv = x[(n * C + ci) * inSize + i];
          for (let mm = 0; mm < Mg; mm++) {
            const yBase = (n * M + g * Mg + mm) * outSize;
            const wBase = (ci * Mg + mm) * K;
            for (let k = 0; k < K; k++) {
              const t = taps[i * K + k];
              if (t >= 0) y[yBase + t] += xv * w[wBase + k];
            }
          }
        }
      }
  if (bias) for (let i = 0; i < y.length; i++) y[i] += bias[Math.floor(i / outSize) % M];
  return [make('float', dims, y)];
};

/** The convolution op table. */
export const CONV_OPS: Record<string, OpImpl> = { Conv: conv, ConvTranspose: convTranspose };
