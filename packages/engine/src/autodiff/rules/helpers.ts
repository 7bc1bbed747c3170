// Shared pieces of the gradient rules: unbroadcasting, zero fill, and static-shape access.
import type { GraphBuilder } from '../../graph/builder.ts';
import type { Dim } from '../../graph/ir.ts';
import type { GradContext } from '../rule.ts';

/** The shape of a forward value; rules need at least its rank. */
export function shapeOf(ctx: GradContext, name: string): Dim[] {
  const s = ctx.type(name).shape;
  if (!s) throw new Error(`${ctx.node.op} node "${ctx.node.name}": the shape of "${name}" could not be inferred; if the model's input has a dynamic height and width, give them with --input-size H,W (inputSize)`);
  return s;
}

/**
 * Sums `grad` (shaped like the broadcast result `outShape`) back down to `inShape`, the shape of an
 * input that numpy-style broadcasting stretched.
 */
export function unbroadcast(b: GraphBuilder, grad: string, outShape: Dim[], inShape: Dim[]): string {
  const lead = outShape.length - inShape.length;
  const axes: number[] = [];
  for (let i = 0; i < outShape.length; i++) {
    if (i < lead) axes.push(i);
    else if (inShape[i - lead] === 1 && outShape[i] !== 1) axes.push(i);
  }
  if (axes.length === 0) return grad;
  const g = b.reduceSum(grad, axes, true);
  return lead > 0 ? b.squeeze(g, axes.slice(0, lead)) : g;
}

/** The output gradient, or zeros shaped like the output where none flows. */
export function dyOrZeros(ctx: GradContext, i: number): string {
  return ctx.dy[i] ?? ctx.b.zerosLike(ctx.y[i]);
}
