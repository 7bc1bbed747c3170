// Normalisation and softmax ops: BatchNormalization (inference), LayerNormalization, Softmax, LogSoftmax.
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

/** The normalisation op table. */
export const NN_OPS: Record<string, OpImpl> = {
  Softmax: softmaxOp(false),
  LogSoftmax: softmaxOp(true),
  BatchNormalization: batchNorm,
  LayerNormalization: layerNorm,
};
