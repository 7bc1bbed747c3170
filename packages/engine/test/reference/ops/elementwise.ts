// Elementwise ops: unary maths and activations, broadcasting arithmetic, comparisons, logic, Where, Clip, Cast.
import { attrFloat, attrInt, attrString } from '../../../src/graph/attrs.ts';
import { broadcastIndex, broadcastShapes, make, size } from '../tensor.ts';
import type { RefTensor } from '../tensor.ts';
import { erf } from './erf.ts';
import { fail, floatInput, input } from './context.ts';
import type { OpContext, OpImpl } from './context.ts';

const SQRT1_2 = Math.SQRT1_2;
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** Logistic sigmoid without overflow for large |x|. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** log(1 + exp(x)) without overflow. */
export function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** Round half to even, as ONNX Round specifies. */
export function roundHalfEven(x: number): number {
  if (Math.abs(x % 1) === 0.5) return 2 * Math.round(x / 2);
  return Math.round(x);
}

/** Gelu (opset 20): exact with erf, or the tanh approximation. */
export function gelu(x: number, approximate: string): number {
  if (approximate === 'tanh') return 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)));
  return 0.5 * x * (1 + erf(x * SQRT1_2));
}

type Unary = (x: number) => number;

/** Float unary ops whose function depends only on the node's attributes. */
const FLOAT_UNARY: Record<string, (ctx: OpContext) => Unary> = {
  Relu: () => (x) => (x > 0 ? x : 0),
  Sigmoid: () => sigmoid,
  Tanh: () => Math.tanh,
  Exp: () => Math.exp,
  Log: () => Math.log,
  Sqrt: () => Math.sqrt,
  Neg: () => (x) => -x,
  Abs: () => Math.abs,
  Reciprocal: () => (x) => 1 / x,
  Sin: () => Math.sin,
  Cos: () => Math.cos,
  Erf: () => erf,
  Floor: () => Math.floor,
  Ceil: () => Math.ceil,
  Round: () => roundHalfEven,
  Sign: () => Math.sign,
  Softplus: () => softplus,
  HardSwish: () => (x) => x * Math.max(0, Math.min(1, x / 6 + 0.5)),
  LeakyRelu: (ctx) => {
    const alpha = attrFloat(ctx.node, 'alpha', 0.01);
    return (x) => (x >= 0 ? x : alpha * x);
  },
  HardSigmoid: (ctx) => {
    const alpha = attrFloat(ctx.node, 'alpha', 0.2);
    const beta = attrFloat(ctx.node, 'beta', 0.5);
    return (x) => Math.max(0, Math.min(1, alpha * x + beta));
  },
  Gelu: (ctx) => {
    const approximate = attrString(ctx.node, 'approximate', 'none');
    if (approximate !== 'none' && approximate !== 'tanh') fail(ctx, `unknown approximate="${approximate}"`);
    return (x) => gelu(x, approximate);
  },
  Elu: (ctx) => {
    const alpha = attrFloat(ctx.node, 'alpha', 1);
    return (x) => (x >= 0 ? x : alpha * Math.expm1(x));
  },
  Selu: (ctx) => {
    const [alpha, gamma] = seluConstants(ctx);
    return (x) => (x > 0 ? gamma * x : gamma * alpha * Math.expm1(x));
  },
  Celu: (ctx) => {
    const alpha = attrFloat(ctx.node, 'alpha', 1);
    return (x) => Math.max(0, x) + Math.min(0, alpha * Math.expm1(x / alpha));
  },
  ThresholdedRelu: (ctx) => {
    const alpha = attrFloat(ctx.node, 'alpha', 1);
    return (x) => (x > alpha ? x : 0);
  },
  Mish: () => (x) => x * Math.tanh(softplus(x)),
  Softsign: () => (x) => x / (1 + Math.abs(x)),
};

