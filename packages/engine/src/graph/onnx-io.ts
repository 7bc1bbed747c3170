// Reads and writes ONNX ModelProto bytes to and from the in-memory IR (via onnx-buf / @bufbuild/protobuf).
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import {
  AttributeProtoSchema,
  AttributeProto_AttributeType as AT,
  GraphProtoSchema,
  ModelProtoSchema,
  NodeProtoSchema,
  OperatorSetIdProtoSchema,
  StringStringEntryProtoSchema,
  TensorProtoSchema,
  TensorShapeProtoSchema,
  TensorShapeProto_DimensionSchema,
  TypeProtoSchema,
  TypeProto_TensorSchema,
  ValueInfoProtoSchema,
} from 'onnx-buf';
import type { AttributeProto, GraphProto, ModelProto, NodeProto, ValueInfoProto } from 'onnx-buf';
import { Initializer } from './ir.ts';
import type { Attr, Graph, Model, Node, ValueInfo } from './ir.ts';
import { ModelFormatError } from './model-format-error.ts';
import { checkTensorProto, decodeTensor, dtypeFromOnnx, dtypeToOnnx, encodeTensor } from './tensor.ts';

export { ModelFormatError } from './model-format-error.ts';

const utf8 = new TextDecoder();
const utf8Encode = new TextEncoder();

/** Parses ONNX bytes. Throws ModelFormatError for anything that is not a readable ONNX model. */
export function readModel(bytes: Uint8Array): Model {
  let proto: ModelProto;
  try {
    proto = fromBinary(ModelProtoSchema, bytes);
  } catch (e) {
    throw new ModelFormatError(`not a readable ONNX model (the protobuf does not parse: ${(e as Error).message}); the file may be truncated or not ONNX at all`);
  }
  if (!proto.graph || proto.irVersion === 0n || proto.opsetImport.length === 0)
    throw new ModelFormatError('not an ONNX model: the file has no graph, IR version or opset import (is it truncated, or another format?)');
  const opsetImports = proto.opsetImport.map((o) => ({ domain: o.domain === 'ai.onnx' ? '' : o.domain, version: Number(o.version) }));
  const opset = opsetImports.find((o) => o.domain === '')?.version ?? 0;
  const metadata = new Map(proto.metadataProps.map((p) => [p.key, p.value]));
  return {
    graph: graphFromProto(proto.graph),
    opset,
    opsetImports,
    irVersion: Number(proto.irVersion),
    metadata,
    producerName: proto.producerName,
    proto,
  };
}

export function graphFromProto(g: GraphProto): Graph {
  const initializers = new Map<string, Initializer>();
  for (const t of g.initializer) initializers.set(t.name, new Initializer(t.name, dtypeFromOnnx(t.dataType), checkTensorProto(t, 'initializer'), t));
  const valueInfo = new Map<string, ValueInfo>();
  for (const v of g.valueInfo) valueInfo.set(v.name, valueInfoFromProto(v));
  return {
    name: g.name,
    nodes: g.node.map(nodeFromProto),
    // Old exporters list initializers as inputs too; they are not real inputs.
    inputs: g.input.filter((v) => !initializers.has(v.name)).map(valueInfoFromProto),
    outputs: g.output.map(valueInfoFromProto),
    initializers,
    valueInfo,
  };
}

function valueInfoFromProto(v: ValueInfoProto): ValueInfo {
  const t = v.type?.value;
  if (!t || v.type?.value.case !== 'tensorType') return { name: v.name, dtype: 'other' };
  const tensor = t.value as { elemType: number; shape?: { dim: { value: { case?: string; value?: unknown } }[] } };
  const shape = tensor.shape?.dim.map((d, i) =>
    d.value.case === 'dimValue' ? Number(d.value.value) : d.value.case === 'dimParam' ? String(d.value.value) : `?${v.name}:${i}`,
  );
  return { name: v.name, dtype: dtypeFromOnnx(tensor.elemType), shape };
}

function nodeFromProto(n: NodeProto): Node {
  const attrs: Record<string, Attr> = {};
  for (const a of n.attribute) attrs[a.name] = attrFromProto(a);
  return { op: n.opType, domain: n.domain === 'ai.onnx' ? '' : n.domain, name: n.name, inputs: [...n.input], outputs: [...n.output], attrs };
}

