// Guess a model's image input layout (NCHW, NHWC, NHW or flat ND) from its input shape and an optional hint.
import type { InputSpec, Layout } from './types.ts';

const LAYOUTS: readonly Layout[] = ['NCHW', 'NHWC', 'NHW', 'ND'];
const RANK: Record<Layout, number> = { NCHW: 4, NHWC: 4, NHW: 3, ND: 2 };

function show(dims: readonly (number | string)[]): string {
  return `[${dims.map((d) => (typeof d === 'string' ? `'${d}'` : String(d))).join(', ')}]`;
}

/** A fixed, positive non-batch dimension, or an Error naming it. */
function fixedDim(dims: readonly (number | string)[], i: number): number {
  const d = dims[i];
  const n = typeof d === 'string' && /^[1-9]\d*$/.test(d) ? Number(d) : d;
  if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0) {
    throw new Error(`Model input shape ${show(dims)}: dimension ${i} must be a fixed positive size, got ${typeof d === 'string' ? `'${d}'` : d} (only the batch dimension may be dynamic).`);
  }
  return n;
}

function channelsOf(dims: readonly (number | string)[], i: number, layout: Layout): 1 | 3 {
  const c = fixedDim(dims, i);
  if (c !== 1 && c !== 3) throw new Error(`Model input shape ${show(dims)} as ${layout}: ${c} channels at dimension ${i}; only 1 (grayscale) or 3 (RGB) are supported.`);
  return c;
}

function flatSpec(dims: readonly (number | string)[]): InputSpec {
  const d = fixedDim(dims, 1);
  const s = Math.round(Math.sqrt(d));
  if (s * s === d) return { layout: 'ND', channels: 1, height: s, width: s };
  const t = Math.round(Math.sqrt(d / 3));
  if (3 * t * t === d) return { layout: 'ND', channels: 3, height: t, width: t };
  throw new Error(`Model input shape ${show(dims)}: a flat [N, D] input needs D = s² (grayscale s×s) or D = 3·s² (RGB s×s); ${d} is neither.`);
}

function specFor(layout: Layout, dims: readonly (number | string)[]): InputSpec {
  switch (layout) {
    case 'NCHW':
      return { layout, channels: channelsOf(dims, 1, layout), height: fixedDim(dims, 2), width: fixedDim(dims, 3) };
    case 'NHWC':
      return { layout, channels: channelsOf(dims, 3, layout), height: fixedDim(dims, 1), width: fixedDim(dims, 2) };
    case 'NHW':
      return { layout, channels: 1, height: fixedDim(dims, 1), width: fixedDim(dims, 2) };
    case 'ND':
      return flatSpec(dims);
  }
}

/**
 * Infers the {@link InputSpec} of a model input with shape `dims` (dim 0 is the batch and may be
 * symbolic). Without a hint: 4-D with dim 1 ∈ {1, 3} → NCHW (checked first, so `[N,3,H,3]` is NCHW),
 * else 4-D with dim 3 ∈ {1, 3} → NHWC; 3-D → NHW grayscale; 2-D `[N, D]` → ND, grayscale s×s when
 * D = s², RGB s×s when D = 3·s². A `layoutHint` (e.g. model metadata `odin:layout`, case-insensitive)
 * overrides the guess but must agree with the rank. Anything else throws an Error naming the shape.
 */
export function parseInputSpec(dims: (number | string)[], layoutHint?: string): InputSpec {
  if (layoutHint !== undefined && layoutHint.trim() !== '') {
    const layout = layoutHint.trim().toUpperCase() as Layout;
    if (!LAYOUTS.includes(layout)) throw new Error(`Unknown layout hint '${layoutHint}': expected one of ${LAYOUTS.join(', ')}.`);
    if (dims.length !== RANK[layout]) throw new Error(`Model input shape ${show(dims)} has rank ${dims.length}, but layout ${layout} needs rank ${RANK[layout]}.`);
    return specFor(layout, dims);
  }
  switch (dims.length) {
    case 4: {
      const d1 = dims[1];
      const d3 = dims[3];
      if (d1 === 1 || d1 === 3 || d1 === '1' || d1 === '3') return specFor('NCHW', dims);
      if (d3 === 1 || d3 === 3 || d3 === '1' || d3 === '3') return specFor('NHWC', dims);
      throw new Error(`Model input shape ${show(dims)}: cannot tell the layout; expected 1 or 3 channels at dimension 1 (NCHW) or 3 (NHWC). Set the layout explicitly (model metadata 'odin:layout').`);
    }
    case 3:
      return specFor('NHW', dims);
    case 2:
      return specFor('ND', dims);
    default:
      throw new Error(`Model input shape ${show(dims)} has rank ${dims.length}; image inputs must be 2-D [N, D], 3-D [N, H, W] or 4-D (NCHW / NHWC).`);
  }
}
