// Gradient rules: normalization ops (inference-form BatchNormalization, LayerNormalization).
import { attrFloat, attrInt, float } from '../../graph/attrs.ts';
import { f32 } from '../../graph/tensor.ts';
import type { DifferentiableOp } from '../ops.ts';
import type { GradContext, Rule } from '../rule.ts';
import { shapeOf, unbroadcast } from './helpers.ts';
import { divideByCount } from './reduction.ts';

// y = scale (x − mean) / √(var + ε) + B with fixed statistics:
// dx = dy · scale/σ, dscale = Σ dy x̂, dB = Σ dy, dmean = −Σ dy · scale/σ, dvar = −½ scale/σ² Σ dy x̂.
function batchNorm(ctx: GradContext): (string | undefined)[] {
  const { b, node, x: [x, scale, , mean, variance], needs } = ctx;
  const dy = ctx.dy[0]!;
  if (attrInt(node, 'training_mode', 0))
    throw new Error(`BatchNormalization node "${node.name}" is in training mode; export the model in eval mode (model.eval()) first`);
  const rank = shapeOf(ctx, x).length;
  // [C] → [C, 1, …] to broadcast against [N, C, d1, …].
  const perChannel = (t: string) => (rank > 2 ? b.unsqueeze(t, Array.from({ length: rank - 2 }, (_, i) => i + 1)) : t);
  const sumOver = Array.from({ length: rank }, (_, i) => i).filter((i) => i !== 1);
  const invstd = b.op('Reciprocal', [b.op('Sqrt', [b.add(variance, b.scalar(attrFloat(node, 'epsilon', 1e-5)))])]);
  const gain = b.mul(scale, invstd);
  const dx = needs[0] ? b.mul(dy, perChannel(gain)) : undefined;
  const dB = needs[2] || needs[3] ? b.reduceSum(dy, sumOver, false) : undefined;
  let dyXhat: string | undefined;
  if (needs[1] || needs[4]) {
    const xhat = b.mul(b.sub(x, perChannel(mean)), perChannel(invstd));
    dyXhat = b.reduceSum(b.mul(dy, xhat), sumOver, false);
  }
  return [
    dx,
    needs[1] ? dyXhat : undefined,
    needs[2] ? dB : undefined,
    needs[3] ? b.neg(b.mul(dB!, gain)) : undefined,
    needs[4] ? b.mul(b.mul(dyXhat!, gain), b.mul(invstd, b.scalar(-0.5))) : undefined,
  ];
}

/**
 * x̂ = (x − mean) / σ and 1/σ over the axes from `axis` on: one fused LayerNormalization with unit scale
 * where the normalized shape is static, else spelled out.
 */
function standardize(ctx: GradContext, axis: number, axes: number[], eps: number): { xhat: string; invstd: string } {
  const { b, x: [x] } = ctx;
  const normShape = shapeOf(ctx, x).slice(axis);
  if (normShape.every((d) => typeof d === 'number')) {
    const n = (normShape as number[]).reduce((p, q) => p * q, 1);
    const ones = b.constant(f32(new Array<number>(n).fill(1), normShape as number[]), 'ones');
    const [xhat, , invstd] = b.node('LayerNormalization', [x, ones], { axis, epsilon: float(eps) }, 3);
    return { xhat, invstd };
  }
  const xc = b.sub(x, b.reduce('ReduceMean', x, axes));
  const invstd = b.op('Reciprocal', [b.op('Sqrt', [b.add(b.reduce('ReduceMean', b.mul(xc, xc), axes), b.scalar(eps))])]);
  return { xhat: b.mul(xc, invstd), invstd };
}

// With g = dy · scale: dx = (1/σ)(g − mean(g) − x̂ mean(g x̂)), dscale = Σ dy x̂, dB = Σ dy (over the broadcast axes);
// gradients reaching the Mean and InvStdDev outputs add dmean/n and −dinvstd x̂ / (σ² n).
function layerNorm(ctx: GradContext): (string | undefined)[] {
  const { b, node, x: [x, scale, bias], needs } = ctx;
  const [dy, dmean, dinvstd] = ctx.dy;
  const rank = shapeOf(ctx, x).length;
  const axis = attrInt(node, 'axis', -1) < 0 ? attrInt(node, 'axis', -1) + rank : attrInt(node, 'axis', -1);
  const axes = Array.from({ length: rank - axis }, (_, i) => axis + i);
  const { xhat, invstd } = standardize(ctx, axis, axes, attrFloat(node, 'epsilon', 1e-5));
  const xShape = shapeOf(ctx, x);
  let dx: string | undefined;
  if (needs[0]) {
    const terms: string[] = [];
    if (dy) {
      const g = b.mul(dy, scale);
      const centred = b.sub(b.sub(g, b.reduce('ReduceMean', g, axes)), b.mul(xhat, b.reduce('ReduceMean', b.mul(g, xhat), axes)));
      terms.push(b.mul(centred, invstd));
    }
    if (dmean) terms.push(divideByCount(ctx, dmean, x, axes));
    if (dinvstd) terms.push(b.neg(divideByCount(ctx, b.mul(b.mul(dinvstd, b.mul(invstd, invstd)), xhat), x, axes)));
    dx = terms.reduce((p, q) => b.add(p, q));
    if (!dy) dx = b.expand(dx, b.shape(x));
  }
  return [
    dx,
    needs[1] && dy ? unbroadcast(b, b.mul(dy, xhat), xShape, shapeOf(ctx, scale)) : undefined,
    needs[2] && dy ? unbroadcast(b, dy, xShape, shapeOf(ctx, bias)) : undefined,
  ];
}

export const normalizationRules = {
  BatchNormalization: batchNorm,
  LayerNormalization: layerNorm,
} satisfies Partial<Record<DifferentiableOp, Rule>>;
