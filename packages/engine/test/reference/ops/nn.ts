// Normalisation and softmax ops: BatchNormalization (inference), LayerNormalization, InstanceNormalization, LRN, Softmax, LogSoftmax.
import { attrFloat, attrInt } from '../../../src/graph/attrs.ts';
import { broadcastIndex, make, normAxis, size } from '../tensor.ts';
import { fail, floatInput, input } from './context.ts';
import type { OpContext, OpImpl } from './context.ts';

/** Softmax geometry: `outer` rows of `n` elements `inner` apart. Opset >= 13: one axis (default -1); before: flattened at axis (default 1). */
export function softmaxLayout(ctx: OpContext): { outer: number; n: number; inner: number } {
  const dims = input(ctx, 0).dims;
  const r = dims.length;
  if (ctx.opset >= 13) {
    const axis = normAxis(attrInt(ctx.node, 'axis', -1), r);
    return { outer: size(dims.slice(0, axis)), n: dims[axis], inner: size(dims.slice(axis + 1)) };
  }
  let axis = attrInt(ctx.node, 'axis', 1);
  if (axis < 0) axis += r;
  return { outer: size(dims.slice(0, axis)), n: size(dims.slice(axis)), inner: 1 };
}

function softmaxOp(log: boolean): OpImpl {
  return (ctx) => {
    const x = floatInput(ctx, 0);
    const { outer, n, inner } = softmaxLayout(ctx);
    const out = new Float64Array(x.length);
    for (let o = 0; o < outer; o++)
      for (let i = 0; i < inner; i++) {
        const at = (k: number) => (o * n + k) * inner + i;
        let max = -Infinity;
        for (let k = 0; k < n; k++) max = Math.max(max, x[at(k)]);
        let sum = 0;
        for (let k = 0; k < n; k++) sum += Math.exp(x[at(k)] - max);
        const lse = Math.log(sum);
        for (let k = 0; k < n; k++) out[at(k)] = log ? x[at(k)] - max - lse : Math.exp(x[at(k)] - max) / sum;
      }
    return [make('float', [...input(ctx, 0).dims], out)];
  };
}

/** BatchNormalization geometry: the channel of each element (axis 1). */
export function channelOf(dims: readonly number[]): (i: number) => number {
  const C = dims[1] ?? 1;
  const inner = size(dims.slice(2));
  return (i) => Math.floor(i / inner) % C;
}

/** BatchNormalization in inference form: y = scale (x - mean) / sqrt(var + eps) + B. */
const batchNorm: OpImpl = (ctx) => {
  const xt = input(ctx, 0);
  if (attrInt(ctx.node, 'training_mode', 0)) fail(ctx, 'training_mode=1 is not supported by the reference interpreter');
  const [x, scale, bias, mean, variance] = [0, 1, 2, 3, 4].map((i) => floatInput(ctx, i));
  const eps = attrFloat(ctx.node, 'epsilon', 1e-5);
  const ch = channelOf(xt.dims);
  const out = x.map((v, i) => {
    const c = ch(i);
    return (scale[c] * (v - mean[c])) / Math.sqrt(variance[c] + eps) + bias[c];
  });
  return [make('float', [...xt.dims], out)];
};

/** LayerNormalization geometry: `outer` groups of `n` normalised elements, and where Scale/B broadcast from. */
export function layerNormLayout(ctx: OpContext) {
  const dims = input(ctx, 0).dims;
  const axis = normAxis(attrInt(ctx.node, 'axis', -1), dims.length);
  const scaleMap = broadcastIndex(input(ctx, 1).dims, dims);
  const bias = ctx.inputs[2];
  return {
    outer: size(dims.slice(0, axis)),
    n: size(dims.slice(axis)),
    statDims: dims.map((d, i) => (i < axis ? d : 1)),
    scaleMap,
    biasMap: bias ? broadcastIndex(bias.dims, dims) : undefined,
    eps: attrFloat(ctx.node, 'epsilon', 1e-5),
  };
}

