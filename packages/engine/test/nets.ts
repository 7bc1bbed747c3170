// Four small seeded classifiers (DenseNet-style, residual, depthwise-separable, vision transformer) built with
// GraphBuilder, for the ODIN end-to-end tests and the benchmark.
import { float } from '../src/graph/attrs.ts';
import { GraphBuilder } from '../src/graph/builder.ts';
import { emptyGraph, Initializer } from '../src/graph/ir.ts';
import type { Model } from '../src/graph/ir.ts';
import { newModel } from '../src/graph/onnx-io.ts';
import { f32 } from '../src/graph/tensor.ts';
import { mulberry32 } from '../src/preprocess/random.ts';

/** Seeded uniform [0, 1) numbers: the engine's mulberry32. */
export const mulberry = mulberry32;

export interface NetOptions {
  /** Image height and width (default 32; must be a multiple of 8, of 4 for the transformer). */
  size?: number;
  /** Default-domain opset (default 17). The depthwise net needs ≥ 14 (HardSwish), the transformer ≥ 17 (LayerNormalization). */
  opset?: number;
  /** PRNG seed of the weights. */
  seed?: number;
  /** End the graph in a Softmax, so its only output is probabilities (exercises "look through Softmax"). */
  softmax?: boolean;
}

export interface NetSpec {
  name: string;
  build: (options?: NetOptions) => Model;
  /** The lowest opset the net can be built at. */
  minOpset: number;
}

/** The model's input and output names; `logits` is also the pre-Softmax value in the Softmax variant. */
export const NET_IO = { input: 'x', logits: 'logits', probs: 'probs' } as const;
export const NUM_CLASSES = 10;

/** A builder with seeded weight helpers for the layers the four nets share. */
class Net {
  readonly b: GraphBuilder;
  readonly model: Model;
  private readonly rand: () => number;
  private spare: number | undefined;

  constructor(
    name: string,
    readonly options: Required<Omit<NetOptions, 'softmax'>> & { softmax: boolean },
  ) {
    const graph = emptyGraph(name);
    this.model = newModel(graph, options.opset);
    this.b = new GraphBuilder(graph, options.opset, `${name}/`);
    this.rand = mulberry(options.seed);
    graph.inputs.push({ name: NET_IO.input, dtype: 'float32', shape: ['N', 3, options.size, options.size] });
  }

