// Reference VJPs of Softmax, LogSoftmax, LayerNormalization, BatchNormalization (inference form), InstanceNormalization and LRN.
import { attrFloat } from '../../../src/graph/attrs.ts';
import { fail } from '../ops/context.ts';
import { channelOf, instanceNormLayout, layerNormLayout, lrnDenominator, softmaxLayout } from '../ops/nn.ts';
import { dyOrZero, x, y } from './rule.ts';
import type { VjpRule } from './rule.ts';

/** d softmax: dx = y (dy - sum(dy y)); d logsoftmax: dx = dy - exp(y) sum(dy). Per row along the axis. */
function softmaxRule(log: boolean): VjpRule {
  return (ctx) => {
    const out = y(ctx);
    const g = dyOrZero(ctx);
    const { outer, n, inner } = softmaxLayout(ctx);
    const dx = new Float64Array(g.length);
    for (let o = 0; o < outer; o++)
      for (let i = 0; i < inner; i++) {
        const at = (k: number) => (o * n + k) * inner + i;
        let s = 0;
        for (let k = 0; k < n; k++) s += log ? g[at(k)] : g[at(k)] * out[at(k)];
        for (let k = 0; k < n; k++) dx[at(k)] = log ? g[at(k)] - Math.exp(out[at(k)]) * s : out[at(k)] * (g[at(k)] - s);
      }
    return [dx];
  };
}

/**
 * LayerNormalization: with xhat = (x - mean) r and gh = dy * scale,
 * dx = r (gh - mean(gh) - xhat mean(gh xhat)); dscale = sum dy xhat; dB = sum dy (over broadcast axes).
 */
const layerNorm: VjpRule = (ctx) => {
  if (ctx.dy[1] || ctx.dy[2]) fail(ctx, 'gradients through Mean/InvStdDev are not supported');
  const xs = x(ctx, 0);
  const scale = x(ctx, 1);
  const g = dyOrZero(ctx);
  const { outer, n, scaleMap, biasMap, eps } = layerNormLayout(ctx);
  const dx = new Float64Array(xs.length);
  const dscale = new Float64Array(scale.length);
  const db = ctx.inputs[2] ? new Float64Array(ctx.inputs[2].data.length) : undefined;
  const xhat = new Float64Array(n);
  const gh = new Float64Array(n);
  for (let o = 0; o < outer; o++) {
    let mean = 0;
    for (let k = 0; k < n; k++) mean += xs[o * n + k];
    mean /= n;
    let v = 0;
    for (let k = 0; k < n; k++) v += (xs[o * n + k] - mean) ** 2;
    const r = 1 / Math.sqrt(v / n + eps);
    let mg = 0;
    let mgx = 0;
    for (let k = 0; k < n; k++) {
      const i = o * n + k;
      xhat[k] = (xs[i] - mean) * r;
      gh[k] = g[i] * scale[scaleMap[i]];
      mg += gh[k];
      mgx += gh[k] * xhat[k];
      dscale[scaleMap[i]] += g[i] * xhat[k];
      if (db) db[biasMap![i]] += g[i];
    }
    mg /= n;
    mgx /= n;
    for (let k = 0; k < n; k++) dx[o * n + k] = r * (gh[k] - mg - xhat[k] * mgx);
  }
  return [dx, ctx.needs[1] ? dscale : undefined, ctx.needs[2] ? db : undefined];
};

/** BatchNormalization (inference): y = scale (x - mean) / sqrt(var + eps) + B, all five inputs differentiable. */
const batchNorm: VjpRule = (ctx) => {
  const [xs, scale, , mean, variance] = [0, 1, 2, 3, 4].map((i) => x(ctx, i));
  const eps = attrFloat(ctx.node, 'epsilon', 1e-5);
  const g = dyOrZero(ctx);
  const ch = channelOf(ctx.inputs[0]!.dims);
  const C = scale.length;
  const [dscale, db, dmean, dvar] = [0, 1, 2, 3].map(() => new Float64Array(C));
  const dx = new Float64Array(xs.length);
  for (let i = 0; i < xs.length; i++) {
    const c = ch(i);
    const r = 1 / Math.sqrt(variance[c] + eps);
    const xc = xs[i] - mean[c];
    dx[i] = g[i] * scale[c] * r;
    dscale[c] += g[i] * xc * r;
    db[c] += g[i];
    dmean[c] -= g[i] * scale[c] * r;
    dvar[c] += -0.5 * g[i] * scale[c] * xc * r * r * r;
  }
  return [dx, dscale, db, dmean, dvar].map((d, i) => (ctx.needs[i] ? d : undefined));
};

/** InstanceNormalization, as LayerNormalization per (n, c) group: dx = r (gh − mean(gh) − x̂ mean(gh x̂)), gh = dy scale[c]. */
const instanceNorm: VjpRule = (ctx) => {
  const [xs, scale] = [x(ctx, 0), x(ctx, 1)];
  const g = dyOrZero(ctx);
  const { groups, C, n, eps } = instanceNormLayout(ctx);
  const dx = new Float64Array(xs.length);
  const [dscale, db] = [new Float64Array(C), new Float64Array(C)];
  for (let o = 0; o < groups; o++) {
    const c = o % C;
    const row = xs.subarray(o * n, (o + 1) * n);
    const mean = row.reduce((a, v) => a + v, 0) / n;
    const r = 1 / Math.sqrt(row.reduce((a, v) => a + (v - mean) ** 2, 0) / n + eps);
    let [mg, mgx] = [0, 0];
    for (let k = 0; k < n; k++) {
      const xh = (row[k] - mean) * r;
      mg += g[o * n + k] * scale[c];
      mgx += g[o * n + k] * scale[c] * xh;
      dscale[c] += g[o * n + k] * xh;
      db[c] += g[o * n + k];
    }
    [mg, mgx] = [mg / n, mgx / n];
    for (let k = 0; k < n; k++) dx[o * n + k] = r * (g[o * n + k] * scale[c] - mg - (row[k] - mean) * r * mgx);
  }
  return [dx, dscale, db].map((d, i) => (ctx.needs[i] ? d : undefined));
};

/** LRN, y = x d^−β: dx_i = dy_i d_i^−β − (2αβ/size) x_i Σ_{j: i in window(j)} dy_j x_j d_j^(−β−1). */
const lrn: VjpRule = (ctx) => {
  const xs = x(ctx, 0);
  const g = dyOrZero(ctx);
  const { d, alpha, beta, size, lo, hi, C, inner, channel } = lrnDenominator(ctx, xs);
  const dx = xs.map((_, i) => {
    const c = channel(i);
    let s = 0;
    for (let k = Math.max(0, c - hi); k <= Math.min(C - 1, c + lo); k++) {
      const j = i + (k - c) * inner;
      s += g[j] * xs[j] * d[j] ** (-beta - 1);
    }
    return g[i] * d[i] ** -beta - ((2 * alpha * beta) / size) * xs[i] * s;
  });
  return [dx];
};

/** The normalisation VJP table. */
export const NN_RULES = {
  Softmax: softmaxRule(false),
  LogSoftmax: softmaxRule(true),
  LayerNormalization: layerNorm,
  BatchNormalization: batchNorm,
  InstanceNormalization: instanceNorm,
  LRN: lrn,
} satisfies Record<string, VjpRule>;
