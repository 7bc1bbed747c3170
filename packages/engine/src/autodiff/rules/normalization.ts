// Gradient rules: normalization ops (inference-form BatchNormalization, LayerNormalization, InstanceNormalization, LRN).
import { attrFloat, attrInt, float } from '../../graph/attrs.ts';
import { f32 } from '../../graph/tensor.ts';
import type { DifferentiableOp } from '../ops.ts';
import type { GradContext, Rule } from '../rule.ts';
import { shapeOf, unbroadcast } from './helpers.ts';
import { divideByCount } from './reduction.ts';

/** A float32 initializer's values, if `name` is one. */
function constantValues({ b }: GradContext, name: string): Float32Array | undefined {
  const init = b.graph.initializers.get(name);
  return init && init.dtype === 'float32' ? (init.tensor.data as Float32Array) : undefined;
}

/**
 * Folds BatchNormalization's input gradient dy · gain (gain per channel, constant) into the Conv that computes dy,
 * through any 0/1 masks (Mul by a Cast) between them: Conv(g, W) ⊙ m · gain = Conv(g, W · gain) ⊙ m, W's output
 * channels scaled (in float64, rounded once). Pre-activation nets (BN → ReLU → Conv: WRN, DenseNet) then save one pass
 * over each BN's input: the gradient's Mul kernel time per batch of 32, profiled back to back twice, DenseNet-BC-40
 * 18.0 → 10.0–10.2 ms (38 of its 39 BNs fold), WRN-16-4 10.2–10.6 → 7.9–8.2, the small `nets/densenet` 2.2–2.4 →
 * 1.4–1.5. Both providers get it (the same ops). Returns the folded dy, or undefined where the chain is not that (any value in it with other
 * consumers, a W computed at run time, a node not of this gradient).
 */
