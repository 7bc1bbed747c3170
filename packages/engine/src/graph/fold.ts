// Constant folding: Constant nodes become initializers, and nodes whose inputs are all constant are
// evaluated at compile time (shape arithmetic, weight transposes and reshapes, scalar maths).
import { attrInt, attrInts, attrTensor } from './attrs.ts';
import { Initializer, tensorSize } from './ir.ts';
import type { DType, Graph, Node, TensorData, TypedArray } from './ir.ts';
import { sliceRange } from './shapes.ts';
import { dtypeFromOnnx } from './tensor.ts';

/** Folding never creates a constant larger than this many elements (big weights stay as they are). */
const MAX_FOLDED_ELEMENTS = 1 << 24;

type Eval = (node: Node, inputs: TensorData[]) => TensorData | undefined;

const numbers = (t: TensorData): number[] => Array.from(t.data as ArrayLike<number | bigint>, Number);

function make(dtype: DType, dims: number[], values: ArrayLike<number>): TensorData {
  const n = values.length;
  let data: TypedArray;
  if (dtype === 'int64') data = BigInt64Array.from({ length: n }, (_, i) => BigInt(Math.trunc(values[i])));
  else if (dtype === 'float32') data = Float32Array.from(values);
  else if (dtype === 'float64') data = Float64Array.from(values);
  else if (dtype === 'int32') data = Int32Array.from(values);
  else if (dtype === 'bool' || dtype === 'uint8') data = Uint8Array.from(values);
  else throw new Error(`cannot fold a ${dtype} tensor`);
  return { dtype, dims, data };
}

const strides = (dims: number[]) => dims.map((_, i) => dims.slice(i + 1).reduce((a, b) => a * b, 1));

/** numpy-style broadcasting of an n-ary elementwise function. */
function broadcast(inputs: TensorData[], dtype: DType, fn: (...v: number[]) => number): TensorData {
  const rank = Math.max(...inputs.map((t) => t.dims.length));
  const dims = Array.from({ length: rank }, (_, i) => Math.max(...inputs.map((t) => t.dims[t.dims.length - rank + i] ?? 1)));
  const vals = inputs.map(numbers);
  const st = inputs.map((t) => {
    const padded = [...Array(rank - t.dims.length).fill(1), ...t.dims];
    const s = strides(padded);
    return padded.map((d, i) => (d === 1 ? 0 : s[i]));
  });
  const out = new Array<number>(tensorSize(dims));
  const outStrides = strides(dims);
  for (let i = 0; i < out.length; i++) {
    const args = inputs.map((_, k) => {
      let off = 0;
      for (let a = 0; a < rank; a++) off += Math.floor(i / outStrides[a]) % dims[a] * st[k][a];
      return vals[k][off];
    });
    out[i] = fn(...args);
  }
  return make(dtype, dims, out);
}

const elementwise = (fn: (...v: number[]) => number, outDtype?: DType): Eval => (_n, inputs) => broadcast(inputs, outDtype ?? inputs[0].dtype, fn);

function transpose(t: TensorData, perm: number[]): TensorData {
  const dims = perm.map((p) => t.dims[p]);
  const inStrides = strides(t.dims);
  const outStrides = strides(dims);
  const vals = numbers(t);
  const out = new Array<number>(vals.length);
  for (let i = 0; i < out.length; i++) {
    let off = 0;
    for (let a = 0; a < dims.length; a++) off += (Math.floor(i / outStrides[a]) % dims[a]) * inStrides[perm[a]];
    out[i] = vals[off];
  }
  return make(t.dtype, dims, out);
}

const normAxis = (a: number, rank: number) => (a < 0 ? a + rank : a);