/** Selu's alpha and gamma, with the spec's defaults (float32 values of PyTorch's constants). */
export function seluConstants(ctx: OpContext): [number, number] {
  return [attrFloat(ctx.node, 'alpha', 1.67326319217681884765625), attrFloat(ctx.node, 'gamma', 1.05070102214813232421875)];
}

/** Integer unary ops (the few the spec allows on integers). */
const INT_UNARY: Record<string, (x: bigint) => bigint> = {
  Neg: (x) => -x,
  Abs: (x) => (x < 0n ? -x : x),
  Sign: (x) => (x > 0n ? 1n : x < 0n ? -1n : 0n),
  Relu: (x) => (x > 0n ? x : 0n),
};

function unary(op: string): OpImpl {
  return (ctx) => {
    const x = input(ctx, 0);
    if (x.dtype === 'int64' && INT_UNARY[op]) return [make('int64', [...x.dims], x.data.map(INT_UNARY[op]))];
    if (x.dtype !== 'float') fail(ctx, `input should be a float tensor, got ${x.dtype}`);
    const f = FLOAT_UNARY[op](ctx);
    return [make('float', [...x.dims], x.data.map(f))];
  };
}

/** Broadcasts all tensors together and calls `f` with the flat source index of each, per output element. */
function broadcastEach(tensors: RefTensor[], visit: (out: number, idx: number[]) => void): number[] {
  const dims = broadcastShapes(...tensors.map((t) => t.dims));
  const maps = tensors.map((t) => broadcastIndex(t.dims, dims));
  const n = size(dims);
  const idx = new Array<number>(tensors.length);
  for (let k = 0; k < n; k++) {
    for (let j = 0; j < maps.length; j++) idx[j] = maps[j][k];
    visit(k, idx);
  }
  return dims;
}

type FloatBinary = (a: number, b: number) => number;
type IntBinary = (a: bigint, b: bigint) => bigint;

const ARITH: Record<string, [FloatBinary, IntBinary | undefined]> = {
  Add: [(a, b) => a + b, (a, b) => a + b],
  Sub: [(a, b) => a - b, (a, b) => a - b],
  Mul: [(a, b) => a * b, (a, b) => a * b],
  // Integer Div truncates toward zero, like C++ (onnxruntime) and numpy's divide-then-cast.
  Div: [(a, b) => a / b, (a, b) => a / b],
  Max: [(a, b) => (Number.isNaN(a) || a >= b ? a : b), (a, b) => (a >= b ? a : b)],
  Min: [(a, b) => (Number.isNaN(a) || a <= b ? a : b), (a, b) => (a <= b ? a : b)],
};

/** Add/Sub/Mul/Div, and the variadic Max/Min (folded left to right). */
function arith(op: string): OpImpl {
  const [ff, fi] = ARITH[op];
  return (ctx) => {
    const ts = ctx.inputs.filter((t): t is RefTensor => t !== undefined);
    if (ts.length === 0) fail(ctx, 'needs at least one input');
    const dtype = ts[0].dtype;
    if (ts.some((t) => t.dtype !== dtype)) fail(ctx, `inputs mix dtypes ${ts.map((t) => t.dtype).join(', ')}`);
    if (dtype === 'bool') fail(ctx, 'bool inputs are not supported');
    let acc: RefTensor = ts[0];
    if (ts.length === 1) return [make(dtype, [...acc.dims], acc.data.slice())];
    for (const t of ts.slice(1)) {
      const a = acc;
      const out: number[] | bigint[] = [];
      const dims =
        dtype === 'float'
          ? broadcastEach([a, t], (k, [i, j]) => ((out as number[])[k] = ff(a.data[i] as number, t.data[j] as number)))
          : broadcastEach([a, t], (k, [i, j]) => {
              if (op === 'Div' && t.data[j] === 0n) fail(ctx, 'integer division by zero');
              (out as bigint[])[k] = fi!(a.data[i] as bigint, t.data[j] as bigint);
            });
      acc = make(dtype, dims, dtype === 'float' ? Float64Array.from(out as number[]) : BigInt64Array.from(out as bigint[]));
    }
    return [acc];
  };
}

