// Graph hygiene: topological order, dead-node removal, and value renaming.
import type { Graph, Node } from './ir.ts';

/** Sorts nodes so every input is produced before use. Throws on a cycle. */
export function topoSort(graph: Graph): void {
  const produced = new Set<string>([...graph.inputs.map((v) => v.name), ...graph.initializers.keys(), '']);
  const pending = [...graph.nodes];
  const order: Node[] = [];
  while (pending.length) {
    const before = pending.length;
    for (let i = 0; i < pending.length; ) {
      const n = pending[i];
      if (n.inputs.every((x) => produced.has(x))) {
        order.push(n);
        n.outputs.forEach((o) => produced.add(o));
        pending.splice(i, 1);
      } else i++;
    }
    if (pending.length === before) {
      const n = pending[0];
      throw new Error(`graph is not a DAG or uses an undefined value: node "${n.name}" (${n.op}) needs ${n.inputs.filter((x) => !produced.has(x)).join(', ')}`);
    }
  }
  graph.nodes = order;
}

/** Removes nodes and initializers that no graph output depends on. */
export function pruneDead(graph: Graph): void {
  const live = new Set(graph.outputs.map((o) => o.name));
  const kept: Node[] = [];
  for (let i = graph.nodes.length - 1; i >= 0; i--) {
    const n = graph.nodes[i];
    if (!n.outputs.some((o) => live.has(o))) continue;
    kept.push(n);
    n.inputs.forEach((x) => live.add(x));
  }
  graph.nodes = kept.reverse();
  for (const name of [...graph.initializers.keys()]) if (!live.has(name)) graph.initializers.delete(name);
}

/** Renames a value everywhere it appears (producers, consumers, graph inputs and outputs). */
export function renameValue(graph: Graph, from: string, to: string): void {
  for (const n of graph.nodes) {
    n.inputs = n.inputs.map((x) => (x === from ? to : x));
    n.outputs = n.outputs.map((x) => (x === from ? to : x));
  }
  for (const v of [...graph.inputs, ...graph.outputs]) if (v.name === from) v.name = to;
  const init = graph.initializers.get(from);
  if (init) {
    graph.initializers.delete(from);
    graph.initializers.set(to, init);
  }
  const info = graph.valueInfo.get(from);
  if (info) {
    graph.valueInfo.delete(from);
    graph.valueInfo.set(to, { ...info, name: to });
  }
}
