// The independent float64 ODIN computation: the reference interpreter for the forward passes and the
// reference tape (not the engine's autodiff) for the input gradient, on plain arrays.
import type { Model } from '../src/graph/ir.ts';
import { run } from './reference/interpreter.ts';
import { gradient } from './reference/tape.ts';
import { floatData, floatTensor } from './reference/tensor.ts';

export interface OdinReferenceOptions {
  /** Per-channel (channel axis 1) or single mean on the [0,1] pixel scale. */
  mean: number[];
  /** Per-channel or single std. */
  std: number[];
  temperature: number;
  epsilons: number[];
  /** The model's image input (default: its first graph input). */
  input?: string;
  /** The value holding the logits (default: the model's first output). */
  logits?: string;
}

export interface OdinReferenceResult {
  /** [N,K] row-major. */
  logits: Float64Array;
  /** max softmax(logits), at T = 1. */
  msp: Float64Array;
  /** logsumexp(logits). */
  energy: Float64Array;
  /** argmax, first index on ties. */
  prediction: number[];
  /** [N,E] row-major: max softmax(f(norm(x − ε·s(g)))/T). */
  odin: Float64Array;
  /** ∂ Σ_n CE(logits_n/T, ŷ_n) / ∂x on the raw [0,1] image, shaped like the images. */
  grad: Float64Array;
  /** s(g): +1 where g ≥ 0 (zero included), −1 elsewhere. */
  sign: Float64Array;
  numClasses: number;
}

/**
 * ODIN (Liang, Li & Srikant 2018) in float64, written directly from the paper's definition.
 * `images` are raw [0,1] pixels shaped `dims` (channel axis 1 when mean/std are per channel).
 * NOTE: temperature and ε are rounded to float32 first, as the compiled graph receives them.
 */
export function odinReference(model: Model, images: ArrayLike<number>, dims: number[], options: OdinReferenceOptions): OdinReferenceResult {
  const input = options.input ?? model.graph.inputs[0].name;
  const output = options.logits ?? model.graph.outputs[0].name;
  const T = Math.fround(options.temperature);
  const x = Float64Array.from(images);
  const n = dims[0];
  const channelOf = channelIndex(dims, Math.max(options.mean.length, options.std.length));
  const mean = (i: number) => options.mean[options.mean.length === 1 ? 0 : channelOf(i)];
  const std = (i: number) => options.std[options.std.length === 1 ? 0 : channelOf(i)];
  const normalize = (raw: Float64Array) => floatTensor(raw.map((v, i) => (v - mean(i)) / std(i)), dims);
  const forward = (raw: Float64Array) => floatData(run(model, { [input]: normalize(raw) }, [output])[output], output);

  const logits = forward(x);
  const k = logits.length / n;
  const msp = new Float64Array(n);
  const energy = new Float64Array(n);
  const prediction: number[] = [];
  const seed = new Float64Array(n * k);
  for (let r = 0; r < n; r++) {
    const row = logits.subarray(r * k, (r + 1) * k);
    const top = argmax(row);
    prediction.push(top);
    msp[r] = softmax(row, 1)[top];
    const m = row[top];
    energy[r] = m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
    // d/dL of CE(L/T, ŷ) = (softmax(L/T) − onehot(ŷ)) / T.
    const p = softmax(row, T);
    for (let j = 0; j < k; j++) seed[r * k + j] = (p[j] - (j === top ? 1 : 0)) / T;
  }

  // The tape differentiates with respect to the normalised input z = (x − mean)/std; dx = dz / std.
  const dz = gradient(model, { [input]: normalize(x) }, { output, seed: floatTensor(seed, [n, k]), wrt: [input] });
  const grad = floatData(dz[input], `gradient of ${input}`).map((g, i) => g / std(i));
  const sign = grad.map((g) => (g >= 0 ? 1 : -1));

  const epsilons = options.epsilons.map(Math.fround);
  const odin = new Float64Array(n * epsilons.length);
  epsilons.forEach((eps, e) => {
    const perturbed = forward(x.map((v, i) => v - eps * sign[i]));
    for (let r = 0; r < n; r++) {
      const p = softmax(perturbed.subarray(r * k, (r + 1) * k), T);
      odin[r * epsilons.length + e] = Math.max(...p);
    }
  });
  return { logits, msp, energy, prediction, odin, grad, sign, numClasses: k };
}

/** softmax(v / T), computed stably. */
export function softmax(v: ArrayLike<number>, T: number): Float64Array {
  const s = Float64Array.from(v, (a) => a / T);
  const m = Math.max(...s);
  const e = s.map((a) => Math.exp(a - m));
  const total = e.reduce((a, b) => a + b, 0);
  return e.map((a) => a / total);
}

/** Index of the largest value, the first one on ties (as ONNX ArgMax). */
export function argmax(v: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
  return best;
}

/** Maps a flat index of a tensor shaped `dims` to its index on axis 1 (the channel). */
function channelIndex(dims: number[], channels: number): (i: number) => number {
  if (channels === 1) return () => 0;
  if (dims.length < 2 || dims[1] !== channels) throw new Error(`images shaped [${dims}] do not have ${channels} channels on axis 1`);
  const inner = dims.slice(2).reduce((a, b) => a * b, 1);
  return (i) => Math.floor(i / inner) % channels;
}
