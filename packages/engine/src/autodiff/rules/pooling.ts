// Gradient rules: pooling ops. Windows are gathered exactly (strided Slices) and scattered back by ConvTranspose; for onnxruntime's CPU, MaxPool's from its Indices.
import { attrInt, attrInts, attrString } from '../../graph/attrs.ts';
import type { GraphBuilder } from '../../graph/builder.ts';
import { f32 } from '../../graph/tensor.ts';
import type { DifferentiableOp } from '../ops.ts';
import type { GradContext, Rule } from '../rule.ts';
import { convInputGrad, fastestInputGrad, geometry, padOrCrop, staticDims, unflatten } from './conv-transpose.ts';
import type { Geometry, InputGradMethod } from './conv-transpose.ts';
import { shapeOf } from './helpers.ts';

// Formulations chosen by bench/conv-grad.ts: onnxruntime-node 1.30 CPU, 2 intra-op threads, float32, batch 32,
// best of 3 × 120 round-robin runs, ms. MaxPool dX:
//                        forward  rule   SpaceToDepth  ArgMax   Conv    Where  per-offset
//                                        gather        one-hot  col2im         loop
//   16ch 32² 2×2 s2        0.35   2.21   1.57          2.33     3.06    2.38    9.03
//   64ch 32² 2×2 s2        1.20  10.55   6.80         11.82    17.21   11.92   38.32
//   16ch 32² 3×3 s2 p1     0.38   4.27   —             6.10     8.62    5.94   22.09
//   64ch 32² 3×3 s2 p1     1.15  25.97   —            24.36    32.35   25.29   84.03
//   16ch 16² 3×3 s1 p1     0.20   2.80   —             3.66     4.80    3.84    3.00
// The rule: K strided Slices + Concat gather the windows as channels, Equal/Cast/CumSum/Sub/Relu mask the
// first max, Mul by dY (a broadcasting Where is slower), ConvTranspose with one-hot kernels scatters back
// (onnxruntime's NCHWc Conv is slow on [N·C, K] batches; DepthToSpace was slower too, 2.65 / 11.21 ms).
// SpaceToDepth is faster for kernel == stride but missing from onnxruntime's WebGPU kernels; the ArgMax
// one-hot needs an int64 Equal, which WebGPU lacks. The cost is the K-fold window tensor (~7 passes over it).
// Compiled for onnxruntime's CPU provider (rule.ts's Provider), MaxPool dX is dY scatter-added at the Indices of a
// second MaxPool instead. `npx tsx bench/conv-grad.ts --only maxpool`, best of 40, ms, inputs of 8 levels (ties in
// most windows), a load average of 4–9 on the 2 cores, so compare within a row:
//                        forward  rule   CPU: Indices + ScatterElements (opset 17) / one per phase (opset 13)
//   16ch 32² 2×2 s2        0.40   1.86   3.22 / 2.64
//   64ch 32² 2×2 s2        1.99  34.92  11.61 / 11.43
//   16ch 32² 3×3 s2 p1     0.49   4.92   4.60 / 5.83
//   64ch 32² 3×3 s2 p1     1.51  84.06  23.22 / 57.09
//   16ch 16² 3×3 s1 p1     0.33   3.46   2.76 / 8.64
// In the nets (kernel time, bench/profile.ts) ResNet's 3×3 s2 p1 pool gradient fell from about 5 to 2.5 ms and
// SqueezeNet's whole gradient from 2.5 to 1.8 ms. onnxruntime's MaxPool with Indices is its slow generic kernel
// (≈ 8× its forward MaxPool here, branchy: slower still on untied random inputs); it is the larger part.
// In the full-width 64×64 torchvision nets (bench/nets.ts, kernel ms per batch of 32): ResNet-18's 64-channel 32² pool
// Indices 6.7 + ScatterElements 2.8 (forward MaxPool 0.35), SqueezeNet 1.1's three ceil-mode pools 9.5 + 3.7 (0.42),
// a third of its gradient; ShuffleNetV2 x0.5's 2.4 + 1.0. Still the fastest exact form measured for the CPU.
// AveragePool dX: the transposed convolution with a constant kernel, ConvTranspose (Conv at stride 1):
//   16ch 32² 2×2 s2: forward 0.31, rule 0.71, sub-pixel Conv 1.57, Expand upsampling 2.70
//   64ch 32² 3×3 s2 p1: forward 1.14, rule 4.78, sub-pixel Conv 11.39

/** −FLT_MAX: pads MaxPool windows; finite, so the window gather stays exact on every backend. */
const LOWEST = -3.4028234663852886e38;

