// Ops that make tensors from shapes or attributes: Shape, Size, Constant, ConstantOfShape, Range, NonZero.
import { attrFloat, attrFloats, attrInt, attrInts, attrTensor } from '../../../src/graph/attrs.ts';
import { fromTensorData, intTensor, make, strides } from '../tensor.ts';
import type { RefTensor } from '../tensor.ts';
import { fail, input, intsInput } from './context.ts';
import type { OpImpl } from './context.ts';

/** Shape with the start/end attributes (opset 15), clamped like Slice. */
const shape: OpImpl = (ctx) => {
  const dims = input(ctx, 0).dims;
  const r = dims.length;
  const clampAxis = (a: number) => Math.min(Math.max(a < 0 ? a + r : a, 0), r);
  const start = clampAxis(attrInt(ctx.node, 'start', 0));
  const end = clampAxis(attrInt(ctx.node, 'end', r));
  return [intTensor(dims.slice(start, Math.max(start, end)))];
};

const sizeOp: OpImpl = (ctx) => [intTensor([input(ctx, 0).data.length], [])];

/** Constant from value, value_float(s) or value_int(s). */
const constant: OpImpl = (ctx) => {
  const { attrs } = ctx.node;
  const t = attrTensor(ctx.node, 'value');
  if (t) return [fromTensorData(t)];
  if (attrs.value_float) return [make('float', [], Float64Array.of(attrFloat(ctx.node, 'value_float', 0)))];
  if (attrs.value_floats) return [make('float', [attrFloats(ctx.node, 'value_floats')!.length], Float64Array.from(attrFloats(ctx.node, 'value_floats')!))];
  if (attrs.value_int) return [intTensor([attrInt(ctx.node, 'value_int', 0)], [])];
  if (attrs.value_ints) return [intTensor(attrInts(ctx.node, 'value_ints', []))];
  return fail(ctx, `unsupported value attribute (${Object.keys(attrs).join(', ') || 'none'})`);
};

/** ConstantOfShape: fills the given shape with the one-element value (float 0 by default). */
const constantOfShape: OpImpl = (ctx) => {
  const dims = intsInput(ctx, 0);
  if (!dims) fail(ctx, 'input is required');
  const t = attrTensor(ctx.node, 'value');
  const v: RefTensor = t ? fromTensorData(t) : make('float', [1], new Float64Array(1));
  if (v.data.length !== 1) fail(ctx, 'value should hold one element');
  const n = dims.reduce((a, b) => a * b, 1);
  const data = v.dtype === 'float' ? new Float64Array(n).fill(v.data[0]) : v.dtype === 'int64' ? new BigInt64Array(n).fill(v.data[0]) : new Uint8Array(n).fill(v.data[0]);
  return [make(v.dtype, dims, data)];
};

/** Range: max(ceil((limit - start) / delta), 0) elements start + i * delta. */
const range: OpImpl = (ctx) => {
  const [s, l, d] = [0, 1, 2].map((i) => input(ctx, i));
  if (s.dtype !== l.dtype || s.dtype !== d.dtype) fail(ctx, 'inputs mix dtypes');
  const [start, limit, delta] = [s, l, d].map((t) => Number(t.data[0]));
  if (delta === 0) fail(ctx, 'delta is 0');
  const n = Math.max(Math.ceil((limit - start) / delta), 0);
  const values = Array.from({ length: n }, (_, i) => start + i * delta);
  if (s.dtype === 'int64') return [intTensor(values)];
  return [make('float', [n], Float64Array.from(values))];
};

/** NonZero: the [rank, count] coordinates of the non-zero elements, in row-major order. */
const nonZero: OpImpl = (ctx) => {
  const x = input(ctx, 0);
  const r = x.dims.length;
  const st = strides(x.dims);
  const hits: number[] = [];
  for (let i = 0; i < x.data.length; i++) if (x.data[i]) hits.push(i);
  const out: number[] = [];
  for (let j = 0; j < r; j++) for (const h of hits) out.push(Math.floor(h / st[j]) % x.dims[j]);
  return [intTensor(out, [r, hits.length])];
};

/** The generator op table. */
export const GENERATOR_OPS: Record<string, OpImpl> = {
  Shape: shape,
  Size: sizeOp,
  Constant: constant,
  ConstantOfShape: constantOfShape,
  Range: range,
  NonZero: nonZero,
};
