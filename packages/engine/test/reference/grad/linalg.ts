// Reference VJPs of MatMul (batched, broadcasting, 1-D operands) and Gemm.
import { gemmParams, matmulLayout } from '../ops/linalg.ts';
import { unbroadcast } from '../tensor.ts';
import { dyOrZero, x } from './rule.ts';
import type { VjpRule } from './rule.ts';

/** d(A B): dA = dY B^T, dB = A^T dY, per batch, summed over broadcast batches. */
const matmul: VjpRule = (ctx) => {
  const a = x(ctx, 0);
  const b = x(ctx, 1);
  const g = dyOrZero(ctx);
  const { M, K, N, aBatch, bBatch } = matmulLayout(ctx);
  const da = new Float64Array(a.length);
  const db = new Float64Array(b.length);
  for (let t = 0; t < aBatch.length; t++) {
    const ao = aBatch[t] * M * K;
    const bo = bBatch[t] * K * N;
    const go = t * M * N;
    for (let i = 0; i < M; i++)
      for (let j = 0; j < N; j++) {
        const gv = g[go + i * N + j];
        if (gv === 0) continue;
        for (let k = 0; k < K; k++) {
          da[ao + i * K + k] += gv * b[bo + k * N + j];
          db[bo + k * N + j] += gv * a[ao + i * K + k];
        }
      }
  }
  return [ctx.needs[0] ? da : undefined, ctx.needs[1] ? db : undefined];
};

/** d(alpha op(A) op(B) + beta C), with C's gradient summed back onto its broadcast shape. */
const gemm: VjpRule = (ctx) => {
  const a = x(ctx, 0);
  const b = x(ctx, 1);
  const g = dyOrZero(ctx);
  const { M, N, K, ai, bi, alpha, beta } = gemmParams(ctx);
  const da = new Float64Array(a.length);
  const db = new Float64Array(b.length);
  for (let i = 0; i < M; i++)
    for (let j = 0; j < N; j++) {
      const gv = alpha * g[i * N + j];
      for (let k = 0; k < K; k++) {
        da[ai(i, k)] += gv * b[bi(k, j)];
        db[bi(k, j)] += gv * a[ai(i, k)];
      }
    }
  const c = ctx.inputs[2];
  const dc = c && ctx.needs[2] ? unbroadcast(g.map((v) => beta * v), [M, N], c.dims) : undefined;
  return [ctx.needs[0] ? da : undefined, ctx.needs[1] ? db : undefined, dc];
};

/** The linear-algebra VJP table. */
export const LINALG_RULES = { MatMul: matmul, Gemm: gemm } satisfies Record<string, VjpRule>;
