// Movement ops that are one index map from input 0 (Transpose, Slice, Pad, Gather, ...); the tape scatters back through them.
import { attrInt, attrInts, attrString } from '../../../src/graph/attrs.ts';
import { broadcastIndex, broadcastShapes, forEachIndex, normAxis, size, strides, toNumbers } from '../tensor.ts';
import { fail, input, intsInput } from './context.ts';
import type { OpContext } from './context.ts';
import type { RefTensor } from '../tensor.ts';

/** For each output element, the flat index of the input element it copies; -1 takes `fill`. */
export interface IndexMap {
  dims: number[];
  map: Int32Array;
  fill?: number | bigint;
}

/** Builds an IndexMap from a function of output coordinates to an input flat index. */
function mapCoords(dims: number[], fn: (coords: number[]) => number, fill?: number | bigint): IndexMap {
  const map = new Int32Array(size(dims));
  forEachIndex(dims, (c, k) => (map[k] = fn(c)));
  return { dims, map, fill };
}

function flatIndex(coords: readonly number[], st: readonly number[]): number {
  let f = 0;
  for (let j = 0; j < coords.length; j++) f += coords[j] * st[j];
  return f;
}

function transposeMap(ctx: OpContext): IndexMap {
  const x = input(ctx, 0);
  const r = x.dims.length;
  const perm = attrInts(ctx.node, 'perm') ?? Array.from({ length: r }, (_, i) => r - 1 - i);
  if (perm.length !== r || new Set(perm).size !== r) fail(ctx, `perm [${perm}] is not a permutation of rank ${r}`);
  const st = strides(x.dims);
  const ps = perm.map((p) => st[normAxis(p, r, 'perm entry')]);
  return mapCoords(
    perm.map((p) => x.dims[normAxis(p, r)]),
    (c) => flatIndex(c, ps),
  );
}

/** Resolved Slice parameters per axis: start, step and element count (ONNX clamping rules). */
export function sliceParams(ctx: OpContext): { start: number[]; step: number[]; count: number[] } {
  const x = input(ctx, 0);
  const r = x.dims.length;
  const starts = intsInput(ctx, 1);
  const ends = intsInput(ctx, 2);
  if (!starts || !ends) fail(ctx, 'starts and ends are required');
  const axes = (intsInput(ctx, 3) ?? starts.map((_, i) => i)).map((a) => normAxis(a, r, 'axes entry'));
  const steps = intsInput(ctx, 4) ?? starts.map(() => 1);
  if (ends.length !== starts.length || axes.length !== starts.length || steps.length !== starts.length) fail(ctx, 'starts, ends, axes and steps differ in length');
  if (new Set(axes).size !== axes.length) fail(ctx, 'axes repeat');
  const start = x.dims.map(() => 0);
  const step = x.dims.map(() => 1);
  const count = [...x.dims];
  axes.forEach((a, i) => {
    const dim = x.dims[a];
    const s = steps[i];
    if (s === 0) fail(ctx, 'a step is 0');
    let b = starts[i] < 0 ? starts[i] + dim : starts[i];
    let e = ends[i] < 0 ? ends[i] + dim : ends[i];
    if (s > 0) {
      b = Math.min(Math.max(b, 0), dim);
      e = Math.min(Math.max(e, 0), dim);
      count[a] = Math.max(0, Math.ceil((e - b) / s));
    } else {
      b = Math.min(Math.max(b, 0), dim - 1);
      e = Math.min(Math.max(e, -1), dim - 1);
      count[a] = Math.max(0, Math.ceil((b - e) / -s));
    }
    start[a] = b;
    step[a] = s;
  });
  return { start, step, count };
}

function sliceMap(ctx: OpContext): IndexMap {
  const st = strides(input(ctx, 0).dims);
  const { start, step, count } = sliceParams(ctx);
  return mapCoords(count, (c) => {
    let f = 0;
    for (let j = 0; j < c.length; j++) f += (start[j] + c[j] * step[j]) * st[j];
    return f;
  });
}

function expandMap(ctx: OpContext): IndexMap {
  const x = input(ctx, 0);
  const shape = intsInput(ctx, 1);
  if (!shape) fail(ctx, 'shape is required');
  const dims = broadcastShapes(x.dims, shape);
  return { dims, map: broadcastIndex(x.dims, dims) };
}

