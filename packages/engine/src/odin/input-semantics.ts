// Model-input semantics in one place: the odin:* metadata keys, the image input, its layout, per-channel
// normalisation and input size. Compile, evaluate, accuracy, training and the CLI read and write them here.
import type { Dim, Model, ValueInfo } from '../graph/ir.ts';
import { parseInputSpec } from '../preprocess/input-spec.ts';
import type { InputSpec, Layout } from '../preprocess/types.ts';
import { UnsupportedModelError, findImageInput, formatShape, parseFloatList } from './model-info.ts';

/** The model metadata keys the engine reads and writes. */
export const METADATA = {
  /** Per-channel mean on the [0,1] pixel scale, comma-separated. */
  mean: 'odin:mean',
  /** Per-channel std on the [0,1] pixel scale, comma-separated. */
  std: 'odin:std',
  /** NCHW, NHWC, NHW or ND, where the shape alone does not tell. */
  layout: 'odin:layout',
  /** JSON array of class names. */
  labels: 'odin:labels',
  /** The training set's spec, the architecture and the command that trained the model (odin train). */
  dataset: 'odin:dataset',
  arch: 'odin:arch',
  train: 'odin:train',
  /** Written by compileOdin: the source value used as logits, and a marker. */
  logits: 'odin:logits',
  compiled: 'odin:compiled',
} as const;

type Metadata = Map<string, string>;

export interface Normalization {
  mean: number[];
  std: number[];
  source: 'options' | 'metadata' | 'none';
}

/** The normalisation to apply: the options', else the metadata's, else none (mean 0, std 1). */
export function readNormalization(metadata: Metadata, options: { mean?: number[]; std?: number[] } = {}): Normalization {
  if (options.mean || options.std) return checked({ mean: options.mean ?? [0], std: options.std ?? [1], source: 'options' });
  const [m, s] = [metadata.get(METADATA.mean), metadata.get(METADATA.std)];
  if (m || s)
    return checked({ mean: m ? parseFloatList(m, `metadata ${METADATA.mean}`) : [0], std: s ? parseFloatList(s, `metadata ${METADATA.std}`) : [1], source: 'metadata' });
  return { mean: [0], std: [1], source: 'none' };
}

function checked(norm: Normalization): Normalization {
  const { mean, std } = norm;
  if (std.some((s) => s <= 0)) throw new UnsupportedModelError(`std must be positive, got ${std.join(',')}`);
  if (mean.length !== std.length && mean.length !== 1 && std.length !== 1)
    throw new UnsupportedModelError(`mean has ${mean.length} values and std ${std.length}; give one value or one per channel`);
  return norm;
}

/** Writes a normalisation into the metadata, as compileOdin and training record it. */
export function writeNormalization(metadata: Metadata, mean: number[], std: number[]): void {
  metadata.set(METADATA.mean, mean.join(','));
  metadata.set(METADATA.std, std.join(','));
}

/** What `odin train` records about a model it trained. */
export interface TrainingRecord {
  mean: number[];
  std: number[];
  labels: string[];
  layout: Layout;
  dataset: string;
  arch: string;
  /** The command line that reproduces the training. */
  command: string;
}

export function writeTrainingMetadata(metadata: Metadata, r: TrainingRecord): void {
  writeNormalization(metadata, r.mean, r.std);
  metadata.set(METADATA.labels, JSON.stringify(r.labels));
  metadata.set(METADATA.layout, r.layout);
  metadata.set(METADATA.dataset, r.dataset);
  metadata.set(METADATA.arch, r.arch);
  metadata.set(METADATA.train, r.command);
}

/** The input layout as far as normalisation cares: where the channel axis is. */
export function channelLayout(shape: Dim[], channels: number, hint?: string): string {
  if (shape.length === 4) {
    if (hint === 'NCHW' || hint === 'NHWC') return hint;
    if (shape[1] === 1 || shape[1] === 3 || shape[1] === channels) return 'NCHW';
    if (shape[3] === 1 || shape[3] === 3 || shape[3] === channels) return 'NHWC';
    return 'NCHW';
  }
  return shape.length === 3 ? 'NHW' : 'ND';
}

