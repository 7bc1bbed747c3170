// Float64 reverse-mode gradient of the reference interpreter, computed directly on arrays (no ONNX nodes).
import type { Model, Node } from '../../src/graph/ir.ts';
import { trace } from './interpreter.ts';
import { CONV_RULES } from './grad/conv.ts';
import { ELEMENTWISE_RULES } from './grad/elementwise.ts';
import { LINALG_RULES } from './grad/linalg.ts';
import { MOVEMENT_RULES } from './grad/movement.ts';
import { NN_RULES } from './grad/nn.ts';
import { REDUCE_RULES } from './grad/reduce.ts';
import type { VjpRule } from './grad/rule.ts';
import { make } from './tensor.ts';
import type { RefTensor } from './tensor.ts';

/** Ops the tape differentiates (the typed rule table below must cover each). */
export const TAPE_OPS = [
  'Conv', 'BatchNormalization', 'Relu', 'LeakyRelu', 'PRelu', 'Clip', 'Sigmoid', 'HardSigmoid', 'HardSwish',
  'Tanh', 'Erf', 'Gelu', 'Softplus', 'Exp', 'Log', 'Sqrt', 'Pow', 'Neg', 'Abs', 'Add', 'Sub', 'Mul', 'Div',
  'MatMul', 'Gemm', 'Flatten', 'Reshape', 'Transpose', 'Concat', 'Split', 'Slice', 'Squeeze', 'Unsqueeze',
  'Gather', 'Expand', 'Tile', 'Pad', 'MaxPool', 'AveragePool', 'GlobalAveragePool', 'GlobalMaxPool',
  'ReduceMean', 'ReduceSum', 'ReduceMax', 'Softmax', 'LogSoftmax', 'LayerNormalization', 'Identity', 'Dropout',
  'Cast', 'Where',
  'Elu', 'Selu', 'Celu', 'ThresholdedRelu', 'Mish', 'Softsign', 'InstanceNormalization', 'LRN',
] as const;
/** An op the tape differentiates. */
export type TapeOp = (typeof TAPE_OPS)[number];

const RULES: Record<TapeOp, VjpRule> = {
  ...ELEMENTWISE_RULES,
  ...LINALG_RULES,
  ...MOVEMENT_RULES,
  ...NN_RULES,
  ...REDUCE_RULES,
  ...CONV_RULES,
};

/** Which value to differentiate, the vector to pull back, and the values to differentiate with respect to. */
export interface GradientRequest {
  /** The value whose vector-Jacobian product is taken. */
  output: string;
  /** The cotangent: shaped like `output`, float. */
  seed: RefTensor;
  /** Graph inputs, initializers or intermediate values. */
  wrt: string[];
}

const nodeLabel = (n: Node) => `${n.op} node "${n.name}"`;

/**
 * The vector-Jacobian product seed^T d output / d w for each w in `wrt`, in float64.
 * Values off every path from `wrt` to `output` (shape computations, masks) are only computed forward;
 * a wrt value that does not reach `output` gets zeros.
 *
 * @throws naming the op and node when a node on a path has no rule
 */
export function gradient(model: Model, feeds: Record<string, RefTensor>, req: GradientRequest): Record<string, RefTensor> {
  const { values, nodes } = trace(model, feeds, [req.output, ...req.wrt]);
  const out = values.get(req.output)!;
  if (req.seed.dtype !== 'float' || req.seed.dims.join() !== out.dims.join())
    throw new Error(`seed should be a float tensor of dims [${out.dims}], got ${req.seed.dtype} [${req.seed.dims}]`);

  // Values that depend on some wrt value through float data.
  const active = new Set(req.wrt);
  for (const n of nodes) if (n.inputs.some((i) => active.has(i))) for (const o of n.outputs) if (o && values.get(o)?.dtype === 'float') active.add(o);

  const grads = new Map<string, Float64Array>([[req.output, Float64Array.from(req.seed.data)]]);
  for (let k = nodes.length - 1; k >= 0; k--) {
    const node = nodes[k];
    const dy = node.outputs.map((o) => (o ? grads.get(o) : undefined));
    if (dy.every((g) => g === undefined)) continue;
    const inputs = node.inputs.map((i) => (i ? values.get(i) : undefined));
    const needs = node.inputs.map((i, j) => !!i && active.has(i) && inputs[j]?.dtype === 'float');
    if (!needs.some(Boolean)) continue;
    const rule = RULES[node.op as TapeOp];
    if (!rule || node.domain) throw new Error(`reference tape: no gradient rule for ${nodeLabel(node)}`);
    const result = rule({ node, inputs, opset: model.opset, outputs: node.outputs.map((o) => (o ? values.get(o) : undefined)), dy, needs });
    node.inputs.forEach((name, j) => {
      const g = result[j];
      if (!needs[j] || !g) return;
      if (g.length !== inputs[j]!.data.length) throw new Error(`reference tape: ${nodeLabel(node)} returned ${g.length} gradient values for input ${j} of dims [${inputs[j]!.dims}]`);
      const acc = grads.get(name);
      if (acc) for (let i = 0; i < g.length; i++) acc[i] += g[i];
      else grads.set(name, g === dy[0] ? g.slice() : g);
    });
  }
  return Object.fromEntries(
    req.wrt.map((w) => {
      const v = values.get(w)!;
      return [w, make('float', [...v.dims], grads.get(w) ?? new Float64Array(v.data.length))];
    }),
  );
}
