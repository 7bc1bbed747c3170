// Window geometry (auto_pad, ceil_mode, output sizes) and Conv's input gradient (Conv or ConvTranspose) and weight gradient (MatMuls).
import { attrInt, attrInts, attrString } from '../../graph/attrs.ts';
import type { GraphBuilder } from '../../graph/builder.ts';
import type { Node, TensorData, TypedArray } from '../../graph/ir.ts';
import { f32 } from '../../graph/tensor.ts';
import type { Provider } from '../rule.ts';

/** The static geometry of a Conv or pooling window sweep over the spatial dims. */
export interface Geometry {
  kernel: number[];
  strides: number[];
  dilations: number[];
  /** Pads before and after each spatial dim, auto_pad resolved. */
  padsBegin: number[];
  padsEnd: number[];
  /** Static spatial sizes of the input and the output. */
  inSize: number[];
  outSize: number[];
}

const prod = (xs: number[]) => xs.reduce((a, b) => a * b, 1);
/** C++ integer division (truncates toward zero), as onnxruntime computes pads. */
const cdiv = (a: number, b: number) => Math.trunc(a / b);
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/**
 * Resolves auto_pad and the output size as the ONNX spec and onnxruntime do (ceil_mode: a last window that
 * would start in the right padding is dropped). SAME pads the dilated kernel up to ceil(in / stride) outputs.
 * NOTE: where kernel < stride SAME needs no padding; onnxruntime's Conv then computes a negative pad and
 * shifts the input for some strides (e.g. 1×1 stride 4 on 12: x[1::4]) but not others, and its pools reject
 * it; the spec's 0 is used here. With dilations, onnxruntime's Conv rejects SAME and its pools pad for the
 * undilated kernel, disagreeing with ONNX shape inference; poolGeometry rejects that case.
 */
export function geometry(node: Node, inSize: number[], kernel: number[], kind: 'conv' | 'pool'): Geometry {
  const n = kernel.length;
  const strides = attrInts(node, 'strides', Array(n).fill(1));
  const dilations = attrInts(node, 'dilations', Array(n).fill(1));
  const pads = attrInts(node, 'pads', Array(2 * n).fill(0));
  const autoPad = attrString(node, 'auto_pad', 'NOTSET');
  const ceil = kind === 'pool' && attrInt(node, 'ceil_mode', 0) === 1;
  const padsBegin: number[] = [];
  const padsEnd: number[] = [];
  const outSize: number[] = [];
  for (let i = 0; i < n; i++) {
    const [h, k, s, d] = [inSize[i], kernel[i], strides[i], dilations[i]];
    let [pb, pe] = [pads[i] ?? 0, pads[i + n] ?? 0];
    if (autoPad === 'VALID') [pb, pe] = [0, 0];
    else if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
      const needed = Math.max(0, (cdiv(h + s - 1, s) - 1) * s + (k - 1) * d + 1 - h);
      pb = autoPad === 'SAME_LOWER' ? cdiv(needed + 1, 2) : cdiv(needed, 2);
      pe = needed - pb;
    }
    const span = h + pb + pe - (k - 1) * d - 1;
    let out = Math.floor(span / s) + 1;
    if (ceil) {
      out = Math.ceil(span / s) + 1;
      if ((out - 1) * s >= h + pb) out -= 1;
    }
    padsBegin.push(pb);
    padsEnd.push(pe);
    outSize.push(out);
  }
  return { kernel, strides, dilations, padsBegin, padsEnd, inSize, outSize };
}

/** Static spatial dims of a value, with a clear error when one is symbolic. */
export function staticDims(node: Node, name: string, dims: (number | string)[]): number[] {
  if (dims.some((d) => typeof d !== 'number'))
    throw new Error(`${node.op} node "${node.name}": the gradient needs static spatial and channel sizes, but "${name}" has shape [${dims.join(', ')}]; if the model's input has a dynamic height and width, give them with --input-size H,W (inputSize)`);
  return dims as number[];
}

