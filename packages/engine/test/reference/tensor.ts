// Float64 reference tensors: the RefTensor type, constructors, conversion from the IR, and index helpers.
import { tensorSize } from '../../src/graph/ir.ts';
import type { TensorData } from '../../src/graph/ir.ts';

/** Element kinds of the reference interpreter: every float type is float64, every integer type is int64. */
export type RefDType = 'float' | 'int64' | 'bool';

/** A reference tensor: float64 values, int64 values as BigInt64Array, or bools as 0/1 bytes. */
export type RefTensor =
  | { dtype: 'float'; dims: number[]; data: Float64Array }
  | { dtype: 'int64'; dims: number[]; data: BigInt64Array }
  | { dtype: 'bool'; dims: number[]; data: Uint8Array };

/** The data array of any RefTensor. */
export type RefData = RefTensor['data'];

/** Index-assignable view of any RefData, for code that copies elements without looking at them. */
type Slots = { [i: number]: number | bigint; length: number };

/** Element count of `dims` (1 for a scalar). */
export const size = tensorSize;

/** Row-major strides of `dims`. */
export function strides(dims: readonly number[]): number[] {
  const s = new Array<number>(dims.length);
  let acc = 1;
  for (let i = dims.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= dims[i];
  }
  return s;
}

/** A zero-filled array for `dtype`. */
export function alloc(dtype: RefDType, n: number): RefData {
  return dtype === 'float' ? new Float64Array(n) : dtype === 'int64' ? new BigInt64Array(n) : new Uint8Array(n);
}

/** Wraps data of the matching kind into a tensor (the one place the dtype/data pairing is asserted). */
export function make(dtype: RefDType, dims: number[], data: RefData): RefTensor {
  if (data.length !== size(dims)) throw new Error(`tensor data has ${data.length} values for dims [${dims}]`);
  return { dtype, dims, data } as RefTensor;
}

/** A float tensor; `dims` defaults to 1-D. */
export function floatTensor(values: ArrayLike<number>, dims: number[] = [values.length]): RefTensor & { dtype: 'float' } {
  const data = Float64Array.from(values);
  if (data.length !== size(dims)) throw new Error(`${data.length} values for dims [${dims}]`);
  return { dtype: 'float', dims, data };
}

/** An int64 tensor from plain numbers. */
export function intTensor(values: ArrayLike<number>, dims: number[] = [values.length]): RefTensor & { dtype: 'int64' } {
  const data = BigInt64Array.from(Array.from(values, (v) => BigInt(v)));
  if (data.length !== size(dims)) throw new Error(`${data.length} values for dims [${dims}]`);
  return { dtype: 'int64', dims, data };
}

/** A bool tensor from booleans or 0/1. */
export function boolTensor(values: ArrayLike<boolean | number>, dims: number[] = [values.length]): RefTensor & { dtype: 'bool' } {
  const data = Uint8Array.from(Array.from(values, (v) => (v ? 1 : 0)));
  if (data.length !== size(dims)) throw new Error(`${data.length} values for dims [${dims}]`);
  return { dtype: 'bool', dims, data };
}

/** A float tensor of zeros. */
export function zeros(dims: number[]): RefTensor & { dtype: 'float' } {
  return { dtype: 'float', dims: [...dims], data: new Float64Array(size(dims)) };
}

/** Values of any tensor as plain numbers (int64 beyond 2^53 loses precision). */
export function toNumbers(t: RefTensor): number[] {
  return Array.from(t.data as ArrayLike<number | bigint>, Number);
}

/** The Float64Array of a float tensor; throws for other dtypes. */
export function floatData(t: RefTensor, what = 'tensor'): Float64Array {
  if (t.dtype !== 'float') throw new Error(`${what} should be a float tensor, got ${t.dtype}`);
  return t.data;
}

/** Converts an IR constant. Float types become float64, integer types int64; float16 is decoded. */
export function fromTensorData(t: TensorData): RefTensor {
  const dims = [...t.dims];
  switch (t.dtype) {
    case 'float32':
    case 'float64':
      return { dtype: 'float', dims, data: Float64Array.from(t.data as Float32Array | Float64Array) };
    case 'float16':
      return { dtype: 'float', dims, data: Float64Array.from(t.data as Uint16Array, halfToNumber) };
    case 'bool':
      return { dtype: 'bool', dims, data: Uint8Array.from(t.data as Uint8Array, (v) => (v ? 1 : 0)) };
    case 'int64':
      return { dtype: 'int64', dims, data: BigInt64Array.from(t.data as BigInt64Array) };
    case 'int32':
    case 'int16':
    case 'int8':
    case 'uint8':
      return { dtype: 'int64', dims, data: BigInt64Array.from(Array.from(t.data as Int32Array, (v) => BigInt(v))) };
    default:
      throw new Error(`the reference interpreter cannot hold ${t.dtype} tensors`);
  }
}

