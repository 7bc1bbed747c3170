// Gradient rules: convolution ops. dX is a Conv with flipped kernels at stride 1 and a ConvTranspose at larger strides
// (for onnxruntime's CPU, a strided depthwise Conv's is a stride-1 depthwise Conv over the zero-upsampled dY, and a
// strided image stem's a stride-1 Conv over sub-pixel phases).
import { attrInt, attrInts } from '../../graph/attrs.ts';
import type { DifferentiableOp } from '../ops.ts';
import type { GradContext, Rule } from '../rule.ts';
import { convInputGrad, convWeightGrad, fastestInputGrad, geometry, staticDims } from './conv-transpose.ts';
import { shapeOf } from './helpers.ts';

// dX formulations measured by bench/conv-grad.ts: onnxruntime-node 1.30 CPU, 2 intra-op threads, optimization
// 'all', float32, batch 32, best of 2 × 120 round-robin runs, ms:
//                        forward  ConvTranspose  Conv: flipped (s1) / sub-pixel + DepthToSpace (s2)
//   3→16   32² 3×3 s1      0.49       0.87        0.95
//   16→32  32² 3×3 s1      2.11       4.10        1.99
//   64→64  16² 3×3 s1      3.04       5.20        3.06
//   64→64   8² 3×3 s1      0.80       1.31        0.75
//   dw32   32² 3×3 s1      1.05       5.11        1.04
//   g4 32→32 16² 3×3 s1    0.77       1.57        0.72
//   16→32  32² 1×1 s1      0.93       0.84        0.78
//   16→32  32² 3×3 s2      0.70       1.20        2.20   (sub-pixel + Transpose 3.57; zero-dilated dY + Conv 5.13)
//   64→128 16² 3×3 s2      1.76       2.37        7.55   (13.39; 16.23)
//   dw32   32² 3×3 s2      0.58       1.67        4.18   (12.61; 8.50)
//   16→32  32² 1×1 s2      0.34       0.45        2.03   (2.05; 3.75)
// At stride 1 the flipped-kernel Conv costs what the forward does and ConvTranspose up to 4.9x more
// (depthwise). At stride 2 ConvTranspose is 1.3-2.9x the forward and beats every Conv form: the sub-pixel
// phase Conv itself is cheap, but onnxruntime's DepthToSpace/Transpose interleave is not. The sub-pixel
// form (conv-transpose.ts) remains the fallback where ConvTranspose's attributes cannot express the crop.
// Tried for depthwise 3×3 s2 p1 dX and not kept (2 threads, batch 32, median ms, forward / ConvTranspose / one
// depthwise stride-1 Conv per sub-pixel phase stacked and interleaved by DepthToSpace DCR / zero-upsampled dY by a
// broadcast Mul, then a flipped-kernel depthwise Conv): dw24 16² 0.57 / 1.60 / 1.78 / 3.15; dw64 8² 0.35 / 1.23
// / 1.50 / 3.38; dw48 32² 5.37 / 11.0 / 17.8 / 39.1. The phase Convs stay on onnxruntime's depthwise kernel but the
// interleave costs more than ConvTranspose saves; the upsampled form does 4× the forward's multiply-adds.
// In the full-width 64×64 nets (bench/profile.ts, kernel ms per batch of 32 for the ODIN graph) that picture turns:
// onnxruntime's CPU ConvTranspose runs a depthwise one group by group, 5.7 ms for MobileNetV2's dw96 16² → 32²
// against about 0.2 for its forward, while the upsampled form's stride-1 depthwise Conv stays on the depthwise
// kernel and costs little; its upsampling is the cost: a 6-D Pad 15.8 ms for MobileNetV2's four stride-2 depthwise
// convs, DepthToSpace of dY and zeros 8.8, a nearest Resize times a 0/1 mask 1.4 + 0.8. So for the CPU provider a
// strided depthwise Conv's dX is the Resize-upsampled form: MobileNetV2 84.6 → 73.0 ms, ShuffleNetV2 x0.5 30.8 →
// 29.7. Not kept: the same for every strided Conv (4× the multiply-adds of a dense one; ShuffleNetV2 → 52.2 ms),
// the upsampled form for the 3-channel image stems (ResNet-18 161 → 222, SqueezeNet 47 → 63), sub-pixel phases for
// the dense 3×3 s2 convs (ResNet-18: ConvTranspose 21.6 → 9.8 ms but the phase Convs +9.7 and DepthToSpace +2.7, 170 →
// 172), the phase Conv's output padded to 16 channels. Kept for the CPU: the stems (≤ 4 input channels) by sub-pixel
// phases, per node back to back: ResNet-18's 7×7 s2 3←64 ConvTranspose 6.9 ms → phase Conv 5.2 + DepthToSpace 0.6 +
// Slice 0.2; SqueezeNet's 3×3 s2 3←64 2.4 → 1.2 + 0.6 (within the noise of a whole graph's profile). Zero-upsampling
// by Resize for the 1×1 s2 shortcuts after their Conv (ResNet-18: ConvTranspose 21.6 → 19.1 ms, the rest +2.5) is a
// wash and not kept. The portable graph keeps ConvTranspose everywhere.
// dW (training only): see fastestWeightGrad in conv-transpose.ts.

// d Conv(X, W, B) = (ConvTranspose(dY, W), Σ_{n,p} dY ⊗ window(X), Σ_{n, spatial} dY)
const conv: Rule = (ctx: GradContext) => {
  const { b, node, x: [x, w, bias], dy: [dy], needs } = ctx;
  const group = attrInt(node, 'group', 1);
  const xShape = staticDims(node, x, shapeOf(ctx, x).slice(1));
  const wShape = staticDims(node, w, shapeOf(ctx, w));
  const kernel = attrInts(node, 'kernel_shape', wShape.slice(2));
  const spec = { geom: geometry(node, xShape.slice(1), kernel, 'conv'), group, cin: xShape[0], cout: wShape[0] };
  // A constant W (an initializer nobody trains) gets its flipped kernels computed here, on the CPU;
  // ConvTranspose takes W itself.
  const init = b.graph.initializers.get(w);
  const method = fastestInputGrad(spec.geom, { group, cin: spec.cin, provider: ctx.provider });
  const dx = needs[0] ? convInputGrad(b, dy!, init && !needs[1] && method !== 'conv-transpose' ? init.tensor : w, spec, method) : undefined;
  const dw = needs[1] ? convWeightGrad(b, x, dy!, spec) : undefined;
  const db = bias && needs[2] ? b.reduceSum(dy!, [0, ...kernel.map((_, i) => i + 2)], false) : undefined;
  return [dx, dw, db];
};

export const convolutionRules = { Conv: conv } satisfies Partial<Record<DifferentiableOp, Rule>>;