/** Pads (positive) or crops (negative) the trailing spatial axes of an [N, C, ...spatial] tensor. */
export function padOrCrop(b: GraphBuilder, x: string, size: number[], before: number[], after: number[], value = 0): string {
  const n = size.length;
  const axes = range(n).filter((i) => before[i] < 0 || after[i] < 0);
  if (axes.length > 0)
    x = b.slice(x, axes.map((i) => Math.max(0, -before[i])), axes.map((i) => size[i] + Math.min(0, after[i])), axes.map((i) => i + 2));
  if (before.some((p) => p > 0) || after.some((p) => p > 0))
    x = b.pad(x, [0, 0, ...before.map((p) => Math.max(0, p)), 0, 0, ...after.map((p) => Math.max(0, p))], value);
  return x;
}

/**
 * How one spatial dim of the transposed convolution becomes a stride-1 Conv. With stride s the padded
 * input gradient splits into s phases, dXpad[s·q + r] = Σ_{k: k·d ≡ r (mod s)} dY[q − ⌊k·d/s⌋] · W[k];
 * phase r is a correlation of dY with the taps of that residue (a "sub-pixel" kernel of M + 1 taps,
 * M = ⌊(K−1)·d/s⌋). At stride 1 that is the usual flipped kernel with dilation d.
 */
interface DimPlan {
  s: number;
  /** Dilation of the stride-1 Conv. */
  dil: number;
  /** Taps of the (phase) kernel. */
  kp: number;
  /** Phases computed: residues 0 … a−1 (the others have no taps and stay zero). */
  a: number;
  /** For each kernel tap k: its phase and its index in the flipped phase kernel. */
  phase: number[];
  tap: number[];
  /** dY is padded (positive) or cropped (negative) by padL/padR; the Conv then yields Q values per phase. */
  padL: number;
  padR: number;
  Q: number;
  /** The input gradient is interleaved[r0, r0 + H). */
  r0: number;
}

function planDim(K: number, s: number, d: number, pb: number, H: number, O: number): DimPlan {
  const taps = range(K);
  if (s === 1) {
    const e = (K - 1) * d;
    return { s, dil: d, kp: K, a: 1, phase: taps.map(() => 0), tap: taps.map((k) => K - 1 - k), padL: e - pb, padR: H - O + pb, Q: H, r0: 0 };
  }
  const M = Math.floor(((K - 1) * d) / s);
  const phase = taps.map((k) => (k * d) % s);
  const q0 = Math.floor(pb / s);
  const Q = Math.ceil((pb + H) / s) - q0;
  const padL = M - q0;
  return { s, dil: 1, kp: M + 1, a: Math.max(...phase) + 1, phase, tap: taps.map((k) => M - Math.floor((k * d) / s)), padL, padR: Q - O - padL + M, Q, r0: pb - q0 * s };
}

/** The Conv and its input's channel counts. */
export interface ConvSpec {
  geom: Geometry;
  group: number;
  /** Channels of the Conv's input X (the transposed conv's output). */
  cin: number;
  /** Channels of the Conv's output Y. */
  cout: number;
}

/**
 * The phase kernels, computed on the CPU: W [cout, cin/g, K…] → [cin·A, cout/g, kp…] where output channel
 * (g·cin/g + c)·A + phase of group g holds the flipped taps of W[g·cout/g + o, c] that fall in that phase.
 */
function phaseKernelConstant(w: TensorData, spec: ConvSpec, plans: DimPlan[]): TensorData {
  const { group, cin, cout } = spec;
  const [coutG, cinG] = [cout / group, cin / group];
  const kernel = spec.geom.kernel;
  const n = kernel.length;
  const A = prod(plans.map((p) => p.a));
  const kp = plans.map((p) => p.kp);
  const kpSize = prod(kp);
  const kSize = prod(kernel);
  const src = w.data as Float32Array | Float64Array;
  const out = new (src.constructor as new (n: number) => Float32Array | Float64Array)(cin * A * coutG * kpSize);
  // Per flat kernel index: its phase (flat over the a's) and its flat position in the phase kernel.
  const phaseOf = new Int32Array(kSize);
  const posOf = new Int32Array(kSize);
  for (let kk = 0; kk < kSize; kk++) {
    const idx = unflatten(kk, kernel);
    let [ph, pos] = [0, 0];
    for (let i = 0; i < n; i++) {
      ph = ph * plans[i].a + plans[i].phase[idx[i]];
      pos = pos * kp[i] + plans[i].tap[idx[i]];
    }
    phaseOf[kk] = ph;
    posOf[kk] = pos;
  }
  for (let o = 0; o < cout; o++) {
    const [g, og] = [Math.floor(o / coutG), o % coutG];
    for (let c = 0; c < cinG; c++) {
      const from = (o * cinG + c) * kSize;
      for (let kk = 0; kk < kSize; kk++) {
        const row = ((g * cinG + c) * A + phaseOf[kk]) * coutG + og;
        out[row * kpSize + posOf[kk]] = src[from + kk];
      }
    }
  }
  return { dtype: w.dtype, dims: [cin * A, coutG, ...kp], data: out as TypedArray };
}

