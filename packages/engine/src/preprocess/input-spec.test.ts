// parseInputSpec: layout guesses from model input shapes, hint overrides, and clear errors for unsupported shapes.
import { describe, expect, it } from 'vitest';
import { parseInputSpec } from './input-spec.ts';

describe('parseInputSpec', () => {
  it('guesses NCHW, NHWC, NHW and ND', () => {
    expect(parseInputSpec(['N', 3, 32, 32])).toEqual({ layout: 'NCHW', channels: 3, height: 32, width: 32 });
    expect(parseInputSpec([1, 1, 28, 28])).toEqual({ layout: 'NCHW', channels: 1, height: 28, width: 28 });
    expect(parseInputSpec([-1, 24, 32, 3])).toEqual({ layout: 'NHWC', channels: 3, height: 24, width: 32 });
    expect(parseInputSpec(['batch', 28, 28])).toEqual({ layout: 'NHW', channels: 1, height: 28, width: 28 });
    expect(parseInputSpec(['N', 784])).toEqual({ layout: 'ND', channels: 1, height: 28, width: 28 });
    expect(parseInputSpec(['N', 3072])).toEqual({ layout: 'ND', channels: 3, height: 32, width: 32 });
    expect(parseInputSpec(['N', '784'])).toEqual({ layout: 'ND', channels: 1, height: 28, width: 28 });
  });

  it('lets a hint override the guess (case-insensitive) but not the rank', () => {
    expect(parseInputSpec([1, 3, 32, 3])).toMatchObject({ layout: 'NCHW', channels: 3, height: 32, width: 3 });
    expect(parseInputSpec([1, 3, 32, 3], 'nhwc')).toEqual({ layout: 'NHWC', channels: 3, height: 3, width: 32 });
    expect(parseInputSpec([1, 784], 'ND')).toMatchObject({ layout: 'ND', height: 28 });
    expect(() => parseInputSpec([1, 784], 'NCHW')).toThrow(/rank 2, but layout NCHW needs rank 4/);
    expect(() => parseInputSpec([1, 3, 8, 8], 'CHW')).toThrow(/Unknown layout hint 'CHW'/);
    expect(() => parseInputSpec([1, 28, 28, 28], 'NHWC')).toThrow(/28 channels at dimension 3/);
  });

  it('rejects shapes it cannot map to an image', () => {
    expect(() => parseInputSpec(['N', 10])).toThrow(/D = s² .* or D = 3·s² .*; 10 is neither/);
    expect(() => parseInputSpec(['N', 28, 28, 4])).toThrow(/cannot tell the layout/);
    expect(() => parseInputSpec(['N', 3, 'H', 'W'])).toThrow(/dimension 2 must be a fixed positive size, got 'H'/);
    expect(() => parseInputSpec([1, 1, 3, 8, 8])).toThrow(/rank 5/);
    expect(() => parseInputSpec(['N'])).toThrow(/rank 1/);
    expect(() => parseInputSpec([1, 0])).toThrow(/dimension 1 must be a fixed positive size, got 0/);
  });
});
