// Reference VJPs of ReduceSum/ReduceMean/ReduceMax and the global pools. Max routes the gradient to the
// first maximum in row-major order (PyTorch's max-with-indices convention).
import { firstMaxIndex, nodeReduceLayout } from '../ops/reduce.ts';
import { globalArgmax, globalLayout } from '../ops/pool.ts';
import { dyOrZero, x } from './rule.ts';
import type { VjpRule } from './rule.ts';

function reduceRule(kind: 'sum' | 'mean' | 'max'): VjpRule {
  return (ctx) => {
    const xs = x(ctx);
    const g = dyOrZero(ctx);
    const layout = nodeReduceLayout(ctx);
    const dx = new Float64Array(xs.length);
    if (kind === 'max') {
      const at = firstMaxIndex(xs, layout);
      at.forEach((i, o) => (dx[i] += g[o]));
    } else {
      const w = kind === 'mean' ? 1 / layout.count : 1;
      for (let i = 0; i < xs.length; i++) dx[i] = g[layout.map[i]] * w;
    }
    return [dx];
  };
}

const globalAveragePool: VjpRule = (ctx) => {
  const g = dyOrZero(ctx);
  const { inner } = globalLayout(ctx);
  return [Float64Array.from({ length: x(ctx).length }, (_, i) => g[Math.floor(i / inner)] / inner)];
};

const globalMaxPool: VjpRule = (ctx) => {
  const xs = x(ctx);
  const g = dyOrZero(ctx);
  const { rows, inner } = globalLayout(ctx);
  const dx = new Float64Array(xs.length);
  globalArgmax(xs, rows, inner).forEach((i, r) => (dx[i] += g[r]));
  return [dx];
};

/** The reduction VJP table. */
export const REDUCE_RULES = {
  ReduceSum: reduceRule('sum'),
  ReduceMean: reduceRule('mean'),
  ReduceMax: reduceRule('max'),
  GlobalAveragePool: globalAveragePool,
  GlobalMaxPool: globalMaxPool,
} satisfies Record<string, VjpRule>;
