// The contract of a vector-Jacobian rule.
import type { GraphBuilder } from '../graph/builder.ts';
import type { Node } from '../graph/ir.ts';
import type { ValueType } from '../graph/shapes.ts';

/**
 * What a gradient graph is compiled for. 'portable': ops every onnxruntime backend runs, WebGPU included.
 * 'cpu' / 'cuda': onnxruntime's CPU or CUDA provider, whose faster formulations WebGPU may lack.
 */
export type Provider = 'portable' | 'cpu' | 'cuda';

export interface GradContext {
  /** Emits the gradient nodes. */
  b: GraphBuilder;
  node: Node;
  /** The node's input names (forward values; '' for omitted optional inputs). */
  x: string[];
  /** The node's output names (forward values, reusable instead of recomputing). */
  y: string[];
  /** Gradient of the loss with respect to each output, or undefined where none flows. */
  dy: (string | undefined)[];
  /** Which inputs need a gradient. A rule may skip the others (returning undefined), and should. */
  needs: boolean[];
  /** Static dtype/shape of any forward value. */
  type(name: string): ValueType;
  /** The default-domain opset. */
  opset: number;
  provider: Provider;
}

/** Returns one gradient per input, or undefined where the input gets none. */
export type Rule = (ctx: GradContext) => (string | undefined)[];