/** Pads the end of one axis (of a tensor of the given rank) with zeros. */
function padAxisEnd(b: GraphBuilder, x: string, rank: number, axis: number, amount: number): string {
  const pads = Array(2 * rank).fill(0);
  pads[rank + axis] = amount;
  return b.pad(x, pads);
}

/** The same phase kernels as graph ops, for a W computed at run time (training): Reshape, Pad, Transpose, Slice. */
function phaseKernelGraph(b: GraphBuilder, w: string, spec: ConvSpec, plans: DimPlan[]): string {
  const { group, cin, cout } = spec;
  const [coutG, cinG] = [cout / group, cin / group];
  const { kernel, dilations } = spec.geom;
  const n = kernel.length;
  // [G, Co, Ci, K1, …] → [G, Co, Ci, T1, S1, …, Tn, Sn] with K_i·d_i = T_i·S_i positions (t, r).
  let dims = [group, coutG, cinG, ...kernel];
  let cur = b.reshape(w, dims);
  for (let i = 0; i < n; i++) {
    const axis = 3 + 2 * i;
    const { s, kp } = plans[i];
    const rest = dims.slice(axis + 1);
    const head = dims.slice(0, axis);
    if (s === 1) {
      dims = [...head, kernel[i], 1, ...rest];
      cur = b.reshape(cur, dims);
      continue;
    }
    let len = kernel[i];
    if (dilations[i] > 1) {
      cur = b.reshape(cur, [...head, len, 1, ...rest]);
      cur = padAxisEnd(b, cur, head.length + 2 + rest.length, axis + 1, dilations[i] - 1);
      len *= dilations[i];
      cur = b.reshape(cur, [...head, len, ...rest]);
    }
    const target = s * kp;
    if (len > target) cur = b.slice(cur, [0], [target], [axis]);
    else if (len < target) cur = padAxisEnd(b, cur, dims.length, axis, target - len);
    dims = [...head, kp, s, ...rest];
    cur = b.reshape(cur, dims);
  }
  const tAxes = range(n).map((i) => 3 + 2 * i);
  const sAxes = range(n).map((i) => 4 + 2 * i);
  cur = b.transpose(cur, [0, 2, ...sAxes, 1, ...tAxes]); // [G, Ci, S1…Sn, Co, T1…Tn]
  const flipAxes = range(n).map((i) => 3 + n + i);
  cur = b.slice(cur, flipAxes.map(() => -1), flipAxes.map(() => Number.MIN_SAFE_INTEGER), flipAxes, flipAxes.map(() => -1));
  if (plans.some((p) => p.a < p.s))
    cur = b.slice(cur, plans.map(() => 0), plans.map((p) => p.a), range(n).map((i) => 2 + i));
  return b.reshape(cur, [cin * prod(plans.map((p) => p.a)), coutG, ...plans.map((p) => p.kp)]);
}

/** How the phases are interleaved back: DepthToSpace (equal strides, 2-D) or Reshape/Transpose. */
export type Interleave = 'depth-to-space' | 'transpose';

/**
 * The three ways to emit the transposed convolution: `conv`, a stride-1 Conv with flipped (and, for stride
 * s > 1, sub-pixel phase) kernels; onnxruntime's own `conv-transpose`; `upsample`, the flipped-kernel stride-1 Conv
 * over a zero-upsampled dY (s^n times the forward's multiply-adds, but a depthwise one stays on the depthwise kernel).
 */
export type InputGradMethod = 'conv' | 'conv-transpose' | 'upsample';

/**
 * The formulation bench/conv-grad.ts and the nets' profiles found fastest: Conv at stride 1, ConvTranspose at larger
 * strides, except, compiled for onnxruntime's CPU, a strided depthwise Conv (`upsample`) and a strided image stem
 * (`conv`: its sub-pixel phases).
 */
