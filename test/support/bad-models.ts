// Model files that must be refused: each a small real ONNX file (or not-ONNX bytes) built with the engine's own writer.
import { readFileSync } from 'node:fs';
import { create, toBinary } from '@bufbuild/protobuf';
import { TensorProtoSchema, TensorProto_DataType } from 'onnx-buf';
import { GraphBuilder, Initializer, emptyGraph, mulberry32, newModel, readModel, writeModel, type DType, type Dim, type Graph, type TensorData } from '@odin/engine';

export const DEMO_MODEL = readFileSync(new URL('../../packages/engine/demo/fashion-mnist-small-cnn.onnx', import.meta.url));

/** A bad model and the error its registration must give. */
export interface BadModel {
  name: string;
  bytes: Uint8Array;
  /** What the registration error (BAD_USER_INPUT) says. */
  error: RegExp;
}

const CLASSES = 10;
const PIXELS = 28 * 28;

/** A [N,1,28,28] → Flatten → Gemm → [N,10] classifier over `input`, with `between` ops after the Flatten. */
function classifier(opts: { dtype?: DType; shape?: Dim[] | undefined; between?: string[]; weights?: Float32Array } = {}): Graph {
  const g = emptyGraph('bad');
  const b = new GraphBuilder(g, 17);
  g.inputs.push({ name: 'x', dtype: opts.dtype ?? 'float32', shape: 'shape' in opts ? opts.shape : ['N', 1, 28, 28] });
  let h = b.op('Flatten', [opts.dtype && opts.dtype !== 'float32' ? b.op('Cast', ['x'], { to: 1 }) : 'x'], { axis: 1 });
  for (const op of opts.between ?? []) h = b.op(op, [h]);
  const w = opts.weights ?? Float32Array.from({ length: PIXELS * CLASSES }, (_, i) => Math.sin(i) / 28);
  b.node('Gemm', [h, b.constant(f32(w, [PIXELS, CLASSES]), 'w'), b.constant(f32(new Float32Array(CLASSES), [CLASSES]), 'b')], {}, ['logits']);
  g.outputs.push({ name: 'logits', dtype: 'float32', shape: ['N', CLASSES] });
  return g;
}

const f32 = (data: Float32Array, dims: number[]): TensorData => ({ dtype: 'float32', dims, data });
const bytesOf = (g: Graph) => writeModel(newModel(g, 17));

/** A good small classifier, to check the builders themselves. */
export function goodSmallModel(): Uint8Array {
  return bytesOf(classifier());
}

/** The demo model with its first weights tensor's values replaced by NaN and ±Infinity at a few places. */
function nonFiniteWeights(): Uint8Array {
  const model = readModel(DEMO_MODEL);
  const [name, init] = [...model.graph.initializers].find(([, t]) => t.dtype === 'float32' && t.size > 100)!;
  const data = Float32Array.from(init.tensor.data as Float32Array);
  data[0] = NaN;
  data[7] = Infinity;
  data[11] = -Infinity;
  model.graph.initializers.set(name, new Initializer(name, 'float32', init.dims, { dtype: 'float32', dims: init.dims, data }));
  return writeModel(model);
}

/** A weight that declares 2 GiB of float32 (2^29 values) but carries 16 bytes. */
function hugeDeclaredTensor(): Uint8Array {
  const model = newModel(classifier({ between: ['Relu'] }), 17);
  const proto = create(TensorProtoSchema, { name: 'w', dataType: TensorProto_DataType.FLOAT, dims: [1n << 29n], rawData: new Uint8Array(16) });
  model.graph.initializers.set('w', new Initializer('w', 'float32', [2 ** 29], proto));
  return writeModel(model);
}

/** Every kind of bad model issue 14 names, with the error registration must give. */
export function badModels(): BadModel[] {
  const rng = mulberry32(14);
  const noInputs = emptyGraph('no-inputs');
  new GraphBuilder(noInputs, 17).node('Constant', [], { value: { type: 'tensor', value: f32(new Float32Array(CLASSES), [1, CLASSES]) } }, ['logits']);
  noInputs.outputs.push({ name: 'logits', dtype: 'float32', shape: [1, CLASSES] });
  return [
    { name: 'random bytes', bytes: Uint8Array.from({ length: 4096 }, () => Math.floor(rng() * 256)), error: /not a readable ONNX model/ },
    { name: 'a truncated ONNX file', bytes: DEMO_MODEL.subarray(0, Math.floor(DEMO_MODEL.length * 0.6)), error: /not a readable ONNX model/ },
    {
      // A TensorProto's string_data and raw_data have the wire types of ModelProto's doc_string and an unknown field: it parses.
      name: 'a valid protobuf that is not a model (a TensorProto)',
      bytes: toBinary(TensorProtoSchema, create(TensorProtoSchema, { stringData: [new TextEncoder().encode('weights')], rawData: new Uint8Array(64) })),
      error: /not an ONNX model: the file has no graph/,
    },
    { name: 'a model with no inputs', bytes: bytesOf(noInputs), error: /no float32 image input \(inputs: none\)/ },
    { name: 'a dynamic-rank input', bytes: bytesOf(classifier({ shape: undefined })), error: /rank|shape/i },
    { name: 'an integer input', bytes: bytesOf(classifier({ dtype: 'uint8', shape: ['N', 1, 28, 28] })), error: /no float32 image input \(inputs: x: uint8\)/ },
    { name: 'an unsupported op on the gradient path', bytes: bytesOf(classifier({ between: ['Asinh'] })), error: /Asinh/ },
    { name: 'NaN/Inf weights', bytes: nonFiniteWeights(), error: /weights hold non-finite values \(initializer "[^"]+": 1 NaN, 2 ±Infinity of \d+ values\)/ },
    { name: 'a 2 GB declared tensor in a small file', bytes: hugeDeclaredTensor(), error: /initializer "w" declares \[536870912\] float32 \(2 GiB\), 2147483648 bytes, but holds 16 bytes/ },
  ];
}
