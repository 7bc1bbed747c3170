// The contract of a reference op implementation, and helpers for reading its inputs.
import type { Node } from '../../../src/graph/ir.ts';
import { floatData, toNumbers } from '../tensor.ts';
import type { RefTensor } from '../tensor.ts';

/** What an op implementation sees: the node, its evaluated inputs and the default-domain opset. */
export interface OpContext {
  node: Node;
  /** One per node input; undefined where an optional input is omitted ('' or missing). */
  inputs: (RefTensor | undefined)[];
  opset: number;
}

/** Returns one tensor per node output (undefined for outputs it does not produce). */
export type OpImpl = (ctx: OpContext) => (RefTensor | undefined)[];

/** `Op node "name"`, for error messages. */
export function label(ctx: { node: Node }): string {
  return `${ctx.node.op} node "${ctx.node.name}"`;
}

/** Throws an error that names the node. */
export function fail(ctx: { node: Node }, message: string): never {
  throw new Error(`${label(ctx)}: ${message}`);
}

/** A required input. */
export function input(ctx: OpContext, i: number): RefTensor {
  const t = ctx.inputs[i];
  if (!t) fail(ctx, `input ${i} is required`);
  return t;
}

/** A required float input's values. */
export function floatInput(ctx: OpContext, i: number): Float64Array {
  return floatData(input(ctx, i), `${label(ctx)} input ${i}`);
}

/** An optional integer input read as plain numbers (shapes, axes, pads). */
export function intsInput(ctx: OpContext, i: number): number[] | undefined {
  const t = ctx.inputs[i];
  if (!t) return undefined;
  if (t.dtype !== 'int64') fail(ctx, `input ${i} should be an integer tensor`);
  return toNumbers(t);
}

/** An optional scalar input (rank 0 or a single element) as a number. */
export function scalarInput(ctx: OpContext, i: number): number | undefined {
  const t = ctx.inputs[i];
  if (!t) return undefined;
  if (t.data.length !== 1) fail(ctx, `input ${i} should hold a single value, got dims [${t.dims}]`);
  return Number(t.data[0]);
}