const prod = (xs: number[]) => xs.reduce((a, b) => a * b, 1);
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Pool geometry of the node, from X's static spatial size. */
function poolGeometry(ctx: GradContext): Geometry {
  const { node } = ctx;
  const x = shapeOf(ctx, ctx.x[0]);
  if (attrString(node, 'auto_pad', 'NOTSET').startsWith('SAME') && attrInts(node, 'dilations', []).some((d) => d > 1))
    throw new Error(
      `${node.op} node "${node.name}": auto_pad ${attrString(node, 'auto_pad', '')} with dilations is not supported: onnxruntime's output ` +
        'size differs from the ONNX spec\'s there; re-export the model with explicit pads',
    );
  return geometry(node, staticDims(node, ctx.x[0], x.slice(2)), attrInts(node, 'kernel_shape')!, 'pool');
}

/**
 * im2col: the windows of x1 [B, 1, H…] as [B, K, O…], taps in row-major order (K = kernel size), one strided
 * Slice of the padded input per tap; cells outside the input hold `fill`. Pure data movement, so an Equal
 * against MaxPool's output stays exact (a Conv with one-hot kernels would not be under TF32 on CUDA).
 * NOTE: SpaceToDepth gathers kernel == stride windows ~2x faster on onnxruntime's CPU, but neither of its
 * WebGPU backends implements it, and a CPU fallback there costs far more.
 */
export function gatherWindows(b: GraphBuilder, x1: string, g: Geometry, fill: number): string {
  const n = g.kernel.length;
  const K = prod(g.kernel);
  const extent = range(n).map((i) => (g.outSize[i] - 1) * g.strides[i] + 1);
  const after = range(n).map((i) => extent[i] + (g.kernel[i] - 1) * g.dilations[i] - g.inSize[i] - g.padsBegin[i]);
  const xp = padOrCrop(b, x1, g.inSize, g.padsBegin, after, fill);
  const axes = range(n).map((i) => i + 2);
  const slices = range(K).map((t) => {
    const starts = unflatten(t, g.kernel).map((k, i) => k * g.dilations[i]);
    return b.slice(xp, starts, starts.map((s, i) => s + extent[i]), axes, g.strides);
  });
  return K === 1 ? slices[0] : b.op('Concat', slices, { axis: 1 });
}

/**
 * col2im, the adjoint of gatherWindows: sums cols [B, K, O…] back into [B, 1, H…]. The windows are a Conv of
 * x with one-hot kernels, so this is that Conv's input gradient.
 */
export function scatterWindows(b: GraphBuilder, cols: string, g: Geometry, method: InputGradMethod = 'conv-transpose'): string {
  const K = prod(g.kernel);
  const onehot = new Float32Array(K * K);
  for (let t = 0; t < K; t++) onehot[t * K + t] = 1;
  return convInputGrad(b, cols, f32(onehot, [K, 1, ...g.kernel]), { geom: g, group: 1, cin: 1, cout: K }, method);
}

/**
 * A 0/1 float mask of the first tap along `axis` equal to the window's max y1: relu(eq − Σ_earlier eq).
 * Float-only, so WebGPU keeps it on the GPU (its Equal has no int64, as an ArgMax one-hot would need).
 */
export function firstMax(b: GraphBuilder, cols: string, y1: string, axis: number): string {
  const eq = b.cast(b.op('Equal', [cols, y1]), 'float32');
  return b.op('Relu', [b.sub(eq, b.op('CumSum', [eq, b.scalar(axis, 'int64')], { exclusive: 1 }))]);
}

/**
 * MaxPool's Indices for the node's windows: its own second output, or a second MaxPool on x. onnxruntime's CPU
 * kernel returns flat indices into x (batch and channel included) of each window's first maximum in row-major
 * order (it keeps a tap only when strictly greater), the convention firstMax follows.
 */
function maxPoolIndices(ctx: GradContext): string {
  const { b, node } = ctx;
  if (ctx.y[1] && attrInt(node, 'storage_order', 0) === 0) return ctx.y[1];
  const attrs = Object.fromEntries(Object.entries(node.attrs).filter(([k]) => k !== 'storage_order'));
  const outputs = [b.fresh('maxpool'), b.fresh('indices')];
  b.graph.nodes.push({ op: 'MaxPool', domain: '', name: b.fresh('MaxPool_node'), inputs: [ctx.x[0]], outputs, attrs });
  return outputs[1];
}

// d MaxPool(x)/dx · dy = dy added into zeros at MaxPool's Indices (onnxruntime's CPU provider)
function maxPoolScatterGrad(ctx: GradContext, g: Geometry): string {
  const { b, x: [x], dy: [dy] } = ctx;
  const flat = (v: string) => b.reshape(v, [-1]);
  const idx = maxPoolIndices(ctx);
  const zeros = flat(b.zerosLike(x));
  if (ctx.opset >= 16) return b.reshape(b.op('ScatterElements', [zeros, flat(idx), flat(dy!)], { axis: 0, reduction: 'add' }), b.shape(x));
  // Before opset 16 ScatterElements overwrites. Windows p = ⌈span / stride⌉ apart never overlap, so each phase of
  // the outputs (every p-th window, per spatial dim) has distinct indices and is added in one Gather + Scatter.
  const span = g.kernel.map((k, i) => (k - 1) * g.dilations[i] + 1);
  const p = span.map((w, i) => Math.ceil(w / g.strides[i]));
  const phases = range(prod(p)).map((t) => unflatten(t, p));
  let acc = zeros;
  for (const r of phases) {
    const pick = (v: string) => (p.every((q) => q === 1) ? flat(v) : flat(b.slice(v, r, r.map(() => Number.MAX_SAFE_INTEGER), r.map((_, i) => i + 2), p)));
    const [ir, dr] = [pick(idx), pick(dy!)];
    acc = b.op('ScatterElements', [acc, ir, acc === zeros ? dr : b.add(dr, b.op('GatherElements', [acc, ir], { axis: 0 }))], { axis: 0 });
  }
  return b.reshape(acc, b.shape(x));
}

