// Static shape inference with symbolic dims, plus value propagation for small integer (shape) tensors.
import { attrFloats, attrInt, attrInts, attrString, attrTensor } from './attrs.ts';
import type { DType, Dim, Model, Node } from './ir.ts';
import { dtypeFromOnnx, intValues } from './tensor.ts';

export interface ValueType {
  dtype: DType;
  /** Undefined when even the rank is unknown. */
  shape?: Dim[];
  /** The contents of a small int64/int32 tensor, where known (numbers or dim symbols). */
  value?: Dim[];
}

export type ShapeMap = Map<string, ValueType>;

const MAX_VALUE_SIZE = 64;

/** Infers every value's dtype and shape, in node order (the graph must be topologically sorted). */
export function inferShapes(model: Model): ShapeMap {
  const g = model.graph;
  const types: ShapeMap = new Map();
  for (const v of g.valueInfo.values()) types.set(v.name, { dtype: v.dtype, shape: v.shape });
  for (const v of g.inputs) types.set(v.name, { dtype: v.dtype, shape: v.shape });
  for (const init of g.initializers.values()) {
    const t: ValueType = { dtype: init.dtype, shape: [...init.dims] };
    if ((init.dtype === 'int64' || init.dtype === 'int32') && init.size <= MAX_VALUE_SIZE) t.value = intValues(init.tensor);
    types.set(init.name, t);
  }
  for (const node of g.nodes) {
    const ins = node.inputs.map((i) => (i ? types.get(i) : undefined));
    let outs: (ValueType | undefined)[];
    try {
      outs = inferNode(node, ins, model.opset);
    } catch {
      outs = [];
    }
    node.outputs.forEach((o, k) => {
      if (!o) return;
      const inferred = outs[k];
      const hint = g.valueInfo.get(o);
      if (inferred && inferred.shape) types.set(o, inferred);
      else if (hint) types.set(o, { dtype: inferred?.dtype ?? hint.dtype, shape: hint.shape, value: inferred?.value });
      else types.set(o, inferred ?? { dtype: ins[0]?.dtype ?? 'other' });
    });
  }
  return types;
}

const isNum = (d: Dim | undefined): d is number => typeof d === 'number';

export function dimProduct(dims: Dim[]): Dim {
  let num = 1;
  const syms: string[] = [];
  for (const d of dims) if (isNum(d)) num *= d;
  else syms.push(d);
  if (syms.length === 0) return num;
  if (num === 1 && syms.length === 1) return syms[0];
  return [...syms, ...(num === 1 ? [] : [String(num)])].join('*');
}

function dimArith(op: string, a: Dim, b: Dim): Dim {
  if (isNum(a) && isNum(b)) {
    switch (op) {
      case 'Add':
        return a + b;
      case 'Sub':
        return a - b;
      case 'Mul':
        return a * b;
      case 'Div':
        return Math.trunc(a / b);
    }
  }
  if ((op === 'Add' || op === 'Sub') && b === 0) return a;
  if (op === 'Add' && a === 0) return b;
  if (op === 'Mul' && b === 1) return a;
  if (op === 'Mul' && a === 1) return b;
  if ((op === 'Div' || op === 'Mul') && isNum(b) && b === 1) return a;
  return `(${a}${{ Add: '+', Sub: '-', Mul: '*', Div: '/' }[op] ?? '?'}${b})`;
}

export function broadcastShapes(...shapes: Dim[][]): Dim[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    let d: Dim = 1;
    for (const s of shapes) {
      const e = s[s.length - rank + i];
      if (e === undefined || e === 1) continue;
      if (d === 1 || (!isNum(d) && isNum(e))) d = e;
    }
    out.push(d);
  }
  return out;
}

const normAxis = (axis: number, rank: number) => (axis < 0 ? axis + rank : axis);

/** Axes from the attribute (older opsets) or the second input (newer). */
function axesOf(node: Node, ins: (ValueType | undefined)[], inputIndex: number): number[] | undefined {
  const fromAttr = attrInts(node, 'axes');
  if (fromAttr) return fromAttr;
  const v = ins[inputIndex]?.value;
  if (node.inputs[inputIndex] && !v) throw new Error('axes not static');
  return v?.map(Number);
}

