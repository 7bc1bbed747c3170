// Classifier architectures that `odin train` can build from scratch, with seeded He initialisation.
import { GraphBuilder } from '../graph/builder.ts';
import { float } from '../graph/attrs.ts';
import { emptyGraph } from '../graph/ir.ts';
import type { Model } from '../graph/ir.ts';
import { newModel } from '../graph/onnx-io.ts';
import { f32 } from '../graph/tensor.ts';
import { mulberry32, normal } from '../preprocess/random.ts';
import type { ImageShape } from '../preprocess/types.ts';

export interface ArchitectureOptions {
  input: ImageShape;
  numClasses: number;
  seed: number;
  opset?: number;
}

type Init = (dims: number[], fanIn: number) => string;

function heInit(b: GraphBuilder, seed: number) {
  const gauss = normal(mulberry32(seed));
  const weight: Init = (dims, fanIn) => {
    const n = dims.reduce((a, c) => a * c, 1);
    const scale = Math.sqrt(2 / fanIn);
    return b.constant(f32(Float32Array.from({ length: n }, () => gauss() * scale), dims), 'w');
  };
  const bias = (n: number) => b.constant(f32(new Float32Array(n), [n]), 'b');
  return { weight, bias };
}

/**
 * small-cnn: conv3×3(32)–ReLU–maxpool2 → conv3×3(64)–ReLU–maxpool2 → fc(128)–ReLU → fc(K).
 * Input NCHW [N, C, H, W] named "image"; output "logits" [N, K]. H and W must be divisible by 4.
 */
export function smallCnn({ input, numClasses, seed, opset = 17 }: ArchitectureOptions): Model {
  const { channels: c, height: h, width: w } = input;
  if (h % 4 || w % 4) throw new Error(`small-cnn needs a height and width divisible by 4, got ${h}×${w}`);
  const graph = emptyGraph('small-cnn');
  const b = new GraphBuilder(graph, opset);
  const { weight, bias } = heInit(b, seed);
  graph.inputs.push({ name: 'image', dtype: 'float32', shape: ['N', c, h, w] });
  const conv = (x: string, cin: number, cout: number) =>
    b.op('Conv', [x, weight([cout, cin, 3, 3], cin * 9), bias(cout)], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] });
  const pool = (x: string) => b.op('MaxPool', [x], { kernel_shape: [2, 2], strides: [2, 2] });
  let x = pool(b.op('Relu', [conv('image', c, 32)]));
  x = pool(b.op('Relu', [conv(x, 32, 64)]));
  x = b.op('Flatten', [x], { axis: 1 });
  const flat = 64 * (h / 4) * (w / 4);
  x = b.op('Relu', [b.op('Gemm', [x, weight([128, flat], flat), bias(128)], { transB: 1 })]);
  b.node('Gemm', [x, weight([numClasses, 128], 128), bias(numClasses)], { transB: 1, alpha: float(1) }, ['logits']);
  graph.outputs.push({ name: 'logits', dtype: 'float32', shape: ['N', numClasses] });
  return newModel(graph, opset);
}

/** mlp: flatten → fc(256)–ReLU → fc(K); a fast baseline. */
export function mlp({ input, numClasses, seed, opset = 17 }: ArchitectureOptions): Model {
  const d = input.channels * input.height * input.width;
  const graph = emptyGraph('mlp');
  const b = new GraphBuilder(graph, opset);
  const { weight, bias } = heInit(b, seed);
  graph.inputs.push({ name: 'image', dtype: 'float32', shape: ['N', input.channels, input.height, input.width] });
  let x = b.op('Flatten', ['image'], { axis: 1 });
  x = b.op('Relu', [b.op('Gemm', [x, weight([256, d], d), bias(256)], { transB: 1 })]);
  b.node('Gemm', [x, weight([numClasses, 256], 256), bias(numClasses)], { transB: 1 }, ['logits']);
  graph.outputs.push({ name: 'logits', dtype: 'float32', shape: ['N', numClasses] });
  return newModel(graph, opset);
}

export const ARCHITECTURES: Record<string, (o: ArchitectureOptions) => Model> = { 'small-cnn': smallCnn, mlp };
