// Data movement ops: the index-map ops applied, the reshape family (dims only), Dropout, Concat, Split and ScatterElements.
import { attrInt, attrInts, attrString } from '../../../src/graph/attrs.ts';
import { copyRange, gatherData, make, newLike, normAxis, size } from '../tensor.ts';
import type { RefTensor } from '../tensor.ts';
import { fail, input, intsInput } from './context.ts';
import type { OpContext, OpImpl } from './context.ts';
import { INDEX_MAPS, elementsIndex } from './index-maps.ts';
import type { IndexMap } from './index-maps.ts';

function applyMap(mapper: (ctx: OpContext) => IndexMap): OpImpl {
  return (ctx) => {
    const x = input(ctx, 0);
    const m = mapper(ctx);
    return [make(x.dtype, m.dims, gatherData(x.data, m.map, m.fill))];
  };
}

/** Axes from the input (opset >= 13) or the attribute (before 13), for Squeeze/Unsqueeze. */
function squeezeAxes(ctx: OpContext): number[] | undefined {
  if (ctx.opset >= 13) {
    if (ctx.node.attrs.axes) fail(ctx, `takes axes as an input at opset ${ctx.opset}, not an attribute`);
    return intsInput(ctx, 1);
  }
  return attrInts(ctx.node, 'axes');
}

function reshapeDims(ctx: OpContext): number[] {
  const x = input(ctx, 0);
  const shape = intsInput(ctx, 1);
  if (!shape) fail(ctx, 'shape is required');
  const allowzero = ctx.opset >= 14 ? attrInt(ctx.node, 'allowzero', 0) : 0;
  const dims = shape.map((d, i) => (d === 0 && !allowzero ? x.dims[i] : d));
  const unknown = dims.indexOf(-1);
  if (dims.some((d, i) => d < -1 || (d === -1 && i !== unknown) || d === undefined)) fail(ctx, `invalid shape [${shape}]`);
  if (unknown >= 0) {
    const known = dims.reduce((a, d, i) => (i === unknown ? a : a * d), 1);
    if (known === 0 || size(x.dims) % known !== 0) fail(ctx, `cannot reshape [${x.dims}] to [${shape}]`);
    dims[unknown] = size(x.dims) / known;
  }
  if (size(dims) !== size(x.dims)) fail(ctx, `cannot reshape [${x.dims}] to [${shape}]`);
  return dims;
}

function flattenDims(ctx: OpContext): number[] {
  const x = input(ctx, 0);
  const r = x.dims.length;
  let axis = attrInt(ctx.node, 'axis', 1);
  if (axis < 0) axis += r;
  if (axis < 0 || axis > r) fail(ctx, `axis out of range for rank ${r}`);
  return [size(x.dims.slice(0, axis)), size(x.dims.slice(axis))];
}

function squeezeDims(ctx: OpContext): number[] {
  const x = input(ctx, 0);
  const axes = squeezeAxes(ctx);
  if (!axes) return x.dims.filter((d) => d !== 1);
  const drop = new Set(axes.map((a) => normAxis(a, x.dims.length)));
  for (const a of drop) if (x.dims[a] !== 1) fail(ctx, `cannot squeeze axis ${a} of size ${x.dims[a]}`);
  return x.dims.filter((_, i) => !drop.has(i));
}

function unsqueezeDims(ctx: OpContext): number[] {
  const x = input(ctx, 0);
  const axes = squeezeAxes(ctx);
  if (!axes) fail(ctx, 'axes are required');
  const r = x.dims.length + axes.length;
  const ins = new Set(axes.map((a) => normAxis(a, r)));
  if (ins.size !== axes.length) fail(ctx, 'axes repeat');
  const dims: number[] = [];
  let j = 0;
  for (let i = 0; i < r; i++) dims.push(ins.has(i) ? 1 : x.dims[j++]);
  return dims;
}

/** Ops that keep the data and only change dims. */
export const RESHAPES = {
  Reshape: reshapeDims,
  Flatten: flattenDims,
  Squeeze: squeezeDims,
  Unsqueeze: unsqueezeDims,
  Identity: (ctx: OpContext) => [...input(ctx, 0).dims],
  Dropout: (ctx: OpContext) => [...input(ctx, 0).dims],
} satisfies Record<string, (ctx: OpContext) => number[]>;

function reshapeOp(dimsOf: (ctx: OpContext) => number[]): OpImpl {
  return (ctx) => {
    const x = input(ctx, 0);
    return [make(x.dtype, dimsOf(ctx), x.data.slice())];
  };
}

/** Dropout in inference form: identity, and an all-true mask when asked for. */
const dropout: OpImpl = (ctx) => {
  const x = input(ctx, 0);
  const training = ctx.inputs[2];
  const ratio = ctx.inputs[1] ? Number(ctx.inputs[1].data[0]) : 0.5;
  if (training && training.data[0] && ratio !== 0) fail(ctx, 'training_mode=true is not supported by the reference interpreter');
  return [make(x.dtype, [...x.dims], x.data.slice()), make('bool', [...x.dims], new Uint8Array(x.data.length).fill(1))];
};

/** Concat layout: the output dims and each input's offset along the axis. */
export function concatLayout(ctx: OpContext): { dims: number[]; axis: number; offsets: number[] } {
  const ts = ctx.inputs.map((t, i) => t ?? fail(ctx, `input ${i} is missing`));
  if (ts.length === 0) fail(ctx, 'needs at least one input');
  const axisAttr = attrInt(ctx.node, 'axis');
  if (axisAttr === undefined) fail(ctx, 'attribute axis is required');
  const r = ts[0].dims.length;
  const axis = normAxis(axisAttr, r);
  const offsets: number[] = [];
  let total = 0;
  for (const t of ts) {
    if (t.dims.length !== r || t.dims.some((d, i) => i !== axis && d !== ts[0].dims[i])) fail(ctx, `input dims [${t.dims}] do not match [${ts[0].dims}]`);
    offsets.push(total);
    total += t.dims[axis];
  }
  const dims = [...ts[0].dims];
  dims[axis] = total;
  return { dims, axis, offsets };
}

