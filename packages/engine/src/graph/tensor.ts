// Conversions between ONNX TensorProto and TensorData, and the dtype <-> ONNX enum tables.
import { create } from '@bufbuild/protobuf';
import { TensorProtoSchema, TensorProto_DataType as DT, TensorProto_DataLocation } from 'onnx-buf';
import type { TensorProto } from 'onnx-buf';
import { registerTensorDecoder, tensorSize } from './ir.ts';
import { ModelFormatError } from './model-format-error.ts';
import type { DType, TensorData, TypedArray } from './ir.ts';

const toOnnx: Record<Exclude<DType, 'other'>, DT> = {
  float32: DT.FLOAT,
  float64: DT.DOUBLE,
  float16: DT.FLOAT16,
  int64: DT.INT64,
  int32: DT.INT32,
  int16: DT.INT16,
  int8: DT.INT8,
  uint8: DT.UINT8,
  bool: DT.BOOL,
  string: DT.STRING,
};

export function dtypeFromOnnx(code: number): DType {
  for (const [k, v] of Object.entries(toOnnx)) if (v === code) return k as DType;
  return 'other';
}

export function dtypeToOnnx(dtype: DType): number {
  if (dtype === 'other') throw new Error('cannot write a tensor of an unsupported dtype');
  return toOnnx[dtype];
}

export function isFloat(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64' || dtype === 'float16';
}

function arrayFor(dtype: DType, n: number): TypedArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(n);
    case 'float64':
      return new Float64Array(n);
    case 'int64':
      return new BigInt64Array(n);
    case 'int32':
      return new Int32Array(n);
    case 'int16':
      return new Int16Array(n);
    case 'int8':
      return new Int8Array(n);
    case 'uint8':
    case 'bool':
      return new Uint8Array(n);
    case 'float16':
      return new Uint16Array(n);
    default:
      throw new Error(`cannot decode a tensor of dtype ${dtype}`);
  }
}

/** Bytes per element of the dtypes decodeTensor reads. */
const ELEMENT_BYTES: Partial<Record<DType, number>> = { float32: 4, float64: 8, float16: 2, int64: 8, int32: 4, int16: 2, int8: 1, uint8: 1, bool: 1 };

/** How many values a TensorProto's typed field (the one its dtype is stored in) holds. */
function typedValueCount(t: TensorProto, dtype: DType): number {
  if (dtype === 'float32') return t.floatData.length;
  if (dtype === 'float64') return t.doubleData.length;
  if (dtype === 'int64') return t.int64Data.length;
  if (dtype === 'string') return t.stringData.length;
  return t.int32Data.length;
}

const gib = (bytes: number) => (bytes >= 2 ** 30 ? ` (${+(bytes / 2 ** 30).toFixed(1)} GiB)` : '');

/**
 * Checks what a TensorProto declares against what it holds, without decoding it: dimensions are
 * non-negative integers, the data is inside the file, and its size is what the dims and dtype say
 * (so a tensor declaring 2 GiB in a small file is refused before anything is allocated). Returns the dims.
 */
export function checkTensorProto(t: TensorProto, what: string): number[] {
  const named = `${what} "${t.name}"`;
  const dims = t.dims.map(Number);
  if (dims.some((d) => !Number.isSafeInteger(d) || d < 0)) throw new ModelFormatError(`${named} has dimensions [${t.dims.join(', ')}]; dimensions must be non-negative integers`);
  const n = tensorSize(dims);
  if (!Number.isSafeInteger(n)) throw new ModelFormatError(`${named} declares [${dims.join(', ')}], more values than any file can hold`);
  if (t.dataLocation === TensorProto_DataLocation.EXTERNAL || t.externalData.length > 0)
    throw new ModelFormatError(`${named} uses external data, which is not supported; re-export the model with all weights inside the .onnx file`);
  const dtype = dtypeFromOnnx(t.dataType);
  const size = ELEMENT_BYTES[dtype];
  if (size === undefined) return dims;
  const declared = `[${dims.join(', ')}] ${dtype}${gib(n * size)}`;
  if (t.rawData.length > 0) {
    if (t.rawData.length !== n * size) throw new ModelFormatError(`${named} declares ${declared}, ${n * size} bytes, but holds ${t.rawData.length} bytes of data; the file is truncated or corrupt`);
  } else if (n > 0 && typedValueCount(t, dtype) !== n) {
    throw new ModelFormatError(`${named} declares ${declared}, ${n} values, but holds ${typedValueCount(t, dtype)}; the file is truncated or corrupt`);
  }
  return dims;
}

/** Decodes a TensorProto's values (raw_data or the typed repeated fields), after {@link checkTensorProto}. External data is rejected. */
export function decodeTensor(t: TensorProto): TensorData {
  const dims = checkTensorProto(t, 'tensor');
  const dtype = dtypeFromOnnx(t.dataType);
  if (ELEMENT_BYTES[dtype] === undefined) throw new ModelFormatError(`tensor "${t.name}" has ONNX data type ${t.dataType} (${dtype}), which cannot be decoded`);
  const n = tensorSize(dims);
  const out = arrayFor(dtype, n);
  if (t.rawData.length > 0) {
    new Uint8Array(out.buffer).set(t.rawData);
    return { dtype, dims, data: out };
  }
  const src: ArrayLike<number | bigint> =
    dtype === 'float32' ? t.floatData : dtype === 'float64' ? t.doubleData : dtype === 'int64' ? t.int64Data : t.int32Data;
  for (let i = 0; i < n; i++) (out as unknown as (number | bigint)[])[i] = dtype === 'int64' ? BigInt(src[i]) : Number(src[i]);
  return { dtype, dims, data: out };
}
registerTensorDecoder(decodeTensor);

export function encodeTensor(name: string, t: TensorData): TensorProto {
  const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  return create(TensorProtoSchema, {
    name,
    dataType: dtypeToOnnx(t.dtype),
    dims: t.dims.map(BigInt),
    rawData: new Uint8Array(bytes) as Uint8Array<ArrayBuffer>,
  });
}

export function f32(values: number[] | Float32Array, dims: number[] = [values.length]): TensorData {
  return { dtype: 'float32', dims, data: Float32Array.from(values) };
}

export function i64(values: number[], dims: number[] = [values.length]): TensorData {
  return { dtype: 'int64', dims, data: BigInt64Array.from(values.map(BigInt)) };
}

/** Reads a small integer tensor (shapes, axes) as numbers. */
export function intValues(t: TensorData): number[] {
  return Array.from(t.data as ArrayLike<number | bigint>, Number);
}

export function floatValues(t: TensorData): number[] {
  return Array.from(t.data as ArrayLike<number | bigint>, Number);
}
