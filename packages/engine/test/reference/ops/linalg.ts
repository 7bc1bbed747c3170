// Matrix products: MatMul (numpy matmul semantics) and Gemm.
import { attrFloat, attrInt } from '../../../src/graph/attrs.ts';
import { broadcastIndex, broadcastShapes, make, size } from '../tensor.ts';
import { fail, floatInput, input } from './context.ts';
import type { OpContext, OpImpl } from './context.ts';

/** A batched matmul: for each output batch b, A block aBatch[b] times B block bBatch[b]. */
export interface MatMulLayout {
  M: number;
  K: number;
  N: number;
  /** Output dims after dropping the axes added for 1-D operands. */
  dims: number[];
  aBatch: Int32Array;
  bBatch: Int32Array;
}

/** Batched matmul geometry with broadcasting; 1-D A gets a leading 1, 1-D B a trailing 1 (both removed after). */
export function matmulLayout(ctx: OpContext): MatMulLayout {
  const a = input(ctx, 0).dims;
  const b = input(ctx, 1).dims;
  if (a.length === 0 || b.length === 0) fail(ctx, 'operands should have rank >= 1');
  const ad = a.length === 1 ? [1, a[0]] : a;
  const bd = b.length === 1 ? [b[0], 1] : b;
  const [M, K] = ad.slice(-2);
  const [K2, N] = bd.slice(-2);
  if (K !== K2) fail(ctx, `inner dims differ: [${a}] x [${b}]`);
  const batch = broadcastShapes(ad.slice(0, -2), bd.slice(0, -2));
  const dims = [...batch, ...(a.length === 1 ? [] : [M]), ...(b.length === 1 ? [] : [N])];
  return { M, K, N, dims, aBatch: broadcastIndex(ad.slice(0, -2), batch), bBatch: broadcastIndex(bd.slice(0, -2), batch) };
}

const matmul: OpImpl = (ctx) => {
  const a = floatInput(ctx, 0);
  const b = floatInput(ctx, 1);
  const { M, K, N, dims, aBatch, bBatch } = matmulLayout(ctx);
  const out = new Float64Array(size(dims));
  for (let t = 0; t < aBatch.length; t++) {
    const ao = aBatch[t] * M * K;
    const bo = bBatch[t] * K * N;
    const oo = t * M * N;
    for (let i = 0; i < M; i++)
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += a[ao + i * K + k] * b[bo + k * N + j];
        out[oo + i * N + j] = s;
      }
  }
  return [make('float', dims, out)];
};

/** Gemm geometry: Y[M, N] = alpha * op(A) op(B) + beta * C. */
export function gemmParams(ctx: OpContext) {
  const a = input(ctx, 0).dims;
  const b = input(ctx, 1).dims;
  if (a.length !== 2 || b.length !== 2) fail(ctx, 'A and B should be 2-D');
  const transA = attrInt(ctx.node, 'transA', 0) !== 0;
  const transB = attrInt(ctx.node, 'transB', 0) !== 0;
  const [M, K] = transA ? [a[1], a[0]] : a;
  const [K2, N] = transB ? [b[1], b[0]] : b;
  if (K !== K2) fail(ctx, `inner dims differ: A [${a}] B [${b}] (transA=${+transA}, transB=${+transB})`);
  // Element (i, k) of op(A) and (k, j) of op(B) as flat indices.
  const ai = transA ? (i: number, k: number) => k * M + i : (i: number, k: number) => i * K + k;
  const bi = transB ? (k: number, j: number) => j * K + k : (k: number, j: number) => k * N + j;
  return { M, N, K, ai, bi, alpha: attrFloat(ctx.node, 'alpha', 1), beta: attrFloat(ctx.node, 'beta', 1) };
}

const gemm: OpImpl = (ctx) => {
  const a = floatInput(ctx, 0);
  const b = floatInput(ctx, 1);
  const { M, N, K, ai, bi, alpha, beta } = gemmParams(ctx);
  const out = new Float64Array(M * N);
  const c = ctx.inputs[2];
  const cMap = c ? broadcastIndex(c.dims, [M, N]) : undefined;
  const cd = c ? floatInput(ctx, 2) : undefined;
  for (let i = 0; i < M; i++)
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += a[ai(i, k)] * b[bi(k, j)];
      out[i * N + j] = alpha * s + (cd ? beta * cd[cMap![i * N + j]] : 0);
    }
  return [make('float', [M, N], out)];
};

/** The linear-algebra op table. */
export const LINALG_OPS: Record<string, OpImpl> = { MatMul: matmul, Gemm: gemm };
