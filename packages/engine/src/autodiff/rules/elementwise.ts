// Gradient rules: elementwise ops (activations, arithmetic with numpy broadcasting, Where, Cast).
import { attrFloat, attrString } from '../../graph/attrs.ts';
import { isFloat } from '../../graph/tensor.ts';
import type { DifferentiableOp } from '../ops.ts';
import type { GradContext, Rule } from '../rule.ts';
import { dyOrZeros, shapeOf, unbroadcast } from './helpers.ts';

/** `g` (shaped like output 0) summed back to the shape of input `i`. */
const unb = (ctx: GradContext, g: string, i: number) => unbroadcast(ctx.b, g, shapeOf(ctx, ctx.y[0]), shapeOf(ctx, ctx.x[i]));

/** A boolean mask as 0/1 in the dtype of the op's input. */
const maskOf = ({ b, type, x }: GradContext, cond: string) => b.cast(cond, type(x[0]).dtype);

/**
 * `g` where `cond` holds, 0 elsewhere, as g · Cast(cond): on onnxruntime's CPU kernels (also WASM) this
 * is about 2× faster than Where(cond, g, 0), whose kernel is not vectorized (64×64×56×56: 16 vs 36 ms).
 * NOTE: unlike Where, it turns a NaN/inf upstream gradient into NaN where the mask is 0.
 */
const gate = (ctx: GradContext, cond: string, g: string) => ctx.b.mul(g, maskOf(ctx, cond));

/**
 * `g` where every condition holds: one 0/1 mask per condition, multiplied. WebGPU has no And/Or/Sign/Max/Min
 * kernels (they would fall back to the CPU), so the portable rules combine masks arithmetically; exact for 0/1 values.
 * onnxruntime's CPU provider gets the conditions joined by And and one Cast · Mul: MobileNetV2 at 64×64 (35 ReLU6),
 * kernel ms per batch of 32, Greater/Less 8.2 + Cast 9.2 + Mul 12.4 → Greater/Less 6.6 + And 2.0 + Cast 3.4 + Mul 6.3.
 * Where(cond, g, 0) (21.8 ms for the same 36 masks) and, for Relu, g · Sign(y) (8.8 against 7.1 ms in ResNet-18) lose.
 */
const gateAll = (ctx: GradContext, conds: string[], g: string) =>
  ctx.provider === 'cpu' && conds.length > 1 ? gate(ctx, conds.reduce((acc, c) => ctx.b.op('And', [acc, c])), g) : conds.reduce((acc, c) => gate(ctx, c, acc), g);

/** dy times a local derivative `d` (one Mul), for the unary rules. */
const chain = (ctx: GradContext, d: (ctx: GradContext) => string): (string | undefined)[] => [ctx.b.mul(ctx.dy[0]!, d(ctx))];

/** The value of a one-element numeric constant (initializer or Constant node), if `name` is one. */
function constantScalar({ b }: GradContext, name: string): number | undefined {
  const init = b.graph.initializers.get(name);
  let t = init && init.size === 1 ? init.tensor : undefined;
  if (!init) {
    const producer = b.graph.nodes.find((n) => n.op === 'Constant' && n.outputs[0] === name);
    const a = producer?.attrs['value'] ?? producer?.attrs['value_float'];
    if (a?.type === 'tensor' && a.value.data.length === 1) t = a.value;
    if (a?.type === 'float') return a.value;
  }
  return t && ['float32', 'float64', 'int64', 'int32'].includes(t.dtype) ? Number(t.data[0]) : undefined;
}

// d clip(x, lo, hi) = dx strictly inside (lo, hi) (PyTorch hardtanh); lo/hi get the dy of the clipped elements.
// The mask reads the output y: lo < y < hi exactly where lo < x < hi (also for NaN, and for lo > hi, where y = hi),
// and without x in the gradient onnxruntime fuses the Clip into the Conv before it (MobileNetV2 at 64×64: 101.9 →
// 94.2 ms kernel time, its layout reorders 18.3 → 12.1 ms).
function clip(ctx: GradContext): (string | undefined)[] {
  const { b, x, y, needs } = ctx;
  const dy = ctx.dy[0]!;
  const [lo, hi] = [x[1] || undefined, x[2] || undefined];
  const inside = [lo && b.op('Greater', [y[0], lo]), hi && b.op('Less', [y[0], hi])].filter((c): c is string => !!c);
  const dx = !needs[0] ? undefined : gateAll(ctx, inside, dy);
  const bound = (i: number, cmp: string) => (needs[i] ? b.reduceSum(gate(ctx, b.op(cmp, [x[0], x[i]]), dy), [], false) : undefined);
  return [dx, bound(1, 'LessOrEqual'), bound(2, 'GreaterOrEqual')];
}

