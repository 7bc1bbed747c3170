// toModelInput: channel conversion, resize/crop and the four layouts on tiny hand-checked images; invalid specs and images.
import { describe, expect, it } from 'vitest';
import { convertChannels } from './color.ts';
import { toModelInput } from './model-input.ts';
import type { Image, InputSpec } from './types.ts';

const img = (height: number, width: number, values: number[], channels: 1 | 3 = 1): Image => ({ width, height, channels, pixels: Float32Array.from(values) });
const f = (xs: number[]) => xs.map((x) => Math.fround(x));
// 1×2 RGB: pixel 0 = (0.1, 0.2, 0.3), pixel 1 = (0.4, 0.5, 0.6).
const rgb = img(1, 2, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6], 3);
const spec = (layout: InputSpec['layout'], channels: 1 | 3, height = 1, width = 2): InputSpec => ({ layout, channels, height, width });

describe('convertChannels', () => {
  it('uses BT.601 luma for RGB → gray and replicates gray → RGB', () => {
    const gray = convertChannels(img(1, 3, [1, 0, 0, 0, 1, 0, 0, 0, 1].map((v) => v), 3), 1);
    expect(Array.from(gray.pixels)).toEqual(f([0.299, 0.587, 0.114]));
    expect(Array.from(convertChannels(img(1, 2, [0.25, 0.5]), 3).pixels)).toEqual([0.25, 0.25, 0.25, 0.5, 0.5, 0.5]);
  });
});

describe('toModelInput', () => {
  it('lays out NCHW planar, NHWC and ND interleaved', () => {
    expect(Array.from(toModelInput([rgb], spec('NCHW', 3)))).toEqual(f([0.1, 0.4, 0.2, 0.5, 0.3, 0.6]));
    expect(Array.from(toModelInput([rgb], spec('NHWC', 3)))).toEqual(f([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]));
    expect(Array.from(toModelInput([rgb], spec('ND', 3)))).toEqual(f([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]));
  });

  it('converts RGB to gray for 1-channel layouts (NHW, NCHW, ND) and gray to RGB', () => {
    const luma = f([0.299 * 0.1 + 0.587 * 0.2 + 0.114 * 0.3, 0.299 * 0.4 + 0.587 * 0.5 + 0.114 * 0.6]);
    for (const layout of ['NHW', 'NCHW', 'NHWC', 'ND'] as const) expect(Array.from(toModelInput([rgb], spec(layout, 1)))).toEqual(luma);
    expect(Array.from(toModelInput([img(1, 2, [0.25, 0.75])], spec('NCHW', 3)))).toEqual([0.25, 0.75, 0.25, 0.75, 0.25, 0.75]);
  });

  it('resizes by default and crops on request, per image, concatenating the batch', () => {
    const a = img(2, 2, [0, 1, 2, 3]);
    const b = img(4, 4, Array.from({ length: 16 }, (_, i) => i));
    const s = spec('NHW', 1, 2, 2);
    expect(Array.from(toModelInput([a, b], s))).toEqual([0, 1, 2, 3, 2.5, 4.5, 10.5, 12.5]);
    expect(Array.from(toModelInput([a, b], s, 'crop'))).toEqual([0, 1, 2, 3, 5, 6, 9, 10]);
    expect(toModelInput([], s)).toHaveLength(0);
  });

  it('rejects invalid specs, images and modes', () => {
    expect(() => toModelInput([rgb], spec('NHW', 3))).toThrow(/NHW has no channel axis/);
    expect(() => toModelInput([rgb], { ...spec('NCHW', 3), height: 0 })).toThrow(/positive integers/);
    expect(() => toModelInput([img(2, 2, [0, 1, 2])], spec('NHW', 1))).toThrow(/Image 0: 3 pixel values for 2×2×1/);
    expect(() => toModelInput([rgb], spec('NCHW', 3), 'pad' as 'crop')).toThrow(/Unknown fit mode 'pad'/);
  });
});
