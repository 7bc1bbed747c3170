// The contract of a reference vector-Jacobian rule, written directly on Float64Arrays.
import type { OpContext } from '../ops/context.ts';
import type { RefTensor } from '../tensor.ts';

/** What a rule sees: the forward node, its inputs and outputs, and the output gradients. */
export interface VjpContext extends OpContext {
  /** The forward outputs (reusable instead of recomputing). */
  outputs: (RefTensor | undefined)[];
  /** Gradient of the loss with respect to each output, shaped like it; undefined where none flows. */
  dy: (Float64Array | undefined)[];
  /** Which inputs need a gradient; a rule may return undefined for the others. */
  needs: boolean[];
}

/** One gradient per input (shaped like that input), or undefined where the input gets none. */
export type VjpRule = (ctx: VjpContext) => (Float64Array | undefined)[];

/** The gradient of output `i`, or zeros shaped like it when none flows. */
export function dyOrZero(ctx: VjpContext, i = 0): Float64Array {
  return ctx.dy[i] ?? new Float64Array(ctx.outputs[i]?.data.length ?? 0);
}

/** The float values of input `i`. */
export function x(ctx: VjpContext, i = 0): Float64Array {
  const t = ctx.inputs[i];
  if (!t || t.dtype !== 'float') throw new Error(`${ctx.node.op} node "${ctx.node.name}": input ${i} should be a float tensor`);
  return t.data;
}

/** The float values of output `i`. */
export function y(ctx: VjpContext, i = 0): Float64Array {
  const t = ctx.outputs[i];
  if (!t || t.dtype !== 'float') throw new Error(`${ctx.node.op} node "${ctx.node.name}": output ${i} should be a float tensor`);
  return t.data;
}