// d hardswish(x) = 0 for x < -3, x/3 + 1/2 for x <= 3, 1 above (PyTorch's backward, including x = -3),
// spelt with 0/1 masks, [x ≥ −3] · ([x ≤ 3] (x/3 + 1/2) + (1 − [x ≤ 3])), to avoid the slow Where; exact.
function hardSwish(ctx: GradContext): string {
  const { b, x, dy } = ctx;
  const inner = maskOf(ctx, b.op('LessOrEqual', [x[0], b.scalar(3)]));
  const slope = b.add(b.mul(inner, b.add(b.div(x[0], b.scalar(3)), b.scalar(0.5))), b.sub(b.scalar(1), inner));
  return gate(ctx, b.op('GreaterOrEqual', [x[0], b.scalar(-3)]), b.mul(dy[0]!, slope));
}

// d gelu(x) = Φ(x) + x φ(x), or for the tanh form with t = tanh(k(x + c x³)): ½(1 + t) + ½ x (1 − t²) k (1 + 3c x²).
function gelu({ b, node, x: [x] }: GradContext): string {
  const x2 = b.mul(x, x);
  if (attrString(node, 'approximate', 'none') === 'tanh') {
    const [k, c] = [Math.sqrt(2 / Math.PI), 0.044715];
    const t = b.op('Tanh', [b.mul(b.mul(x, b.add(b.mul(x2, b.scalar(c)), b.scalar(1))), b.scalar(k))]);
    const half = b.mul(b.add(t, b.scalar(1)), b.scalar(0.5));
    const inner = b.add(b.mul(x2, b.scalar(1.5 * c * k)), b.scalar(0.5 * k));
    return b.add(half, b.mul(b.mul(x, b.sub(b.scalar(1), b.mul(t, t))), inner));
  }
  const cdf = b.mul(b.add(b.op('Erf', [b.mul(x, b.scalar(Math.SQRT1_2))]), b.scalar(1)), b.scalar(0.5));
  const pdf = b.op('Exp', [b.mul(x2, b.scalar(-0.5))]);
  return b.add(cdf, b.mul(x, b.mul(pdf, b.scalar(1 / Math.sqrt(2 * Math.PI)))));
}

// d x^e = e x^(e−1) dx + x^e log(x) de (the log term is 0 where x = 0, as in PyTorch).
function pow(ctx: GradContext): (string | undefined)[] {
  const { b, x, y, needs } = ctx;
  const dy = ctx.dy[0]!;
  let dx: string | undefined;
  if (needs[0]) {
    const c = constantScalar(ctx, x[1]);
    let local: string | undefined;
    if (c === undefined) {
      const xt = ctx.type(x[0]).dtype;
      const e = ctx.type(x[1]).dtype === xt ? x[1] : b.cast(x[1], xt);
      // PyTorch masks the exponent-0 case, where 0 · x^(−1) would be NaN at x = 0.
      local = b.where(b.op('Equal', [e, b.scalar(0)]), b.scalar(0), b.mul(e, b.op('Pow', [x[0], b.sub(e, b.scalar(1))])));
    } else if (c === 1) local = undefined;
    else if (c === 2) local = b.add(x[0], x[0]);
    else if (c === 0.5) local = b.div(b.scalar(0.5), y[0]);
    else if (c !== 0) local = b.mul(b.op('Pow', [x[0], b.scalar(c - 1)]), b.scalar(c));
    if (c !== 0) dx = unb(ctx, local ? b.mul(dy, local) : dy, 0);
  }
  let de: string | undefined;
  if (needs[1] && isFloat(ctx.type(x[1]).dtype)) {
    const log = b.where(b.op('Equal', [x[0], b.scalar(0)]), b.scalar(0), b.mul(y[0], b.op('Log', [x[0]])));
    de = unb(ctx, b.mul(dy, log), 1);
  }
  return [dx, de];
}

// d(a / b) = dy / b, −(dy / b) · (a / b): the quotient y is reused for the divisor's part.
function div(ctx: GradContext): (string | undefined)[] {
  const { b, x, y, needs } = ctx;
  const q = b.div(ctx.dy[0]!, x[1]);
  return [needs[0] ? unb(ctx, q, 0) : undefined, needs[1] ? b.neg(unb(ctx, b.mul(q, y[0]), 1)) : undefined];
}

