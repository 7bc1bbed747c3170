// Float64 reference interpreter for ONNX graphs in the engine's IR: the ground truth for gradient and ODIN tests.
import type { Graph, Model, Node } from '../../src/graph/ir.ts';
import { graphFromProto } from '../../src/graph/onnx-io.ts';
import { fromTensorData } from './tensor.ts';
import type { RefTensor } from './tensor.ts';
import type { OpImpl } from './ops/context.ts';
import { CONV_OPS } from './ops/conv.ts';
import { ELEMENTWISE_OPS } from './ops/elementwise.ts';
import { GENERATOR_OPS } from './ops/generators.ts';
import { LINALG_OPS } from './ops/linalg.ts';
import { MOVEMENT_OPS } from './ops/movement.ts';
import { NN_OPS } from './ops/nn.ts';
import { POOL_OPS } from './ops/pool.ts';
import { REDUCE_OPS } from './ops/reduce.ts';

export type { RefTensor } from './tensor.ts';

/** Every op the interpreter implements, by ONNX op type (default domain). */
export const REFERENCE_OPS: Readonly<Record<string, OpImpl>> = {
  ...ELEMENTWISE_OPS,
  ...MOVEMENT_OPS,
  ...REDUCE_OPS,
  ...GENERATOR_OPS,
  ...LINALG_OPS,
  ...NN_OPS,
  ...CONV_OPS,
  ...POOL_OPS,
};

/** The branches of an If node, in the engine's IR. */
function branches(node: Node): { then: Graph; else: Graph } | undefined {
  const [t, e] = [node.attrs.then_branch, node.attrs.else_branch];
  if (node.op !== 'If' || t?.type !== 'graph' || e?.type !== 'graph') return undefined;
  return { then: graphFromProto(t.value), else: graphFromProto(e.value) };
}

/** What a node reads: its inputs and, for an If, the outer values its branches use. */
function reads(node: Node): string[] {
  const b = branches(node);
  if (!b) return node.inputs;
  const outer = [b.then, b.else].flatMap((g) => {
    const inner = new Set([...g.nodes.flatMap((n) => n.outputs), ...g.initializers.keys()]);
    return [...g.nodes.flatMap((n) => n.inputs), ...g.outputs.map((o) => o.name)].filter((i) => i && !inner.has(i));
  });
  return [...node.inputs, ...outer];
}

const nodeLabel = (n: Node) => `${n.domain ? `${n.domain}.` : ''}${n.op} node "${n.name}"`;

/** The nodes needed for `wanted`, in an order where each comes after its producers. */
function schedule(model: Model, wanted: string[], known: Set<string>): Node[] {
  const producer = new Map<string, Node>();
  for (const n of model.graph.nodes) for (const o of n.outputs) if (o) producer.set(o, n);
  const order: Node[] = [];
  const state = new Map<Node, 'open' | 'done'>();
  // Iterative depth-first post-order, so deep graphs do not overflow the stack.
  const stack: { node: Node; inputs: string[]; next: number }[] = [];
  const visit = (name: string, from?: Node) => {
    if (known.has(name)) return;
    const n = producer.get(name);
    if (!n && model.graph.inputs.some((v) => v.name === name)) throw new Error(`no feed for graph input "${name}"`);
    if (!n) throw new Error(`value "${name}"${from ? ` (input of ${nodeLabel(from)})` : ''} has no producer, initializer or feed`);
    const s = state.get(n);
    if (s === 'done') return;
    if (s === 'open') throw new Error(`the graph has a cycle through ${nodeLabel(n)}`);
    state.set(n, 'open');
    stack.push({ node: n, inputs: reads(n), next: 0 });
  };
  for (const w of wanted) {
    visit(w);
    while (stack.length) {
      const top = stack[stack.length - 1];
      if (top.next < top.inputs.length) {
        const i = top.inputs[top.next++];
        if (i) visit(i, top.node);
      } else {
        stack.pop();
        state.set(top.node, 'done');
        order.push(top.node);
      }
    }
  }
  return order;
}

/** Evaluates one node with the op table. Throws naming the op and node for unknown ops. */
export function evaluateNode(node: Node, inputs: (RefTensor | undefined)[], opset: number): (RefTensor | undefined)[] {
  const impl = node.domain === '' || node.domain === 'ai.onnx' ? REFERENCE_OPS[node.op] : undefined;
  if (!impl) throw new Error(`reference interpreter: unsupported op ${nodeLabel(node)}`);
  return impl({ node, inputs, opset });
}

/** The values computed on the way to `wanted` (plus initializers and feeds), and the nodes run, in order. */
export interface Trace {
  values: Map<string, RefTensor>;
  nodes: Node[];
}

/**
 * Runs the nodes that `wanted` depends on, in dependency order, keeping every value.
 * Feeds may override initializers.
 */
export function trace(model: Model, feeds: Record<string, RefTensor>, wanted: string[]): Trace {
  const values = new Map<string, RefTensor>();
  for (const [name, init] of model.graph.initializers) values.set(name, fromTensorData(init.tensor));
  for (const [name, t] of Object.entries(feeds)) values.set(name, t);
  const nodes: Node[] = [];
  const runNode = (node: Node) => {
    const b = branches(node);
    if (b) return runBranch(node, b);
    nodes.push(node);
    const inputs = node.inputs.map((i) => (i ? values.get(i) : undefined));
    const outs = evaluateNode(node, inputs, model.opset);
    node.outputs.forEach((name, i) => {
      if (!name) return;
      const t = outs[i];
      if (!t) throw new Error(`${nodeLabel(node)} did not produce output ${i} ("${name}")`);
      values.set(name, t);
    });
  };
  // An If runs the branch its condition picks, in the outer scope; the trace lists the branch's nodes and an
  // Identity per output, so a tape differentiates through them.
  const runBranch = (node: Node, b: { then: Graph; else: Graph }) => {
    const cond = values.get(node.inputs[0]);
    if (!cond) throw new Error(`${nodeLabel(node)}: no condition value`);
    const g = cond.data[0] ? b.then : b.else;
    for (const [name, init] of g.initializers) values.set(name, fromTensorData(init.tensor));
    g.nodes.forEach(runNode);
    g.outputs.forEach((o, k) => runNode({ op: 'Identity', domain: '', name: `${node.name}/output_${k}`, inputs: [o.name], outputs: [node.outputs[k]], attrs: {} }));
  };
  schedule(model, wanted, new Set(values.keys())).forEach(runNode);
  return { values, nodes };
}

/**
 * Runs `model` in float64 and returns the requested values (the graph outputs by default).
 *
 * @param model   a model in the engine IR; every float type is computed in float64
 * @param feeds   graph inputs by name (may also override initializers)
 * @param outputs value names to return; any intermediate value may be asked for
 */
export function run(model: Model, feeds: Record<string, RefTensor>, outputs?: string[]): Record<string, RefTensor> {
  const wanted = outputs ?? model.graph.outputs.map((o) => o.name);
  const { values } = trace(model, feeds, wanted);
  return Object.fromEntries(wanted.map((name) => [name, values.get(name)!]));
}