  /** A standard normal sample (Box–Muller). */
  normal(): number {
    if (this.spare !== undefined) {
      const s = this.spare;
      this.spare = undefined;
      return s;
    }
    const u = 1 - this.rand();
    const v = this.rand();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** An initializer of N(mean, std²) values. */
  weight(dims: number[], std: number, hint: string, mean = 0): string {
    const n = dims.reduce((a, c) => a * c, 1);
    const name = this.b.fresh(hint);
    const values = Array.from({ length: n }, () => mean + std * this.normal());
    this.b.graph.initializers.set(name, new Initializer(name, 'float32', dims, f32(values, dims)));
    return name;
  }

  /** Conv with He-normal weights (variance gain / fan-in) and a small bias; `pad` is symmetric. */
  conv(x: string, cin: number, cout: number, k: number, { stride = 1, pad = 0, group = 1, bias = true, gain = 2 } = {}): string {
    const fanIn = (cin / group) * k * k;
    const w = this.weight([cout, cin / group, k, k], Math.sqrt(gain / fanIn), 'conv_w');
    const inputs = bias ? [x, w, this.weight([cout], 0.05, 'conv_b')] : [x, w];
    return this.b.op('Conv', inputs, { kernel_shape: [k, k], strides: [stride, stride], pads: [pad, pad, pad, pad], group, dilations: [1, 1] });
  }

  /** Inference-mode BatchNormalization with running statistics close to the identity. */
  bn(x: string, c: number): string {
    const scale = this.weight([c], 0.1, 'bn_scale', 1);
    const bias = this.weight([c], 0.05, 'bn_bias');
    const mean = this.weight([c], 0.05, 'bn_mean');
    const variance = this.b.constant(f32(Array.from({ length: c }, () => 1 + 0.2 * this.rand()), [c]), 'bn_var');
    return this.b.op('BatchNormalization', [x, scale, bias, mean, variance], { epsilon: float(1e-5), momentum: float(0.9) });
  }

  relu = (x: string) => this.b.op('Relu', [x]);

  /** The classifier head's Gemm ([N,cin] → [N,K]), scaled so the logits are O(1)–O(10). */
  gemm(x: string, cin: number, gain: number): string {
    const w = this.weight([NUM_CLASSES, cin], gain / Math.sqrt(cin), 'fc_w');
    const bias = this.weight([NUM_CLASSES], 0.1, 'fc_b');
    return this.b.op('Gemm', [x, w, bias], { transB: 1, alpha: float(1), beta: float(1) });
  }

  /** Marks `logits` as the output, or adds the trailing Softmax and makes its probabilities the output. */
  finish(logits: string): Model {
    const g = this.b.graph;
    this.b.node('Identity', [logits], {}, [NET_IO.logits]);
    if (this.options.softmax) {
      this.b.node('Softmax', [NET_IO.logits], { axis: -1 }, [NET_IO.probs]);
      g.outputs = [{ name: NET_IO.probs, dtype: 'float32', shape: ['N', NUM_CLASSES] }];
    } else g.outputs = [{ name: NET_IO.logits, dtype: 'float32', shape: ['N', NUM_CLASSES] }];
    return this.model;
  }
}

function resolve(options: NetOptions, seed: number): Required<Omit<NetOptions, 'softmax'>> & { softmax: boolean } {
  return { size: options.size ?? 32, opset: options.opset ?? 17, seed: options.seed ?? seed, softmax: options.softmax ?? false };
}

function requireOpset(name: string, opset: number, min: number): void {
  if (opset < min) throw new Error(`${name} needs opset ≥ ${min}, got ${opset}`);
}

/**
 * DenseNet-style: stem conv, two dense blocks (BN → ReLU → 3×3 conv, concatenated onto the block's input)
 * with a 1×1 transition conv and 2×2 average pool between them, then BN → ReLU → GAP → Flatten → Gemm.
 */
export function denseNet(options: NetOptions = {}): Model {
  const net = new Net('densenet', resolve(options, 101));
  const { b } = net;
  const growth = 8;
  const block = (x: string, c: number, layers: number): [string, number] => {
    for (let i = 0; i < layers; i++) {
      const y = net.conv(net.relu(net.bn(x, c)), c, growth, 3, { pad: 1, bias: false });
      x = b.op('Concat', [x, y], { axis: 1 });
      c += growth;
    }
    return [x, c];
  };
  let x = net.conv(NET_IO.input, 3, 16, 3, { pad: 1 });
  let c = 16;
  [x, c] = block(x, c, 3);
  x = net.conv(net.relu(net.bn(x, c)), c, c / 2, 1, { bias: false });
  c /= 2;
  x = b.op('AveragePool', [x], { kernel_shape: [2, 2], strides: [2, 2] });
  [x, c] = block(x, c, 2);
  x = b.op('GlobalAveragePool', [net.relu(net.bn(x, c))]);
  x = b.op('Flatten', [x], { axis: 1 });
  return net.finish(net.gemm(x, c, 6));
}

/**
 * Residual: stem conv → BN → ReLU → MaxPool 3×3 s2 p1, an identity block, a downsampling block
 * (3×3 stride-2 conv, 1×1 stride-2 shortcut), then GAP → Flatten → Gemm.
 */
export function resNet(options: NetOptions = {}): Model {
  const net = new Net('resnet', resolve(options, 202));
  const { b } = net;
  const basic = (x: string, cin: number, cout: number, stride: number): string => {
    let y = net.relu(net.bn(net.conv(x, cin, cout, 3, { stride, pad: 1, bias: false }), cout));
    y = net.bn(net.conv(y, cout, cout, 3, { pad: 1, bias: false }), cout);
    const shortcut = stride === 1 && cin === cout ? x : net.bn(net.conv(x, cin, cout, 1, { stride, bias: false }), cout);
    // Scale the residual branch down so activations do not grow block by block.
    return net.relu(b.add(shortcut, b.mul(y, b.scalar(0.5))));
  };
  let x = net.relu(net.bn(net.conv(NET_IO.input, 3, 16, 3, { pad: 1, bias: false }), 16));
  x = b.op('MaxPool', [x], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] });
  x = basic(x, 16, 16, 1);
  x = basic(x, 16, 32, 2);
  x = b.op('Flatten', [b.op('GlobalAveragePool', [x])], { axis: 1 });
  return net.finish(net.gemm(x, 32, 4));
}