// d leakyrelu(x) = dy · (x > 0 ? 1 : alpha): the slope picked by Where (exact; WebGPU has no Max kernel).
function leakyRelu(ctx: GradContext): (string | undefined)[] {
  const { b, node, x } = ctx;
  const alpha = attrFloat(node, 'alpha', 0.01);
  const slope = b.where(b.op('Greater', [x[0], b.scalar(0)]), b.scalar(1), b.scalar(alpha));
  return [b.mul(ctx.dy[0]!, slope)];
}

// d prelu(x, s) = dy · (x > 0 ? 1 : s), ds = dy · min(x, 0) summed over the broadcast axes.
function prelu(ctx: GradContext): (string | undefined)[] {
  const { b, x, needs } = ctx;
  const dy = ctx.dy[0]!;
  const dx = needs[0] ? b.where(b.op('Greater', [x[0], b.scalar(0)]), dy, b.mul(dy, x[1])) : undefined;
  // min(x, 0) = −relu(−x), exactly, and on the GPU.
  const negativePart = b.neg(b.op('Relu', [b.neg(x[0])]));
  const ds = needs[1] ? unbroadcast(b, b.mul(dy, negativePart), shapeOf(ctx, x[0]), shapeOf(ctx, x[1])) : undefined;
  return [dx, ds];
}

// The condition gets no gradient; each branch gets dy where it was chosen (the second one the exact rest, dy − dy·mask).
function whereRule(ctx: GradContext): (string | undefined)[] {
  const { b, x, needs } = ctx;
  const dy = ctx.dy[0]!;
  const toX = b.mul(dy, b.cast(x[0], ctx.type(ctx.y[0]).dtype));
  return [undefined, needs[1] ? unb(ctx, toX, 1) : undefined, needs[2] ? unb(ctx, b.sub(dy, toX), 2) : undefined];
}

// Float-to-float casts cast the gradient back; casts from or to other dtypes carry none.
function cast(ctx: GradContext): (string | undefined)[] {
  const from = ctx.type(ctx.x[0]).dtype;
  const to = ctx.type(ctx.y[0]).dtype;
  if (!isFloat(from) || !isFloat(to)) return [undefined];
  return [from === to ? ctx.dy[0] : ctx.b.cast(ctx.dy[0]!, from)];
}

/** Selu's alpha and gamma with the spec's defaults (PyTorch's constants in float32). */
const seluConstants = (ctx: GradContext) => [attrFloat(ctx.node, 'alpha', 1.67326319217681884765625), attrFloat(ctx.node, 'gamma', 1.05070102214813232421875)];

/**
 * dy · (x > 0 ? positive : negative): the exponential linear units. Their negative branch holds at 0, as PyTorch's
 * elu_backward (x <= 0) has it; `negative` is built from the forward output where that is exact.
 */
function piecewise(ctx: GradContext, positive: string, negative: string): (string | undefined)[] {
  const { b, x, dy } = ctx;
  return [b.mul(dy[0]!, b.where(b.op('Greater', [x[0], b.scalar(0)]), positive, negative))];
}

// d mish(x) = tanh(sp) + x σ(x) (1 − tanh²(sp)), sp = softplus(x) = log(1 + eˣ) (Softplus is not among the emitted ops;
// where eˣ overflows, tanh(∞) = 1 and the second term is 0, as it should be).
function mish({ b, x: [x] }: GradContext): string {
  const t = b.op('Tanh', [b.op('Log', [b.add(b.op('Exp', [x]), b.scalar(1))])]);
  return b.add(t, b.mul(b.mul(x, b.op('Sigmoid', [x])), b.sub(b.scalar(1), b.mul(t, t))));
}