function foldGainIntoConv(ctx: GradContext, dy: string, gain: Float64Array): string | undefined {
  const { b } = ctx;
  const nodes = b.graph.nodes;
  const producer = (v: string) => nodes.find((n) => n.outputs.includes(v));
  const consumers = (v: string) => nodes.filter((n) => n.inputs.includes(v)).length;
  let v = dy;
  for (let hops = 0; hops < 4; hops++) {
    const node = producer(v);
    // Only the gradient's own nodes (this builder's prefix), never a forward value or a graph output.
    if (!node || !node.name.startsWith(b.prefix) || b.graph.outputs.some((o) => o.name === v) || consumers(v) > (v === dy ? 0 : 1)) return undefined;
    if (node.op === 'Mul') {
      const masked = node.inputs.findIndex((i) => producer(i)?.op === 'Cast');
      if (masked < 0) return undefined;
      v = node.inputs[1 - masked];
      continue;
    }
    if (node.op !== 'Conv' || node.outputs.length !== 1) return undefined;
    const init = b.graph.initializers.get(node.inputs[1]);
    if (!init || init.dtype !== 'float32' || init.dims[0] !== gain.length || node.inputs.slice(2).some((i) => i)) return undefined;
    if (nodes.some((n) => n !== node && n.inputs.includes(init.name))) return undefined;
    const w = init.tensor.data as Float32Array;
    const per = w.length / gain.length;
    const scaled = Float32Array.from(w, (x, i) => x * gain[Math.floor(i / per)]);
    node.inputs[1] = b.constant(f32(scaled, init.dims), 'conv_w_bn');
    return dy;
  }
  return undefined;
}

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
  const eps = attrFloat(node, 'epsilon', 1e-5);
  const [scaleV, varV] = [constantValues(ctx, scale), constantValues(ctx, variance)];
  const folded =
    needs[0] && !needs[1] && !needs[3] && !needs[4] && scaleV && varV && scaleV.length === varV.length && rank > 2
      ? foldGainIntoConv(ctx, dy, Float64Array.from(scaleV, (g, c) => g / Math.sqrt(Math.fround(varV[c] + eps))))
      : undefined;
  // A folded dx is only tried when no other gradient (each needs 1/σ) is asked for.
  const invstd = folded ? '' : b.op('Reciprocal', [b.op('Sqrt', [b.add(variance, b.scalar(eps))])]);
  const gain = invstd && b.mul(scale, invstd);
  const dx = needs[0] ? (folded ?? b.mul(dy, perChannel(gain))) : undefined;
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
  // LayerNormalization exists from opset 17 (InstanceNormalization's rule runs at any opset).
  if (ctx.opset >= 17 && normShape.every((d) => typeof d === 'number')) {
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

// InstanceNormalization is LayerNormalization over the spatial axes of each (n, c) with a per-channel scale:
// with g = dy · scale[c], dx = (1/σ)(g − mean(g) − x̂ mean(g x̂)), dscale = Σ dy x̂, dB = Σ dy over all but axis 1.
function instanceNorm(ctx: GradContext): (string | undefined)[] {
  const { b, node, x: [x, scale], needs } = ctx;
  const dy = ctx.dy[0]!;
  const rank = shapeOf(ctx, x).length;
  const spatial = Array.from({ length: rank - 2 }, (_, i) => i + 2);
  const perChannel = (t: string) => b.unsqueeze(t, spatial.map((a) => a - 1));
  const { xhat, invstd } = standardize(ctx, 2, spatial, attrFloat(node, 'epsilon', 1e-5));
  const others = [0, ...spatial];
  let dx: string | undefined;
  if (needs[0]) {
    const g = b.mul(dy, perChannel(scale));
    dx = b.mul(b.sub(b.sub(g, b.reduce('ReduceMean', g, spatial)), b.mul(xhat, b.reduce('ReduceMean', b.mul(g, xhat), spatial))), invstd);
  }
  return [dx, needs[1] ? b.reduceSum(b.mul(dy, xhat), others, false) : undefined, needs[2] ? b.reduceSum(dy, others, false) : undefined];
}

/**
 * Σ over the channel window [c − before, c + after] of an [N, C, …] tensor, as `before + after + 1` shifted
 * slices of it zero-padded along the channels (Pad and Slice run everywhere; a window is a handful of channels).
 */
function channelWindowSum(ctx: GradContext, t: string, before: number, after: number): string {
  const { b } = ctx;
  const shape = shapeOf(ctx, ctx.x[0]);
  const C = shape[1];
  if (typeof C !== 'number') throw new Error(`LRN node "${ctx.node.name}": the gradient needs a static channel count, but "${ctx.x[0]}" has shape [${shape.join(', ')}]`);
  const pads = shape.map(() => 0);
  const ends = [...pads];
  pads[1] = before;
  ends[1] = after;
  const padded = b.pad(t, [...pads, ...ends]);
  const slices = Array.from({ length: before + after + 1 }, (_, k) => b.slice(padded, [k], [k + C], [1]));
  return slices.reduce((p, q) => b.add(p, q));
}

// LRN, y = x d^−β with d = bias + (α/size) Σ_window x²: dx = dy d^−β − (2αβ/size) x Σ_{j: i in window(j)} dy_j y_j / d_j,
// the second sum over the mirrored window.
function lrn(ctx: GradContext): (string | undefined)[] {
  const { b, node, x: [x], y: [y] } = ctx;
  const dy = ctx.dy[0]!;
  const size = attrInt(node, 'size')!;
  const [alpha, beta, bias] = [attrFloat(node, 'alpha', 1e-4), attrFloat(node, 'beta', 0.75), attrFloat(node, 'bias', 1)];
  const [before, after] = [Math.floor((size - 1) / 2), Math.ceil((size - 1) / 2)];
  const d = b.add(b.mul(channelWindowSum(ctx, b.mul(x, x), before, after), b.scalar(alpha / size)), b.scalar(bias));
  const scaled = b.div(dy, b.op('Pow', [d, b.scalar(beta)]));
  const through = channelWindowSum(ctx, b.div(b.mul(dy, y), d), after, before);
  return [b.sub(scaled, b.mul(b.mul(x, through), b.scalar((2 * alpha * beta) / size)))];
}

export const normalizationRules = {
  BatchNormalization: batchNorm,
  LayerNormalization: layerNorm,
  InstanceNormalization: instanceNorm,
  LRN: lrn,
} satisfies Partial<Record<DifferentiableOp, Rule>>;