/**
 * Depthwise-separable (MobileNet-like): stem 3×3 s2 conv → BN → HardSwish, two blocks of depthwise 3×3
 * (group = C) and pointwise 1×1 convs with ReLU6 (Clip 0..6) and HardSwish, then GAP → MatMul + Add.
 */
export function mobileNet(options: NetOptions = {}): Model {
  const opts = resolve(options, 303);
  requireOpset('mobileNet', opts.opset, 14);
  const net = new Net('mobilenet', opts);
  const { b } = net;
  const relu6 = (x: string) => b.op('Clip', [x, b.scalar(0), b.scalar(6)]);
  const hardSwish = (x: string) => b.op('HardSwish', [x]);
  const separable = (x: string, cin: number, cout: number, stride: number, act: (v: string) => string): string => {
    const dw = act(net.bn(net.conv(x, cin, cin, 3, { stride, pad: 1, group: cin, bias: false }), cin));
    return act(net.bn(net.conv(dw, cin, cout, 1, { bias: false }), cout));
  };
  let x = hardSwish(net.bn(net.conv(NET_IO.input, 3, 16, 3, { stride: 2, pad: 1, bias: false }), 16));
  x = separable(x, 16, 32, 1, relu6);
  x = separable(x, 32, 48, 2, hardSwish);
  x = b.op('Flatten', [b.op('GlobalAveragePool', [x])], { axis: 1 });
  const w = net.weight([48, NUM_CLASSES], 16 / Math.sqrt(48), 'head_w');
  return net.finish(b.add(b.matmul(x, w), net.weight([NUM_CLASSES], 0.1, 'head_b')));
}

/**
 * A small vision transformer: 4×4 stride-4 patch embedding, tokens via Reshape/Transpose, a learned
 * position embedding, one pre-norm block (two-head self-attention scaled by 1/√d, Erf-GELU MLP, residual
 * Adds), a final LayerNormalization, ReduceMean over tokens and a Gemm head.
 */
export function vitNet(options: NetOptions = {}): Model {
  const opts = resolve(options, 404);
  requireOpset('vitNet', opts.opset, 17);
  const net = new Net('vit', opts);
  const { b } = net;
  const d = 32;
  const heads = 2;
  const dh = d / heads;
  const hidden = 64;
  const tokens = (opts.size / 4) ** 2;
  const layerNorm = (x: string) =>
    b.op('LayerNormalization', [x, net.weight([d], 0.1, 'ln_scale', 1), net.weight([d], 0.05, 'ln_bias')], { axis: -1, epsilon: float(1e-5) });
  const linear = (x: string, cin: number, cout: number, gain = 1) =>
    b.add(b.matmul(x, net.weight([cin, cout], gain / Math.sqrt(cin), 'linear_w')), net.weight([cout], 0.02, 'linear_b'));
  // PyTorch's exact GELU at opset 17: x · 0.5 · (1 + erf(x / √2)).
  const gelu = (x: string) => b.mul(b.mul(x, b.scalar(0.5)), b.add(b.scalar(1), b.op('Erf', [b.div(x, b.scalar(Math.SQRT2))])));
  const splitHeads = (x: string) => b.transpose(b.reshape(x, [0, 0, heads, dh]), [0, 2, 1, 3]);

  let x = net.conv(NET_IO.input, 3, d, 4, { stride: 4 });
  x = b.transpose(b.reshape(x, [0, d, -1]), [0, 2, 1]);
  x = b.add(x, net.weight([1, tokens, d], 0.5, 'pos_embed'));

  const h = layerNorm(x);
  const q = splitHeads(linear(h, d, d));
  const k = splitHeads(linear(h, d, d));
  const v = splitHeads(linear(h, d, d));
  const scores = b.mul(b.matmul(q, b.transpose(k, [0, 1, 3, 2])), b.scalar(1 / Math.sqrt(dh)));
  const attention = b.matmul(b.op('Softmax', [scores], { axis: -1 }), v);
  const merged = b.reshape(b.transpose(attention, [0, 2, 1, 3]), [0, 0, d]);
  x = b.add(x, linear(merged, d, d));
  x = b.add(x, linear(gelu(linear(layerNorm(x), d, hidden)), hidden, d));

  const pooled = b.reduce('ReduceMean', layerNorm(x), [1], false);
  return net.finish(net.gemm(pooled, d, 4));
}

