// GraphBuilder: appends nodes and constants to a graph, with opset-aware helpers for common ops.
import { toAttr } from './attrs.ts';
import type { AttrInput } from './attrs.ts';
import { Initializer } from './ir.ts';
import type { Attr, DType, Graph, Node, TensorData } from './ir.ts';
import { f32, i64 } from './tensor.ts';

const ONNX_CAST_TO: Partial<Record<DType, number>> = { float32: 1, uint8: 2, int8: 3, int32: 6, int64: 7, bool: 9, float64: 11, float16: 10 };

export class GraphBuilder {
  private used: Set<string>;
  private constants = new Map<string, string>();

  /**
   * @param graph  nodes are appended to graph.nodes, constants become initializers
   * @param opset  the default-domain opset the emitted nodes must be valid at
   * @param prefix prepended to every fresh name, to keep emitted names apart from the model's
   */
  constructor(
    readonly graph: Graph,
    readonly opset: number,
    readonly prefix = '',
  ) {
    this.used = new Set([...graph.initializers.keys(), ...graph.inputs.map((v) => v.name)]);
    for (const n of graph.nodes) {
      for (const o of n.outputs) this.used.add(o);
      this.used.add(n.name);
    }
  }

  /** A name not yet used in the graph, derived from `hint`. */
  fresh(hint: string): string {
    const base = `${this.prefix}${hint}`;
    let name = base;
    for (let i = 1; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }

  /** Emits one node and returns its output names. */
  // eslint-disable-next-line @typescript-eslint/max-params -- a node's own fields, in the order ONNX lists them
  node(op: string, inputs: string[], attrs: Record<string, AttrInput | undefined> = {}, outputs: number | string[] = 1, domain = ''): string[] {
    const outs = typeof outputs === 'number' ? Array.from({ length: outputs }, () => this.fresh(op.toLowerCase())) : outputs;
    const converted: Record<string, Attr> = {};
    for (const [k, v] of Object.entries(attrs)) if (v !== undefined) converted[k] = toAttr(v);
    const node: Node = { op, domain, name: this.fresh(`${op}_node`), inputs, outputs: outs, attrs: converted };
    this.graph.nodes.push(node);
    return outs;
  }

  /** Emits a single-output node. */
  op(op: string, inputs: string[], attrs: Record<string, AttrInput | undefined> = {}): string {
    return this.node(op, inputs, attrs, 1)[0];
  }

  /** Adds a constant as an initializer; identical small constants are shared. */
  constant(t: TensorData, hint = 'const'): string {
    const small = t.data.length <= 16;
    const key = small ? `${t.dtype}|${t.dims.join(',')}|${Array.from(t.data as ArrayLike<number | bigint>).join(',')}` : '';
    if (small && this.constants.has(key)) return this.constants.get(key)!;
    const name = this.fresh(hint);
    this.graph.initializers.set(name, new Initializer(name, t.dtype, t.dims, t));
    if (small) this.constants.set(key, name);
    return name;
  }

  /** A float32 scalar (rank 0), which broadcasts against anything. */
  scalar(value: number, dtype: 'float32' | 'int64' = 'float32'): string {
    return this.constant(dtype === 'float32' ? f32([value], []) : i64([value], []), 'scalar');
  }

  /** A 1-D int64 constant, for shapes, axes, starts and ends. */
  ints(values: number[]): string {
    return this.constant(i64(values), 'ints');
  }

  add = (a: string, b: string) => this.op('Add', [a, b]);
  sub = (a: string, b: string) => this.op('Sub', [a, b]);
  mul = (a: string, b: string) => this.op('Mul', [a, b]);
  div = (a: string, b: string) => this.op('Div', [a, b]);
  neg = (a: string) => this.op('Neg', [a]);
  shape = (x: string) => this.op('Shape', [x]);
  reshape = (x: string, shape: string | number[]) => this.op('Reshape', [x, typeof shape === 'string' ? shape : this.ints(shape)]);
  transpose = (x: string, perm: number[]) => this.op('Transpose', [x], { perm });
  where = (cond: string, a: string, b: string) => this.op('Where', [cond, a, b]);
  matmul = (a: string, b: string) => this.op('MatMul', [a, b]);
  cast = (x: string, to: DType) => this.op('Cast', [x], { to: ONNX_CAST_TO[to]! });
  expand = (x: string, shape: string) => this.op('Expand', [x, shape]);

  /** Unsqueeze/Squeeze take axes as an input from opset 13, which is our minimum. */
  unsqueeze = (x: string, axes: number[]) => this.op('Unsqueeze', [x, this.ints(axes)]);
  squeeze = (x: string, axes: number[]) => this.op('Squeeze', [x, this.ints(axes)]);

  /**
   * A reduction over `axes` (all axes when empty). ReduceSum takes axes as an input from opset 13,
   * the other reductions from opset 18.
   */
  reduce(op: 'ReduceSum' | 'ReduceMean' | 'ReduceMax' | 'ReduceMin' | 'ReduceProd', x: string, axes: number[], keepdims = true): string {
    const asInput = op === 'ReduceSum' || this.opset >= 18;
    const kd = keepdims ? 1 : 0;
    if (axes.length === 0) return this.op(op, [x], { keepdims: kd });
    return asInput ? this.op(op, [x, this.ints(axes)], { keepdims: kd }) : this.op(op, [x], { axes, keepdims: kd });
  }

  reduceSum = (x: string, axes: number[], keepdims = true) => this.reduce('ReduceSum', x, axes, keepdims);

  /** Slice along axes with static starts/ends/steps. */
  // eslint-disable-next-line @typescript-eslint/max-params -- the inputs of ONNX Slice, in its order
  slice(x: string, starts: number[], ends: number[], axes: number[], steps?: number[]): string {
    const inputs = [x, this.ints(starts), this.ints(ends), this.ints(axes)];
    if (steps) inputs.push(this.ints(steps));
    return this.op('Slice', inputs);
  }

  /** Split into pieces of the given sizes (the `split` input exists from opset 13). */
  split(x: string, axis: number, sizes: number[]): string[] {
    return this.node('Split', [x, this.ints(sizes)], { axis }, sizes.length);
  }

  /** Constant-mode Pad; pads is [x1_begin, x2_begin, …, x1_end, x2_end, …] over all axes. */
  pad(x: string, pads: number[], value = 0): string {
    return this.op('Pad', [x, this.ints(pads), this.scalar(value)], { mode: 'constant' });
  }

  /** A float32 tensor of zeros shaped like `like`. */
  zerosLike(like: string): string {
    // Expand rather than ConstantOfShape, which the WebGPU provider lacks.
    return this.expand(this.scalar(0), this.shape(like));
  }
}
