// Gradient rules: movement ops (reshapes, transposes, concat/split, slicing, gathering, expand, tile, pad).
import { attrInt, attrInts, attrString } from '../../graph/attrs.ts';
import type { GraphBuilder } from '../../graph/builder.ts';
import { dimProduct, sliceRange } from '../../graph/shapes.ts';
import { f32 } from '../../graph/tensor.ts';
import type { DifferentiableOp } from '../ops.ts';
import type { GradContext, Rule } from '../rule.ts';
import { dyOrZeros, shapeOf, unbroadcast } from './helpers.ts';

/** Stands in for ±infinity in Slice starts/ends: 2^53 − 1 survives the number → int64 conversion exactly. */
const BIG = Number.MAX_SAFE_INTEGER;
/** Slice bounds at or beyond this mean "to the end of the axis" (INT32_MAX / INT64_MAX sentinels). */
const TO_END = 2 ** 31 - 1;
/** Largest one-hot matrix (D × M) baked as a constant for constant Gather indices. */
const MAX_CONST_ONE_HOT = 1 << 16;

const isNum = (d: unknown): d is number => typeof d === 'number';
const norm = (axis: number, rank: number) => (axis < 0 ? axis + rank : axis);
const zeros = (n: number) => Array<number>(n).fill(0);

/** The contents of int input `i`, which the rule needs as a constant; throws naming the node otherwise. */
function constInts(ctx: GradContext, i: number, what: string): number[] {
  const v = ctx.type(ctx.x[i]).value;
  if (!v || !v.every(isNum))
    throw new Error(`${ctx.node.op} node "${ctx.node.name}": the gradient needs ${what} (input "${ctx.x[i]}") to be a constant`);
  return v;
}

/** Dim `i` of `x` as a 1-D int64 tensor of one element (Shape's start/end attributes need opset 15). */
const dimOf = (b: GraphBuilder, x: string, i: number) => b.slice(b.shape(x), [i], [i + 1], [0]);

/** A Reshape target: a static size, or a thunk emitting a 1-D one-element tensor for a symbolic size. */
type Piece = number | (() => string);

/** A shape tensor from pieces: a constant when at most one is symbolic (it becomes −1), else a Concat. */
function shapeTensor(b: GraphBuilder, pieces: Piece[]): string {
  if (pieces.filter((p) => !isNum(p)).length <= 1) return b.ints(pieces.map((p) => (isNum(p) ? p : -1)));
  return b.op('Concat', pieces.map((p) => (isNum(p) ? b.ints([p]) : p())), { axis: 0 });
}

/** Reshapes dy back to the input's shape: Flatten, Reshape, Squeeze, Unsqueeze. */
const reshapeBack: Rule = ({ b, x, dy, needs }) => [needs[0] ? b.reshape(dy[0]!, b.shape(x[0])) : undefined];

/** Concat's gradient: dy cut back into pieces along the axis. */
function concatGrad(ctx: GradContext): (string | undefined)[] {
  const { b, node, x, dy, needs } = ctx;
  const axis = norm(attrInt(node, 'axis', 0), shapeOf(ctx, x[0]).length);
  const sizes = x.map((v) => shapeOf(ctx, v)[axis]);
  // One Split when the sizes are static and several pieces are wanted; a Slice per wanted piece otherwise.
  if (sizes.every(isNum) && needs.filter(Boolean).length > 1) return b.split(dy[0]!, axis, sizes).map((g, i) => (needs[i] ? g : undefined));
  let offset: number | string = 0;
  const tensor = (v: number | string) => (isNum(v) ? b.ints([v]) : v);
  return x.map((v, i) => {
    if (!needs.slice(i).some(Boolean)) return undefined;
    const [start, size] = [offset, sizes[i]];
    const end =
      i === x.length - 1 ? BIG : isNum(start) && isNum(size) ? start + size : b.add(tensor(start), isNum(size) ? b.ints([size]) : dimOf(b, v, axis));
    offset = end;
    return needs[i] ? b.op('Slice', [dy[0]!, tensor(start), tensor(end), b.ints([axis])]) : undefined;
  });
}

/** Whether a Slice along an axis of unknown size keeps it whole (step 1) or reverses it whole (step −1). */
function wholeAxis(start: number, end: number, step: number): 'keep' | 'reverse' | undefined {
  if (step === 1 && start === 0 && end >= TO_END) return 'keep';
  if (step === -1 && (start === -1 || start >= TO_END) && end <= -TO_END) return 'reverse';
  return undefined;
}

