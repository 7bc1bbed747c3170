// In-memory ONNX graph: nodes, values, initializers and attributes, independent of the protobuf types.
import type { GraphProto, ModelProto, TensorProto } from 'onnx-buf';

export type DType =
  | 'float32'
  | 'float64'
  | 'float16'
  | 'int64'
  | 'int32'
  | 'int16'
  | 'int8'
  | 'uint8'
  | 'bool'
  | 'string'
  | 'other';

export type TypedArray = Float32Array | Float64Array | BigInt64Array | Int32Array | Int16Array | Int8Array | Uint8Array | Uint16Array;

/** A dimension: a fixed size, or a symbol such as "N" for the batch. */
export type Dim = number | string;

export interface ValueInfo {
  name: string;
  dtype: DType;
  /** Undefined when the rank is unknown. */
  shape?: Dim[];
}

/** A constant tensor. `data` holds int64 as BigInt64Array, bool as Uint8Array. */
export interface TensorData {
  dtype: DType;
  dims: number[];
  data: TypedArray;
}

export type Attr =
  | { type: 'int'; value: number }
  | { type: 'float'; value: number }
  | { type: 'string'; value: string }
  | { type: 'ints'; value: number[] }
  | { type: 'floats'; value: number[] }
  | { type: 'strings'; value: string[] }
  | { type: 'tensor'; value: TensorData }
  | { type: 'graph'; value: GraphProto }
  /** Any other attribute kind, kept verbatim for writing back. */
  | { type: 'opaque'; value: unknown };

export interface Node {
  op: string;
  /** '' for the default ONNX domain. */
  domain: string;
  name: string;
  /** '' marks an omitted optional input. */
  inputs: string[];
  outputs: string[];
  attrs: Record<string, Attr>;
}

/** A named initializer. Its values decode lazily, so a 500 MB model is not copied into JS arrays. */
export class Initializer {
  private decoded?: TensorData;
  constructor(
    readonly name: string,
    readonly dtype: DType,
    readonly dims: number[],
    private source: TensorProto | TensorData,
  ) {
    if (!('$typeName' in source)) this.decoded = source;
  }

  get tensor(): TensorData {
    if (!this.decoded) this.decoded = decodeLazy(this.source as TensorProto);
    return this.decoded;
  }

  /** The protobuf it was read from, when it has not been replaced. */
  get proto(): TensorProto | undefined {
    return '$typeName' in this.source ? (this.source as TensorProto) : undefined;
  }

  get size(): number {
    return this.dims.reduce((a, b) => a * b, 1);
  }
}

// Set by tensor.ts to avoid an import cycle.
let decodeLazy: (t: TensorProto) => TensorData = () => {
  throw new Error('tensor decoder not registered');
};
export function registerTensorDecoder(fn: (t: TensorProto) => TensorData): void {
  decodeLazy = fn;
}

export interface Graph {
  name: string;
  nodes: Node[];
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  initializers: Map<string, Initializer>;
  /** Shape hints read from the file's value_info; refined by inferShapes. */
  valueInfo: Map<string, ValueInfo>;
}

export interface Model {
  graph: Graph;
  /** The opset version of the default ONNX domain. */
  opset: number;
  opsetImports: { domain: string; version: number }[];
  irVersion: number;
  metadata: Map<string, string>;
  producerName: string;
  /** The source protobuf, for the fields the IR does not model. */
  proto?: ModelProto;
}

export function tensorSize(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** Names of every value some node produces, plus inputs and initializers. */
export function producers(graph: Graph): Map<string, Node> {
  const map = new Map<string, Node>();
  for (const n of graph.nodes) for (const o of n.outputs) if (o) map.set(o, n);
  return map;
}

export function consumers(graph: Graph): Map<string, Node[]> {
  const map = new Map<string, Node[]>();
  for (const n of graph.nodes)
    for (const i of n.inputs) {
      if (!i) continue;
      const list = map.get(i);
      if (list) list.push(n);
      else map.set(i, [n]);
    }
  return map;
}

export function cloneGraph(graph: Graph): Graph {
  return {
    name: graph.name,
    nodes: graph.nodes.map((n) => ({ ...n, inputs: [...n.inputs], outputs: [...n.outputs], attrs: { ...n.attrs } })),
    inputs: graph.inputs.map((v) => ({ ...v, shape: v.shape && [...v.shape] })),
    outputs: graph.outputs.map((v) => ({ ...v, shape: v.shape && [...v.shape] })),
    initializers: new Map(graph.initializers),
    valueInfo: new Map(graph.valueInfo),
  };
}

export function cloneModel(model: Model): Model {
  return { ...model, graph: cloneGraph(model.graph), metadata: new Map(model.metadata), opsetImports: [...model.opsetImports] };
}

export function emptyGraph(name = 'graph'): Graph {
  return { name, nodes: [], inputs: [], outputs: [], initializers: new Map(), valueInfo: new Map() };
}