const EVAL: Record<string, Eval> = {
  Identity: (_n, [x]) => x,
  Cast: (n, [x]) => make(dtypeFromOnnx(attrInt(n, 'to', 1)), x.dims, numbers(x)),
  Reshape: (n, [x, s]) => {
    const target = numbers(s).map((d, i) => (d === 0 && attrInt(n, 'allowzero', 0) === 0 ? x.dims[i] : d));
    const known = target.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    return { ...x, dims: target.map((d) => (d === -1 ? tensorSize(x.dims) / known : d)) };
  },
  Flatten: (n, [x]) => {
    const axis = normAxis(attrInt(n, 'axis', 1), x.dims.length);
    return { ...x, dims: [tensorSize(x.dims.slice(0, axis)), tensorSize(x.dims.slice(axis))] };
  },
  Unsqueeze: (n, [x, axes]) => {
    const given = attrInts(n, 'axes') ?? numbers(axes);
    const dims = [...x.dims];
    for (const a of given.map((v) => normAxis(v, x.dims.length + given.length)).sort((p, q) => p - q)) dims.splice(a, 0, 1);
    return { ...x, dims };
  },
  Squeeze: (n, [x, axes]) => {
    const list = attrInts(n, 'axes') ?? (axes ? numbers(axes) : undefined);
    const drop = new Set(list ? list.map((a) => normAxis(a, x.dims.length)) : x.dims.flatMap((d, i) => (d === 1 ? [i] : [])));
    return { ...x, dims: x.dims.filter((_, i) => !drop.has(i)) };
  },
  Transpose: (n, [x]) => transpose(x, attrInts(n, 'perm') ?? x.dims.map((_, i) => x.dims.length - 1 - i)),
  Shape: (n, [x]) => {
    const r = x.dims.length;
    const start = normAxis(attrInt(n, 'start', 0), r);
    const end = normAxis(attrInt(n, 'end', r), r);
    const v = x.dims.slice(Math.max(0, start), Math.min(r, end));
    return make('int64', [v.length], v);
  },
  Concat: (n, inputs) => {
    const axis = normAxis(attrInt(n, 'axis', 0), inputs[0].dims.length);
    const dims = [...inputs[0].dims];
    dims[axis] = inputs.reduce((a, t) => a + t.dims[axis], 0);
    const vals = inputs.map(numbers);
    const out: number[] = [];
    for (let o = 0; o < tensorSize(dims.slice(0, axis)); o++)
      inputs.forEach((t, k) => {
        const block = tensorSize(t.dims.slice(axis));
        for (let i = o * block; i < (o + 1) * block; i++) out.push(vals[k][i]);
      });
    return make(inputs[0].dtype, dims, out);
  },
  Slice: (_n, [x, starts, ends, axes, steps]) => {
    const rank = x.dims.length;
    const [from, to] = [numbers(starts), numbers(ends)];
    const along = axes ? numbers(axes).map((a) => normAxis(a, rank)) : from.map((_, i) => i);
    const by = steps ? numbers(steps) : from.map(() => 1);
    const [begin, step, dims] = [x.dims.map(() => 0), x.dims.map(() => 1), [...x.dims]];
    along.forEach((a, i) => {
      const [s, e] = sliceRange(from[i], to[i], by[i], x.dims[a]);
      [begin[a], step[a], dims[a]] = [s, by[i], Math.max(0, Math.ceil((e - s) / by[i]))];
    });
    const [inStrides, outStrides, vals] = [strides(x.dims), strides(dims), numbers(x)];
    const out = Array.from({ length: tensorSize(dims) }, (_, i) => {
      let off = 0;
      for (let a = 0; a < rank; a++) off += (begin[a] + (Math.floor(i / outStrides[a]) % dims[a]) * step[a]) * inStrides[a];
      return vals[off];
    });
    return make(x.dtype, dims, out);
  },
  Gather: (n, [x, idx]) => {
    const axis = normAxis(attrInt(n, 'axis', 0), x.dims.length);
    if (axis !== 0) return undefined;
    const rowSize = tensorSize(x.dims.slice(1));
    const vals = numbers(x);
    const out = numbers(idx).flatMap((i) => {
      const r = i < 0 ? i + x.dims[0] : i;
      return vals.slice(r * rowSize, (r + 1) * rowSize);
    });
    return make(x.dtype, [...idx.dims, ...x.dims.slice(1)], out);
  },
  Range: (_n, [s, l, d]) => {
    const [start, limit, delta] = [numbers(s)[0], numbers(l)[0], numbers(d)[0]];
    const len = Math.max(0, Math.ceil((limit - start) / delta));
    return make(s.dtype, [len], Array.from({ length: len }, (_, i) => start + i * delta));
  },
  ConstantOfShape: (n, [s]) => {
    const value = attrTensor(n, 'value');
    const dims = numbers(s);
    return make(value?.dtype ?? 'float32', dims, new Array(tensorSize(dims)).fill(value ? numbers(value)[0] : 0));
  },
  Add: elementwise((a, b) => a + b),
  Sub: elementwise((a, b) => a - b),
  Mul: elementwise((a, b) => a * b),
  Div: (_n, inputs) => broadcast(inputs, inputs[0].dtype, inputs[0].dtype === 'int64' ? (a, b) => Math.trunc(a / b) : (a, b) => a / b),
  Pow: (_n, [a, b]) => broadcast([a, b], a.dtype, (x, y) => x ** y),
  Neg: elementwise((a) => -a),
  Sqrt: elementwise(Math.sqrt),
  Reciprocal: elementwise((a) => 1 / a),
  Exp: elementwise(Math.exp),
  Log: elementwise(Math.log),
  Equal: elementwise((a, b) => Number(a === b), 'bool'),
  Greater: elementwise((a, b) => Number(a > b), 'bool'),
  Less: elementwise((a, b) => Number(a < b), 'bool'),
  Not: elementwise((a) => Number(!a), 'bool'),
  Where: (_n, [c, a, b]) => broadcast([c, a, b], a.dtype, (cv, av, bv) => (cv ? av : bv)),
};

