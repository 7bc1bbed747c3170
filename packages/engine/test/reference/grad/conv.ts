// Reference VJPs of Conv (input, weight, bias), MaxPool (first maximum per window) and AveragePool.
import { convLayout } from '../ops/conv.ts';
import { averagePoolDivisors, maxPoolArgmax, poolLayout } from '../ops/pool.ts';
import { fail } from '../ops/context.ts';
import { dyOrZero, x } from './rule.ts';
import type { VjpRule } from './rule.ts';

/** Conv: each output element's gradient flows to every (input, weight) pair of its window, and to its bias. */
const conv: VjpRule = (ctx) => {
  const xs = x(ctx, 0);
  const w = x(ctx, 1);
  const g = dyOrZero(ctx);
  const { N, C, M, G, Cg, Mg, K, inSize, outSize, taps } = convLayout(ctx);
  const dx = new Float64Array(xs.length);
  const dw = new Float64Array(w.length);
  const db = new Float64Array(M);
  for (let n = 0; n < N; n++)
    for (let gr = 0; gr < G; gr++)
      for (let mm = 0; mm < Mg; mm++) {
        const m = gr * Mg + mm;
        for (let o = 0; o < outSize; o++) {
          const gv = g[(n * M + m) * outSize + o];
          db[m] += gv;
          for (let c = 0; c < Cg; c++) {
            const xBase = (n * C + gr * Cg + c) * inSize;
            const wBase = (m * Cg + c) * K;
            for (let k = 0; k < K; k++) {
              const t = taps[o * K + k];
              if (t < 0) continue;
              dx[xBase + t] += gv * w[wBase + k];
              dw[wBase + k] += gv * xs[xBase + t];
            }
          }
        }
      }
  return [ctx.needs[0] ? dx : undefined, ctx.needs[1] ? dw : undefined, ctx.needs[2] ? db : undefined];
};

const maxPool: VjpRule = (ctx) => {
  if (ctx.dy[1]) fail(ctx, 'Indices carries no gradient');
  const xs = x(ctx);
  const g = dyOrZero(ctx);
  const dx = new Float64Array(xs.length);
  maxPoolArgmax(xs, poolLayout(ctx)).forEach((i, o) => {
    if (i >= 0) dx[i] += g[o];
  });
  return [dx];
};

/** AveragePool: each output's gradient, divided by its window's divisor, goes to the window's in-bounds taps. */
const averagePool: VjpRule = (ctx) => {
  const xs = x(ctx);
  const g = dyOrZero(ctx);
  const p = poolLayout(ctx);
  const div = averagePoolDivisors(ctx, p);
  const dx = new Float64Array(xs.length);
  for (let nc = 0; nc < p.N * p.C; nc++)
    for (let o = 0; o < p.outSize; o++) {
      const gv = g[nc * p.outSize + o] / div[o];
      for (let k = 0; k < p.K; k++) {
        const t = p.taps[o * p.K + k];
        if (t >= 0) dx[nc * p.inSize + t] += gv;
      }
    }
  return [dx];
};

/** The convolution and pooling VJP table. */
export const CONV_RULES = { Conv: conv, MaxPool: maxPool, AveragePool: averagePool } satisfies Record<string, VjpRule>;
