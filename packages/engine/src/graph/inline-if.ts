// Replaces If nodes whose condition shape inference decides (torch.onnx's squeeze of a dim it cannot see is 1,
// `If(Equal(Shape(x)[1], 1))`) by the chosen branch, so that the rest of the compiler sees plain nodes.
import { graphFromProto } from './onnx-io.ts';
import { Initializer } from './ir.ts';
import type { Model, Node } from './ir.ts';
import { inferShapes } from './shapes.ts';

/** Inlines every If whose condition is known; returns how many were inlined. Undecided Ifs stay as they are. */
export function inlineDecidedIfs(model: Model): number {
  let inlined = 0;
  for (;;) {
    const g = model.graph;
    const types = inferShapes(model);
    const index = g.nodes.findIndex((n) => n.op === 'If' && n.domain === '' && isDecided(types.get(n.inputs[0])?.value));
    if (index < 0) return inlined;
    const node = g.nodes[index];
    const taken = new Set([...g.nodes.flatMap((n) => [...n.inputs, ...n.outputs]), ...g.inputs.map((v) => v.name), ...g.initializers.keys()]);
    g.nodes.splice(index, 1, ...branchNodes(model, node, types.get(node.inputs[0])!.value![0] !== 0, taken));
    inlined++;
  }
}

const isDecided = (value: unknown[] | undefined): boolean => value?.length === 1 && typeof value[0] === 'number';

/** The chosen branch's nodes, its values renamed apart from the outer graph's and its outputs named as the If's. */
function branchNodes(model: Model, node: Node, condition: boolean, taken: Set<string>): Node[] {
  const attr = node.attrs[condition ? 'then_branch' : 'else_branch'];
  if (attr?.type !== 'graph') throw new Error(`If node "${node.name}" has no ${condition ? 'then' : 'else'}_branch graph`);
  const branch = graphFromProto(attr.value);
  const rename = new Map<string, string>();
  const fresh = (name: string) => {
    let candidate = name;
    for (let k = 1; taken.has(candidate); k++) candidate = `${node.name}/${name}_${k}`;
    taken.add(candidate);
    rename.set(name, candidate);
    return candidate;
  };
  for (const [name, init] of branch.initializers) {
    const to = fresh(name);
    model.graph.initializers.set(to, new Initializer(to, init.dtype, init.dims, init.tensor));
  }
  const produced = new Set(branch.nodes.flatMap((n) => n.outputs));
  branch.outputs.forEach((o, k) => {
    if (produced.has(o.name) && !rename.has(o.name)) rename.set(o.name, node.outputs[k]);
  });
  const nodes = branch.nodes.map((n) => ({
    ...n,
    name: `${node.name}/${n.name || n.op}`,
    inputs: n.inputs.map((i) => rename.get(i) ?? i),
    outputs: n.outputs.map((o) => (o ? (rename.get(o) ?? fresh(o)) : o)),
  }));
  // A branch output that is an outer value or a branch initializer, not produced inside: pass it on.
  branch.outputs.forEach((o, k) => {
    if (!produced.has(o.name)) nodes.push({ op: 'Identity', domain: '', name: `${node.name}/identity_${k}`, inputs: [rename.get(o.name) ?? o.name], outputs: [node.outputs[k]], attrs: {} });
  });
  return nodes;
}