/**
 * Slice's gradient: dy scattered back into zeros. Negative-step axes are reversed first (the slice
 * then starts at its lowest index); |step| > 1 interleaves |step|−1 zeros after each element
 * (Unsqueeze, Pad, Reshape); a Slice trims the tail the interleave adds past the input's end; one Pad
 * then puts the result in place.
 */
function sliceGrad(ctx: GradContext): string {
  const { b, node, x } = ctx;
  const dy = ctx.dy[0]!;
  const shape = shapeOf(ctx, x[0]);
  const rank = shape.length;
  const starts = constInts(ctx, 1, 'starts');
  const ends = constInts(ctx, 2, 'ends');
  const axes = x[3] ? constInts(ctx, 3, 'axes').map((a) => norm(a, rank)) : starts.map((_, i) => i);
  const steps = x[4] ? constInts(ctx, 4, 'steps') : starts.map(() => 1);
  const reverse: number[] = [];
  const spread = new Map<number, { step: number; len: number }>();
  const crop: { axis: number; keep: number }[] = [];
  const pads = zeros(2 * rank);
  for (let i = 0; i < axes.length; i++) {
    const [a, k, dim] = [axes[i], steps[i], shape[axes[i]]];
    if (!isNum(dim)) {
      const whole = wholeAxis(starts[i], ends[i], k);
      if (!whole) throw new Error(`Slice node "${node.name}": the gradient needs a static size for axis ${a}, which it slices partially`);
      if (whole === 'reverse') reverse.push(a);
      continue;
    }
    const [s, e] = sliceRange(starts[i], ends[i], k, dim);
    const len = Math.max(0, Math.ceil((e - s) / k));
    if (len === 0) return b.zerosLike(x[0]);
    const first = k > 0 ? s : s + (len - 1) * k;
    if (k < 0) reverse.push(a);
    let span = len;
    if (Math.abs(k) > 1) {
      spread.set(a, { step: Math.abs(k), len });
      span = len * Math.abs(k);
    }
    if (span > dim - first) {
      crop.push({ axis: a, keep: dim - first });
      span = dim - first;
    }
    pads[a] = first;
    pads[a + rank] = dim - first - span;
  }
  let g = dy;
  if (reverse.length) g = b.slice(g, reverse.map(() => -1), reverse.map(() => -BIG), reverse, reverse.map(() => -1));
  if (spread.size) {
    // Unsqueeze a new axis after each strided one, pad it to the step, and merge the pairs.
    const strided = [...spread.keys()].sort((p, q) => p - q);
    const inner = strided.map((a, j) => a + j + 1);
    const spreadPads = zeros(2 * (rank + strided.length));
    strided.forEach((a, j) => (spreadPads[inner[j] + rank + strided.length] = spread.get(a)!.step - 1));
    const dyShape = shapeOf(ctx, ctx.y[0]);
    const pieces: Piece[] = dyShape.map((d, i) => {
      const s = spread.get(i);
      if (s) return s.len * s.step;
      if (isNum(d)) return d;
      return i < strided[0] ? 0 : () => dimOf(b, dy, i);
    });
    g = b.reshape(b.pad(b.unsqueeze(g, inner), spreadPads), shapeTensor(b, pieces));
  }
  if (crop.length) g = b.slice(g, crop.map(() => 0), crop.map((c) => c.keep), crop.map((c) => c.axis));
  return pads.some((p) => p !== 0) ? b.pad(g, pads) : g;
}