function attrFromProto(a: AttributeProto): Attr {
  switch (a.type) {
    case AT.INT:
      return { type: 'int', value: Number(a.i) };
    case AT.FLOAT:
      return { type: 'float', value: a.f };
    case AT.STRING:
      return { type: 'string', value: utf8.decode(a.s) };
    case AT.INTS:
      return { type: 'ints', value: a.ints.map(Number) };
    case AT.FLOATS:
      return { type: 'floats', value: [...a.floats] };
    case AT.STRINGS:
      return { type: 'strings', value: a.strings.map((s) => utf8.decode(s)) };
    case AT.TENSOR:
      if (!a.t) throw new ModelFormatError(`attribute "${a.name}" is declared a tensor but holds none`);
      return { type: 'tensor', value: decodeTensor(a.t) };
    case AT.GRAPH:
      if (!a.g) throw new ModelFormatError(`attribute "${a.name}" is declared a graph but holds none`);
      return { type: 'graph', value: a.g };
    default:
      return { type: 'opaque', value: a };
  }
}

function attrToProto(name: string, a: Attr): AttributeProto {
  switch (a.type) {
    case 'int':
      return create(AttributeProtoSchema, { name, type: AT.INT, i: BigInt(a.value) });
    case 'float':
      return create(AttributeProtoSchema, { name, type: AT.FLOAT, f: a.value });
    case 'string':
      return create(AttributeProtoSchema, { name, type: AT.STRING, s: utf8Encode.encode(a.value) as Uint8Array<ArrayBuffer> });
    case 'ints':
      return create(AttributeProtoSchema, { name, type: AT.INTS, ints: a.value.map(BigInt) });
    case 'floats':
      return create(AttributeProtoSchema, { name, type: AT.FLOATS, floats: a.value });
    case 'strings':
      return create(AttributeProtoSchema, { name, type: AT.STRINGS, strings: a.value.map((s) => utf8Encode.encode(s) as Uint8Array<ArrayBuffer>) });
    case 'tensor':
      return create(AttributeProtoSchema, { name, type: AT.TENSOR, t: encodeTensor('', a.value) });
    case 'graph':
      return create(AttributeProtoSchema, { name, type: AT.GRAPH, g: a.value });
    case 'opaque':
      return a.value as AttributeProto;
  }
}

function valueInfoToProto(v: ValueInfo): ValueInfoProto {
  const shape = v.shape
    ? create(TensorShapeProtoSchema, {
        dim: v.shape.map((d) =>
          create(TensorShapeProto_DimensionSchema, {
            value: typeof d === 'number' ? { case: 'dimValue', value: BigInt(d) } : d.startsWith('?') ? { case: undefined } : { case: 'dimParam', value: d },
          }),
        ),
      })
    : undefined;
  return create(ValueInfoProtoSchema, {
    name: v.name,
    type: create(TypeProtoSchema, {
      value: { case: 'tensorType', value: create(TypeProto_TensorSchema, { elemType: dtypeToOnnx(v.dtype), shape }) },
    }),
  });
}

export function graphToProto(g: Graph): GraphProto {
  return create(GraphProtoSchema, {
    name: g.name,
    node: g.nodes.map((n) =>
      create(NodeProtoSchema, {
        opType: n.op,
        domain: n.domain,
        name: n.name,
        // Trailing omitted inputs are dropped: onnxruntime 1.30 crashes on some (e.g. LayerNormalization's B).
        input: trimTrailingEmpty(n.inputs),
        output: n.outputs,
        attribute: Object.entries(n.attrs).map(([k, a]) => attrToProto(k, a)),
      }),
    ),
    input: g.inputs.map(valueInfoToProto),
    output: g.outputs.map(valueInfoToProto),
    initializer: [...g.initializers].map(([name, init]) => {
      const proto = init.proto;
      if (!proto) return encodeTensor(name, init.tensor);
      return proto.name === name ? proto : create(TensorProtoSchema, { ...proto, name });
    }),
  });
}

function trimTrailingEmpty(names: string[]): string[] {
  let end = names.length;
  while (end > 0 && names[end - 1] === '') end--;
  return names.slice(0, end);
}

/** Serialises a model. Fields the IR does not model (producer version, functions, …) come from the source proto. */
export function writeModel(model: Model): Uint8Array {
  const base = model.proto ? { ...model.proto } : create(ModelProtoSchema, {});
  const proto = create(ModelProtoSchema, {
    ...base,
    irVersion: BigInt(model.irVersion),
    producerName: model.producerName,
    opsetImport: model.opsetImports.map((o) => create(OperatorSetIdProtoSchema, { domain: o.domain, version: BigInt(o.version) })),
    metadataProps: [...model.metadata].map(([key, value]) => create(StringStringEntryProtoSchema, { key, value })),
    graph: graphToProto(model.graph),
  });
  return toBinary(ModelProtoSchema, proto);
}

/** A fresh model around a graph, at the given default-domain opset. */
export function newModel(graph: Graph, opset: number, metadata: Record<string, string> = {}): Model {
  return {
    graph,
    opset,
    opsetImports: [{ domain: '', version: opset }],
    irVersion: opset >= 21 ? 10 : opset >= 19 ? 9 : 8,
    metadata: new Map(Object.entries(metadata)),
    producerName: 'odin-engine',
  };
}