/** Pow: the exponent may be of another numeric type; the result has the base's type. */
const pow: OpImpl = (ctx) => {
  const x = input(ctx, 0);
  const y = input(ctx, 1);
  if (x.dtype === 'bool' || y.dtype === 'bool') fail(ctx, 'bool inputs are not supported');
  const out: number[] = [];
  const dims = broadcastEach([x, y], (k, [i, j]) => (out[k] = Math.pow(Number(x.data[i]), Number(y.data[j]))));
  if (x.dtype === 'int64') return [make('int64', dims, BigInt64Array.from(out, (v) => BigInt(Math.trunc(v))))];
  return [make('float', dims, Float64Array.from(out))];
};

/** PRelu: slope broadcasts onto X. */
const prelu: OpImpl = (ctx) => {
  const x = floatInput(ctx, 0);
  const xt = input(ctx, 0);
  const slope = floatInput(ctx, 1);
  const map = broadcastIndex(input(ctx, 1).dims, xt.dims);
  return [make('float', [...xt.dims], x.map((v, i) => (v >= 0 ? v : slope[map[i]] * v)))];
};

type Compare = (a: number | bigint, b: number | bigint) => boolean;
const COMPARE: Record<string, Compare> = {
  Equal: (a, b) => a === b,
  Greater: (a, b) => a > b,
  GreaterOrEqual: (a, b) => a >= b,
  Less: (a, b) => a < b,
  LessOrEqual: (a, b) => a <= b,
};

function compare(op: string): OpImpl {
  return (ctx) => {
    const a = input(ctx, 0);
    const b = input(ctx, 1);
    if (a.dtype !== b.dtype) fail(ctx, `inputs mix dtypes ${a.dtype} and ${b.dtype}`);
    const out: number[] = [];
    const dims = broadcastEach([a, b], (k, [i, j]) => (out[k] = COMPARE[op](a.data[i], b.data[j]) ? 1 : 0));
    return [make('bool', dims, Uint8Array.from(out))];
  };
}

const LOGIC: Record<string, (a: number, b: number) => boolean> = {
  And: (a, b) => !!a && !!b,
  Or: (a, b) => !!a || !!b,
  Xor: (a, b) => !!a !== !!b,
};

function logic(op: string): OpImpl {
  return (ctx) => {
    const a = input(ctx, 0);
    const b = input(ctx, 1);
    if (a.dtype !== 'bool' || b.dtype !== 'bool') fail(ctx, 'inputs should be bool');
    const out: number[] = [];
    const dims = broadcastEach([a, b], (k, [i, j]) => (out[k] = LOGIC[op](a.data[i] as number, b.data[j] as number) ? 1 : 0));
    return [make('bool', dims, Uint8Array.from(out))];
  };
}

const not: OpImpl = (ctx) => {
  const x = input(ctx, 0);
  if (x.dtype !== 'bool') fail(ctx, 'input should be bool');
  return [make('bool', [...x.dims], x.data.map((v) => (v ? 0 : 1)))];
};

/** Where(cond, X, Y) with three-way broadcasting. */
const where: OpImpl = (ctx) => {
  const [c, x, y] = [input(ctx, 0), input(ctx, 1), input(ctx, 2)];
  if (c.dtype !== 'bool') fail(ctx, 'condition should be bool');
  if (x.dtype !== y.dtype) fail(ctx, `X and Y mix dtypes ${x.dtype} and ${y.dtype}`);
  const out: (number | bigint)[] = [];
  const dims = broadcastEach([c, x, y], (k, [i, j, l]) => (out[k] = c.data[i] ? x.data[j] : y.data[l]));
  const data = x.dtype === 'float' ? Float64Array.from(out as number[]) : x.dtype === 'int64' ? BigInt64Array.from(out as bigint[]) : Uint8Array.from(out as number[]);
  return [make(x.dtype, dims, data)];
};

