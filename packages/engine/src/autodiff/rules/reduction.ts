// Gradient rules: reductions (ReduceSum/Mean/Max) and the softmax family.
import { attrInt, attrInts } from '../../graph/attrs.ts';
import type { GraphBuilder } from '../../graph/builder.ts';
import type { Dim } from '../../graph/ir.ts';
import type { DifferentiableOp } from '../ops.ts';
import type { GradContext, Rule } from '../rule.ts';
import { shapeOf } from './helpers.ts';
import { f32 } from '../../graph/tensor.ts';

/** The normalized, sorted reduced axes of a Reduce* node, or 'none' where it is the identity. */
function reducedAxes(ctx: GradContext): number[] | 'none' {
  const { node, x } = ctx;
  const rank = shapeOf(ctx, x[0]).length;
  let axes = attrInts(node, 'axes');
  if (!axes && x[1]) {
    const v = ctx.type(x[1]).value;
    if (!v || !v.every((d) => typeof d === 'number'))
      throw new Error(`${node.op} node "${node.name}": the axes input "${x[1]}" is not a constant; its gradient needs static axes`);
    axes = v as number[];
  }
  if (!axes || axes.length === 0) return attrInt(node, 'noop_with_empty_axes', 0) ? 'none' : Array.from({ length: rank }, (_, i) => i);
  return [...new Set(axes.map((a) => (a < 0 ? a + rank : a)))].sort((p, q) => p - q);
}

/** `t` (shaped like the reduction's output) with the reduced axes put back when keepdims = 0. */
const kept = (ctx: GradContext, t: string, axes: number[]) => (attrInt(ctx.node, 'keepdims', 1) ? t : ctx.b.unsqueeze(t, axes));

/** One entry of a shape, as a 1-element int64 tensor: a constant where static, else gathered from Shape(x). */
function dimTensor(b: GraphBuilder, shape: Dim[], shapeOfX: () => string, axis: number): string {
  const d = shape[axis];
  return typeof d === 'number' ? b.ints([d]) : b.op('Gather', [shapeOfX(), b.ints([axis])]);
}

/**
 * Divides `g` by the number of elements of `x` along `axes` (as PyTorch's mean backward does): a
 * constant where the dims are static, else computed from Shape(x) at run time (e.g. the batch).
 */
export function divideByCount(ctx: GradContext, g: string, x: string, axes: number[]): string {
  const { b } = ctx;
  const shape = shapeOf(ctx, x);
  const fixed = axes.reduce((n, a) => n * (typeof shape[a] === 'number' ? shape[a] : 1), 1);
  const symbolic = axes.filter((a) => typeof shape[a] !== 'number');
  if (symbolic.length === 0) return fixed === 1 ? g : b.div(g, b.scalar(fixed));
  const shp = b.shape(x);
  const parts = symbolic.map((a) => dimTensor(b, shape, () => shp, a));
  const count = (fixed === 1 ? parts : [...parts, b.ints([fixed])]).reduce((p, q) => b.mul(p, q));
  return b.div(g, b.cast(count, ctx.type(x).dtype));
}

/**
 * The row-major position of each element within the reduced axes, as float32 (exact up to 2^24
 * elements per reduction), shaped like `x` with 1 on the kept axes.
 */
function positions(ctx: GradContext, x: string, axes: number[]): string {
  const { b } = ctx;
  const shape = shapeOf(ctx, x);
  const grid = shape.map((d, i) => (axes.includes(i) ? d : 1));
  if (grid.every((d) => typeof d === 'number')) {
    const total = (grid as number[]).reduce((p, q) => p * q, 1);
    return b.constant(f32(Float32Array.from({ length: total }, (_, i) => i), grid as number[]), 'positions');
  }
  let shp: string | undefined;
  const shapeOfX = () => (shp ??= b.shape(x));
  const sizes = grid.map((d, i) => (axes.includes(i) ? dimTensor(b, shape, shapeOfX, i) : b.ints([1])));
  const total = b.squeeze(b.cast(axes.map((a) => sizes[a]).reduce((p, q) => b.mul(p, q)), 'float32'), [0]);
  return b.reshape(b.op('Range', [b.scalar(0), total, b.scalar(1)]), b.op('Concat', sizes, { axis: 0 }));
}

// d sum(x) = dy broadcast back over the reduced axes.
function reduceSum(ctx: GradContext): (string | undefined)[] {
  const axes = reducedAxes(ctx);
  if (axes === 'none') return [ctx.dy[0]];
  return [ctx.b.expand(kept(ctx, ctx.dy[0]!, axes), ctx.b.shape(ctx.x[0]))];
}

// d mean(x) = dy / n broadcast back over the reduced axes.
function reduceMean(ctx: GradContext): (string | undefined)[] {
  const axes = reducedAxes(ctx);
  if (axes === 'none') return [ctx.dy[0]];
  return [ctx.b.expand(divideByCount(ctx, kept(ctx, ctx.dy[0]!, axes), ctx.x[0], axes), ctx.b.shape(ctx.x[0]))];
}

// d max(x) = dy at the first maximal element of each reduction (row-major within the reduced axes), 0 elsewhere.
// The maxima's positions are shifted down by 2^24 below every other position, so ReduceMin picks the first
// maximum; the result gates dy as a 0/1 mask. All of it is elementwise + ReduceMin, hence the same on every
// backend (ArgMax is ~25% faster on onnxruntime's CPU, but its tie-breaking is not guaranteed everywhere),
// and Where-free, as Where is slow on onnxruntime's CPU (64×256×14×14 over HW: 4.8 ms vs 8.4 ms with Where).
// NOTE: exact for up to 2^24 elements per reduction; where x has a NaN, dy goes to the first element instead.
function reduceMax(ctx: GradContext): (string | undefined)[] {
  const { b, x, y } = ctx;
  const axes = reducedAxes(ctx);
  if (axes === 'none') return [ctx.dy[0]];
  const dtype = ctx.type(x[0]).dtype;
  const isMax = b.cast(b.op('Equal', [x[0], kept(ctx, y[0], axes)]), dtype);
  const candidates = b.sub(positions(ctx, x[0], axes), b.mul(isMax, b.scalar(2 ** 24)));
  const first = b.op('Equal', [candidates, b.reduce('ReduceMin', candidates, axes)]);
  return [b.mul(b.cast(first, dtype), kept(ctx, ctx.dy[0]!, axes))];
}

export const reductionRules = {
  ReduceSum: reduceSum,
  ReduceMean: reduceMean,
  ReduceMax: reduceMax,
  // d softmax(x) = y (dy − Σ dy y)
  Softmax: ({ b, node, y, dy }) => {
    const s = b.reduceSum(b.mul(dy[0]!, y[0]), [attrInt(node, 'axis', -1)]);
    return [b.mul(y[0], b.sub(dy[0]!, s))];
  },
  // d logsoftmax(x) = dy − exp(y) Σ dy
  LogSoftmax: ({ b, node, y, dy }) => [b.sub(dy[0]!, b.mul(b.op('Exp', [y[0]]), b.reduceSum(dy[0]!, [attrInt(node, 'axis', -1)])))],
} satisfies Partial<Record<DifferentiableOp, Rule>>;