/** LayerNormalization (opset 17): outputs Y, Mean and InvStdDev. */
const layerNorm: OpImpl = (ctx) => {
  const x = floatInput(ctx, 0);
  const scale = floatInput(ctx, 1);
  const bias = ctx.inputs[2] ? floatInput(ctx, 2) : undefined;
  const { outer, n, statDims, scaleMap, biasMap, eps } = layerNormLayout(ctx);
  const y = new Float64Array(x.length);
  const means = new Float64Array(outer);
  const inv = new Float64Array(outer);
  for (let o = 0; o < outer; o++) {
    let mean = 0;
    for (let k = 0; k < n; k++) mean += x[o * n + k];
    mean /= n;
    let v = 0;
    for (let k = 0; k < n; k++) v += (x[o * n + k] - mean) ** 2;
    const r = 1 / Math.sqrt(v / n + eps);
    means[o] = mean;
    inv[o] = r;
    for (let k = 0; k < n; k++) {
      const i = o * n + k;
      y[i] = (x[i] - mean) * r * scale[scaleMap[i]] + (bias ? bias[biasMap![i]] : 0);
    }
  }
  return [make('float', [...input(ctx, 0).dims], y), make('float', statDims, means), make('float', [...statDims], inv)];
};

/** InstanceNormalization geometry: N·C groups of `n` spatial elements, each with its channel. */
export function instanceNormLayout(ctx: OpContext) {
  const dims = input(ctx, 0).dims;
  return { groups: dims[0] * dims[1], C: dims[1], n: size(dims.slice(2)), eps: attrFloat(ctx.node, 'epsilon', 1e-5) };
}

/** InstanceNormalization: y = scale[c] (x − mean) / √(var + ε) + B[c], statistics per (n, c) over the spatial axes. */
const instanceNorm: OpImpl = (ctx) => {
  const x = floatInput(ctx, 0);
  const [scale, bias] = [floatInput(ctx, 1), floatInput(ctx, 2)];
  const { groups, C, n, eps } = instanceNormLayout(ctx);
  const y = new Float64Array(x.length);
  for (let o = 0; o < groups; o++) {
    const row = x.subarray(o * n, (o + 1) * n);
    const mean = row.reduce((a, v) => a + v, 0) / n;
    const r = 1 / Math.sqrt(row.reduce((a, v) => a + (v - mean) ** 2, 0) / n + eps);
    for (let k = 0; k < n; k++) y[o * n + k] = scale[o % C] * (row[k] - mean) * r + bias[o % C];
  }
  return [make('float', [...input(ctx, 0).dims], y)];
};

/** LRN geometry and the denominator d = bias + α/size · Σ x² over the channel window [c − ⌊(size−1)/2⌋, c + ⌈(size−1)/2⌉]. */
export function lrnDenominator(ctx: OpContext, x: Float64Array) {
  const dims = input(ctx, 0).dims;
  const size_ = attrInt(ctx.node, 'size');
  if (!size_) fail(ctx, 'size is required');
  const [alpha, beta, bias] = [attrFloat(ctx.node, 'alpha', 1e-4), attrFloat(ctx.node, 'beta', 0.75), attrFloat(ctx.node, 'bias', 1)];
  const C = dims[1];
  const inner = size(dims.slice(2));
  const lo = Math.floor((size_ - 1) / 2);
  const hi = Math.ceil((size_ - 1) / 2);
  const channel = (i: number) => Math.floor(i / inner) % C;
  const d = x.map((_, i) => {
    const c = channel(i);
    let s = 0;
    for (let k = Math.max(0, c - lo); k <= Math.min(C - 1, c + hi); k++) s += x[i + (k - c) * inner] ** 2;
    return bias + (alpha / size_) * s;
  });
  return { d, alpha, beta, size: size_, lo, hi, C, inner, channel };
}

/** LRN: y = x / d^β. */
const lrn: OpImpl = (ctx) => {
  const x = floatInput(ctx, 0);
  const { d, beta } = lrnDenominator(ctx, x);
  return [make('float', [...input(ctx, 0).dims], x.map((v, i) => v / d[i] ** beta))];
};

/** The normalisation op table. */
export const NN_OPS: Record<string, OpImpl> = {
  Softmax: softmaxOp(false),
  LogSoftmax: softmaxOp(true),
  BatchNormalization: batchNorm,
  LayerNormalization: layerNorm,
  InstanceNormalization: instanceNorm,
  LRN: lrn,
};