/** One spatial axis of a window: kernel size, stride, dilation and the padding before and after. */
interface WindowAxis {
  k: number;
  s: number;
  d: number;
  pb: number;
  pe: number;
}

function poolOut(inDim: Dim, { k, s, d, pb, pe }: WindowAxis, ceil: boolean): Dim {
  if (!isNum(inDim)) return `${inDim}'`;
  const span = inDim + pb + pe - d * (k - 1) - 1;
  let out = (ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
  // ONNX/PyTorch: with ceil_mode, the last window must start inside the input or left padding.
  if (ceil && (out - 1) * s >= inDim + pb) out -= 1;
  return out;
}

/** Spatial output sizes of Conv/MaxPool/AveragePool, honouring auto_pad. */
export function spatialOut(node: Node, inSpatial: Dim[], kernel: number[], ceil = false): Dim[] {
  const n = kernel.length;
  const strides = attrInts(node, 'strides', Array(n).fill(1));
  const dil = attrInts(node, 'dilations', Array(n).fill(1));
  const autoPad = attrString(node, 'auto_pad', 'NOTSET');
  const pads = attrInts(node, 'pads', Array(2 * n).fill(0));
  return inSpatial.map((d, i) => {
    if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') return isNum(d) ? Math.ceil(d / strides[i]) : d;
    const axis = { k: kernel[i], s: strides[i], d: dil[i] };
    if (autoPad === 'VALID') return poolOut(d, { ...axis, pb: 0, pe: 0 }, false);
    return poolOut(d, { ...axis, pb: pads[i], pe: pads[i + n] }, ceil);
  });
}

type Infer = (node: Node, ins: (ValueType | undefined)[], opset: number) => (ValueType | undefined)[];

const same: Infer = (_n, ins) => [ins[0] && { dtype: ins[0].dtype, shape: ins[0].shape }];

const elementwiseBinary: Infer = (node, ins) => {
  const [a, b] = ins;
  if (!a?.shape || !b?.shape) return [{ dtype: a?.dtype ?? 'float32' }];
  const out: ValueType = { dtype: a.dtype, shape: broadcastShapes(a.shape, b.shape) };
  if (a.value && b.value && ['Add', 'Sub', 'Mul', 'Div'].includes(node.op)) {
    const n = Math.max(a.value.length, b.value.length);
    out.value = Array.from({ length: n }, (_, i) => dimArith(node.op, a.value![a.value!.length === 1 ? 0 : i], b.value![b.value!.length === 1 ? 0 : i]));
  }
  return [out];
};

/**
 * `a op b` on dims, where it is decided: numbers compare as numbers; a symbol equals itself and, being a size,
 * is never negative (torch.onnx compares shapes with −1 to tell "keep this dim" apart). Undefined otherwise.
 */
function compareDims(op: string, a: Dim, b: Dim): boolean | undefined {
  if (isNum(a) && isNum(b))
    return { Equal: a === b, Less: a < b, Greater: a > b, LessOrEqual: a <= b, GreaterOrEqual: a >= b }[op];
  if (op !== 'Equal') return undefined;
  if (a === b) return true;
  if ((isNum(a) && a < 0) || (isNum(b) && b < 0)) return false;
  return undefined;
}

/** Elementwise values of two small 1-D (or scalar) tensors, broadcasting a single value; undefined when any is unknown. */
function zipValues<T>(a: Dim[] | undefined, b: Dim[] | undefined, f: (x: Dim, y: Dim) => T | undefined): T[] | undefined {
  if (!a || !b || (a.length !== b.length && a.length !== 1 && b.length !== 1)) return undefined;
  const out: T[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const v = f(a[a.length === 1 ? 0 : i], b[b.length === 1 ? 0 : i]);
    if (v === undefined) return undefined;
    out.push(v);
  }
  return out;
}

const comparison: Infer = (node, ins) => {
  const out: ValueType = { dtype: 'bool', shape: ins[0]?.shape && ins[1]?.shape && broadcastShapes(ins[0].shape, ins[1].shape) };
  const v = zipValues(ins[0]?.value, ins[1]?.value, (a, b) => compareDims(node.op, a, b));
  if (v) out.value = v.map(Number);
  return [out];
};

const variadic: Infer = (_n, ins) => {
  const shapes = ins.map((t) => t?.shape);
  return [{ dtype: ins[0]!.dtype, shape: shapes.every(Boolean) ? broadcastShapes(...(shapes as Dim[][])) : undefined }];
};

function reduce(node: Node, ins: (ValueType | undefined)[], opset: number): ValueType[] {
  const x = ins[0]!;
  const keep = attrInt(node, 'keepdims', 1) === 1;
  const axesAsInput = node.op === 'ReduceSum' ? opset >= 13 : opset >= 18;
  const axes = axesAsInput ? axesOf(node, ins, 1) : attrInts(node, 'axes');
  if (!x.shape) return [{ dtype: x.dtype }];
  const rank = x.shape.length;
  const noop = attrInt(node, 'noop_with_empty_axes', 0) === 1;
  if ((!axes || axes.length === 0) && noop) return [{ dtype: x.dtype, shape: x.shape }];
  const set = new Set((axes && axes.length ? axes : x.shape.map((_, i) => i)).map((a) => normAxis(a, rank)));
  const shape = x.shape.flatMap((d, i) => (set.has(i) ? (keep ? [1] : []) : [d]));
  return [{ dtype: x.dtype, shape }];
}

function reshapeTarget(inShape: Dim[] | undefined, target: Dim[], allowzero: boolean): Dim[] {
  const out = target.map((d, i) => (d === 0 && !allowzero && inShape ? inShape[i] : d));
  const neg = out.indexOf(-1);
  if (neg >= 0 && inShape) {
    const known = out.filter((d, i) => i !== neg);
    const total = dimProduct(inShape);
    const part = dimProduct(known);
    if (isNum(total) && isNum(part)) out[neg] = total / part;
    else if (total === part) out[neg] = 1;
    else {
      // Cancel the symbolic factors the two products share, e.g. N*64 / 64 = N.
      const tf = String(total).split('*');
      const pf = String(part).split('*');
      const rest = [...tf];
      let num = 1;
      for (const f of pf) {
        const k = rest.indexOf(f);
        if (k >= 0) rest.splice(k, 1);
        else if (/^\d+$/.test(f)) num *= Number(f);
        else return out.map((d, i) => (i === neg ? `?reshape` : d));
      }
      const restNum = rest.filter((f) => /^\d+$/.test(f)).reduce((a, f) => a * Number(f), 1);
      const restSym = rest.filter((f) => !/^\d+$/.test(f));
      const q = restNum / num;
      out[neg] = restSym.length === 0 ? q : q === 1 ? restSym.join('*') : [...restSym, String(q)].join('*');
    }
  }
  return out;
}

const INFER: Record<string, Infer> = {
  Identity: (_n, ins) => [ins[0]],
  Dropout: (_n, ins) => [ins[0], ins[0] && { dtype: 'bool', shape: ins[0].shape }],
  Cast: (node, ins) => [{ dtype: dtypeFromOnnx(attrInt(node, 'to', 1)), shape: ins[0]?.shape, value: ins[0]?.value }],
  Shape: (node, ins) => {
    const s = ins[0]?.shape;
    if (!s) return [{ dtype: 'int64' }];
    const start = normAxis(attrInt(node, 'start', 0), s.length);
    const end = normAxis(attrInt(node, 'end', s.length), s.length);
    const v = s.slice(Math.max(0, start), Math.min(s.length, end));
    return [{ dtype: 'int64', shape: [v.length], value: v }];
  },
  Size: (_n, ins) => [{ dtype: 'int64', shape: [], value: ins[0]?.shape ? [dimProduct(ins[0].shape)] : undefined }],
  Constant: (node) => {
    const t = attrTensor(node, 'value');
    if (t) return [{ dtype: t.dtype, shape: t.dims, value: t.dtype === 'int64' && t.data.length <= MAX_VALUE_SIZE ? intValues(t) : undefined }];
    const f = node.attrs['value_float'];
    if (f) return [{ dtype: 'float32', shape: [] }];
    const fs = attrFloats(node, 'value_floats');
    if (fs) return [{ dtype: 'float32', shape: [fs.length] }];
    const i = attrInt(node, 'value_int');
    if (i !== undefined) return [{ dtype: 'int64', shape: [], value: [i] }];
    const is = attrInts(node, 'value_ints');
    if (is) return [{ dtype: 'int64', shape: [is.length], value: is }];
    return [];
  },
  ConstantOfShape: (node, ins) => {
    const t = attrTensor(node, 'value');
    const dtype = t?.dtype ?? 'float32';
    const shape = ins[0]?.value;
    const out: ValueType = { dtype, shape };
    if (shape && (dtype === 'int64' || dtype === 'int32') && shape.every(isNum) && (shape as number[]).reduce((a, b) => a * b, 1) <= MAX_VALUE_SIZE)
      out.value = Array((shape as number[]).reduce((a, b) => a * b, 1)).fill(t ? intValues(t)[0] : 0);
    return [out];
  },
  Range: (_n, ins) => {
    const [s, l, d] = ins.map((t) => t?.value?.[0]);
    const len = isNum(s) && isNum(l) && isNum(d) ? Math.max(0, Math.ceil((l - s) / d)) : '?range';
    return [{ dtype: ins[0]!.dtype, shape: [len] }];
  },
  Add: elementwiseBinary,
  Sub: elementwiseBinary,
  Mul: elementwiseBinary,
  Div: elementwiseBinary,
  Pow: (n, ins) => [{ ...elementwiseBinary(n, ins, 0)[0]!, value: undefined }],
  PRelu: (_n, ins) => [ins[0]],
  Equal: comparison,
  Greater: comparison,
  GreaterOrEqual: comparison,
  Less: comparison,
  LessOrEqual: comparison,
  And: comparison,
  Or: comparison,
  Xor: comparison,
  Not: (_n, [x]) => [{ dtype: 'bool', shape: x?.shape, value: x?.value?.map((v) => (isNum(v) ? Number(!v) : v)) }],
  Max: variadic,
  Min: variadic,
  Sum: variadic,
  Where: (_n, ins) => {
    const out: ValueType = { dtype: ins[1]!.dtype, shape: ins.every((t) => t?.shape) ? broadcastShapes(...ins.map((t) => t!.shape!)) : undefined };
    // Picks between shape vectors, as torch.onnx's expand(-1) handling does: Where(Equal(s, −1), ones, s).
    const [c, a, b] = ins.map((t) => t?.value);
    const n = Math.max(c?.length ?? 0, a?.length ?? 0, b?.length ?? 0);
    const at = (v: Dim[], i: number) => v[v.length === 1 ? 0 : i];
    if (c && a && b && [c, a, b].every((v) => v.length === 1 || v.length === n) && c.every(isNum))
      out.value = Array.from({ length: n }, (_, i) => (at(c, i) ? at(a, i) : at(b, i)));
    return [out];
  },
  MatMul: (_n, [a, b]) => {
    if (!a?.shape || !b?.shape) return [{ dtype: a!.dtype }];
    const as = a.shape.length === 1 ? [1, a.shape[0]] : a.shape;
    const bs = b.shape.length === 1 ? [b.shape[0], 1] : b.shape;
    const batch = broadcastShapes(as.slice(0, -2), bs.slice(0, -2));
    const shape = [...batch, ...(a.shape.length === 1 ? [] : [as[as.length - 2]]), ...(b.shape.length === 1 ? [] : [bs[bs.length - 1]])];
    return [{ dtype: a.dtype, shape }];
  },
  Gemm: (node, [a, b]) => {
    const m = a?.shape?.[attrInt(node, 'transA', 0) ? 1 : 0];
    const n = b?.shape?.[attrInt(node, 'transB', 0) ? 0 : 1];
    return [{ dtype: a!.dtype, shape: m !== undefined && n !== undefined ? [m, n] : undefined }];
  },
  Conv: (node, [x, w]) => {
    if (!x?.shape || !w?.shape) return [{ dtype: x!.dtype }];
    const kernel = attrInts(node, 'kernel_shape') ?? (w.shape.slice(2) as number[]);
    return [{ dtype: x.dtype, shape: [x.shape[0], w.shape[0], ...spatialOut(node, x.shape.slice(2), kernel)] }];
  },
  ConvTranspose: (node, [x, w]) => {
    if (!x?.shape || !w?.shape) return [{ dtype: x!.dtype }];
    const k = attrInts(node, 'kernel_shape') ?? (w.shape.slice(2) as number[]);
    const n = k.length;
    const s = attrInts(node, 'strides', Array(n).fill(1));
    const d = attrInts(node, 'dilations', Array(n).fill(1));
    const p = attrInts(node, 'pads', Array(2 * n).fill(0));
    const op = attrInts(node, 'output_padding', Array(n).fill(0));
    const explicit = attrInts(node, 'output_shape');
    const spatial = x.shape.slice(2).map((dim, i) =>
      explicit ? explicit[i] : isNum(dim) ? s[i] * (dim - 1) + op[i] + ((k[i] - 1) * d[i] + 1) - p[i] - p[i + n] : `${dim}^`,
    );
    return [{ dtype: x.dtype, shape: [x.shape[0], (w.shape[1] as number) * attrInt(node, 'group', 1), ...spatial] }];
  },
  MaxPool: (node, [x]) => {
    if (!x?.shape) return [{ dtype: x!.dtype }];
    const k = attrInts(node, 'kernel_shape')!;
    const shape = [x.shape[0], x.shape[1], ...spatialOut(node, x.shape.slice(2), k, attrInt(node, 'ceil_mode', 0) === 1)];
    return [{ dtype: x.dtype, shape }, { dtype: 'int64', shape }];
  },
  AveragePool: (node, ins) => INFER.MaxPool(node, ins, 0).slice(0, 1),
  GlobalAveragePool: (_n, [x]) => [{ dtype: x!.dtype, shape: x?.shape && [x.shape[0], x.shape[1], ...x.shape.slice(2).map(() => 1)] }],
  GlobalMaxPool: (n, ins) => INFER.GlobalAveragePool(n, ins, 0),
  BatchNormalization: same,
  LayerNormalization: (node, [x]) => {
    if (!x?.shape) return [{ dtype: x!.dtype }];
    const axis = normAxis(attrInt(node, 'axis', -1), x.shape.length);
    const stat = x.shape.map((d, i) => (i < axis ? d : 1));
    return [{ dtype: x.dtype, shape: x.shape }, { dtype: 'float32', shape: stat }, { dtype: 'float32', shape: stat }];
  },
  Softmax: same,
  LogSoftmax: same,
  ArgMax: (node, ins) => reduce({ ...node, op: 'ReduceMax', attrs: { ...node.attrs, axes: { type: 'ints', value: [attrInt(node, 'axis', 0)] } } }, ins, 13).map((t) => ({ ...t, dtype: 'int64' as DType })),
  ReduceSum: reduce,
  ReduceMean: reduce,
  ReduceMax: reduce,
  ReduceMin: reduce,
  ReduceProd: (node, ins, opset) => {
    const out = reduce(node, ins, opset);
    const v = ins[0]?.value;
    if (v && out[0].shape && out[0].shape.length <= 1) out[0].value = [v.reduce((a, b) => dimArith('Mul', a, b), 1 as Dim)];
    return out;
  },
  ReduceL2: reduce,
  Flatten: (node, [x]) => {
    if (!x?.shape) return [{ dtype: x!.dtype }];
    const axis = normAxis(attrInt(node, 'axis', 1), x.shape.length);
    return [{ dtype: x.dtype, shape: [dimProduct(x.shape.slice(0, axis)), dimProduct(x.shape.slice(axis))] }];
  },
  Reshape: (node, [x, s]) => {
    if (!s?.value) return [{ dtype: x!.dtype, shape: s?.shape && isNum(s.shape[0]) ? Array.from({ length: s.shape[0] }, (_, i) => `?r${i}`) : undefined }];
    return [{ dtype: x!.dtype, shape: reshapeTarget(x?.shape, s.value, attrInt(node, 'allowzero', 0) === 1), value: x?.value }];
  },
  Transpose: (node, [x]) => {
    if (!x?.shape) return [{ dtype: x!.dtype }];
    const perm = attrInts(node, 'perm') ?? x.shape.map((_, i) => x.shape!.length - 1 - i);
    return [{ dtype: x.dtype, shape: perm.map((p) => x.shape![p]) }];
  },
  Squeeze: (node, ins) => {
    const x = ins[0]!;
    if (!x.shape) return [{ dtype: x.dtype }];
    const axes = axesOf(node, ins, 1);
    const set = new Set((axes ?? x.shape.flatMap((d, i) => (d === 1 ? [i] : []))).map((a) => normAxis(a, x.shape!.length)));
    return [{ dtype: x.dtype, shape: x.shape.filter((_, i) => !set.has(i)), value: x.value }];
  },
  Unsqueeze: (node, ins) => {
    const x = ins[0]!;
    if (!x.shape) return [{ dtype: x.dtype }];
    const axes = axesOf(node, ins, 1)!;
    const rank = x.shape.length + axes.length;
    const set = new Set(axes.map((a) => normAxis(a, rank)));
    const shape: Dim[] = [];
    let k = 0;
    for (let i = 0; i < rank; i++) shape.push(set.has(i) ? 1 : x.shape[k++]);
    return [{ dtype: x.dtype, shape, value: x.value }];
  },
  Concat: (node, ins) => {
    const shapes = ins.map((t) => t?.shape);
    if (!shapes.every(Boolean)) return [{ dtype: ins[0]!.dtype }];
    const axis = normAxis(attrInt(node, 'axis', 0), shapes[0]!.length);
    const shape = [...shapes[0]!];
    shape[axis] = shapes.map((s) => s![axis]).reduce((a, b) => dimArith('Add', a, b));
    const out: ValueType = { dtype: ins[0]!.dtype, shape };
    if (ins.every((t) => t?.value) && shape.length === 1) out.value = ins.flatMap((t) => t!.value!);
    return [out];
  },
  Split: (node, ins) => {
    const x = ins[0]!;
    if (!x.shape) return node.outputs.map(() => ({ dtype: x.dtype }));
    const axis = normAxis(attrInt(node, 'axis', 0), x.shape.length);
    const sizes = attrInts(node, 'split') ?? ins[1]?.value;
    const n = node.outputs.length;
    return node.outputs.map((_, i) => {
      const shape = [...x.shape!];
      const d = x.shape![axis];
      shape[axis] = sizes ? sizes[i] : isNum(d) ? (i < n - 1 ? Math.ceil(d / n) : d - Math.ceil(d / n) * (n - 1)) : `?split${i}`;
      return { dtype: x.dtype, shape };
    });
  },
  Slice: (_node, ins) => {
    const x = ins[0]!;
    if (!x.shape) return [{ dtype: x.dtype }];
    const [starts, ends, axesIn, stepsIn] = [ins[1]?.value, ins[2]?.value, ins[3]?.value, ins[4]?.value];
    if (!starts || !ends) return [{ dtype: x.dtype, shape: x.shape.map((_, i) => `?slice${i}`) }];
    const rank = x.shape.length;
    const axes = (axesIn ?? starts.map((_, i) => i)).map((a) => normAxis(Number(a), rank));
    const shape = [...x.shape];
    let value = x.value;
    axes.forEach((a, i) => {
      const dim = x.shape![a];
      const step = Number(stepsIn?.[i] ?? 1);
      if (!isNum(dim) || !isNum(starts[i]) || !isNum(ends[i])) {
        shape[a] = `?slice${a}`;
        value = undefined;
        return;
      }
      const [s, e] = sliceRange(starts[i] as number, ends[i] as number, step, dim);
      shape[a] = Math.max(0, Math.ceil((e - s) / step));
      if (value && rank === 1) value = Array.from({ length: shape[a] as number }, (_, j) => value![s + j * step]);
    });
    return [{ dtype: x.dtype, shape, value: rank === 1 ? value : undefined }];
  },
  Gather: (node, [x, idx]) => {
    if (!x?.shape || !idx?.shape) return [{ dtype: x!.dtype }];
    const axis = normAxis(attrInt(node, 'axis', 0), x.shape.length);
    const shape = [...x.shape.slice(0, axis), ...idx.shape, ...x.shape.slice(axis + 1)];
    const out: ValueType = { dtype: x.dtype, shape };
    if (x.value && idx.value && x.shape.length === 1) out.value = idx.value.map((i) => x.value![isNum(i) && i < 0 ? i + x.value!.length : (i as number)]);
    return [out];
  },
  GatherElements: (_n, [x, idx]) => [{ dtype: x!.dtype, shape: idx?.shape }],
  Expand: (_n, [x, s]) => [{ dtype: x!.dtype, shape: x?.shape && s?.value ? broadcastShapes(x.shape, s.value) : undefined }],
  Tile: (_n, [x, r]) => [{ dtype: x!.dtype, shape: x?.shape && r?.value ? x.shape.map((d, i) => dimArith('Mul', d, r.value![i])) : undefined }],
  Pad: (node, ins) => {
    const x = ins[0]!;
    const pads = attrInts(node, 'pads') ?? ins[1]?.value;
    if (!x.shape || !pads) return [{ dtype: x.dtype, shape: x.shape?.map((_, i) => `?pad${i}`) }];
    const rank = x.shape.length;
    const axes = ins[3]?.value?.map((a) => normAxis(Number(a), rank)) ?? x.shape.map((_, i) => i);
    const shape = [...x.shape];
    axes.forEach((a, i) => (shape[a] = dimArith('Add', dimArith('Add', shape[a], pads[i]), pads[i + axes.length])));
    return [{ dtype: x.dtype, shape }];
  },
  DepthToSpace: (node, [x]) => {
    const b = attrInt(node, 'blocksize', 1);
    const s = x!.shape!;
    return [{ dtype: x!.dtype, shape: [s[0], dimArith('Div', s[1], b * b), dimArith('Mul', s[2], b), dimArith('Mul', s[3], b)] }];
  },
  SpaceToDepth: (node, [x]) => {
    const b = attrInt(node, 'blocksize', 1);
    const s = x!.shape!;
    return [{ dtype: x!.dtype, shape: [s[0], dimArith('Mul', s[1], b * b), dimArith('Div', s[2], b), dimArith('Div', s[3], b)] }];
  },
  NonZero: (_n, [x]) => [{ dtype: 'int64', shape: [x?.shape?.length ?? '?', '?nonzero'] }],
  OneHot: () => [],
};

/** Clamped [start, end) of a Slice along a dim of size `dim`, per the ONNX spec. */
export function sliceRange(start: number, end: number, step: number, dim: number): [number, number] {
  const clampTo = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
  let s = start < 0 ? start + dim : start;
  let e = end < 0 ? end + dim : end;
  if (step > 0) {
    s = clampTo(s, 0, dim);
    e = clampTo(e, 0, dim);
  } else {
    s = clampTo(s, 0, dim - 1);
    e = clampTo(e, -1, dim - 1);
  }
  return [s, e];
}

const UNARY = [
  'Relu', 'LeakyRelu', 'Clip', 'Sigmoid', 'HardSigmoid', 'HardSwish', 'Tanh', 'Erf', 'Gelu', 'Softplus', 'Exp', 'Log',
  'Sqrt', 'Neg', 'Abs', 'Reciprocal', 'Sign', 'Floor', 'Ceil', 'Round', 'Sin', 'Cos', 'Elu', 'Selu', 'Mish', 'CumSum',
  'Celu', 'ThresholdedRelu', 'Softsign', 'InstanceNormalization', 'LRN',
];
for (const op of UNARY) INFER[op] = same;

/** An If's outputs have the element types its then-branch declares (their shapes may differ between branches). */
INFER.If = (node) => {
  const branch = node.attrs.then_branch;
  if (branch?.type !== 'graph') return [];
  return branch.value.output.map((o) => {
    const t = o.type?.value;
    return { dtype: t?.case === 'tensorType' ? dtypeFromOnnx(t.value.elemType) : 'other' };
  });
};

function inferNode(node: Node, ins: (ValueType | undefined)[], opset: number): (ValueType | undefined)[] {
  const fn = INFER[node.op];
  if (!fn || node.domain !== '') return [];
  return fn(node, ins, opset);
}
