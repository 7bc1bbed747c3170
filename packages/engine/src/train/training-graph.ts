// The training graph: mean softmax cross-entropy and its gradient with respect to every trainable initializer.
import { buildGradient } from '../autodiff/driver.ts';
import { DIFFERENTIABLE_OPS } from '../autodiff/ops.ts';
import { GraphBuilder } from '../graph/builder.ts';
import { cloneModel } from '../graph/ir.ts';
import type { Model } from '../graph/ir.ts';
import { foldConstants } from '../graph/fold.ts';
import { pruneDead, topoSort } from '../graph/prune.ts';
import { inferShapes } from '../graph/shapes.ts';
import { i64 } from '../graph/tensor.ts';
import { findImageInput, findLogits } from '../odin/model-info.ts';

export const TRAIN_IO = { labels: 'labels', loss: 'loss', correct: 'correct', gradPrefix: 'grad:' } as const;

export interface TrainingGraph {
  model: Model;
  /** Trainable initializers, now graph inputs; their gradients are outputs `grad:<name>`. */
  params: string[];
  input: string;
}

/**
 * Turns a classifier into a graph with inputs (image, labels, params…) and outputs
 * loss = mean_n CE(logits_n, label_n), correct = #{argmax logits_n = label_n}, and grad:<param> = ∂loss/∂param.
 */
export function buildTrainingGraph(source: Model): TrainingGraph {
  const model = cloneModel(source);
  const g = model.graph;
  foldConstants(g);
  const input = findImageInput(model).name;
  const types = inferShapes(model);
  const { name: logits, numClasses } = findLogits(model, types);
  const differentiable = new Set<string>(DIFFERENTIABLE_OPS);
  const params = [...g.initializers.values()]
    .filter((init) => init.dtype === 'float32' && g.nodes.some((n) => differentiable.has(n.op) && n.inputs.includes(init.name)))
    .map((init) => init.name);
  for (const p of params) {
    const init = g.initializers.get(p)!;
    g.initializers.delete(p);
    g.inputs.push({ name: p, dtype: 'float32', shape: [...init.dims] });
  }
  g.inputs.push({ name: TRAIN_IO.labels, dtype: 'int64', shape: ['N'] });

  const b = new GraphBuilder(g, model.opset, 'train/');
  const classes = b.constant(i64(Array.from({ length: numClasses }, (_, k) => k)), 'classes');
  const onehot = b.cast(b.op('Equal', [b.unsqueeze(TRAIN_IO.labels, [1]), classes]), 'float32');
  // log softmax = L − m − log Σ exp(L − m), m = max L (WebGPU has no LogSoftmax kernel).
  const m = b.reduce('ReduceMax', logits, [1], true);
  const shifted = b.sub(logits, m);
  const logp = b.sub(shifted, b.op('Log', [b.reduceSum(b.op('Exp', [shifted]), [1], true)]));
  const n = b.cast(b.op('Gather', [b.shape(logits), b.scalar(0, 'int64')], { axis: 0 }), 'float32');
  const nll = b.neg(b.reduceSum(b.mul(onehot, logp), [1], false));
  b.node('ReduceMean', [nll], { keepdims: 0 }, [TRAIN_IO.loss]);
  const hits = b.cast(b.op('Equal', [b.op('ArgMax', [logits], { axis: 1, keepdims: 0 }), TRAIN_IO.labels]), 'float32');
  b.node('ReduceSum', [hits], { keepdims: 0 }, [TRAIN_IO.correct]);
  // ∂ mean CE / ∂ logits = (softmax(logits) − onehot) / N
  const dLogits = b.div(b.sub(b.op('Softmax', [logits], { axis: 1 }), onehot), n);
  for (const p of params) types.set(p, { dtype: 'float32', shape: [...(g.inputs.find((v) => v.name === p)!.shape ?? [])] });
  const grads = buildGradient(model, { seeds: [{ of: logits, grad: dLogits }], wrt: params, types, prefix: 'train/grad/' });
  g.outputs = [
    { name: TRAIN_IO.loss, dtype: 'float32', shape: [] },
    { name: TRAIN_IO.correct, dtype: 'float32', shape: [] },
  ];
  for (const p of params) {
    const name = `${TRAIN_IO.gradPrefix}${p}`;
    b.node('Identity', [grads.get(p)!], {}, [name]);
    g.outputs.push({ name, dtype: 'float32', shape: g.inputs.find((v) => v.name === p)!.shape });
  }
  g.valueInfo = new Map();
  pruneDead(g);
  topoSort(g);
  return { model, params, input };
}