function tileMap(ctx: OpContext): IndexMap {
  const x = input(ctx, 0);
  const repeats = intsInput(ctx, 1);
  if (!repeats || repeats.length !== x.dims.length) fail(ctx, `repeats should have ${x.dims.length} entries`);
  const st = strides(x.dims);
  return mapCoords(
    x.dims.map((d, i) => d * repeats[i]),
    (c) => flatIndex(c.map((v, i) => v % x.dims[i]), st),
  );
}

/** Pads per axis as [begins, ends] over all axes, from the pads input and the optional axes input (opset 18). */
export function padAmounts(ctx: OpContext): { begin: number[]; end: number[] } {
  const r = input(ctx, 0).dims.length;
  const pads = intsInput(ctx, 1);
  if (!pads) fail(ctx, 'pads is required (the attribute form before opset 11 is not supported)');
  const axesIn = ctx.opset >= 18 ? intsInput(ctx, 3) : undefined;
  const axes = axesIn ? axesIn.map((a) => normAxis(a, r, 'axes entry')) : Array.from({ length: r }, (_, i) => i);
  if (pads.length !== 2 * axes.length) fail(ctx, `pads has ${pads.length} entries for ${axes.length} axes`);
  const begin = new Array<number>(r).fill(0);
  const end = new Array<number>(r).fill(0);
  axes.forEach((a, i) => {
    begin[a] = pads[i];
    end[a] = pads[i + axes.length];
  });
  return { begin, end };
}

/** Source coordinate for an output coordinate along one padded axis, or -1 for the constant. */
function padSource(mode: string, o: number, n: number): number {
  if (o >= 0 && o < n) return o;
  switch (mode) {
    case 'constant':
      return -1;
    case 'edge':
      return Math.min(Math.max(o, 0), n - 1);
    case 'reflect': {
      if (n === 1) return 0;
      const period = 2 * (n - 1);
      const m = ((o % period) + period) % period;
      return m < n ? m : period - m;
    }
    case 'wrap':
      return ((o % n) + n) % n;
    default:
      return -1;
  }
}

function padMap(ctx: OpContext): IndexMap {
  const x = input(ctx, 0);
  const mode = attrString(ctx.node, 'mode', 'constant');
  if (!['constant', 'edge', 'reflect', 'wrap'].includes(mode)) fail(ctx, `unknown mode "${mode}"`);
  const { begin, end } = padAmounts(ctx);
  const cv = ctx.inputs[2];
  const fill = cv ? cv.data[0] : x.dtype === 'int64' ? 0n : 0;
  const st = strides(x.dims);
  return mapCoords(
    x.dims.map((d, i) => d + begin[i] + end[i]),
    (c) => {
      let f = 0;
      for (let j = 0; j < c.length; j++) {
        const s = padSource(mode, c[j] - begin[j], x.dims[j]);
        if (s < 0) return -1;
        f += s * st[j];
      }
      return f;
    },
    fill,
  );
}

function gatherMap(ctx: OpContext): IndexMap {
  const x = input(ctx, 0);
  const ind = input(ctx, 1);
  if (ind.dtype !== 'int64') fail(ctx, 'indices should be integers');
  const axis = normAxis(attrInt(ctx.node, 'axis', 0), x.dims.length);
  const idx = toNumbers(ind);
  const n = x.dims[axis];
  const st = strides(x.dims);
  const is = strides(ind.dims);
  const q = ind.dims.length;
  const dims = [...x.dims.slice(0, axis), ...ind.dims, ...x.dims.slice(axis + 1)];
  return mapCoords(dims, (c) => {
    let i = idx[flatIndex(c.slice(axis, axis + q), is)];
    if (i < -n || i >= n) fail(ctx, `index ${i} is out of range for axis of size ${n}`);
    if (i < 0) i += n;
    let f = i * st[axis];
    for (let j = 0; j < axis; j++) f += c[j] * st[j];
    for (let j = axis + 1; j < x.dims.length; j++) f += c[j + q - 1] * st[j];
    return f;
  });
}

/**
 * For each element of `indices` (GatherElements/ScatterElements), the flat index into a tensor of `dims` that it names:
 * its own coordinates with the one along `axis` replaced by its value.
 */