// d MaxPool(x)/dx · dy = col2im(first-max one-hot · dy)
export function maxPoolInputGrad(b: GraphBuilder, x: string, y: string, dy: string, g: Geometry): string {
  const cols = gatherWindows(b, b.reshape(x, [-1, 1, ...g.inSize]), g, LOWEST);
  const picked = b.mul(firstMax(b, cols, b.reshape(y, [-1, 1, ...g.outSize]), 1), b.reshape(dy, [-1, 1, ...g.outSize]));
  return b.reshape(scatterWindows(b, picked, g), b.shape(x));
}

/**
 * Per output position, the reciprocal of onnxruntime's AveragePool divisor (checked against its output in
 * pooling.test.ts): the taps inside the input, or with count_include_pad those inside [−pad, in + pad_end),
 * so ceil_mode taps beyond the end padding never count. 0 where a window holds no input.
 */
export function averagePoolScale(g: Geometry, countIncludePad: boolean): Float32Array {
  const perDim = g.kernel.map((k, i) =>
    range(g.outSize[i]).map((o) => {
      const start = o * g.strides[i] - g.padsBegin[i];
      const inside = (p: number) => (countIncludePad ? p < g.inSize[i] + g.padsEnd[i] : p >= 0 && p < g.inSize[i]);
      return range(k).filter((t) => inside(start + t * g.dilations[i])).length;
    }),
  );
  return Float32Array.from({ length: prod(g.outSize) }, (_, j) => {
    const count = prod(unflatten(j, g.outSize).map((o, i) => perDim[i][o]));
    return count === 0 ? 0 : 1 / count;
  });
}

// d AveragePool(x)/dx · dy = col2im(dy / count)
export function averagePoolInputGrad(b: GraphBuilder, x: string, dy: string, g: Geometry, countIncludePad: boolean, method = fastestInputGrad(g)): string {
  const scale = averagePoolScale(g, countIncludePad);
  const uniform = scale.every((v) => v === scale[0]);
  let dy1 = b.reshape(dy, [-1, 1, ...g.outSize]);
  if (!uniform) dy1 = b.mul(dy1, b.constant(f32(scale, g.outSize), 'avgpool_scale'));
  const kernel = f32(new Float32Array(prod(g.kernel)).fill(uniform ? scale[0] : 1), [1, 1, ...g.kernel]);
  return b.reshape(convInputGrad(b, dy1, kernel, { geom: g, group: 1, cin: 1, cout: 1 }, method), b.shape(x));
}

// d GlobalMaxPool(x)/dx · dy = first-max one-hot over the spatial positions · dy
function globalMaxPoolGrad(ctx: GradContext): string {
  const { b, x: [x], y: [y], dy: [dy] } = ctx;
  const picked = b.mul(firstMax(b, b.reshape(x, [0, 0, -1]), b.reshape(y, [0, 0, -1]), 2), b.reshape(dy!, [0, 0, -1]));
  return b.reshape(picked, b.shape(x));
}

// d GlobalAveragePool(x)/dx · dy = expand(dy / (H·W…))
function globalAveragePoolGrad(ctx: GradContext): string {
  const { b, node, x: [x], dy: [dy] } = ctx;
  const spatial = staticDims(node, x, shapeOf(ctx, x).slice(2));
  return b.expand(b.div(dy!, b.scalar(prod(spatial))), b.shape(x));
}

export const poolingRules = {
  MaxPool: (ctx) => [ctx.provider === 'cpu' ? maxPoolScatterGrad(ctx, poolGeometry(ctx)) : maxPoolInputGrad(ctx.b, ctx.x[0], ctx.y[0], ctx.dy[0]!, poolGeometry(ctx))],
  AveragePool: (ctx) => [averagePoolInputGrad(ctx.b, ctx.x[0], ctx.dy[0]!, poolGeometry(ctx), attrInt(ctx.node, 'count_include_pad', 0) === 1)],
  GlobalMaxPool: (ctx) => [globalMaxPoolGrad(ctx)],
  GlobalAveragePool: (ctx) => [globalAveragePoolGrad(ctx)],
} satisfies Partial<Record<DifferentiableOp, Rule>>;
