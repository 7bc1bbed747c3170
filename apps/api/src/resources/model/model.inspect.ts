// Reads an uploaded ONNX file with the engine: what the model takes and returns, its odin:* metadata, and whether ODIN compiles it.
import {
  METADATA,
  DIFFERENTIABLE_OPS,
  NON_DIFFERENTIABLE_OPS,
  ModelFormatError,
  UnsupportedModelError,
  UnsupportedOpError,
  compileOdin,
  parseInputSpec,
  readModel,
  tensorSize,
  writeModel,
  type Model as OnnxModel,
  type TensorData,
} from '@odin/engine';
import { badInput } from '../../graphql/errors.ts';

export interface ModelInspection {
  inputName: string;
  /** -1 marks a dynamic dimension. */
  inputShape: number[];
  layout: string;
  outputName: string;
  numClasses: number;
  opset: number;
  opHistogram: Record<string, number>;
  parameterCount: number;
  odinCompiles: boolean;
  odinError: string | null;
  unsupportedOps: string[];
  webgpuFallbacks: string[];
  metadata: Record<string, string>;
  /** What the odin:* metadata suggests for the registration form. */
  mean: number[];
  std: number[];
  labels: string[];
  inputSize: number[];
}

const KNOWN_OPS = new Set<string>([...DIFFERENTIABLE_OPS, ...NON_DIFFERENTIABLE_OPS]);

export function parseOnnx(bytes: Uint8Array): OnnxModel {
  try {
    return readModel(bytes);
  } catch (e) {
    if (e instanceof ModelFormatError && /^not (a readable|an) ONNX model/.test(e.message)) throw badInput(e.message);
    if (e instanceof Error) throw badInput(`not a readable ONNX model: ${e.message}`);
    throw e;
  }
}

function floats(text: string | undefined): number[] {
  if (!text) return [];
  const v = text.split(',').map(Number);
  return v.every(Number.isFinite) ? v : [];
}

function labelsOf(text: string | undefined): string[] {
  if (!text) return [];
  try {
    const v = JSON.parse(text);
    if (Array.isArray(v)) return v.map(String);
  } catch {
    // A comma-separated list, as some exporters write it.
  }
  return text.split(',').map((s) => s.trim());
}

/** Counts NaN and ±Infinity in a float tensor (float16 by its bits). */
function nonFinite(t: TensorData): { nan: number; inf: number } {
  let nan = 0;
  let inf = 0;
  const half = t.dtype === 'float16';
  for (const v of t.data as Float32Array | Float64Array | Uint16Array) {
    const isNan = half ? (v & 0x7c00) === 0x7c00 && (v & 0x03ff) !== 0 : Number.isNaN(v);
    const isInf = half ? (v & 0x7fff) === 0x7c00 : Math.abs(v) === Infinity;
    if (isNan) nan++;
    else if (isInf) inf++;
  }
  return { nan, inf };
}

/**
 * Refuses weights holding NaN or ±Infinity: the model would score every image NaN. NOTE: a one-element
 * constant of ±Infinity (a Clip bound, a mask's fill value) is legitimate and allowed; NaN never is.
 */
function checkFiniteWeights(g: OnnxModel['graph']): void {
  const float = (dtype: string) => dtype === 'float32' || dtype === 'float64' || dtype === 'float16';
  const tensors: [string, TensorData][] = [...g.initializers].filter(([, init]) => float(init.dtype)).map(([name, init]) => [`initializer "${name}"`, init.tensor]);
  for (const n of g.nodes) for (const [k, a] of Object.entries(n.attrs)) if (a.type === 'tensor' && float(a.value.dtype)) tensors.push([`${n.op} node "${n.name}" attribute ${k}`, a.value]);
  const bad = tensors
    .map(([what, t]) => ({ what, ...nonFinite(t), size: t.data.length }))
    .filter((c) => c.nan > 0 || (c.inf > 0 && c.size > 1));
  if (bad.length === 0) return;
  const listed = bad.slice(0, 3).map((c) => `${c.what}: ${c.nan} NaN, ${c.inf} ±Infinity of ${c.size} values`);
  const more = bad.length > 3 ? `, and ${bad.length - 3} more tensors` : '';
  throw badInput(`the model's weights hold non-finite values (${listed.join('; ')}${more}); it would score every image NaN. Re-export it from a checkpoint with finite weights`);
}

/** Inspects a model; throws BAD_USER_INPUT when it is not an image classifier with a float input and an [N,K] output, or has NaN/Inf weights. */
export function inspectModel(bytes: Uint8Array, overrides: { mean?: number[] | null; std?: number[] | null } = {}): ModelInspection & { compiled?: Uint8Array } {
  const model = parseOnnx(bytes);
  const g = model.graph;
  checkFiniteWeights(g);
  const input = g.inputs.filter((v) => !g.initializers.has(v.name)).find((v) => v.dtype === 'float32');
  if (!input) throw badInput(`the model has no float32 image input (inputs: ${g.inputs.map((v) => `${v.name}: ${v.dtype}`).join(', ') || 'none'})`);
  const output = g.outputs.find((v) => v.shape?.length === 2) ?? g.outputs[0];
  const numClasses = output?.shape?.length === 2 && typeof output.shape[1] === 'number' ? output.shape[1] : undefined;
  if (!output || numClasses === undefined)
    throw badInput(`the model's output should be [N, K] class scores; it is ${output ? `${output.name} with shape [${(output.shape ?? []).join(', ')}]` : 'missing'}`);

  const opHistogram: Record<string, number> = {};
  for (const n of g.nodes) opHistogram[n.op] = (opHistogram[n.op] ?? 0) + 1;
  let parameterCount = 0;
  for (const t of g.initializers.values()) parameterCount += tensorSize(t.dims);
  const metadata = Object.fromEntries(model.metadata);
  const mean = overrides.mean ?? floats(metadata[METADATA.mean]);
  const std = overrides.std ?? floats(metadata[METADATA.std]);

  let layout = metadata[METADATA.layout] ?? '';
  let inputSize: number[] = [];
  try {
    const spec = parseInputSpec(input.shape ?? [], metadata[METADATA.layout]);
    layout = spec.layout;
    inputSize = [spec.height, spec.width];
  } catch (e) {
    if (!(e instanceof Error)) throw e;
  }

  let compiled: Uint8Array | undefined;
  let odinError: string | null = null;
  let webgpuFallbacks: string[] = [];
  try {
    const out = compileOdin(model, { mean: mean.length ? mean : undefined, std: std.length ? std : undefined, input: input.name });
    compiled = writeModel(out.model);
    webgpuFallbacks = out.report.webgpuFallbacks;
    layout = out.report.input.layout;
  } catch (e) {
    if (!(e instanceof UnsupportedModelError || e instanceof UnsupportedOpError || e instanceof Error)) throw e;
    odinError = e.message;
  }
  return {
    inputName: input.name,
    inputShape: (input.shape ?? []).map((d) => (typeof d === 'number' ? d : -1)),
    layout,
    outputName: output.name,
    numClasses,
    opset: model.opset,
    opHistogram,
    parameterCount,
    odinCompiles: compiled !== undefined,
    odinError,
    unsupportedOps: Object.keys(opHistogram).filter((op) => !KNOWN_OPS.has(op)).sort(),
    webgpuFallbacks,
    metadata,
    mean,
    std,
    labels: labelsOf(metadata[METADATA.labels]),
    inputSize,
    compiled,
  };
}
