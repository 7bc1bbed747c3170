// Reference VJPs of Softmax, LogSoftmax, LayerNormalization and BatchNormalization (inference form).
import { attrFloat } from '../../../src/graph/attrs.ts';
import { fail } from '../ops/context.ts';
import { channelOf, layerNormLayout, softmaxLayout } from '../ops/nn.ts';
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

/** The normalisation VJP table. */
export const NN_RULES = {
  Softmax: softmaxRule(false),
  LogSoftmax: softmaxRule(true),
  LayerNormalization: layerNorm,
  BatchNormalization: batchNorm,
} satisfies Record<string, VjpRule>;
