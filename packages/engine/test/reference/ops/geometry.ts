// Sliding-window geometry shared by Conv, ConvTranspose and the pools: output sizes, padding, window taps.
import { attrInt, attrInts, attrString } from '../../../src/graph/attrs.ts';
import { forEachIndex, size } from '../tensor.ts';
import { fail } from './context.ts';
import type { OpContext } from './context.ts';

/** A resolved window: spatial dims of input and output, and per-axis kernel, stride, dilation and pads. */
export interface Window {
  inDims: number[];
  outDims: number[];
  kernel: number[];
  strides: number[];
  dilations: number[];
  padsBegin: number[];
  padsEnd: number[];
}

/**
 * Resolves strides, dilations, pads and auto_pad for a window op over `inDims` with `kernel`.
 * `ceil` is the pools' ceil_mode: the output size rounds up, and a last window that would start in the
 * right padding is dropped (ONNX PR 5741, onnxruntime's PoolAttributes and PyTorch agree).
 * SAME_UPPER/SAME_LOWER pad to ceil(in / stride) outputs, the odd cell at the end (UPPER) or start (LOWER).
 * NOTE: auto_pad SAME with dilations > 1 throws: onnxruntime rejects it for Conv and, for the pools, pads
 * as if the kernel were undilated (so the output is not ceil(in / stride)); explicit pads are unambiguous.
 */
export function resolveWindow(ctx: OpContext, inDims: number[], kernel: number[], ceil = false): Window {
  const n = inDims.length;
  const strides = attrInts(ctx.node, 'strides') ?? new Array<number>(n).fill(1);
  const dilations = attrInts(ctx.node, 'dilations') ?? new Array<number>(n).fill(1);
  const pads = attrInts(ctx.node, 'pads') ?? new Array<number>(2 * n).fill(0);
  if (strides.length !== n || dilations.length !== n || pads.length !== 2 * n || kernel.length !== n)
    fail(ctx, `strides/dilations/pads/kernel do not match ${n} spatial dims`);
  if (strides.some((s) => s < 1) || dilations.some((d) => d < 1)) fail(ctx, 'strides and dilations should be >= 1');
  const autoPad = attrString(ctx.node, 'auto_pad', 'NOTSET');
  const padsBegin = pads.slice(0, n);
  const padsEnd = pads.slice(n);
  const outDims = inDims.map((len, i) => {
    const eff = (kernel[i] - 1) * dilations[i] + 1;
    const s = strides[i];
    if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
      if (dilations[i] !== 1) fail(ctx, `auto_pad ${autoPad} with dilations > 1 is not supported (onnxruntime disagrees with the spec); use explicit pads`);
      const out = Math.ceil(len / s);
      const total = Math.max(0, (out - 1) * s + eff - len);
      padsBegin[i] = autoPad === 'SAME_UPPER' ? Math.floor(total / 2) : Math.ceil(total / 2);
      padsEnd[i] = total - padsBegin[i];
      return out;
    }
    if (autoPad === 'VALID') padsBegin[i] = padsEnd[i] = 0;
    else if (autoPad !== 'NOTSET') fail(ctx, `unknown auto_pad "${autoPad}"`);
    const span = len + padsBegin[i] + padsEnd[i] - eff;
    if (span < 0) fail(ctx, `the window (${eff}) is larger than the padded input (${len + padsBegin[i] + padsEnd[i]})`);
    if (!ceil) return Math.floor(span / s) + 1;
    let out = Math.ceil(span / s) + 1;
    if ((out - 1) * s >= len + padsBegin[i]) out--;
    return out;
  });
  return { inDims, outDims, kernel, strides, dilations, padsBegin, padsEnd };
}

/**
 * For each window position `o` (over `outer` dims) and kernel offset `k`, the flat index into `inner`
 * dims of coordinate o * stride - padBegin + k * dilation, or -1 where it falls outside. Entry o * K + k.
 * Conv and the pools read input (inner) through it; ConvTranspose writes output (inner) through it.
 */
export function windowTaps(outer: number[], inner: number[], w: Pick<Window, 'kernel' | 'strides' | 'dilations' | 'padsBegin'>): Int32Array {
  const K = size(w.kernel);
  const taps = new Int32Array(size(outer) * K);
  forEachIndex(outer, (oc, oi) => {
    forEachIndex(w.kernel, (kc, ki) => {
      let f = 0;
      for (let j = 0; j < oc.length; j++) {
        const p = oc[j] * w.strides[j] - w.padsBegin[j] + kc[j] * w.dilations[j];
        if (p < 0 || p >= inner[j]) {
          f = -1;
          break;
        }
        f = f * inner[j] + p;
      }
      taps[oi * K + ki] = f;
    });
  });
  return taps;
}

/** Per window, how many taps fall inside the padded extent [-padBegin, in + padEnd) (AveragePool count_include_pad). */
export function paddedCounts(w: Window): Float64Array {
  const out = new Float64Array(size(w.outDims));
  forEachIndex(w.outDims, (oc, oi) => {
    let n = 1;
    for (let j = 0; j < oc.length; j++) {
      let c = 0;
      for (let k = 0; k < w.kernel[j]; k++) {
        const p = oc[j] * w.strides[j] - w.padsBegin[j] + k * w.dilations[j];
        if (p >= -w.padsBegin[j] && p < w.inDims[j] + w.padsEnd[j]) c++;
      }
      n *= c;
    }
    out[oi] = n;
  });
  return out;
}

/** The kernel_shape attribute, checked against the weight's spatial dims when both exist. */
export function kernelShape(ctx: OpContext, fromWeight?: number[]): number[] {
  const k = attrInts(ctx.node, 'kernel_shape');
  if (k && fromWeight && k.join() !== fromWeight.join()) fail(ctx, `kernel_shape [${k}] differs from the weight's [${fromWeight}]`);
  const kernel = k ?? fromWeight;
  if (!kernel) fail(ctx, 'kernel_shape is required');
  return kernel;
}

/** The group attribute (default 1). */
export const groupOf = (ctx: OpContext): number => attrInt(ctx.node, 'group', 1);