/** Gather's gradient wrt the data: dy summed into the rows the indices picked (repeats add up). */
function gatherGrad(ctx: GradContext): string {
  const { b, node, x } = ctx;
  const dy = ctx.dy[0]!;
  const shape = shapeOf(ctx, x[0]);
  const rank = shape.length;
  const axis = norm(attrInt(node, 'axis', 0), rank);
  const idxShape = shapeOf(ctx, x[1]);
  const dim = shape[axis];
  const values = ctx.type(x[1]).value;
  const known = values?.every(isNum) && isNum(dim) ? (values as number[]).map((i) => (i < 0 ? i + dim : i)) : undefined;
  const { dtype } = ctx.type(x[0]);
  // A constant scalar index: dy padded with zeros into its row.
  if (known && idxShape.length === 0) {
    const pads = zeros(2 * rank);
    pads[axis] = known[0];
    pads[axis + rank] = (dim as number) - 1 - known[0];
    return b.pad(b.unsqueeze(dy, [axis]), pads);
  }
  // Otherwise dx = onehotᵀ · dy, with onehot[j, m] = (indices[m] == j), contracting the M index positions.
  // NOTE: this avoids ScatterND with reduction (which WebGPU lacks); it costs D·M·P·Q multiply-adds.
  let oneHot: string;
  const m = dimProduct(idxShape);
  if (known && isNum(m) && (dim as number) * m <= MAX_CONST_ONE_HOT) {
    const hot = new Float32Array((dim as number) * m);
    known.forEach((j, k) => (hot[j * m + k] = 1));
    oneHot = b.constant(f32(hot, [dim as number, m]), 'one_hot');
    if (dtype !== 'float32') oneHot = b.cast(oneHot, dtype);
  } else {
    let idx = b.reshape(ctx.type(x[1]).dtype === 'int64' ? x[1] : b.cast(x[1], 'int64'), [-1]);
    const size = isNum(dim) ? b.scalar(dim, 'int64') : b.op('Gather', [b.shape(x[0]), b.scalar(axis, 'int64')]);
    if (!values?.every((i) => isNum(i) && i >= 0)) idx = b.where(b.op('Less', [idx, b.scalar(0, 'int64')]), b.add(idx, size), idx);
    const rows = b.op('Range', [b.scalar(0, 'int64'), size, b.scalar(1, 'int64')]);
    oneHot = b.cast(b.op('Equal', [b.unsqueeze(rows, [1]), idx]), dtype);
  }
  const p = dimProduct(shape.slice(0, axis));
  const q = dimProduct(shape.slice(axis + 1));
  const pieces: Piece[] = [
    isNum(p) ? p : () => dimOf(b, b.op('Flatten', [dy], { axis }), 0),
    isNum(m) ? m : () => b.shape(b.reshape(x[1], [-1])),
    isNum(q) ? q : () => dimOf(b, b.op('Flatten', [dy], { axis: axis + idxShape.length }), 1),
  ];
  const grad = b.matmul(oneHot, b.reshape(dy, shapeTensor(b, p === 1 ? pieces.slice(1) : pieces)));
  return b.reshape(grad, b.shape(x[0]));
}

/** Tile's gradient: dy viewed as [r0, d0, r1, d1, …] (axes with r = 1 stay whole), summed over the r axes. */
function tileGrad(ctx: GradContext): string {
  const { b, x } = ctx;
  const shape = shapeOf(ctx, x[0]);
  const repeats = constInts(ctx, 1, 'repeats');
  const pieces: Piece[] = [];
  const sumAxes: number[] = [];
  shape.forEach((d, i) => {
    if (repeats[i] !== 1) {
      sumAxes.push(pieces.length);
      pieces.push(repeats[i]);
    }
    // Reshape's 0 copies the input's dim at the same index, which holds until the first split axis.
    pieces.push(isNum(d) ? d : sumAxes.length === 0 ? 0 : () => dimOf(b, x[0], i));
  });
  if (sumAxes.length === 0) return ctx.dy[0]!;
  return b.reduceSum(b.reshape(ctx.dy[0]!, shapeTensor(b, pieces)), sumAxes, false);
}

/**
 * Pad's gradient. Constant mode: a Slice of dy drops the padding, and a Pad with zeros restores what
 * negative pads cropped. Edge, reflect and wrap modes also add the padded values back onto the input
 * elements they copy, one axis at a time.
 */
function padGrad(ctx: GradContext): (string | undefined)[] {
  const { b, node, x, needs } = ctx;
  const dy = ctx.dy[0]!;
  const shape = shapeOf(ctx, x[0]);
  const rank = shape.length;
  const mode = attrString(node, 'mode', 'constant');
  const pads = constInts(ctx, 1, 'pads');
  const axes = x[3] ? constInts(ctx, 3, 'axes').map((a) => norm(a, rank)) : shape.map((_, i) => i);
  const n = axes.length;
  if (mode !== 'constant') return [needs[0] ? copyPadGrad(ctx, mode, axes, pads) : undefined];
  const [starts, ends, sliced] = [[], [], []] as number[][];
  const back = zeros(2 * rank);
  axes.forEach((a, i) => {
    const [begin, end] = [pads[i], pads[i + n]];
    if (begin > 0 || end > 0) {
      sliced.push(a);
      starts.push(Math.max(begin, 0));
      ends.push(end > 0 ? -end : BIG);
    }
    back[a] = Math.max(-begin, 0);
    back[a + rank] = Math.max(-end, 0);
  });
  const inner = sliced.length ? b.slice(dy, starts, ends, sliced) : dy;
  const dx = needs[0] ? (back.some((p) => p !== 0) ? b.pad(inner, back) : inner) : undefined;
  // d constant_value = the sum of dy over the padded positions.
  const dValue = needs[2] ? b.sub(b.reduceSum(dy, [], false), b.reduceSum(inner, [], false)) : undefined;
  return [dx, undefined, dValue];
}

