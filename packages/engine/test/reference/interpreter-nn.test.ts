// Hand-worked and naive-formula checks of the reference interpreter's conv, pool, normalisation and linear-algebra ops.
import { describe, expect, it } from 'vitest';
import { float } from '../../src/graph/attrs.ts';
import { floatTensor } from './tensor.ts';
import type { RefTensor } from './tensor.ts';
import { opModel, randomTensor, rng, runOne, values } from './testing.ts';

const iota = (n: number, from = 1) => Array.from({ length: n }, (_, i) => i + from);
const close = (got: number[], want: number[], tol = 1e-12) => {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => expect(Math.abs(g - want[i]), `element ${i}: ${g} vs ${want[i]}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(want[i]))));
};
const run1 = (op: string, inputs: RefTensor[], attrs: Parameters<typeof opModel>[2] = {}, opset = 18) =>
  runOne(opModel(op, inputs.map((t) => t.dims), attrs, opset), Object.fromEntries(inputs.map((t, i) => [`x${i}`, t])));

/** A 2-D convolution written out with explicit loops, independent of the interpreter's window taps. */
function naiveConv2d(x: RefTensor, w: RefTensor, b: number[] | undefined, o: { strides: number[]; pads: number[]; dilations: number[]; group: number }) {
  const [N, C, H, W] = x.dims;
  const [M, Cg, KH, KW] = w.dims;
  const G = o.group;
  const OH = Math.floor((H + o.pads[0] + o.pads[2] - (KH - 1) * o.dilations[0] - 1) / o.strides[0]) + 1;
  const OW = Math.floor((W + o.pads[1] + o.pads[3] - (KW - 1) * o.dilations[1] - 1) / o.strides[1]) + 1;
  const X = (n: number, c: number, h: number, v: number) => (x.data as Float64Array)[((n * C + c) * H + h) * W + v];
  const Wt = (m: number, c: number, h: number, v: number) => (w.data as Float64Array)[((m * Cg + c) * KH + h) * KW + v];
  const out: number[] = [];
  for (let n = 0; n < N; n++)
    for (let m = 0; m < M; m++)
      for (let oh = 0; oh < OH; oh++)
        for (let ow = 0; ow < OW; ow++) {
          let s = b ? b[m] : 0;
          const g = Math.floor(m / (M / G));
          for (let c = 0; c < Cg; c++)
            for (let kh = 0; kh < KH; kh++)
              for (let kw = 0; kw < KW; kw++) {
                const ih = oh * o.strides[0] - o.pads[0] + kh * o.dilations[0];
                const iw = ow * o.strides[1] - o.pads[1] + kw * o.dilations[1];
                if (ih >= 0 && ih < H && iw >= 0 && iw < W) s += X(n, g * Cg + c, ih, iw) * Wt(m, c, kh, kw);
              }
          out.push(s);
        }
  return { dims: [N, M, OH, OW], values: out };
}

describe('Conv', () => {
  const x = floatTensor(iota(16), [1, 1, 4, 4]);

  it('3x3 ones kernel, pad 1, stride 2 (worked by hand)', () => {
    const y = run1('Conv', [x, floatTensor(new Array(9).fill(1), [1, 1, 3, 3])], { pads: [1, 1, 1, 1], strides: [2, 2] });
    expect(y.dims).toEqual([1, 1, 2, 2]);
    // Windows centred on (0,0), (0,2), (2,0), (2,2) of [[1..4],[5..8],[9..12],[13..16]].
    expect(values(y)).toEqual([1 + 2 + 5 + 6, 2 + 3 + 4 + 6 + 7 + 8, 5 + 6 + 9 + 10 + 13 + 14, 6 + 7 + 8 + 10 + 11 + 12 + 14 + 15 + 16]);
  });

  it('Sobel kernel with bias, pad 1, stride 2 (worked by hand)', () => {
    const sobel = floatTensor([1, 0, -1, 2, 0, -2, 1, 0, -1], [1, 1, 3, 3]);
    const y = run1('Conv', [x, sobel, floatTensor([0.5])], { pads: [1, 1, 1, 1], strides: [2, 2] });
    // (0,0): -2*x(0,1) - x(1,1) = -4 - 6; (0,2): 2*x(0,1) - 2*x(0,3) + x(1,1) - x(1,3) = 4 - 8 + 6 - 8;
    // (2,0): -x(1,1) - 2*x(2,1) - x(3,1) = -6 - 20 - 14; (2,2): sum over 3x3 = -2 each row, times (1 + 2 + 1) = -8.
    expect(values(y)).toEqual([-10 + 0.5, -6 + 0.5, -40 + 0.5, -8 + 0.5]);
  });

  it.each([
    { name: 'groups, dilations, asymmetric pads', x: [2, 4, 9, 8], w: [6, 2, 3, 2], strides: [1, 2], pads: [0, 1, 2, 0], dilations: [2, 1], group: 2 },
    { name: 'depthwise stride 2', x: [1, 3, 7, 7], w: [3, 1, 3, 3], strides: [2, 2], pads: [1, 1, 1, 1], dilations: [1, 1], group: 3 },
    { name: 'large stride', x: [1, 2, 9, 9], w: [2, 2, 2, 2], strides: [4, 3], pads: [0, 0, 0, 0], dilations: [1, 1], group: 1 },
  ])('matches a naive 2-D convolution: $name', (c) => {
    const r = rng(3);
    const xt = randomTensor(r, c.x);
    const wt = randomTensor(r, c.w);
    const bias = Array.from({ length: c.w[0] }, () => r());
    const y = run1('Conv', [xt, wt, floatTensor(bias)], { strides: c.strides, pads: c.pads, dilations: c.dilations, group: c.group });
    const want = naiveConv2d(xt, wt, bias, c);
    expect(y.dims).toEqual(want.dims);
    close(values(y), want.values);
  });

  it('1-D convolution (worked by hand)', () => {
    const y = run1('Conv', [floatTensor([1, 2, 3, 4, 5], [1, 1, 5]), floatTensor([1, -1], [1, 1, 2])], { pads: [1, 0], strides: [2] });
    // Windows start at -1, 1, 3: [pad, 1] -> -1, [2, 3] -> -1, [4, 5] -> -1.
    expect(values(y)).toEqual([-1, -1, -1]);
  });

  it('auto_pad SAME_UPPER puts the odd pad at the end, SAME_LOWER at the start, VALID drops it', () => {
    const xt = floatTensor([1, 2, 3, 4], [1, 1, 4]);
    const w = floatTensor([1, 10], [1, 1, 2]);
    // ceil(4 / 1) = 4 outputs need 1 pad cell.
    expect(values(run1('Conv', [xt, w], { auto_pad: 'SAME_UPPER' }))).toEqual([21, 32, 43, 4]);
    expect(values(run1('Conv', [xt, w], { auto_pad: 'SAME_LOWER' }))).toEqual([10, 21, 32, 43]);
    expect(values(run1('Conv', [xt, w], { auto_pad: 'VALID' }))).toEqual([21, 32, 43]);
  });

  it('rejects auto_pad SAME with dilations', () => {
    expect(() => run1('Conv', [floatTensor([1, 2, 3, 4], [1, 1, 4]), floatTensor([1, 1], [1, 1, 2])], { auto_pad: 'SAME_UPPER', dilations: [2] })).toThrow(/dilations/);
  });
});

describe('ConvTranspose', () => {
  it('stride 2 with pads and output_padding (worked by hand)', () => {
    // Full output (stride 2, k 2): x0*w at 0..1, x1*w at 2..3, x2*w at 4..5, plus 1 output_padding cell.
    const y = run1('ConvTranspose', [floatTensor([1, 2, 3], [1, 1, 3]), floatTensor([1, 10], [1, 1, 2])], { strides: [2], pads: [1, 0], output_padding: [1] });
    expect(values(y)).toEqual([10, 2, 20, 3, 30, 0]);
  });

  it('is the adjoint of Conv: <ConvT(y), x> = <y, Conv(x)> with groups, strides, dilations, pads', () => {
    const r = rng(5);
    const attrs = { group: 2, strides: [2, 3], dilations: [2, 1], pads: [1, 0, 2, 1] };
    const x = randomTensor(r, [1, 4, 9, 10]);
    const w = randomTensor(r, [6, 2, 3, 2]);
    const cx = run1('Conv', [x, w], attrs);
    const yv = randomTensor(r, cx.dims);
    // ConvTranspose with the same W maps Conv's output space back to its input space (output_padding fills the remainder).
    const outPad = [9, 10].map((d, i) => d - ((cx.dims[2 + i] - 1) * attrs.strides[i] + (w.dims[2 + i] - 1) * attrs.dilations[i] + 1 - attrs.pads[i] - attrs.pads[i + 2]));
    const ty = run1('ConvTranspose', [yv, w], { ...attrs, output_padding: outPad });
    expect(ty.dims).toEqual(x.dims);
    const dot = (a: RefTensor, b: RefTensor) => values(a).reduce((s, v, i) => s + v * values(b)[i], 0);
    expect(dot(ty, x)).toBeCloseTo(dot(yv, cx), 10);
  });
});

describe('MaxPool', () => {
  const x = floatTensor([1, 3, 3, 2, 3, 1, 0, 0, 5], [1, 1, 3, 3]);

  it('ceil_mode keeps the partial windows; floor mode drops them (ties give the same max)', () => {
    expect(values(run1('MaxPool', [x], { kernel_shape: [2, 2], strides: [2, 2], ceil_mode: 1 }))).toEqual([3, 3, 0, 5]);
    expect(values(run1('MaxPool', [x], { kernel_shape: [2, 2], strides: [2, 2] }))).toEqual([3]);
  });

  it('ceil_mode drops a last window that would start in the right padding', () => {
    // L = 5, k = 2, s = 2, pads 1: ceil((5 + 2 - 2) / 2) + 1 = 4 windows, the 4th starting at 5 (padding) is dropped.
    const y = run1('MaxPool', [floatTensor([1, 5, 2, 4, 3], [1, 1, 5])], { kernel_shape: [2], strides: [2], pads: [1, 1], ceil_mode: 1 });
    expect(values(y)).toEqual([1, 5, 4]);
  });

  it('padding never wins, even against negative values', () => {
    const y = run1('MaxPool', [floatTensor([-3, -1, -2], [1, 1, 3])], { kernel_shape: [2], pads: [1, 1] });
    expect(values(y)).toEqual([-3, -1, -1, -2]);
  });

  it('returns flat Indices as the second output', () => {
    const m = opModel('MaxPool', [[1, 2, 2, 2]], { kernel_shape: [2, 2] }, 18, 2);
    const out = m.graph.nodes[0].outputs[1];
    const y = runOne(m, { x0: floatTensor([1, 4, 2, 3, 9, 8, 7, 6], [1, 2, 2, 2]) }, out);
    expect(values(y)).toEqual([1, 4]);
  });
});

describe('AveragePool', () => {
  const x = floatTensor(iota(9), [1, 1, 3, 3]);

  it('count_include_pad 0 divides by the in-bounds cells, 1 by the full window (worked by hand)', () => {
    const attrs = { kernel_shape: [2, 2], strides: [2, 2], pads: [1, 1, 1, 1] };
    expect(values(run1('AveragePool', [x], attrs))).toEqual([1, 2.5, 5.5, 7]);
    expect(values(run1('AveragePool', [x], { ...attrs, count_include_pad: 1 }))).toEqual([0.25, 1.25, 2.75, 7]);
  });

  it('with ceil_mode the divisor counts pad cells but not cells beyond the padded extent', () => {
    // L = 6, k = 3, s = 2, pads 1: windows start at -1, 1, 3, 5; the last covers 5 (x = 6), 6 (pad), 7 (beyond).
    const xt = floatTensor(iota(6), [1, 1, 6]);
    const attrs = { kernel_shape: [3], strides: [2], pads: [1, 1], ceil_mode: 1 };
    expect(values(run1('AveragePool', [xt], { ...attrs, count_include_pad: 1 }))).toEqual([3 / 3, 9 / 3, 15 / 3, 6 / 2]);
    expect(values(run1('AveragePool', [xt], attrs))).toEqual([3 / 2, 9 / 3, 15 / 3, 6 / 1]);
  });

  it('global pools reduce every spatial axis to 1', () => {
    const xt = floatTensor([1, 2, 3, 4, 5, 6, 7, 0], [1, 2, 2, 2]);
    expect(run1('GlobalAveragePool', [xt]).dims).toEqual([1, 2, 1, 1]);
    expect(values(run1('GlobalAveragePool', [xt]))).toEqual([2.5, 4.5]);
    expect(values(run1('GlobalMaxPool', [xt]))).toEqual([4, 7]);
  });
});

describe('normalisation and softmax', () => {
  it('BatchNormalization uses the running statistics per channel', () => {
    const y = run1('BatchNormalization', [floatTensor([1, 2, 3, 4], [1, 2, 2, 1]), floatTensor([2, 1]), floatTensor([0, 1]), floatTensor([1, 3]), floatTensor([4, 0.25])], { epsilon: float(0) });
    expect(values(y)).toEqual([0, 1, 1, 3]);
  });

  it('LayerNormalization over the last axis (worked by hand)', () => {
    const y = run1('LayerNormalization', [floatTensor([1, 2, 3, 4], [1, 4]), floatTensor([1, 1, 2, 2]), floatTensor([0, 0, 0, 1])], { epsilon: float(0) }, 17);
    const s = Math.sqrt(1.25);
    close(values(y), [-1.5 / s, -0.5 / s, (2 * 0.5) / s, (2 * 1.5) / s + 1]);
  });

  it('LayerNormalization from axis 1 normalises the trailing block, and returns Mean and InvStdDev', () => {
    const m = opModel('LayerNormalization', [[2, 2, 2], [2, 2]], { axis: 1, epsilon: float(0) }, 17, 3);
    const [, mean, inv] = m.graph.nodes[0].outputs;
    const feeds = { x0: floatTensor([1, 2, 3, 4, 0, 0, 0, 8], [2, 2, 2]), x1: floatTensor([1, 1, 1, 1], [2, 2]) };
    expect(runOne(m, feeds, mean).dims).toEqual([2, 1, 1]);
    close(values(runOne(m, feeds, mean)), [2.5, 2]);
    close(values(runOne(m, feeds, inv)), [1 / Math.sqrt(1.25), 1 / Math.sqrt(12)]);
    close(values(runOne(m, feeds)).slice(4), [-2, -2, -2, 6].map((v) => v / Math.sqrt(12)));
  });

  it('Softmax and LogSoftmax along an axis', () => {
    const xt = floatTensor([0, Math.log(2), Math.log(3), 5, 5, 5], [2, 3]);
    close(values(run1('Softmax', [xt])), [1 / 6, 2 / 6, 3 / 6, 1 / 3, 1 / 3, 1 / 3]);
    close(values(run1('LogSoftmax', [xt])), [1 / 6, 2 / 6, 3 / 6, 1 / 3, 1 / 3, 1 / 3].map(Math.log));
    close(values(run1('Softmax', [floatTensor([0, 0, Math.log(3), 0], [2, 2])], { axis: 0 })), [0.25, 0.5, 0.75, 0.5]);
  });

  it('Softmax before opset 13 normalises the flattened trailing block', () => {
    close(values(run1('Softmax', [floatTensor([0, 0, 0, Math.log(5)], [1, 2, 2])], { axis: 1 }, 11)), [1 / 8, 1 / 8, 1 / 8, 5 / 8]);
  });
});

describe('Gemm and MatMul', () => {
  it('Gemm with transA, transB, alpha, beta and a broadcast C (worked by hand)', () => {
    const a = floatTensor([1, 2, 3, 4, 5, 6], [3, 2]); // op(A) = [[1,3,5],[2,4,6]]
    const b = floatTensor([1, 0, 1, 0, 1, 1], [2, 3]); // op(B) = [[1,0],[0,1],[1,1]]
    const y = run1('Gemm', [a, b, floatTensor([1, -1])], { transA: 1, transB: 1, alpha: float(2), beta: float(0.5) });
    expect(y.dims).toEqual([2, 2]);
    expect(values(y)).toEqual([12.5, 15.5, 16.5, 19.5]);
  });

  it('Gemm without C', () => {
    expect(values(run1('Gemm', [floatTensor([1, 2], [1, 2]), floatTensor([3, 4], [2, 1])]))).toEqual([11]);
  });

  it('MatMul broadcasts batch dims and handles 1-D operands', () => {
    const a = floatTensor([1, 2, 3, 4], [2, 1, 1, 2]);
    const b = floatTensor([1, 0, 0, 1, 2, 0, 0, 2, 1, 1, 1, 1], [3, 2, 2]);
    const y = run1('MatMul', [a, b]);
    expect(y.dims).toEqual([2, 3, 1, 2]);
    expect(values(y)).toEqual([1, 2, 2, 4, 3, 3, 3, 4, 6, 8, 7, 7]);
    expect(run1('MatMul', [floatTensor([1, 2]), floatTensor([1, 2, 3, 4, 5, 6], [2, 3])]).dims).toEqual([3]);
    expect(values(run1('MatMul', [floatTensor([1, 2, 3, 4, 5, 6], [3, 2]), floatTensor([1, -1])]))).toEqual([-1, -1, -1]);
    expect(values(run1('MatMul', [floatTensor([1, 2]), floatTensor([3, 4])]))).toEqual([11]);
  });
});