/** IEEE half-precision bits to a number. */
function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** Copies `src[map[i]]` into a fresh array of the same kind; map entries of -1 take `fill`. */
export function gatherData(src: RefData, map: Int32Array, fill: number | bigint = 0): RefData {
  const out = newLike(src, map.length) as unknown as Slots;
  const s = src as unknown as Slots;
  for (let i = 0; i < map.length; i++) out[i] = map[i] < 0 ? fill : s[map[i]];
  return out as unknown as RefData;
}

/** A zeroed array of the same kind as `src`. */
export function newLike(src: RefData, n: number): RefData {
  return src instanceof Float64Array ? new Float64Array(n) : src instanceof BigInt64Array ? new BigInt64Array(n) : new Uint8Array(n);
}

/** Copies `n` elements from `src[from..]` to `dst[to..]` (same kind). */
export function copyRange(dst: RefData, to: number, src: RefData, from: number, n: number): void {
  const d = dst as unknown as Slots;
  const s = src as unknown as Slots;
  for (let i = 0; i < n; i++) d[to + i] = s[from + i];
}

/** numpy broadcasting of any number of shapes; throws when they are incompatible. */
export function broadcastShapes(...shapes: (readonly number[])[]): number[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes)
    for (let i = 0; i < s.length; i++) {
      const j = rank - s.length + i;
      const d = s[i];
      if (d === out[j] || d === 1) continue;
      if (out[j] !== 1) throw new Error(`shapes ${shapes.map((x) => `[${x}]`).join(', ')} do not broadcast`);
      out[j] = d;
    }
  return out;
}

/** For each element of a tensor shaped `to`, the flat index of the element of `from` broadcast onto it. */
export function broadcastIndex(from: readonly number[], to: readonly number[]): Int32Array {
  const n = size(to);
  const map = new Int32Array(n);
  const offset = to.length - from.length;
  if (offset < 0) throw new Error(`cannot broadcast [${from}] to [${to}]`);
  const fs = strides(from);
  // Stride 0 on broadcast (size-1 or missing) axes.
  const eff = to.map((d, j) => {
    const i = j - offset;
    if (i < 0) return 0;
    if (from[i] !== d && from[i] !== 1) throw new Error(`cannot broadcast [${from}] to [${to}]`);
    return from[i] === 1 ? 0 : fs[i];
  });
  const idx = new Array<number>(to.length).fill(0);
  let src = 0;
  for (let k = 0; k < n; k++) {
    map[k] = src;
    for (let j = to.length - 1; j >= 0; j--) {
      idx[j]++;
      src += eff[j];
      if (idx[j] < to[j]) break;
      src -= eff[j] * idx[j];
      idx[j] = 0;
    }
  }
  return map;
}

/** Normalises a possibly negative axis into [0, rank); throws when out of range. */
export function normAxis(axis: number, rank: number, what = 'axis'): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank || !Number.isInteger(a)) throw new Error(`${what} ${axis} is out of range for rank ${rank}`);
  return a;
}

/** Sums `src` (shaped like the broadcast target) back onto a tensor of `dims`, the adjoint of broadcasting. */
export function unbroadcast(src: Float64Array, srcDims: readonly number[], dims: readonly number[]): Float64Array {
  const out = new Float64Array(size(dims));
  const map = broadcastIndex(dims, srcDims);
  for (let i = 0; i < src.length; i++) out[map[i]] += src[i];
  return out;
}

/** Calls `fn` with the coordinates of every element of `dims` in row-major order (coords is reused). */
export function forEachIndex(dims: readonly number[], fn: (coords: number[], flat: number) => void): void {
  const n = size(dims);
  const c = new Array<number>(dims.length).fill(0);
  for (let k = 0; k < n; k++) {
    fn(c, k);
    for (let j = dims.length - 1; j >= 0; j--) {
      if (++c[j] < dims[j]) break;
      c[j] = 0;
    }
  }
}