export const fastestInputGrad = (geom: Geometry, { group = 1, cin = 0, provider = 'portable' }: { group?: number; cin?: number; provider?: Provider } = {}): InputGradMethod => {
  if (geom.strides.every((s) => s === 1)) return 'conv';
  // onnxruntime's CPU ConvTranspose runs a depthwise one group by group (see convolution.ts's table).
  if (provider === 'cpu' && group > 1 && group === cin) return 'upsample';
  // An image stem's (≤ 4 input channels): the sub-pixel phase Conv and its small DepthToSpace beat ConvTranspose.
  if (provider === 'cpu' && group === 1 && cin <= 4 && geom.kernel.some((k) => k > 1)) return 'conv';
  return 'conv-transpose';
};

/**
 * The input gradient of Conv: the transposed convolution of dy [N, cout, O…] with W, giving [N, cin, H…].
 * `w` is W's value when it is a constant (phase kernels are then built here, on the CPU) or its name.
 */
// d Conv(X, W)/dX · dY = ConvTranspose(dY, W) = interleave_r Conv(pad(dY), phase_r(flip(W)))
export function convInputGrad(
  b: GraphBuilder,
  dy: string,
  w: string | TensorData,
  spec: ConvSpec,
  method: InputGradMethod = fastestInputGrad(spec.geom),
  interleave: Interleave = 'depth-to-space',
): string {
  const { geom, group } = spec;
  if (method === 'upsample' && geom.strides.some((st) => st > 1)) return upsampledConv(b, dy, w, spec);
  if (method === 'conv-transpose') {
    // ConvTranspose takes W as it is. Its pads crop its full output; output_padding (or, for a pool's ceil_mode
    // windows hanging past the end, a larger end crop) makes the output X-sized.
    const excess = geom.inSize.map(
      (h, i) => h - ((geom.outSize[i] - 1) * geom.strides[i] + (geom.kernel[i] - 1) * geom.dilations[i] + 1 - geom.padsBegin[i] - geom.padsEnd[i]),
    );
    const valid = excess.every((p, i) => p < Math.max(geom.strides[i], geom.dilations[i])) && [...geom.padsBegin, ...geom.padsEnd].every((p) => p >= 0);
    if (valid)
      return b.op('ConvTranspose', [dy, typeof w === 'string' ? w : b.constant(w, 'conv_w')], {
        group,
        dilations: geom.dilations,
        kernel_shape: geom.kernel,
        output_padding: excess.some((p) => p > 0) ? excess.map((p) => Math.max(0, p)) : undefined,
        pads: [...geom.padsBegin, ...geom.padsEnd.map((p, i) => p - Math.min(0, excess[i]))],
        strides: geom.strides,
      });
  }
  return phaseConv(b, dy, w, spec, interleave);
}

/**
 * The transposed convolution as dY zero-upsampled by the strides (dY[q] lands at s·q) and one stride-1 Conv with the
 * flipped kernels, groups kept: dXpad[j] = Σ_k up(dY)[j − k·d] · W[k]. The upsampling is a nearest Resize times a
 * constant 0/1 mask (a 6-D Pad or DepthToSpace of dY and zeros were 3–10× slower on onnxruntime's CPU).
 */