/** Moves the block of `part` (dims pd) between it and `whole` (dims wd) at `offset` along `axis`. */
export function blockCopy(whole: RefTensor['data'], wd: readonly number[], part: RefTensor['data'], pd: readonly number[], axis: number, offset: number, into: 'whole' | 'part'): void {
  const outer = size(wd.slice(0, axis));
  const inner = size(wd.slice(axis + 1));
  const wBlock = wd[axis] * inner;
  const pBlock = pd[axis] * inner;
  for (let o = 0; o < outer; o++) {
    if (into === 'whole') copyRange(whole, o * wBlock + offset * inner, part, o * pBlock, pBlock);
    else copyRange(part, o * pBlock, whole, o * wBlock + offset * inner, pBlock);
  }
}

const concat: OpImpl = (ctx) => {
  const { dims, axis, offsets } = concatLayout(ctx);
  const ts = ctx.inputs as RefTensor[];
  const dtype = ts[0].dtype;
  if (ts.some((t) => t.dtype !== dtype)) fail(ctx, 'inputs mix dtypes');
  const out = newLike(ts[0].data, size(dims));
  ts.forEach((t, i) => blockCopy(out, dims, t.data, t.dims, axis, offsets[i], 'whole'));
  return [make(dtype, dims, out)];
};

/** Split sizes: the split input (>= 13), else num_outputs (>= 18, last chunk smaller), else equal parts. */
export function splitSizes(ctx: OpContext): { axis: number; sizes: number[] } {
  const x = input(ctx, 0);
  const axis = normAxis(attrInt(ctx.node, 'axis', 0), x.dims.length);
  const dim = x.dims[axis];
  const nOut = ctx.node.outputs.length;
  const given = ctx.opset >= 13 ? intsInput(ctx, 1) : attrInts(ctx.node, 'split');
  const numOutputs = ctx.opset >= 18 ? attrInt(ctx.node, 'num_outputs') : undefined;
  let sizes: number[];
  if (given) {
    if (numOutputs !== undefined) fail(ctx, 'both split and num_outputs are given');
    sizes = given;
  } else if (numOutputs !== undefined) {
    if (numOutputs !== nOut) fail(ctx, `num_outputs=${numOutputs} but the node has ${nOut} outputs`);
    const chunk = Math.ceil(dim / numOutputs);
    sizes = Array.from({ length: numOutputs }, (_, i) => Math.max(0, Math.min(chunk, dim - i * chunk)));
  } else {
    if (dim % nOut !== 0) fail(ctx, `axis of size ${dim} does not split evenly into ${nOut} outputs`);
    sizes = new Array<number>(nOut).fill(dim / nOut);
  }
  if (sizes.length !== nOut) fail(ctx, `${sizes.length} split sizes for ${nOut} outputs`);
  if (sizes.reduce((a, b) => a + b, 0) !== dim) fail(ctx, `split sizes [${sizes}] do not sum to ${dim}`);
  return { axis, sizes };
}

const split: OpImpl = (ctx) => {
  const x = input(ctx, 0);
  const { axis, sizes } = splitSizes(ctx);
  let offset = 0;
  return sizes.map((s) => {
    const dims = [...x.dims];
    dims[axis] = s;
    const out = newLike(x.data, size(dims));
    blockCopy(x.data, x.dims, out, dims, axis, offset, 'part');
    offset += s;
    return make(x.dtype, dims, out);
  });
};

/**
 * ScatterElements: data with updates written ('none') or added ('add', opset 16) at indices along axis. A repeated
 * index without a reduction is an error here: onnxruntime leaves its result unspecified.
 */
const scatterElements: OpImpl = (ctx) => {
  const [x, ind, upd] = [input(ctx, 0), input(ctx, 1), input(ctx, 2)];
  if (ind.dims.join() !== upd.dims.join()) fail(ctx, 'indices and updates should have one shape');
  const reduction = ctx.opset >= 16 ? attrString(ctx.node, 'reduction', 'none') : 'none';
  if (reduction !== 'none' && reduction !== 'add') fail(ctx, `reduction ${reduction} is not implemented`);
  const at = elementsIndex(ctx, x.dims, ind, normAxis(attrInt(ctx.node, 'axis', 0), x.dims.length));
  const out = newLike(x.data, x.data.length) as Float64Array;
  out.set(x.data as Float64Array);
  const written = new Set<number>();
  at.forEach((f, k) => {
    const v = (upd.data as Float64Array)[k];
    if (reduction === 'add') out[f] += v;
    else {
      if (written.has(f)) fail(ctx, `update ${k} repeats the index of an earlier one without a reduction`);
      written.add(f);
      out[f] = v;
    }
  });
  return [make(x.dtype, [...x.dims], out)];
};

/** The movement op table. */
export const MOVEMENT_OPS: Record<string, OpImpl> = {
  ...Object.fromEntries(Object.entries(INDEX_MAPS).map(([op, m]) => [op, applyMap(m)])),
  ...Object.fromEntries(Object.entries(RESHAPES).map(([op, d]) => [op, reshapeOp(d)])),
  Dropout: dropout,
  Concat: concat,
  Split: split,
  ScatterElements: scatterElements,
};