export const elementwiseRules = {
  // ReLU'(0) = 0.
  Relu: (ctx) => [gate(ctx, ctx.b.op('Greater', [ctx.y[0], ctx.b.scalar(0)]), ctx.dy[0]!)],
  // LeakyReLU'(0) = alpha, as in PyTorch.
  LeakyRelu: leakyRelu,
  PRelu: prelu,
  Clip: clip,
  // d sigmoid(x) = y (1 − y) dx
  Sigmoid: (ctx) => chain(ctx, ({ b, y }) => b.mul(y[0], b.sub(b.scalar(1), y[0]))),
  // d hardsigmoid(x) = alpha dx strictly inside 0 < alpha x + beta < 1, i.e. 0 < y < 1.
  HardSigmoid: (ctx) => {
    const { b, node, y, dy } = ctx;
    const inside = [b.op('Greater', [y[0], b.scalar(0)]), b.op('Less', [y[0], b.scalar(1)])];
    return [gateAll(ctx, inside, b.mul(dy[0]!, b.scalar(attrFloat(node, 'alpha', 0.2))))];
  },
  HardSwish: (ctx) => [hardSwish(ctx)],
  // d tanh(x) = (1 − y²) dx
  Tanh: (ctx) => chain(ctx, ({ b, y }) => b.sub(b.scalar(1), b.mul(y[0], y[0]))),
  // d erf(x) = 2/√π exp(−x²) dx
  Erf: (ctx) => chain(ctx, ({ b, x }) => b.mul(b.op('Exp', [b.neg(b.mul(x[0], x[0]))]), b.scalar(2 / Math.sqrt(Math.PI)))),
  Gelu: (ctx) => chain(ctx, gelu),
  // d softplus(x) = sigmoid(x) dx
  Softplus: (ctx) => chain(ctx, ({ b, x }) => b.op('Sigmoid', [x[0]])),
  // d exp(x) = y dx
  Exp: (ctx) => chain(ctx, ({ y }) => y[0]),
  Log: ({ b, x, dy }) => [b.div(dy[0]!, x[0])],
  // d sqrt(x) = dx / (2 y)
  Sqrt: ({ b, y, dy }) => [b.div(dy[0]!, b.mul(y[0], b.scalar(2)))],
  Pow: pow,
  Neg: ({ b, dy }) => [b.neg(dy[0]!)],
  // Abs'(x) = [x > 0] − [x < 0], so Abs'(0) = 0.
  Abs: (ctx) => chain(ctx, (c) => c.b.sub(maskOf(c, c.b.op('Greater', [c.x[0], c.b.scalar(0)])), maskOf(c, c.b.op('Less', [c.x[0], c.b.scalar(0)])))),
  Add: (ctx) => [ctx.needs[0] ? unb(ctx, ctx.dy[0]!, 0) : undefined, ctx.needs[1] ? unb(ctx, ctx.dy[0]!, 1) : undefined],
  Sub: (ctx) => [ctx.needs[0] ? unb(ctx, ctx.dy[0]!, 0) : undefined, ctx.needs[1] ? ctx.b.neg(unb(ctx, ctx.dy[0]!, 1)) : undefined],
  Mul: (ctx) => [
    ctx.needs[0] ? unb(ctx, ctx.b.mul(ctx.dy[0]!, ctx.x[1]), 0) : undefined,
    ctx.needs[1] ? unb(ctx, ctx.b.mul(ctx.dy[0]!, ctx.x[0]), 1) : undefined,
  ],
  Div: div,
  Where: whereRule,
  Identity: ({ dy }) => [dy[0]],
  // Inference-mode Dropout is the identity on output 0; the mask output carries no gradient.
  Dropout: (ctx) => [dyOrZeros(ctx, 0)],
  Cast: cast,
  // d elu(x) = 1 for x > 0, α eˣ = y + α otherwise.
  Elu: (ctx) => piecewise(ctx, ctx.b.scalar(1), ctx.b.add(ctx.y[0], ctx.b.scalar(attrFloat(ctx.node, 'alpha', 1)))),
  // d selu(x) = γ for x > 0, γ α eˣ = y + γ α otherwise.
  Selu: (ctx) => {
    const [alpha, gamma] = seluConstants(ctx);
    return piecewise(ctx, ctx.b.scalar(gamma), ctx.b.add(ctx.y[0], ctx.b.scalar(gamma * alpha)));
  },
  // d celu(x) = 1 for x > 0, exp(x/α) = y/α + 1 otherwise.
  Celu: (ctx) => piecewise(ctx, ctx.b.scalar(1), ctx.b.add(ctx.b.div(ctx.y[0], ctx.b.scalar(attrFloat(ctx.node, 'alpha', 1))), ctx.b.scalar(1))),
  // d thresholdedrelu(x) = 1 strictly above α (PyTorch's threshold_backward), 0 elsewhere.
  ThresholdedRelu: (ctx) => [gate(ctx, ctx.b.op('Greater', [ctx.x[0], ctx.b.scalar(attrFloat(ctx.node, 'alpha', 1))]), ctx.dy[0]!)],
  Mish: (ctx) => chain(ctx, mish),
  // d softsign(x) = 1 / (1 + |x|)²
  Softsign: ({ b, x, dy }) => {
    const d = b.add(b.op('Abs', [x[0]]), b.scalar(1));
    return [b.div(dy[0]!, b.mul(d, d))];
  },
} satisfies Partial<Record<DifferentiableOp, Rule>>;