function constantValue(node: Node): TensorData | undefined {
  const t = attrTensor(node, 'value');
  if (t) return t;
  const a = node.attrs;
  if (a.value_float?.type === 'float') return make('float32', [], [a.value_float.value]);
  if (a.value_floats?.type === 'floats') return make('float32', [a.value_floats.value.length], a.value_floats.value);
  if (a.value_int?.type === 'int') return make('int64', [], [a.value_int.value]);
  if (a.value_ints?.type === 'ints') return make('int64', [a.value_ints.value.length], a.value_ints.value);
  return undefined;
}

const SUPPORTED: Set<DType> = new Set(['float32', 'float64', 'int64', 'int32', 'bool', 'uint8']);

/**
 * Folds in place. Only default-domain nodes whose inputs are all initializers (or earlier folds) are
 * evaluated; graph outputs are never removed. Returns the number of nodes folded away.
 */
export function foldConstants(graph: Graph): number {
  const outputs = new Set(graph.outputs.map((o) => o.name));
  const kept: Node[] = [];
  let folded = 0;
  for (const node of graph.nodes) {
    let value: TensorData | undefined;
    if (node.domain === '' && node.outputs.length === 1 && !outputs.has(node.outputs[0])) {
      if (node.op === 'Constant') value = constantValue(node);
      else if (node.inputs.length > 0 && node.inputs.every((i) => i === '' || graph.initializers.has(i)) && EVAL[node.op]) {
        const inputs = node.inputs.map((i) => (i ? graph.initializers.get(i)!.tensor : undefined));
        const present = inputs.filter((t): t is TensorData => !!t);
        if (present.every((t) => SUPPORTED.has(t.dtype) && t.data.length <= MAX_FOLDED_ELEMENTS)) {
          try {
            value = EVAL[node.op](node, inputs as TensorData[]);
          } catch {
            value = undefined;
          }
        }
      }
    }
    if (value && SUPPORTED.has(value.dtype) && value.data.length <= MAX_FOLDED_ELEMENTS) {
      const name = node.outputs[0];
      graph.initializers.set(name, new Initializer(name, value.dtype, value.dims, value));
      folded++;
    } else kept.push(node);
  }
  graph.nodes = kept;
  return folded;
}