/**
 * WRN-16-4 (Zagoruyko & Komodakis): 3×3 stem to 16 channels, three groups of two pre-activation basic blocks at widths
 * 64, 128, 256 (stride 2 into the last two, 1×1 projection shortcuts), then BN → ReLU → GAP → Gemm. For the benchmark.
 */
export function wideResNet(options: NetOptions = {}): Model {
  const net = new Net('wrn', resolve(options, 505));
  const { b } = net;
  const block = (x: string, cin: number, cout: number, stride: number): string => {
    const o = net.relu(net.bn(x, cin));
    const y = net.conv(net.relu(net.bn(net.conv(o, cin, cout, 3, { stride, pad: 1, bias: false }), cout)), cout, cout, 3, { pad: 1, bias: false });
    const shortcut = cin === cout && stride === 1 ? x : net.conv(o, cin, cout, 1, { stride, bias: false });
    return b.add(shortcut, b.mul(y, b.scalar(0.5)));
  };
  let x = net.conv(NET_IO.input, 3, 16, 3, { pad: 1, bias: false });
  let c = 16;
  for (const [width, stride] of [[64, 1], [128, 2], [256, 2]]) {
    x = block(block(x, c, width, stride), width, width, 1);
    c = width;
  }
  x = b.op('Flatten', [b.op('GlobalAveragePool', [net.relu(net.bn(x, c))])], { axis: 1 });
  return net.finish(net.gemm(x, c, 4));
}

/**
 * DenseNet-BC-40 (k = 12): 3×3 stem to 2k channels, three dense blocks of six bottleneck layers (BN → ReLU → 1×1 conv
 * to 4k → BN → ReLU → 3×3 conv to k, concatenated), transitions halving the channels (1×1 conv, 2×2 average pool),
 * then BN → ReLU → GAP → Gemm. For the benchmark.
 */
export function denseNetBC(options: NetOptions = {}): Model {
  const net = new Net('densenet_bc', resolve(options, 606));
  const { b } = net;
  const k = 12;
  const unit = (x: string, cin: number, cout: number, kernel: number) => net.conv(net.relu(net.bn(x, cin)), cin, cout, kernel, { pad: (kernel - 1) / 2, bias: false });
  let x = net.conv(NET_IO.input, 3, 2 * k, 3, { pad: 1, bias: false });
  let c = 2 * k;
  for (let block = 0; block < 3; block++) {
    for (let i = 0; i < 6; i++, c += k) x = b.op('Concat', [x, unit(unit(x, c, 4 * k, 1), 4 * k, k, 3)], { axis: 1 });
    if (block === 2) break;
    x = b.op('AveragePool', [unit(x, c, c / 2, 1)], { kernel_shape: [2, 2], strides: [2, 2] });
    c /= 2;
  }
  x = b.op('Flatten', [b.op('GlobalAveragePool', [net.relu(net.bn(x, c))])], { axis: 1 });
  return net.finish(net.gemm(x, c, 4));
}

// torchvision's ImageNet architectures at full width, as torch.onnx (opset 13, eval mode) exports them: every
// BatchNormalization folded into the Conv before it (a Conv with a bias), ReLU6 as Clip, Dropout gone, Linear as Gemm
// (transB). Random He-normal weights: the weights a folded BN leaves are arbitrary, so the second Conv of a residual
// branch is drawn at half the variance to keep activations O(1) through the net. 10 classes, like the other nets.
// For the benchmark at 64×64 (any size ≥ 32 that is a multiple of 32 works).

function torchvisionOptions(options: NetOptions, seed: number) {
  return resolve({ opset: 13, size: 64, ...options }, seed);
}

