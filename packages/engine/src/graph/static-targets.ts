// Reshape and Expand targets that shape inference knows up to one dim become constants, so that the Shape/Gather/
// Concat chains computing them at run time (torch.onnx's channel shuffles, the gradient rules' reshapes) are pruned.
import { attrInt } from './attrs.ts';
import { GraphBuilder } from './builder.ts';
import type { Dim, Model } from './ir.ts';
import { inferShapes } from './shapes.ts';

const isNum = (d: Dim): d is number => typeof d === 'number';
/** Whether two dims are the same size: equal numbers, or one symbol (shape inference's `?…` placeholders are not unique). */
const same = (a: Dim | undefined, b: Dim) => a === b && !(typeof b === 'string' && b.includes('?'));

/**
 * A constant Reshape target: an unknown entry that is the input's dim at the same index becomes 0 (copy it; not with
 * allowzero), one other unknown entry -1 where no entry is -1 already.
 */
function reshapeTarget(value: Dim[], input: Dim[] | undefined, allowzero: boolean): number[] | undefined {
  const copied = value.map((d, i) => (!isNum(d) && !allowzero && same(input?.[i], d) ? 0 : d));
  const unknown = copied.filter((d) => !isNum(d)).length;
  if (unknown > 1 || (unknown === 1 && copied.includes(-1))) return undefined;
  return copied.map((d) => (isNum(d) ? d : -1));
}

/** An Expand target with each unknown entry as 1, where the input's aligned dim is that same symbol (Expand keeps it). */
function expandTarget(value: Dim[], input: Dim[] | undefined): number[] | undefined {
  if (!input || input.length > value.length) return undefined;
  const offset = value.length - input.length;
  const dims = value.map((d, i) => (isNum(d) ? d : i >= offset && same(input[i - offset], d) ? 1 : undefined));
  return dims.every((d) => d !== undefined) ? dims : undefined;
}

/** Replaces computed Reshape/Expand targets by constants where shape inference allows; returns how many. */
export function staticTargets(model: Model): number {
  const g = model.graph;
  const types = inferShapes(model);
  const b = new GraphBuilder(g, model.opset, 'static/');
  let replaced = 0;
  for (const node of [...g.nodes]) {
    const target = node.inputs[1];
    if ((node.op !== 'Reshape' && node.op !== 'Expand') || node.domain !== '' || !target || g.initializers.has(target)) continue;
    const value = types.get(target)?.value;
    if (!value) continue;
    const input = types.get(node.inputs[0])?.shape;
    const dims = node.op === 'Reshape' ? reshapeTarget(value, input, attrInt(node, 'allowzero', 0) === 1) : expandTarget(value, input);
    if (!dims) continue;
    node.inputs[1] = b.ints(dims);
    replaced++;
  }
  return replaced;
}
