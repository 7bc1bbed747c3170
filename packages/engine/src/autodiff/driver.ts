// Reverse-mode driver: walks the graph backwards from the seeds, applies each op's rule and sums gradients.
import { GraphBuilder } from '../graph/builder.ts';
import type { Model, Node } from '../graph/ir.ts';
import { inferShapes } from '../graph/shapes.ts';
import type { ShapeMap, ValueType } from '../graph/shapes.ts';
import type { Provider } from './rule.ts';
import { isFloat } from '../graph/tensor.ts';
import { DIFFERENTIABLE_OPS, NON_DIFFERENTIABLE_OPS } from './ops.ts';
import { RULES } from './rules/index.ts';

/** An op on the differentiable path that has no gradient rule. */
export class UnsupportedOpError extends Error {
  override name = 'UnsupportedOpError';
  constructor(readonly op: string, readonly nodeName: string) {
    super(
      `no gradient rule for op ${op} (node "${nodeName}") on the path from the input to the logits. ` +
        `Supported ops: ${DIFFERENTIABLE_OPS.join(', ')}.`,
    );
  }
}

export interface GradientRequest {
  /** Values whose gradient is given, and the names of those gradients (already computed in the graph). */
  seeds: { of: string; grad: string }[];
  /** Values to differentiate with respect to: graph inputs or initializers. */
  wrt: string[];
  /** Prefix for emitted names. */
  prefix?: string;
  /** Precomputed shapes, when the caller has them. */
  types?: ShapeMap;
  /** The provider the graph is for (default 'portable'). */
  provider?: Provider;
}

const nonDifferentiable = new Set<string>(NON_DIFFERENTIABLE_OPS);

/**
 * Appends the nodes computing d(seeds)/d(wrt) to the model's graph and returns, for each wrt, the
 * name of its gradient. A wrt that the seeds do not depend on gets a zero tensor.
 */
export function buildGradient(model: Model, req: GradientRequest): Map<string, string> {
  const graph = model.graph;
  const types = req.types ?? inferShapes(model);
  const typeOf = (name: string): ValueType => {
    const t = types.get(name);
    if (!t) throw new Error(`no type known for value "${name}"`);
    return t;
  };
  const forwardNodes = [...graph.nodes];
  const b = new GraphBuilder(graph, model.opset, req.prefix ?? 'grad/');

  // Values that depend on a wrt through float math.
  const active = new Set(req.wrt);
  for (const node of forwardNodes) {
    if (nonDifferentiable.has(node.op) || !node.inputs.some((i) => active.has(i))) continue;
    for (const o of node.outputs) if (o && isFloat(types.get(o)?.dtype ?? 'float32')) active.add(o);
  }
  // Of those, the values the seeds depend on.
  const relevant = new Set(req.seeds.map((s) => s.of).filter((s) => active.has(s)));
  const path: Node[] = [];
  for (let k = forwardNodes.length - 1; k >= 0; k--) {
    const node = forwardNodes[k];
    if (!node.outputs.some((o) => relevant.has(o)) || nonDifferentiable.has(node.op)) continue;
    path.push(node);
    for (const i of node.inputs) if (active.has(i)) relevant.add(i);
  }

  // Control flow reads outer values its inputs do not list, so the walk above cannot see what it depends on.
  const subgraphNode = controlFlowAncestor(forwardNodes, req.seeds.map((s) => s.of), types);
  if (subgraphNode) throw new UnsupportedOpError(subgraphNode.op, subgraphNode.name);
  // Check every op first: a rule further down the path may need shapes that an unknown op left uninferred.
  for (const node of path)
    if (!Object.hasOwn(RULES, node.op) || node.domain !== '') throw new UnsupportedOpError(node.domain ? `${node.domain}.${node.op}` : node.op, node.name);

  const grads = new Map<string, string>();
  const accumulate = (name: string, g: string) => {
    const prev = grads.get(name);
    grads.set(name, prev ? b.add(prev, g) : g);
  };
  for (const s of req.seeds) accumulate(s.of, s.grad);

  for (const node of path) {
    const dy = node.outputs.map((o) => grads.get(o));
    if (dy.every((g) => g === undefined)) continue;
    const rule = (RULES as Record<string, (typeof RULES)[keyof typeof RULES]>)[node.op];
    if (!rule || node.domain !== '') throw new UnsupportedOpError(node.domain ? `${node.domain}.${node.op}` : node.op, node.name);
    const needs = node.inputs.map((i) => i !== '' && relevant.has(i));
    const dx = checkArity(node, rule({ b, node, x: node.inputs, y: node.outputs, dy, needs, type: typeOf, opset: model.opset, provider: req.provider ?? 'portable' }), needs);
    node.inputs.forEach((input, i) => {
      const g = dx[i];
      if (g && needs[i]) accumulate(input, g);
    });
  }

  const result = new Map<string, string>();
  for (const w of req.wrt) result.set(w, grads.get(w) ?? b.zerosLike(w));
  return result;
}

/**
 * A rule answers for every input that needs a gradient (undefined meaning none), and gives none for inputs the node
 * does not have; trailing inputs that need nothing may be left out. Anything else is a bug in the rule.
 */
export function checkArity(node: Node, dx: (string | undefined)[], needs: boolean[]): (string | undefined)[] {
  const label = `the gradient rule for ${node.op} (node "${node.name}")`;
  if (dx.slice(node.inputs.length).some((g) => g !== undefined))
    throw new Error(`${label} returned ${dx.length} gradients for its ${node.inputs.length} input(s)`);
  const missing = needs.findIndex((n, i) => n && i >= dx.length);
  if (missing >= 0) throw new Error(`${label} returned ${dx.length} gradient(s) and none for input ${missing} ("${node.inputs[missing]}"), which needs one`);
  return dx;
}

/** A node with subgraphs (If, Loop, Scan) that yields a float value the targets depend on, if any. */
function controlFlowAncestor(nodes: Node[], targets: string[], types: ShapeMap): Node | undefined {
  const needed = new Set(targets);
  for (let k = nodes.length - 1; k >= 0; k--) {
    const node = nodes[k];
    if (!node.outputs.some((o) => needed.has(o))) continue;
    const float = node.outputs.some((o) => needed.has(o) && isFloat(types.get(o)?.dtype ?? 'float32'));
    if (float && Object.values(node.attrs).some((a) => a.type === 'graph')) return node;
    for (const i of node.inputs) needed.add(i);
  }
  return undefined;
}