/** Clip with optional min/max inputs (opset >= 11): min(max(x, lo), hi). */
const clip: OpImpl = (ctx) => {
  const x = input(ctx, 0);
  if (ctx.opset < 11) fail(ctx, 'Clip before opset 11 (min/max attributes) is not supported');
  const lo = ctx.inputs[1];
  const hi = ctx.inputs[2];
  for (const b of [lo, hi]) if (b && b.data.length !== 1) fail(ctx, 'min and max should be scalars');
  if (x.dtype === 'float') {
    const l = lo ? Number(lo.data[0]) : -Infinity;
    const h = hi ? Number(hi.data[0]) : Infinity;
    return [make('float', [...x.dims], x.data.map((v) => Math.min(Math.max(v, l), h)))];
  }
  if (x.dtype !== 'int64') fail(ctx, 'bool input is not supported');
  const l = lo ? BigInt(lo.data[0]) : undefined;
  const h = hi ? BigInt(hi.data[0]) : undefined;
  return [make('int64', [...x.dims], x.data.map((v) => {
    const a = l !== undefined && v < l ? l : v;
    return h !== undefined && a > h ? h : a;
  }))];
};

/** ONNX TensorProto.DataType codes, grouped by the reference dtype that holds them. */
const CAST_FLOAT = new Set([1, 10, 11, 16]);
const CAST_INT: Record<number, [bigint, bigint] | undefined> = {
  2: [0n, 255n],
  3: [-128n, 127n],
  4: [0n, 65535n],
  5: [-32768n, 32767n],
  6: [-(2n ** 31n), 2n ** 31n - 1n],
  7: undefined,
  12: [0n, 2n ** 32n - 1n],
  13: [0n, 2n ** 64n - 1n],
};

/** Wraps an integer into the range of a narrower type, as a C cast does. */
function wrap(v: bigint, range: [bigint, bigint] | undefined): bigint {
  if (!range) return v;
  const span = range[1] - range[0] + 1n;
  const r = (((v - range[0]) % span) + span) % span;
  return BigInt.asIntN(64, r + range[0]);
}

/**
 * Cast. NOTE: float targets stay float64 (no rounding to float32/float16), integer targets are held as
 * int64 but wrapped to their range, and float-to-integer truncates toward zero.
 */
const cast: OpImpl = (ctx) => {
  const x = input(ctx, 0);
  const to = attrInt(ctx.node, 'to');
  if (to === undefined) fail(ctx, 'attribute "to" is required');
  const values = Array.from(x.data as ArrayLike<number | bigint>);
  if (CAST_FLOAT.has(to)) return [make('float', [...x.dims], Float64Array.from(values, Number))];
  if (to === 9) return [make('bool', [...x.dims], Uint8Array.from(values, (v) => (v ? 1 : 0)))];
  if (!(to in CAST_INT)) fail(ctx, `cast to ONNX type ${to} is not supported`);
  const range = CAST_INT[to];
  const toInt = (v: number | bigint): bigint => {
    if (typeof v === 'bigint') return v;
    if (!Number.isFinite(v)) fail(ctx, `cannot cast ${v} to an integer`);
    return BigInt(Math.trunc(v));
  };
  return [make('int64', [...x.dims], BigInt64Array.from(values, (v) => wrap(toInt(v), range)))];
};

const UNARY_OPS = [...new Set([...Object.keys(FLOAT_UNARY), ...Object.keys(INT_UNARY)])];

/** The elementwise op table. */
export const ELEMENTWISE_OPS: Record<string, OpImpl> = {
  ...Object.fromEntries(UNARY_OPS.map((op) => [op, unary(op)])),
  ...Object.fromEntries(Object.keys(ARITH).map((op) => [op, arith(op)])),
  ...Object.fromEntries(Object.keys(COMPARE).map((op) => [op, compare(op)])),
  ...Object.fromEntries(Object.keys(LOGIC).map((op) => [op, logic(op)])),
  Not: not,
  Pow: pow,
  PRelu: prelu,
  Where: where,
  Clip: clip,
  Cast: cast,
};