/** torchvision `resnet18`: 7×7 s2 stem, 3×3 s2 p1 MaxPool, four stages of two BasicBlocks (64–512), GAP → Flatten → Gemm. */
export function resNet18(options: NetOptions = {}): Model {
  const net = new Net('resnet18', torchvisionOptions(options, 707));
  const { b } = net;
  const basic = (x: string, cin: number, cout: number, stride: number): string => {
    const y = net.conv(net.relu(net.conv(x, cin, cout, 3, { stride, pad: 1 })), cout, cout, 3, { pad: 1, gain: 1 });
    const identity = stride === 1 && cin === cout ? x : net.conv(x, cin, cout, 1, { stride, gain: 1 });
    return net.relu(b.add(y, identity));
  };
  let x = net.relu(net.conv(NET_IO.input, 3, 64, 7, { stride: 2, pad: 3 }));
  x = b.op('MaxPool', [x], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], ceil_mode: 0 });
  let c = 64;
  for (const [width, stride] of [[64, 1], [128, 2], [256, 2], [512, 2]]) {
    x = basic(basic(x, c, width, stride), width, width, 1);
    c = width;
  }
  x = b.op('Flatten', [b.op('GlobalAveragePool', [x])], { axis: 1 });
  return net.finish(net.gemm(x, c, 1));
}

/**
 * torchvision `mobilenet_v2` (width 1.0): 3×3 s2 stem to 32, the 17 inverted residuals (expand 1×1 → ReLU6, depthwise
 * 3×3 → ReLU6, linear 1×1; Add where stride 1 keeps the width), 1×1 to 1280 → ReLU6, GAP → Flatten → Gemm.
 */
export function mobileNetV2(options: NetOptions = {}): Model {
  const net = new Net('mobilenet_v2', torchvisionOptions(options, 808));
  const { b } = net;
  const relu6 = (x: string) => b.op('Clip', [x, b.scalar(0), b.scalar(6)]);
  let x = relu6(net.conv(NET_IO.input, 3, 32, 3, { stride: 2, pad: 1 }));
  let c = 32;
  const setting = [[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1], [6, 160, 3, 2], [6, 320, 1, 1]];
  for (const [t, width, n, s] of setting)
    for (let i = 0; i < n; i++) {
      const stride = i === 0 ? s : 1;
      const hidden = c * t;
      let y = t === 1 ? x : relu6(net.conv(x, c, hidden, 1));
      y = relu6(net.conv(y, hidden, hidden, 3, { stride, pad: 1, group: hidden }));
      y = net.conv(y, hidden, width, 1, { gain: 1 });
      x = stride === 1 && c === width ? b.add(x, y) : y;
      c = width;
    }
  x = relu6(net.conv(x, c, 1280, 1));
  x = b.op('Flatten', [b.op('GlobalAveragePool', [x])], { axis: 1 });
  return net.finish(net.gemm(x, 1280, 3));
}

/**
 * torchvision `shufflenet_v2_x0_5`: 3×3 s2 stem to 24 → ReLU, 3×3 s2 p1 MaxPool, stages of 4, 8, 4 units at 48, 96,
 * 192 channels (a stride-2 unit with two branches, then units that Split the channels in half and transform one),
 * each unit ending in the channel shuffle torch.onnx exports as Shape/Gather/Concat → Reshape, Transpose, Reshape;
 * 1×1 to 1024 → ReLU, mean over H, W (ReduceMean), Gemm.
 */