export function elementsIndex(ctx: OpContext, dims: number[], indices: RefTensor, axis: number): Int32Array {
  if (indices.dtype !== 'int64') fail(ctx, 'indices should be integers');
  if (indices.dims.length !== dims.length) fail(ctx, 'indices and data differ in rank');
  const idx = toNumbers(indices);
  const n = dims[axis];
  const st = strides(dims);
  const map = new Int32Array(idx.length);
  forEachIndex(indices.dims, (c, k) => {
    let i = idx[k];
    if (i < -n || i >= n) fail(ctx, `index ${i} is out of range for axis of size ${n}`);
    if (i < 0) i += n;
    let f = 0;
    for (let j = 0; j < c.length; j++) f += (j === axis ? i : c[j]) * st[j];
    map[k] = f;
  });
  return map;
}

function gatherElementsMap(ctx: OpContext): IndexMap {
  const x = input(ctx, 0);
  const ind = input(ctx, 1);
  return { dims: [...ind.dims], map: elementsIndex(ctx, x.dims, ind, normAxis(attrInt(ctx.node, 'axis', 0), x.dims.length)) };
}

function blocksize(ctx: OpContext): number {
  const b = attrInt(ctx.node, 'blocksize');
  if (!b || b < 1) fail(ctx, 'blocksize is required');
  if (input(ctx, 0).dims.length !== 4) fail(ctx, 'input should be 4-D');
  return b;
}

function depthToSpaceMap(ctx: OpContext): IndexMap {
  const b = blocksize(ctx);
  const [N, C, H, W] = input(ctx, 0).dims;
  const mode = attrString(ctx.node, 'mode', 'DCR');
  if (C % (b * b) !== 0) fail(ctx, `channels ${C} not divisible by blocksize^2`);
  const c2 = C / (b * b);
  return mapCoords([N, c2, H * b, W * b], ([n, c, h, w]) => {
    const hb = h % b;
    const wb = w % b;
    const ch = mode === 'CRD' ? c * b * b + hb * b + wb : (hb * b + wb) * c2 + c;
    return ((n * C + ch) * H + Math.floor(h / b)) * W + Math.floor(w / b);
  });
}

function spaceToDepthMap(ctx: OpContext): IndexMap {
  const b = blocksize(ctx);
  const [N, C, H, W] = input(ctx, 0).dims;
  if (H % b || W % b) fail(ctx, 'spatial dims not divisible by blocksize');
  return mapCoords([N, C * b * b, H / b, W / b], ([n, ch, h, w]) => {
    const c = ch % C;
    const blk = Math.floor(ch / C);
    return ((n * C + c) * H + h * b + Math.floor(blk / b)) * W + w * b + (blk % b);
  });
}

/**
 * Resize with mode nearest, coordinate_transformation_mode asymmetric and nearest_mode floor (the only form the engine
 * emits: a zero-upsampling's repeat), from `scales` (input 2) or `sizes` (input 3): out[i] = in[⌊i / scale⌋].
 */
function resizeMap(ctx: OpContext): IndexMap {
  const x = input(ctx, 0);
  const mode = attrString(ctx.node, 'mode', 'nearest');
  const ctm = attrString(ctx.node, 'coordinate_transformation_mode', 'half_pixel');
  const nearest = attrString(ctx.node, 'nearest_mode', 'round_prefer_floor');
  if (mode !== 'nearest' || ctm !== 'asymmetric' || nearest !== 'floor') fail(ctx, `only nearest/asymmetric/floor is implemented, not ${mode}/${ctm}/${nearest}`);
  const sizes = ctx.inputs[3];
  const scales = sizes ? toNumbers(sizes).map((d, i) => d / x.dims[i]) : toNumbers(ctx.inputs[2]!);
  const out = sizes ? toNumbers(sizes) : x.dims.map((d, i) => Math.floor(d * scales[i]));
  const st = strides(x.dims);
  return mapCoords(out, (c) => flatIndex(c.map((v, i) => Math.min(x.dims[i] - 1, Math.floor(v / scales[i]))), st));
}

/** Ops that are one index map from input 0. */
export const INDEX_MAPS = {
  Transpose: transposeMap,
  Slice: sliceMap,
  Expand: expandMap,
  Tile: tileMap,
  Pad: padMap,
  Gather: gatherMap,
  GatherElements: gatherElementsMap,
  DepthToSpace: depthToSpaceMap,
  SpaceToDepth: spaceToDepthMap,
  Resize: resizeMap,
} satisfies Record<string, (ctx: OpContext) => IndexMap>;
