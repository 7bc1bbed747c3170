// Gradient rules: convolution ops. dX is one plain Conv (flipped or sub-pixel phase kernels), never ConvTranspose.
import { attrInt, attrInts } from '../../graph/attrs.ts';
import type { DifferentiableOp } from '../ops.ts';
import type { GradContext, Rule } from '../rule.ts';
import { convInputGrad, convWeightGrad, geometry, staticDims } from './conv-transpose.ts';
import { shapeOf } from './helpers.ts';

// Why not ConvTranspose: on onnxruntime-node 1.30 CPU (2 threads, float32, batch 32; bench/conv-grad.ts)
// ConvTranspose takes ~1.3x the forward Conv at stride 1 and 7-10x at stride 2, while the Conv
// formulations here stay close to the forward Conv; the measured table is in bench/conv-grad.ts.
// Stride 1: Conv(dY, flip(Wᵀ)) with pads (K−1)·d − p. Stride s > 1: one Conv producing the s² sub-pixel
// phases as channels (kernels of ⌈K/s⌉ taps), interleaved with DepthToSpace and cropped.

// d Conv(X, W, B) = (ConvTranspose(dY, W), Conv(Xᵀ, dYᵀ)ᵀ, Σ_{n, spatial} dY)
const conv: Rule = (ctx: GradContext) => {
  const { b, node, x: [x, w, bias], dy: [dy], needs } = ctx;
  const group = attrInt(node, 'group', 1);
  const xShape = staticDims(node, x, shapeOf(ctx, x).slice(1));
  const wShape = staticDims(node, w, shapeOf(ctx, w));
  const kernel = attrInts(node, 'kernel_shape', wShape.slice(2));
  const spec = { geom: geometry(node, xShape.slice(1), kernel, 'conv'), group, cin: xShape[0], cout: wShape[0] };
  // A constant W (an initializer nobody trains) gets its phase kernels computed here, on the CPU.
  const init = b.graph.initializers.get(w);
  const dx = needs[0] ? convInputGrad(b, dy!, init && !needs[1] ? init.tensor : w, spec) : undefined;
  const dw = needs[1] ? convWeightGrad(b, x, dy!, spec) : undefined;
  const db = bias && needs[2] ? b.reduceSum(dy!, [0, ...kernel.map((_, i) => i + 2)], false) : undefined;
  return [dx, dw, db];
};

export const convolutionRules = { Conv: conv } satisfies Partial<Record<DifferentiableOp, Rule>>;
