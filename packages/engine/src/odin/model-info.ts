// Finds a classifier's image input, its logits and its normalisation, with clear errors for models we cannot use.
import { attrInt } from '../graph/attrs.ts';
import type { Dim, Model, Node, ValueInfo } from '../graph/ir.ts';
import { producers } from '../graph/ir.ts';
import type { ShapeMap } from '../graph/shapes.ts';
import { isFloat } from '../graph/tensor.ts';

export const MIN_OPSET = 13;
export const MAX_OPSET = 21;
/** Models from this opset up to MIN_OPSET − 1 are upgraded to MIN_OPSET's semantics on import (graph/upgrade.ts). */
export const MIN_IMPORT_OPSET = 7;

/** A model the compiler cannot use as it is; the message says why and what to do. */
export class UnsupportedModelError extends Error {
  override name = 'UnsupportedModelError';
}

export function checkOpset(model: Model): void {
  if (model.opset < MIN_IMPORT_OPSET)
    throw new UnsupportedModelError(
      `the model uses ONNX opset ${model.opset}; opsets ${MIN_IMPORT_OPSET}–${MAX_OPSET} are supported (${MIN_IMPORT_OPSET}–${MIN_OPSET - 1} are upgraded to ${MIN_OPSET} on import). Re-export it with a newer opset, e.g. torch.onnx.export(..., opset_version=17), or convert it with onnx.version_converter.convert_version(model, 17)`,
    );
  if (model.opset > MAX_OPSET)
    throw new UnsupportedModelError(`the model uses ONNX opset ${model.opset}; opsets ${MIN_IMPORT_OPSET}–${MAX_OPSET} are supported. Re-export it with opset ${MAX_OPSET} or lower`);
}

/** The single float input, or the named one. */
export function findImageInput(model: Model, name?: string): ValueInfo {
  const inputs = model.graph.inputs;
  if (name) {
    const found = inputs.find((v) => v.name === name);
    if (!found) throw new UnsupportedModelError(`the model has no input "${name}"; its inputs are: ${inputs.map((v) => v.name).join(', ') || 'none'}`);
    if (!isFloat(found.dtype)) throw new UnsupportedModelError(`input "${name}" is ${found.dtype}, not a float image`);
    return found;
  }
  const floats = inputs.filter((v) => v.dtype === 'float32');
  if (floats.length === 0)
    throw new UnsupportedModelError(`the model has no float32 image input (inputs: ${inputs.map((v) => `${v.name}: ${v.dtype}`).join(', ') || 'none'})`);
  if (floats.length > 1)
    throw new UnsupportedModelError(`the model has several float inputs (${floats.map((v) => v.name).join(', ')}); choose one with --input`);
  return floats[0];
}

/** Checks the input has a batch axis; returns its fixed size, or undefined when it is dynamic. */
export function checkBatchAxis(input: ValueInfo): number | undefined {
  const batch = input.shape?.[0];
  if (!input.shape || input.shape.length < 2)
    throw new UnsupportedModelError(`input "${input.name}" should have a batch dimension and at least one more (its shape is ${formatShape(input.shape)})`);
  if (typeof batch === 'number' && batch !== 1)
    throw new UnsupportedModelError(
      `input "${input.name}" was exported with a fixed batch size of ${batch}; re-export it with a dynamic batch dimension, e.g. torch.onnx.export(..., dynamic_axes={"${input.name}": {0: "batch"}}), or with a batch of 1`,
    );
  return typeof batch === 'number' ? batch : undefined;
}

export interface LogitsChoice {
  /** The value used as logits. */
  name: string;
  numClasses: number;
  /** Set when the model ends in Softmax/LogSoftmax and its input is used instead. */
  skippedHead?: string;
  /** The nodes between that head and the output (Identity, Reshape, …), to apply to the head's input. */
  through?: Node[];
}

/** The [N,K] output (or the named value); a trailing Softmax/LogSoftmax is looked through. */
export function findLogits(model: Model, types: ShapeMap, name?: string): LogitsChoice {
  const g = model.graph;
  // The exporter's declared output shape stands in where inference stopped (e.g. after an op it does not know),
  // so such a model reaches the gradient builder and gets its "no gradient rule" error.
  const shapeOf = (v: string) => types.get(v)?.shape ?? g.outputs.find((o) => o.name === v)?.shape;
  let chosen: string;
  if (name) {
    if (!types.has(name)) throw new UnsupportedModelError(`the model has no value "${name}" to use as logits`);
    chosen = name;
  } else {
    const candidates = g.outputs.filter((o) => isFloat(o.dtype) && shapeOf(o.name)?.length === 2);
    if (candidates.length === 0)
      throw new UnsupportedModelError(
        `no model output is a float [N,K] tensor of class scores (outputs: ${g.outputs.map((o) => `${o.name} ${formatShape(shapeOf(o.name))}`).join(', ')}); name the logits with --logits`,
      );
    if (candidates.length > 1)
      throw new UnsupportedModelError(`several outputs look like logits (${candidates.map((c) => c.name).join(', ')}); choose one with --logits`);
    chosen = candidates[0].name;
  }
  const shape = shapeOf(chosen);
  const k = shape?.[shape.length - 1];
  if (shape?.length !== 2 || typeof k !== 'number')
    throw new UnsupportedModelError(`"${chosen}" has shape ${formatShape(shape)}, not [N,K] with a fixed number of classes K`);
  if (!name) {
    const head = softmaxHead(model, types, chosen, k);
    if (head) return { name: head.softmax.inputs[0], numClasses: k, skippedHead: head.softmax.op, through: head.through };
  }
  return { name: chosen, numClasses: k };
}

/** Ops that only move or retype the class scores on the way to an output: a Softmax behind them is still the head. */
const PASS_THROUGH = new Set(['Identity', 'Reshape', 'Flatten', 'Cast', 'Squeeze']);

/**
 * The Softmax/LogSoftmax that `output` is, possibly behind Identity, Reshape/Flatten/Squeeze to [N,K] or Cast
 * (keras2onnx writes `Softmax → Identity`), when it normalises over the K classes: its input, with
 * everything but the batch and class axes of size 1.
 */
function softmaxHead(model: Model, types: ShapeMap, output: string, k: number): { softmax: Node; through: Node[] } | undefined {
  const byOutput = producers(model.graph);
  const through: Node[] = [];
  let node = byOutput.get(output);
  while (node && PASS_THROUGH.has(node.op) && node.domain === '') {
    through.unshift(node);
    node = byOutput.get(node.inputs[0]);
  }
  if (!node || node.domain !== '' || (node.op !== 'Softmax' && node.op !== 'LogSoftmax')) return undefined;
  const shape = types.get(node.inputs[0])?.shape;
  if (!shape) return undefined;
  const axis = attrInt(node, 'axis', -1);
  const a = axis < 0 ? axis + shape.length : axis;
  if (shape[a] !== k || shape.some((d, i) => i !== 0 && i !== a && d !== 1)) return undefined;
  return { softmax: node, through };
}

export function formatShape(shape: Dim[] | undefined): string {
  return shape ? `[${shape.join(',')}]` : '[unknown]';
}

/** Parses "a,b,c" from metadata or a flag. */
export function parseFloatList(text: string, what: string): number[] {
  const values = text.split(',').map((s) => Number(s.trim()));
  if (values.length === 0 || values.some((v) => !Number.isFinite(v))) throw new UnsupportedModelError(`${what} should be comma-separated numbers, got "${text}"`);
  return values;
}