export function shuffleNetV2(options: NetOptions = {}): Model {
  const net = new Net('shufflenet_v2', torchvisionOptions(options, 909));
  const { b } = net;
  const dim = (x: string, i: number) => b.op('Gather', [b.shape(x), b.scalar(i, 'int64')], { axis: 0 });
  const shuffle = (x: string): string => {
    const [n, c, h, w] = [0, 1, 2, 3].map((i) => dim(x, i));
    const perGroup = b.div(c, b.scalar(2, 'int64'));
    const dims = (parts: (string | number)[]) => b.op('Concat', parts.map((p) => (typeof p === 'number' ? b.ints([p]) : b.unsqueeze(p, [0]))), { axis: 0 });
    const grouped = b.reshape(x, dims([n, 2, perGroup, h, w]));
    return b.reshape(b.transpose(grouped, [0, 2, 1, 3, 4]), dims([n, -1, h, w]));
  };
  const unit = (x: string, cin: number, cout: number, stride: number): string => {
    const half = cout / 2;
    const branch2 = (v: string, c: number) => {
      const y = net.relu(net.conv(v, c, half, 1));
      const dw = net.conv(y, half, half, 3, { stride, pad: 1, group: half, gain: 1 });
      return net.relu(net.conv(dw, half, half, 1));
    };
    if (stride === 1) {
      const [x1, x2] = b.split(x, 1, [half, half]);
      return shuffle(b.op('Concat', [x1, branch2(x2, half)], { axis: 1 }));
    }
    const branch1 = net.relu(net.conv(net.conv(x, cin, cin, 3, { stride, pad: 1, group: cin, gain: 1 }), cin, half, 1));
    return shuffle(b.op('Concat', [branch1, branch2(x, cin)], { axis: 1 }));
  };
  let x = net.relu(net.conv(NET_IO.input, 3, 24, 3, { stride: 2, pad: 1 }));
  x = b.op('MaxPool', [x], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], ceil_mode: 0 });
  let c = 24;
  for (const [repeats, width] of [[4, 48], [8, 96], [4, 192]]) {
    for (let i = 0; i < repeats; i++) x = unit(x, i === 0 ? c : width, width, i === 0 ? 2 : 1);
    c = width;
  }
  x = net.relu(net.conv(x, c, 1024, 1));
  x = b.reduce('ReduceMean', x, [2, 3], false);
  return net.finish(net.gemm(x, 1024, 7));
}

/**
 * torchvision `squeezenet1_1`: 3×3 s2 stem to 64 → ReLU, MaxPool 3×3 s2 (ceil_mode) before the first, third and
 * fifth of eight Fire modules (squeeze 1×1 → ReLU, expand 1×1 and 3×3 → ReLU, Concat), then the classifier's
 * 1×1 Conv → ReLU → GAP → Flatten. No BatchNorm; the Conv biases are torchvision's own.
 */
export function squeezeNet11(options: NetOptions = {}): Model {
  const net = new Net('squeezenet1_1', torchvisionOptions(options, 1010));
  const { b } = net;
  const pool = (x: string) => b.op('MaxPool', [x], { kernel_shape: [3, 3], strides: [2, 2], pads: [0, 0, 0, 0], ceil_mode: 1 });
  const fire = (x: string, cin: number, squeeze: number, expand: number): string => {
    const s = net.relu(net.conv(x, cin, squeeze, 1));
    return b.op('Concat', [net.relu(net.conv(s, squeeze, expand, 1)), net.relu(net.conv(s, squeeze, expand, 3, { pad: 1 }))], { axis: 1 });
  };
  let x = pool(net.relu(net.conv(NET_IO.input, 3, 64, 3, { stride: 2 })));
  x = pool(fire(fire(x, 64, 16, 64), 128, 16, 64));
  x = pool(fire(fire(x, 128, 32, 128), 256, 32, 128));
  x = fire(fire(fire(fire(x, 256, 48, 192), 384, 48, 192), 384, 64, 256), 512, 64, 256);
  // The classifier Conv, scaled like the other nets' heads so the logits spread.
  const w = net.weight([NUM_CLASSES, 512, 1, 1], 10 / Math.sqrt(512), 'classifier_w');
  x = net.relu(b.op('Conv', [x, w, net.weight([NUM_CLASSES], 0.1, 'classifier_b')], { kernel_shape: [1, 1], strides: [1, 1], pads: [0, 0, 0, 0], group: 1, dilations: [1, 1] }));
  return net.finish(b.op('Flatten', [b.op('GlobalAveragePool', [x])], { axis: 1 }));
}

/** The four torchvision nets at full width, for the benchmark (64×64 by default). */
export const TORCHVISION_NETS: NetSpec[] = [
  { name: 'resnet-18', build: resNet18, minOpset: 13 },
  { name: 'shufflenet-v2-x0.5', build: shuffleNetV2, minOpset: 13 },
  { name: 'mobilenet-v2', build: mobileNetV2, minOpset: 13 },
  { name: 'squeezenet-1.1', build: squeezeNet11, minOpset: 13 },
];

/** The four nets, in the order the tests and the benchmark report them. */
export const NETS: NetSpec[] = [
  { name: 'densenet', build: denseNet, minOpset: 13 },
  { name: 'resnet', build: resNet, minOpset: 13 },
  { name: 'mobilenet', build: mobileNet, minOpset: 14 },
  { name: 'vit', build: vitNet, minOpset: 17 },
];
