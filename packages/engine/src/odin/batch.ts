// Fixed batch of 1: make the batch dynamic by rewriting the Reshape targets that carry it, or keep batch 1.
import { attrInt } from '../graph/attrs.ts';
import { Initializer, cloneGraph } from '../graph/ir.ts';
import type { Dim, Model } from '../graph/ir.ts';
import { inferShapes } from '../graph/shapes.ts';
import type { ShapeMap } from '../graph/shapes.ts';
import { i64, intValues, isFloat } from '../graph/tensor.ts';

/** The symbol the rewritten batch dimension gets. */
export const BATCH_SYMBOL = 'N';

export interface BatchRewrite {
  /** 'rewritten': the graph now takes any batch; 'fixed': it only runs one image at a time. */
  mode: 'rewritten' | 'fixed';
  /** The Reshape nodes whose constant 1 became 0 ("copy the batch"). */
  reshapes: string[];
  /** Why the batch stayed fixed. */
  reason?: string;
}

const mentionsBatch = (d: Dim) => typeof d === 'string' && d.split(/[^A-Za-z0-9_?']/).includes(BATCH_SYMBOL);

/**
 * For a model whose image input `input` has a fixed batch of 1: declares the batch dynamic and replaces the
 * leading 1 of each constant Reshape target whose data carries the batch with 0 (copy that dim). Keeps the
 * change only if every float value downstream of the image still carries the batch symbol and no Concat
 * joins a batch of 1 to the dynamic one (a class token expanded to a fixed 1, say); otherwise the model is
 * left as it was and compiled for batch 1. Mutates `model` only on success.
 */
export function makeBatchDynamic(model: Model, input: string): BatchRewrite {
  const g = cloneGraph(model.graph);
  const trial: Model = { ...model, graph: g };
  const index = g.inputs.findIndex((v) => v.name === input);
  g.inputs[index] = { ...g.inputs[index], shape: [BATCH_SYMBOL, ...g.inputs[index].shape!.slice(1)] };
  const reshapes: string[] = [];
  let types = inferShapes(trial);
  for (const node of g.nodes) {
    if (node.op !== 'Reshape' || node.domain !== '') continue;
    const target = g.initializers.get(node.inputs[1]);
    const data = types.get(node.inputs[0])?.shape;
    if (!target || !data || !mentionsBatch(data[0]) || attrInt(node, 'allowzero', 0) === 1) continue;
    const values = intValues(target.tensor).map(Number);
    if (values[0] !== 1) continue;
    const name = `${node.inputs[1]}/dynamic_batch`;
    g.initializers.set(name, new Initializer(name, 'int64', target.dims, i64([0, ...values.slice(1)], target.dims)));
    node.inputs = [node.inputs[0], name];
    reshapes.push(node.name);
    types = inferShapes(trial);
  }
  const reason = batchLost(trial, input, types);
  if (reason) return { mode: 'fixed', reshapes: [], reason };
  // In place: callers hold the graph object.
  Object.assign(model.graph, g);
  return { mode: 'rewritten', reshapes };
}

/** Why the batch does not reach the logits intact, or undefined when it does. */
function batchLost(model: Model, input: string, types: ShapeMap): string | undefined {
  const fromImage = new Set([input]);
  for (const node of model.graph.nodes) {
    if (!node.inputs.some((i) => fromImage.has(i))) continue;
    node.outputs.forEach((o) => o && fromImage.add(o));
    const label = `${node.op} node "${node.name}"`;
    if (node.op === 'Concat') {
      const shapes = node.inputs.map((i) => types.get(i)?.shape);
      const axis = attrInt(node, 'axis', 0);
      const withBatch = shapes.some((s) => s?.some(mentionsBatch));
      const fixedOne = shapes.some((s) => s && s.some((d, k) => d === 1 && k !== (axis < 0 ? axis + s.length : axis) && shapes.some((t) => t && mentionsBatch(t[k]))));
      if (withBatch && fixedOne) return `${label} joins a fixed batch of 1 to the dynamic batch`;
    }
    for (const o of node.outputs) {
      const t = o ? types.get(o) : undefined;
      if (!o || !t || !isFloat(t.dtype)) continue;
      if (!t.shape) return `the shape of "${o}" (${label}) is unknown`;
      if (t.shape.length > 0 && !t.shape.some(mentionsBatch)) return `"${o}" (${label}) has shape [${t.shape.join(',')}], which no longer carries the batch`;
    }
  }
  return undefined;
}
