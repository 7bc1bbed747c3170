// Reference VJPs of elementwise ops. Kinks follow PyTorch: derivative 1 only for x > 0 (Relu, LeakyRelu,
// PRelu), Abs'(0) = 0, Clip passes the gradient strictly inside (min, max), HardSigmoid strictly inside its
// linear region, HardSwish as PyTorch's hardswish_backward.
import { attrFloat, attrString } from '../../../src/graph/attrs.ts';
import { erf } from '../ops/erf.ts';
import { seluConstants, sigmoid, softplus } from '../ops/elementwise.ts';
import { broadcastIndex, broadcastShapes, unbroadcast } from '../tensor.ts';
import type { RefTensor } from '../tensor.ts';
import { dyOrZero, x, y } from './rule.ts';
import type { VjpContext, VjpRule } from './rule.ts';

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const GELU_BETA = Math.sqrt(2 / Math.PI);
const GELU_KAPPA = 0.044715;

/** d gelu(x) / dx: exact Phi(x) + x phi(x), or PyTorch's derivative of the tanh form. */
function geluDerivative(v: number, approximate: string): number {
  if (approximate === 'tanh') {
    const t = Math.tanh(GELU_BETA * (v + GELU_KAPPA * v * v * v));
    return 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * GELU_BETA * (1 + 3 * GELU_KAPPA * v * v);
  }
  return 0.5 * (1 + erf(v * Math.SQRT1_2)) + v * INV_SQRT_2PI * Math.exp(-0.5 * v * v);
}

/** Local derivative dy/dx from the input value, output value and node. */
type Derivative = (ctx: VjpContext) => (xv: number, yv: number) => number;

const DERIVATIVES = {
  Relu: () => (v) => (v > 0 ? 1 : 0),
  LeakyRelu: (ctx) => {
    const alpha = attrFloat(ctx.node, 'alpha', 0.01);
    return (v) => (v > 0 ? 1 : alpha);
  },
  Sigmoid: () => (_, s) => s * (1 - s),
  HardSigmoid: (ctx) => {
    const alpha = attrFloat(ctx.node, 'alpha', 0.2);
    const beta = attrFloat(ctx.node, 'beta', 0.5);
    return (v) => {
      const z = alpha * v + beta;
      return z > 0 && z < 1 ? alpha : 0;
    };
  },
  // PyTorch hardswish_backward: x < -3 -> 0, x <= 3 -> x/3 + 1/2, else 1.
  HardSwish: () => (v) => (v < -3 ? 0 : v <= 3 ? v / 3 + 0.5 : 1),
  Tanh: () => (_, t) => 1 - t * t,
  Erf: () => (v) => TWO_OVER_SQRT_PI * Math.exp(-v * v),
  Gelu: (ctx) => {
    const approximate = attrString(ctx.node, 'approximate', 'none');
    return (v) => geluDerivative(v, approximate);
  },
  // d softplus = sigmoid(x) = 1 - exp(-softplus(x)).
  Softplus: () => (_, s) => -Math.expm1(-s),
  Exp: () => (_, e) => e,
  Log: () => (v) => 1 / v,
  Sqrt: () => (_, r) => 0.5 / r,
  Neg: () => () => -1,
  Abs: () => (v) => Math.sign(v),
  // Elu, Selu and Celu take the negative branch at 0, as PyTorch's elu_backward does (x <= 0).
  Elu: (ctx) => {
    const alpha = attrFloat(ctx.node, 'alpha', 1);
    return (v) => (v > 0 ? 1 : alpha * Math.exp(v));
  },
  Selu: (ctx) => {
    const [alpha, gamma] = seluConstants(ctx);
    return (v) => (v > 0 ? gamma : gamma * alpha * Math.exp(v));
  },
  Celu: (ctx) => {
    const alpha = attrFloat(ctx.node, 'alpha', 1);
    return (v) => (v > 0 ? 1 : Math.exp(v / alpha));
  },
  // PyTorch's threshold_backward: 0 where x <= alpha.
  ThresholdedRelu: (ctx) => {
    const alpha = attrFloat(ctx.node, 'alpha', 1);
    return (v) => (v > alpha ? 1 : 0);
  },
  // d mish = tanh(sp) + x sigmoid(x) (1 − tanh²(sp)), sp = softplus(x).
  Mish: () => (v) => {
    const t = Math.tanh(softplus(v));
    return t + v * sigmoid(v) * (1 - t * t);
  },
  Softsign: () => (v) => 1 / (1 + Math.abs(v)) ** 2,
} satisfies Record<string, Derivative>;

function unaryRule(d: Derivative): VjpRule {
  return (ctx) => {
    const f = d(ctx);
    const xs = x(ctx);
    const ys = y(ctx);
    const g = dyOrZero(ctx);
    return [g.map((gv, i) => gv * f(xs[i], ys[i]))];
  };
}