/** Edge/reflect/wrap Pad: per padded axis, the centre of dy plus the padded bands folded back onto their sources. */
function copyPadGrad(ctx: GradContext, mode: string, axes: number[], pads: number[]): string {
  const { b, node } = ctx;
  const shape = shapeOf(ctx, ctx.x[0]);
  const n = axes.length;
  let g = ctx.dy[0]!;
  axes.forEach((a, i) => {
    const [begin, end, dim] = [pads[i], pads[i + n], shape[a]];
    if (begin === 0 && end === 0) return;
    // Reflect pads must stay below the size (ORT rejects more); wrap pads within one period.
    const limit = mode === 'edge' ? Infinity : mode === 'reflect' ? (dim as number) - 1 : (dim as number);
    if (!isNum(dim) || begin < 0 || end < 0 || Math.max(begin, end) > limit)
      throw new Error(`Pad node "${node.name}": the ${mode}-mode gradient needs a static size on axis ${a} and pads within it`);
    // One band along axis a, padded back to `dim` with `before` leading zeros.
    const band = (from: number, to: number, before: number, reversed = false, summed = false) => {
      let t = b.slice(g, [from], [to], [a]);
      if (reversed) t = b.slice(t, [-1], [-BIG], [a], [-1]);
      if (summed) t = b.reduceSum(t, [a], true);
      const len = summed ? 1 : to - from;
      const p = zeros(2 * shape.length);
      [p[a], p[a + shape.length]] = [before, dim - before - len];
      return b.pad(t, p);
    };
    let acc = b.slice(g, [begin], [begin + dim], [a]);
    const mid = begin + dim;
    if (mode === 'edge') {
      // The begin band copies x[0], the end band x[dim − 1].
      if (begin) acc = b.add(acc, band(0, begin, 0, false, true));
      if (end) acc = b.add(acc, band(mid, mid + end, dim - 1, false, true));
    } else if (mode === 'reflect') {
      // The begin band holds x[begin], …, x[1]; the end band x[dim − 2], …, x[dim − 1 − end].
      if (begin) acc = b.add(acc, band(0, begin, 1, true));
      if (end) acc = b.add(acc, band(mid, mid + end, dim - 1 - end, true));
    } else if (mode === 'wrap') {
      // The begin band holds x[dim − begin], …, x[dim − 1]; the end band x[0], …, x[end − 1].
      if (begin) acc = b.add(acc, band(0, begin, dim - begin));
      if (end) acc = b.add(acc, band(mid, mid + end, 0));
    } else throw new Error(`Pad node "${node.name}": unknown mode "${mode}"`);
    g = acc;
  });
  return g;
}

export const movementRules = {
  Flatten: reshapeBack,
  Reshape: reshapeBack,
  Squeeze: reshapeBack,
  Unsqueeze: reshapeBack,
  Transpose: (ctx) => {
    const rank = shapeOf(ctx, ctx.x[0]).length;
    const perm = attrInts(ctx.node, 'perm', [...Array(rank).keys()].reverse());
    const inverse = zeros(rank);
    perm.forEach((p, i) => (inverse[p] = i));
    return [ctx.needs[0] ? ctx.b.transpose(ctx.dy[0]!, inverse) : undefined];
  },
  Concat: concatGrad,
  // d split(x) = concat(dy_i), with zeros for the pieces no gradient reaches.
  Split: (ctx) => {
    if (!ctx.needs[0]) return [];
    const axis = norm(attrInt(ctx.node, 'axis', 0), shapeOf(ctx, ctx.x[0]).length);
    return [ctx.b.op('Concat', ctx.y.map((_, i) => dyOrZeros(ctx, i)), { axis })];
  },
  Slice: (ctx) => [ctx.needs[0] ? sliceGrad(ctx) : undefined],
  Gather: (ctx) => [ctx.needs[0] ? gatherGrad(ctx) : undefined],
  Expand: (ctx) => [ctx.needs[0] ? unbroadcast(ctx.b, ctx.dy[0]!, shapeOf(ctx, ctx.y[0]), shapeOf(ctx, ctx.x[0])) : undefined],
  Tile: (ctx) => [ctx.needs[0] ? tileGrad(ctx) : undefined],
  Pad: padGrad,
} satisfies Partial<Record<DifferentiableOp, Rule>>;