function upsampledConv(b: GraphBuilder, dy: string, w: string | TensorData, spec: ConvSpec): string {
  const { geom } = spec;
  const n = geom.kernel.length;
  const { strides, outSize } = geom;
  const upSize = outSize.map((o, i) => o * strides[i]);
  // Nearest Resize repeats each dY value s times per dim; a constant 0/1 mask keeps the first of each.
  const scales = b.constant(f32([1, 1, ...strides], [2 + n]), 'scales');
  const repeated = b.op('Resize', [dy, '', scales], { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' });
  const mask = new Float32Array(prod(upSize));
  for (let j = 0; j < mask.length; j++) mask[j] = unflatten(j, upSize).every((q, i) => q % strides[i] === 0) ? 1 : 0;
  const up = b.mul(repeated, b.constant(f32(mask, upSize), 'upsample_mask'));
  const geom1: Geometry = { ...geom, strides: strides.map(() => 1), outSize: upSize };
  return phaseConv(b, up, w, { ...spec, geom: geom1 }, 'depth-to-space');
}

/** The transposed convolution as one stride-1 Conv over the phases, interleaved and cropped. */
function phaseConv(b: GraphBuilder, dy: string, w: string | TensorData, spec: ConvSpec, interleave: Interleave): string {
  const { geom, group, cin } = spec;
  const n = geom.kernel.length;
  const plans = range(n).map((i) => planDim(geom.kernel[i], geom.strides[i], geom.dilations[i], geom.padsBegin[i], geom.inSize[i], geom.outSize[i]));
  const wt = typeof w === 'string' ? phaseKernelGraph(b, w, spec, plans) : b.constant(phaseKernelConstant(w, spec, plans), 'conv_phase_w');
  const padded = padOrCrop(b, dy, geom.outSize, plans.map((p) => Math.min(0, p.padL)), plans.map((p) => Math.min(0, p.padR)));
  let g = b.op('Conv', [padded, wt], {
    group,
    dilations: plans.map((p) => p.dil),
    kernel_shape: plans.map((p) => p.kp),
    pads: [...plans.map((p) => Math.max(0, p.padL)), ...plans.map((p) => Math.max(0, p.padR))],
    strides: plans.map(() => 1),
  });
  if (plans.every((p) => p.s === 1)) return g;
  const Q = plans.map((p) => p.Q);
  const A = prod(plans.map((p) => p.a));
  if (A === 1) {
    // Only phase 0 has taps: zero-interleave by padding a unit axis after each spatial one.
    g = b.reshape(g, [-1, cin, ...Q.flatMap((q) => [q, 1])]);
    g = b.pad(g, [...Array(2 + 2 * n).fill(0), 0, 0, ...plans.flatMap((p) => [0, p.s - 1])]);
  } else if (interleave === 'depth-to-space' && n === 2 && plans.every((p) => p.a === p.s && p.s === plans[0].s)) {
    g = b.op('DepthToSpace', [g], { blocksize: plans[0].s, mode: 'CRD' });
  } else {
    g = b.reshape(g, [-1, cin, ...plans.map((p) => p.a), ...Q]);
    if (plans.some((p) => p.a < p.s))
      g = b.pad(g, [...Array(2 + 2 * n).fill(0), 0, 0, ...plans.map((p) => p.s - p.a), ...Q.map(() => 0)]);
    g = b.transpose(g, [0, 1, ...range(n).flatMap((i) => [2 + n + i, 2 + i])]);
  }
  g = b.reshape(g, [-1, cin, ...plans.map((p) => p.Q * p.s)]);
  const crop = range(n).filter((i) => plans[i].r0 !== 0 || plans[i].Q * plans[i].s !== geom.inSize[i]);
  if (crop.length === 0) return g;
  return b.slice(g, crop.map((i) => plans[i].r0), crop.map((i) => plans[i].r0 + geom.inSize[i]), crop.map((i) => i + 2));
}

/** The three ways to emit Conv's weight gradient (see convWeightGrad). */
export type WeightGradMethod = 'per-tap' | 'fold' | 'conv';

/**
 * The dW formulation bench/conv-grad.ts found fastest: for outputs of up to 256 positions the folded MatMul
 * (group 1) or the Conv form (grouped, depthwise); for larger outputs one MatMul per tap. Best-of-240 ms for
 * per-tap / folded / Conv (forward): 16→32 32² 4.5 / 12 / 19 (2.1); 64→64 16² 18 / 14 / 19 (3.0); 64→64 8²
 * 8.5 / 2.5 / 4.9 (0.8); 64→128 stride 2 to 8² 16 / 5.1 / 7.6 (1.8); group 4 16² 2.6 / 3.1 / 2.3 (0.8);
 * depthwise 32ch 32² stride 1 4.6 / 11 / 15 (1.1), stride 2 8.9 / 8.4 / 2.3 (0.6).
 */
export const fastestWeightGrad = (spec: ConvSpec): WeightGradMethod => (prod(spec.geom.outSize) > 256 ? 'per-tap' : spec.group === 1 ? 'fold' : 'conv');

/**
 * The weight gradient of Conv: dW[g·cout/g + o, c, k] = Σ_{n, p} dY[n, g·cout/g + o, p] · X[n, g·cin/g + c, p·s − pad + k·d].
 * `per-tap`: the tap-k window of X is a strided Slice of the zero-padded X, and one batched MatMul per tap
 * over [N, group] plus a sum over the batch gives its column of dW (onnxruntime fuses the Transpose into the
 * MatMul). `fold`: the windows stacked (im2col) and the batch folded into the contraction, one MatMul per
 * group. `conv`: one Conv of X with batch and channels swapped (groups folded into channels) and dYᵀ as the
 * kernel, the forward strides as its dilations and the forward dilations as its strides.
 */
export function convWeightGrad(b: GraphBuilder, x: string, dy: string, spec: ConvSpec, method: WeightGradMethod = fastestWeightGrad(spec)): string {
  const { geom, group, cin, cout } = spec;
  const { kernel, strides, dilations, padsBegin, inSize, outSize } = geom;
  const n = kernel.length;
  const [P, K] = [prod(outSize), prod(kernel)];
  const [cinG, coutG] = [cin / group, cout / group];
  const spatial = range(n).map((i) => i + 2);
  // The padded X every window lies in, cropped where no window reaches.
  const extent = range(n).map((i) => (outSize[i] - 1) * strides[i] + 1);
  const after = range(n).map((i) => extent[i] + (kernel[i] - 1) * dilations[i] - inSize[i] - padsBegin[i]);
  if (method === 'conv') {
    const xc = padOrCrop(b, x, inSize, inSize.map(() => 0), after.map((a) => Math.min(0, a)));
    const size = range(n).map((i) => inSize[i] + Math.min(0, after[i]));
    const xt =
      group === 1
        ? b.transpose(xc, [1, 0, ...spatial])
        : b.reshape(b.transpose(b.reshape(xc, [0, group, cinG, ...size]), [2, 1, 0, ...spatial.map((a) => a + 1)]), [cinG, -1, ...size]);
    const pads = [...padsBegin, ...after.map((a) => Math.max(0, a))];
    const dw = b.op('Conv', [xt, b.transpose(dy, [1, 0, ...spatial])], { group, dilations: strides, strides: dilations, pads, kernel_shape: outSize });
    return b.transpose(dw, [1, 0, ...spatial]);
  }
  const xp = padOrCrop(b, x, inSize, padsBegin, after);
  const padded = range(n).map((i) => padsBegin[i] + inSize[i] + after[i]);
  const windows = range(K).map((t) => {
    const starts = unflatten(t, kernel).map((k, i) => k * dilations[i]);
    if (starts.every((st, i) => st === 0 && extent[i] === padded[i] && strides[i] === 1)) return xp;
    return b.slice(xp, starts, starts.map((st, i) => st + extent[i]), spatial, strides);
  });
  const dy4 = b.reshape(dy, [0, group, coutG, P]);
  if (method === 'fold') {
    // [N, C, K, P] → [G, C/G·K, N·P] and dY → [G, cout/G, N·P]: dW = dY · colsᵀ per group.
    const stacked = K === 1 ? windows[0] : b.op('Concat', windows.map((w) => b.unsqueeze(w, [2])), { axis: 2 });
    const cols = b.reshape(b.transpose(b.reshape(stacked, [0, group, cinG * K, P]), [1, 2, 0, 3]), [group, cinG * K, -1]);
    const dyg = b.reshape(b.transpose(dy4, [1, 2, 0, 3]), [group, coutG, -1]);
    return b.reshape(b.matmul(dyg, b.transpose(cols, [0, 2, 1])), [cout, cinG, ...kernel]);
  }
  const perTap = windows.map((w) => {
    const cols = b.transpose(b.reshape(w, [0, group, cinG, P]), [0, 1, 3, 2]);
    return b.unsqueeze(b.matmul(dy4, cols), [4]); // [N, group, cout/g, cin/g, 1]
  });
  const taps = K === 1 ? perTap[0] : b.op('Concat', perTap, { axis: 4 });
  return b.reshape(b.reduceSum(taps, [0], false), [cout, cinG, ...kernel]);
}

/** The row-major multi-index of flat index t over dims. */
export function unflatten(t: number, dims: number[]): number[] {
  const out: number[] = [];
  for (let i = dims.length - 1; i >= 0; i--) {
    out[i] = t % dims[i];
    t = Math.floor(t / dims[i]);
  }
  return out;
}
