// Gradient rules: linalg ops (MatMul with batch broadcasting and 1-D operands, Gemm).
import { attrFloat, attrInt, float } from '../../graph/attrs.ts';
import type { GraphBuilder } from '../../graph/builder.ts';
import type { Dim } from '../../graph/ir.ts';
import { broadcastShapes } from '../../graph/shapes.ts';
import type { DifferentiableOp } from '../ops.ts';
import type { GradContext, Rule } from '../rule.ts';
import { shapeOf, unbroadcast } from './helpers.ts';

/** Gemm without C; transposes and the scale are attributes, so no Transpose/Mul nodes are needed. */
const gemm = (b: GraphBuilder, a: string, c: string, transA: number, transB: number, alpha = 1) =>
  b.op('Gemm', [a, c], { transA: transA || undefined, transB: transB || undefined, alpha: alpha === 1 ? undefined : float(alpha) });

/** Swaps the last two axes. */
const transposeLast = (b: GraphBuilder, x: string, rank: number) =>
  b.transpose(x, [...Array.from({ length: rank - 2 }, (_, i) => i), rank - 1, rank - 2]);

// d(A B) = dY Bᵀ, Aᵀ dY, each summed over the batch axes its operand was broadcast along.
function matmul(ctx: GradContext): (string | undefined)[] {
  const { b, x: [a, w], needs } = ctx;
  const dy = ctx.dy[0]!;
  const [as, ws] = [shapeOf(ctx, a), shapeOf(ctx, w)];
  if (as.length === 2 && ws.length === 2) return [needs[0] ? gemm(b, dy, w, 0, 1) : undefined, needs[1] ? gemm(b, a, dy, 1, 0) : undefined];
  if (as.length > 2 && ws.length === 2) {
    // x @ W with a batched x: the weight's gradient is one Gemm over the flattened batch, not a batched MatMul and a ReduceSum.
    const r = as.length;
    return [
      needs[0] ? b.matmul(dy, b.transpose(w, [1, 0])) : undefined,
      needs[1] ? gemm(b, b.op('Flatten', [a], { axis: r - 1 }), b.op('Flatten', [dy], { axis: r - 1 }), 1, 0) : undefined,
    ];
  }
  // General case: 1-D operands become matrices ([K] → [1, K] on the left, [K, 1] on the right), and dY gains their axes back.
  const a2 = as.length === 1 ? b.unsqueeze(a, [0]) : a;
  const w2 = ws.length === 1 ? b.unsqueeze(w, [1]) : w;
  const as2: Dim[] = as.length === 1 ? [1, as[0]] : as;
  const ws2: Dim[] = ws.length === 1 ? [ws[0], 1] : ws;
  const lost = [...(as.length === 1 ? [-2] : []), ...(ws.length === 1 ? [-1] : [])];
  const dy2 = lost.length ? b.unsqueeze(dy, lost) : dy;
  const batch = broadcastShapes(as2.slice(0, -2), ws2.slice(0, -2));
  let da: string | undefined;
  let dw: string | undefined;
  if (needs[0]) {
    da = unbroadcast(b, b.matmul(dy2, transposeLast(b, w2, ws2.length)), [...batch, ...as2.slice(-2)], as2);
    if (as.length === 1) da = b.squeeze(da, [0]);
  }
  if (needs[1]) {
    dw = unbroadcast(b, b.matmul(transposeLast(b, a2, as2.length), dy2), [...batch, ...ws2.slice(-2)], ws2);
    if (ws.length === 1) dw = b.squeeze(dw, [1]);
  }
  return [da, dw];
}

// Y = alpha A' B' + beta C: dA' = alpha dY B'ᵀ, dB' = alpha A'ᵀ dY, dC = beta dY summed to C's shape.
function gemmRule(ctx: GradContext): (string | undefined)[] {
  const { b, node, x: [a, w, c], needs } = ctx;
  const dy = ctx.dy[0]!;
  const [tA, tB] = [attrInt(node, 'transA', 0), attrInt(node, 'transB', 0)];
  const [alpha, beta] = [attrFloat(node, 'alpha', 1), attrFloat(node, 'beta', 1)];
  const da = !needs[0] ? undefined : tA ? gemm(b, w, dy, tB, 1, alpha) : gemm(b, dy, w, 0, 1 - tB, alpha);
  const dw = !needs[1] ? undefined : tB ? gemm(b, dy, a, 1, tA, alpha) : gemm(b, a, dy, 1 - tA, 0, alpha);
  let dc: string | undefined;
  if (needs[2]) {
    dc = unbroadcast(b, dy, shapeOf(ctx, ctx.y[0]), shapeOf(ctx, c));
    if (beta !== 1) dc = b.mul(dc, b.scalar(beta));
  }
  return [da, dw, dc];
}

export const linalgRules = {
  MatMul: matmul,
  Gemm: gemmRule,
} satisfies Partial<Record<DifferentiableOp, Rule>>;