/** Gradients of a broadcasting binary op from per-element partials, summed back onto each input's shape. */
function binaryRule(partials: (a: number, b: number, out: number) => [number, number]): VjpRule {
  return (ctx) => {
    const [at, bt] = ctx.inputs as RefTensor[];
    const a = x(ctx, 0);
    const b = x(ctx, 1);
    const out = y(ctx);
    const g = dyOrZero(ctx);
    const dims = broadcastShapes(at.dims, bt.dims);
    const ia = broadcastIndex(at.dims, dims);
    const ib = broadcastIndex(bt.dims, dims);
    const ga = new Float64Array(g.length);
    const gb = new Float64Array(g.length);
    for (let k = 0; k < g.length; k++) {
      if (g[k] === 0) continue;
      const [pa, pb] = partials(a[ia[k]], b[ib[k]], out[k]);
      ga[k] = g[k] * pa;
      gb[k] = g[k] * pb;
    }
    return [ctx.needs[0] ? unbroadcast(ga, dims, at.dims) : undefined, ctx.needs[1] ? unbroadcast(gb, dims, bt.dims) : undefined];
  };
}

const BINARY = {
  Add: binaryRule(() => [1, 1]),
  Sub: binaryRule(() => [1, -1]),
  Mul: binaryRule((a, b) => [b, a]),
  Div: binaryRule((a, b) => [1 / b, -a / (b * b)]),
  // PyTorch pow_backward: 0 where the exponent is 0; exponent grad 0 where base == 0 and exponent >= 0.
  Pow: binaryRule((a, b, out) => [b === 0 ? 0 : b * Math.pow(a, b - 1), a === 0 && b >= 0 ? 0 : out * Math.log(a)]),
} satisfies Record<string, VjpRule>;

/** PRelu: dx = dy where x > 0 else slope * dy; dslope = x * dy where x <= 0, summed onto the slope's shape. */
const prelu: VjpRule = (ctx) => {
  const [xt, st] = ctx.inputs as RefTensor[];
  const xs = x(ctx, 0);
  const slope = x(ctx, 1);
  const map = broadcastIndex(st.dims, xt.dims);
  const g = dyOrZero(ctx);
  const dx = g.map((gv, i) => (xs[i] > 0 ? gv : slope[map[i]] * gv));
  const ds = g.map((gv, i) => (xs[i] > 0 ? 0 : xs[i] * gv));
  return [dx, ctx.needs[1] ? unbroadcast(ds, xt.dims, st.dims) : undefined];
};

/**
 * Clip: the gradient passes only strictly inside (min, max) (PyTorch's hardtanh/relu6 convention; note
 * torch.clamp instead passes it at the bounds). A tensor min (max) gets the gradient of the elements below (above) it.
 */
const clip: VjpRule = (ctx) => {
  const xs = x(ctx);
  const lo = ctx.inputs[1] ? Number(ctx.inputs[1].data[0]) : -Infinity;
  const hi = ctx.inputs[2] ? Number(ctx.inputs[2].data[0]) : Infinity;
  const g = dyOrZero(ctx);
  let dlo = 0;
  let dhi = 0;
  const dx = g.map((gv, i) => {
    if (xs[i] < lo) dlo += gv;
    else if (xs[i] > hi) dhi += gv;
    return xs[i] > lo && xs[i] < hi ? gv : 0;
  });
  return [dx, ctx.needs[1] ? Float64Array.of(dlo) : undefined, ctx.needs[2] ? Float64Array.of(dhi) : undefined];
};

/** Where: the condition gets nothing; X and Y get the gradient where they were chosen. */
const where: VjpRule = (ctx) => {
  const [ct, xt, yt] = ctx.inputs as RefTensor[];
  const g = dyOrZero(ctx);
  const dims = broadcastShapes(ct.dims, xt.dims, yt.dims);
  const ic = broadcastIndex(ct.dims, dims);
  const pick = (take: boolean) => g.map((gv, k) => (!!ct.data[ic[k]] === take ? gv : 0));
  return [undefined, ctx.needs[1] ? unbroadcast(pick(true), dims, xt.dims) : undefined, ctx.needs[2] ? unbroadcast(pick(false), dims, yt.dims) : undefined];
};

/** Cast: float to float passes the gradient; anything through an integer or bool gets none. */
const cast: VjpRule = (ctx) => {
  if (ctx.inputs[0]?.dtype !== 'float' || ctx.outputs[0]?.dtype !== 'float') return [undefined];
  return [dyOrZero(ctx).slice()];
};

/** The elementwise VJP table. */
export const ELEMENTWISE_RULES = {
  ...(Object.fromEntries(Object.entries(DERIVATIVES).map(([op, d]) => [op, unaryRule(d as Derivative)])) as Record<keyof typeof DERIVATIVES, VjpRule>),
  ...BINARY,
  PRelu: prelu,
  Clip: clip,
  Where: where,
  Cast: cast,
};