/** The shape of the per-channel constant that broadcasts against an input of `layout`, or [] for one value. */
export function channelBroadcastDims(norm: Normalization, layout: string, rank: number): number[] {
  const channels = Math.max(norm.mean.length, norm.std.length);
  if (channels === 1) return [];
  if (layout === 'NCHW') return [1, channels, 1, 1];
  if (layout === 'NHWC') return [1, 1, 1, channels];
  throw new UnsupportedModelError(`a ${rank}-D input has no channel axis; give a single mean and std value`);
}

/** The mean and std, one value per channel (a single value repeated). */
export function perChannel(norm: Normalization): { mean: number[]; std: number[] } {
  const channels = Math.max(norm.mean.length, norm.std.length);
  const expand = (v: number[]) => (v.length === 1 ? Array<number>(channels).fill(v[0]) : v);
  return { mean: expand(norm.mean), std: expand(norm.std) };
}

/** (x − mean[c]) / std[c] over a batch already in the model's layout (`spec`), each value with its own channel c. */
export function normalizeBatch(x: Float32Array, spec: InputSpec, norm: Normalization): Float32Array {
  const dims = channelBroadcastDims(norm, spec.layout, spec.layout === 'NHW' ? 3 : spec.layout === 'ND' ? 2 : 4);
  const { mean, std } = perChannel(norm);
  const plane = spec.height * spec.width;
  const channelOf = dims.length === 0 ? () => 0 : spec.layout === 'NCHW' ? (i: number) => Math.floor(i / plane) % mean.length : (i: number) => i % mean.length;
  return x.map((v, i) => (v - mean[channelOf(i)]) / std[channelOf(i)]);
}

/** The input's shape with its dynamic spatial dims set to `size` ([H, W]); a fixed dim must already equal it. */
export function withInputSize(input: ValueInfo, size: number[] | undefined, hint?: string): Dim[] {
  const shape = [...input.shape!];
  if (!size) return shape;
  if (size.length !== 2 || size.some((d) => !Number.isInteger(d) || d <= 0)) throw new UnsupportedModelError(`the input size should be two positive integers H,W, got ${size.join(',')}`);
  const axes = spatialAxes(shape, hint);
  if (!axes) throw new UnsupportedModelError(`input "${input.name}" ${formatShape(shape)} has no height and width to size`);
  axes.forEach((a, i) => {
    if (typeof shape[a] === 'number' && shape[a] !== size[i])
      throw new UnsupportedModelError(`input "${input.name}" is fixed at ${formatShape(shape)}; an input size of ${size.join('×')} does not match it`);
    shape[a] = size[i];
  });
  return shape;
}

/** The height and width axes of an image input: NCHW unless the channels are clearly last (or the hint says NHWC). */
function spatialAxes(shape: Dim[], hint?: string): [number, number] | undefined {
  if (shape.length === 3) return [1, 2];
  if (shape.length !== 4) return undefined;
  const channelsLast = hint === 'NHWC' || (hint !== 'NCHW' && typeof shape[1] !== 'number' && (shape[3] === 1 || shape[3] === 3));
  return channelsLast ? [1, 2] : [2, 3];
}

/** [height, width] of an input of `layout`, where both are fixed. */
export function spatialSize(shape: Dim[], layout: string): [number, number] | undefined {
  const axes = layout === 'NHWC' || layout === 'NHW' ? [1, 2] : layout === 'NCHW' ? [2, 3] : undefined;
  const hw = axes?.map((a) => shape[a]);
  return hw && hw.every((d) => typeof d === 'number') ? (hw as [number, number]) : undefined;
}

/** The model's image input (the named one, or its single float input), sized, and how to feed images to it. */
export function modelInput(model: Model, options: { input?: string; inputSize?: number[] } = {}): { input: ValueInfo; spec: InputSpec } {
  const found = findImageInput(model, options.input);
  const hint = model.metadata.get(METADATA.layout);
  const input = { ...found, shape: withInputSize(found, options.inputSize, hint) };
  return { input, spec: parseInputSpec(input.shape, hint) };
}
