// Conv gradient rules: finite differences (dX, dW, dB), both dX formulations and kernel forms, agreement with ORT.
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { checkRule, mulberry } from '../../../test/gradcheck.ts';
import type { InputSpec, RuleCheck } from '../../../test/gradcheck.ts';
import { ortVjp } from '../../../test/ort-vjp.ts';
import { run } from '../../../test/reference/interpreter.ts';
import { buildGradient } from '../driver.ts';
import { EMITTED_OPS } from '../ops.ts';
import { toAttr } from '../../graph/attrs.ts';
import type { AttrInput } from '../../graph/attrs.ts';
import { GraphBuilder } from '../../graph/builder.ts';
import { emptyGraph, Initializer } from '../../graph/ir.ts';
import type { Node } from '../../graph/ir.ts';
import { newModel, writeModel } from '../../graph/onnx-io.ts';
import { f32 } from '../../graph/tensor.ts';
import { convInputGrad, convWeightGrad, geometry } from './conv-transpose.ts';
import type { InputGradMethod, WeightGradMethod } from './conv-transpose.ts';

let seed = 301;
const size = (dims: number[]) => dims.reduce((a, b) => a * b, 1);
const values = (dims: number[]) => {
  const r = mulberry(seed++);
  return Array.from({ length: size(dims) }, () => r() * 2 - 1);
};
const X = (dims: number[]): InputSpec => ({ dims, values: values(dims) });
const C = (dims: number[]): InputSpec => ({ dims, values: values(dims), constant: true });

/** Conv over X [N, C, …] and W; the bias when `bias`; W a constant initializer (compile-time kernels) when `constW`. */
function conv(x: number[], w: number[], attrs: Record<string, AttrInput>, opts: { bias?: boolean; constW?: boolean; opset?: number } = {}): RuleCheck {
  const inputs = [X(x), opts.constW ? C(w) : X(w), ...(opts.bias ? [X([w[0]])] : [])];
  return { op: 'Conv', inputs, attrs, opset: opts.opset ?? 17 };
}

const p1 = [1, 1, 1, 1];
const CASES: [string, RuleCheck][] = [
  ['3×3 pad 1, bias', conv([2, 3, 5, 5], [4, 3, 3, 3], { pads: p1 }, { bias: true })],
  ['3×3 stride 2 pad 1, bias', conv([2, 3, 7, 7], [4, 3, 3, 3], { pads: p1, strides: [2, 2] }, { bias: true })],
  ['3×3 stride 2, even size', conv([1, 2, 8, 8], [3, 2, 3, 3], { pads: p1, strides: [2, 2], kernel_shape: [3, 3] })],
  ['3×2 kernel, strides 3,2, asymmetric pads', conv([1, 2, 9, 7], [3, 2, 3, 2], { pads: [0, 2, 1, 0], strides: [3, 2] })],
  ['group 2, dilations 2,3, strides 2,1', conv([1, 4, 9, 7], [6, 2, 3, 3], { pads: [1, 0, 2, 1], strides: [2, 1], dilations: [2, 3], group: 2 })],
  ['depthwise stride 2', conv([2, 4, 7, 7], [4, 1, 3, 3], { pads: p1, strides: [2, 2], group: 4 }, { bias: true })],
  ['depthwise, channel multiplier 2', conv([1, 3, 6, 6], [6, 1, 3, 3], { pads: p1, group: 3 })],
  ['1×1', conv([2, 4, 5, 5], [3, 4, 1, 1], {}, { bias: true })],
  ['1×1 stride 2', conv([2, 4, 6, 6], [5, 4, 1, 1], { strides: [2, 2] })],
  ['1×1 stride 3, odd size', conv([1, 3, 8, 7], [2, 3, 1, 1], { strides: [3, 3] })],
  ['auto_pad SAME_UPPER stride 2, odd size', conv([1, 3, 9, 8], [4, 3, 3, 3], { auto_pad: 'SAME_UPPER', strides: [2, 2] })],
  ['auto_pad SAME_LOWER 4×3, strides 2,3', conv([1, 2, 9, 10], [3, 2, 4, 3], { auto_pad: 'SAME_LOWER', strides: [2, 3] })],
  ['auto_pad SAME_UPPER stride 1, even kernel', conv([1, 2, 6, 6], [3, 2, 2, 2], { auto_pad: 'SAME_UPPER' })],
  ['auto_pad VALID stride 2', conv([1, 2, 6, 7], [3, 2, 3, 3], { auto_pad: 'VALID', strides: [2, 2] })],
  ['pads larger than the kernel', conv([1, 2, 5, 5], [3, 2, 3, 3], { pads: [3, 1, 0, 4] })],
  ['stride 2 dilation 2, pad 2', conv([1, 2, 9, 9], [2, 2, 3, 3], { pads: [2, 2, 2, 2], strides: [2, 2], dilations: [2, 2] })],
  ['1-D stride 2 dilation 2', conv([2, 3, 11], [4, 3, 3], { strides: [2], pads: [2, 1], dilations: [2] }, { bias: true })],
  ['3-D strides 2,1,2', conv([1, 2, 5, 4, 4], [2, 2, 3, 2, 3], { strides: [2, 1, 2], pads: [1, 0, 1, 1, 1, 0] })],
  ['opset 13', conv([1, 2, 6, 6], [3, 2, 3, 3], { pads: p1, strides: [2, 2] }, { bias: true, opset: 13 })],
  ['opset 18', conv([1, 2, 6, 6], [3, 2, 3, 3], { pads: p1 }, { bias: true, opset: 18 })],
  ['opset 21', conv([1, 4, 6, 6], [4, 2, 3, 3], { pads: p1, strides: [2, 2], group: 2 }, { bias: true, opset: 21 })],
  // W a constant initializer: dX only, with the phase kernels computed at compile time.
  ['constant W, 3×3 pad 1', conv([2, 3, 5, 5], [4, 3, 3, 3], { pads: p1 }, { constW: true })],
  ['constant W, stride 2', conv([2, 3, 7, 7], [4, 3, 3, 3], { pads: p1, strides: [2, 2] }, { constW: true, bias: true })],
  ['constant W, group 2, dilations 2,3', conv([1, 4, 9, 7], [6, 2, 3, 3], { pads: [1, 0, 2, 1], dilations: [2, 3], group: 2 }, { constW: true })],
  ['constant W, depthwise multiplier 2', conv([1, 3, 6, 6], [6, 1, 3, 3], { pads: p1, group: 3 }, { constW: true })],
  ['constant W, 1-D dilation 3', conv([1, 2, 10], [3, 2, 3], { pads: [2, 3], dilations: [3] }, { constW: true })],
];

describe('Conv rule matches finite differences', () => {
  it.each(CASES)('%s', (_, spec) => {
    const r = checkRule(spec);
    expect(r.maxAbsError).toBeLessThan(1e-6);
    expect(r.maxGrad).toBeGreaterThan(0);
  });
});

describe('Conv rule emits only what is needed', () => {
  const emitted = async (spec: RuleCheck) => (await ortVjp(spec)).emitted;
  it('stride 1 with a constant W: one Conv with compile-time flipped kernels', async () => {
    expect([...(await emitted(conv([1, 3, 6, 6], [4, 3, 3, 3], { pads: p1 }, { constW: true })))]).toEqual(['Conv']);
  });
  it('stride 2 with a constant W: one ConvTranspose of W itself (no copy)', async () => {
    const spec = conv([1, 3, 6, 6], [4, 3, 3, 3], { pads: p1, strides: [2, 2] }, { constW: true });
    expect([...(await emitted(spec))]).toEqual(['ConvTranspose']);
    const model = checkRule(spec).model;
    expect(model.graph.nodes.find((nd) => nd.op === 'ConvTranspose')!.inputs[1]).toBe('in1');
    expect(model.graph.initializers.size).toBe(2); // W and the output weights of the check
  });
  it('W needing a gradient: no dX work when X needs none', async () => {
    const spec: RuleCheck = { op: 'Conv', inputs: [C([2, 3, 6, 6]), X([4, 3, 3, 3])], attrs: { pads: p1 } };
    const ops = await emitted(spec);
    expect(ops).toContain('MatMul');
    expect(ops).not.toContain('Conv');
    expect(ops).not.toContain('ConvTranspose');
  });
});

/** dX of Conv by convInputGrad, on ORT (float32) and the reference interpreter (float64), for a method and a kernel form. */
async function inputGradBoth(x: number[], w: number[], attrs: Record<string, AttrInput>, method: InputGradMethod, constW: boolean) {
  const group = (attrs.group as number | undefined) ?? 1;
  const node: Node = { op: 'Conv', domain: '', name: 'conv', inputs: [], outputs: [], attrs: Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k, toAttr(v)])) };
  const geom = geometry(node, x.slice(2), w.slice(2), 'conv');
  const dyDims = [x[0], w[0], ...geom.outSize];
  const graph = emptyGraph('dx');
  const model = newModel(graph, 17);
  const b = new GraphBuilder(graph, 17);
  const wv = values(w);
  const dyv = values(dyDims);
  graph.inputs.push({ name: 'dy', dtype: 'float32', shape: ['N', ...dyDims.slice(1)] }, { name: 'w', dtype: 'float32', shape: w });
  const dx = b.op('Identity', [convInputGrad(b, 'dy', constW ? f32(wv, w) : 'w', { geom, group, cin: x[1], cout: w[0] }, method)]);
  graph.outputs.push({ name: dx, dtype: 'float32' });
  const session = await ort.InferenceSession.create(writeModel(model));
  const got = (await session.run({ dy: new ort.Tensor('float32', Float32Array.from(dyv), dyDims), w: new ort.Tensor('float32', Float32Array.from(wv), w) }))[dx];
  await session.release();
  const ref = run(model, { dy: { dtype: 'float', dims: dyDims, data: Float64Array.from(dyv, Math.fround) }, w: { dtype: 'float', dims: w, data: Float64Array.from(wv, Math.fround) } }, [dx])[dx];
  // The same transposed convolution by the interpreter's own ConvTranspose, as ground truth.
  const tGraph = emptyGraph('t');
  const tModel = newModel(tGraph, 17);
  const tb = new GraphBuilder(tGraph, 17);
  tGraph.inputs.push({ name: 'dy', dtype: 'float32', shape: dyDims });
  tGraph.initializers.set('w', new Initializer('w', 'float32', w, f32(wv, w)));
  const outputPadding = geom.inSize.map((h, i) => h - ((geom.outSize[i] - 1) * geom.strides[i] + (geom.kernel[i] - 1) * geom.dilations[i] + 1 - geom.padsBegin[i] - geom.padsEnd[i]));
  const t = tb.op('ConvTranspose', ['dy', 'w'], { group, strides: geom.strides, dilations: geom.dilations, pads: [...geom.padsBegin, ...geom.padsEnd], output_padding: outputPadding });
  const want = run(tModel, { dy: { dtype: 'float', dims: dyDims, data: Float64Array.from(dyv, Math.fround) } }, [t])[t];
  return { got, ref, want };
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

describe('Conv input gradient: every formulation, constant and graph-op kernels, on ORT and the interpreter', () => {
  const GEOMS: [string, number[], number[], Record<string, AttrInput>][] = [
    ['3×3 stride 1 pad 1', [2, 3, 6, 6], [4, 3, 3, 3], { pads: p1 }],
    ['3×3 stride 2 pad 1', [2, 3, 8, 8], [4, 3, 3, 3], { pads: p1, strides: [2, 2] }],
    ['3×2 strides 3,2 asymmetric pads', [1, 3, 9, 7], [4, 3, 3, 2], { pads: [0, 2, 1, 0], strides: [3, 2] }],
    ['group 2 dilations 2,3 strides 2,1', [1, 4, 9, 7], [6, 2, 3, 3], { pads: [1, 0, 2, 1], strides: [2, 1], dilations: [2, 3], group: 2 }],
    ['depthwise stride 2', [1, 4, 7, 7], [4, 1, 3, 3], { pads: p1, strides: [2, 2], group: 4 }],
    ['1×1 stride 3', [1, 4, 8, 8], [5, 4, 1, 1], { strides: [3, 3] }],
    ['4-tap stride 4 dilation 2 (1-D)', [1, 3, 11], [5, 3, 4], { strides: [4], dilations: [2] }],
    ['3-D', [1, 2, 5, 6, 4], [2, 2, 3, 2, 3], { strides: [2, 1, 2], pads: [1, 0, 1, 1, 1, 0] }],
  ];
  const VARIANTS: [InputGradMethod, boolean][] = [
    ['conv', true],
    ['conv', false],
    ['conv-transpose', true],
    ['conv-transpose', false],
    ['upsample', true],
    ['upsample', false],
  ];
  it.each(GEOMS.flatMap(([name, x, w, attrs]) => VARIANTS.map(([m, c]) => [`${name}, ${m}, ${c ? 'constant' : 'graph'} W`, x, w, attrs, m, c] as const)))(
    '%s',
    async (_, x, w, attrs, method, constW) => {
      const { got, ref, want } = await inputGradBoth(x, w, attrs, method, constW);
      expect(ref.dims).toEqual(x);
      expect(got.dims).toEqual(x);
      expect(maxDiff(ref.data as Float64Array, want.data as Float64Array)).toBeLessThan(1e-9);
      expect(maxDiff(got.data as Float32Array, want.data as Float64Array)).toBeLessThan(1e-4);
    },
  );
});

describe('Conv weight gradient: per-tap, folded and Conv forms, ⟨dY, Conv(X, W)⟩ = ⟨dW, W⟩', () => {
  const GEOMS: [string, number[], number[], Record<string, AttrInput>][] = [
    ['3×3 stride 1 pad 1', [2, 3, 6, 6], [4, 3, 3, 3], { pads: p1 }],
    ['3×2 strides 3,2 asymmetric pads', [2, 3, 9, 7], [4, 3, 3, 2], { pads: [0, 2, 1, 0], strides: [3, 2] }],
    ['group 2 dilations 2,3 strides 2,1', [2, 4, 9, 7], [6, 2, 3, 3], { pads: [1, 0, 2, 1], strides: [2, 1], dilations: [2, 3], group: 2 }],
    ['depthwise multiplier 2, stride 2', [2, 3, 7, 7], [6, 1, 3, 3], { pads: p1, strides: [2, 2], group: 3 }],
    ['1×1 stride 2', [3, 4, 8, 8], [5, 4, 1, 1], { strides: [2, 2] }],
    ['SAME_UPPER stride 2, odd size', [2, 3, 9, 8], [4, 3, 3, 3], { auto_pad: 'SAME_UPPER', strides: [2, 2] }],
    ['1-D dilation 2', [2, 3, 11], [4, 3, 3], { strides: [2], pads: [2, 1], dilations: [2] }],
    ['3-D', [2, 2, 5, 6, 4], [2, 2, 3, 2, 3], { strides: [2, 1, 2], pads: [1, 0, 1, 1, 1, 0] }],
  ];
  const METHODS: WeightGradMethod[] = ['per-tap', 'fold', 'conv'];
  it.each(GEOMS.flatMap(([name, x, w, attrs]) => METHODS.map((m) => [`${name}, ${m}`, x, w, attrs, m] as const)))(
    '%s',
    async (_, x, w, attrs, method) => {
      const group = (attrs.group as number | undefined) ?? 1;
      const node: Node = { op: 'Conv', domain: '', name: 'conv', inputs: [], outputs: [], attrs: Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k, toAttr(v)])) };
      const geom = geometry(node, x.slice(2), w.slice(2), 'conv');
      const dyDims = [x[0], w[0], ...geom.outSize];
      const graph = emptyGraph('dw');
      const model = newModel(graph, 17);
      const b = new GraphBuilder(graph, 17);
      graph.inputs.push({ name: 'x', dtype: 'float32', shape: ['N', ...x.slice(1)] }, { name: 'dy', dtype: 'float32', shape: ['N', ...dyDims.slice(1)] });
      const wv = values(w);
      graph.initializers.set('w', new Initializer('w', 'float32', w, f32(wv, w)));
      const y = b.op('Conv', ['x', 'w'], attrs);
      const dw = b.op('Identity', [convWeightGrad(b, 'x', 'dy', { geom, group, cin: x[1], cout: w[0] }, method)]);
      graph.outputs = [y, dw].map((name) => ({ name, dtype: 'float32' as const }));
      const [xv, dyv] = [values(x), values(dyDims)].map((v) => Float64Array.from(v, Math.fround));
      const ref = run(model, { x: { dtype: 'float', dims: x, data: xv }, dy: { dtype: 'float', dims: dyDims, data: dyv } }, [y, dw]);
      const dot = (a: ArrayLike<number>, c: ArrayLike<number>) => Array.from(a).reduce((s, v, i) => s + v * c[i], 0);
      expect(ref[dw].dims).toEqual(w);
      const lhs = dot(dyv, ref[y].data as Float64Array);
      expect(Math.abs(lhs - dot(ref[dw].data as Float64Array, Float64Array.from(wv, Math.fround)))).toBeLessThan(1e-9 * Math.max(1, Math.abs(lhs)));
      const session = await ort.InferenceSession.create(writeModel(model));
      const got = (await session.run({ x: new ort.Tensor('float32', Float32Array.from(xv), x), dy: new ort.Tensor('float32', Float32Array.from(dyv), dyDims) }))[dw];
      await session.release();
      expect(maxDiff(got.data as Float32Array, ref[dw].data as Float64Array)).toBeLessThan(1e-4);
    },
  );
});

describe('Conv rule on onnxruntime', () => {
  const ORT_CASES: [string, RuleCheck, Record<number, (number | string)[]>?][] = [
    ['dX, dW, dB stride 1, symbolic batch', conv([2, 3, 6, 6], [4, 3, 3, 3], { pads: p1 }, { bias: true }), { 0: ['N', 3, 6, 6] }],
    ['dX, dW, dB stride 2, symbolic batch', conv([2, 3, 7, 7], [4, 3, 3, 3], { pads: p1, strides: [2, 2] }, { bias: true }), { 0: ['N', 3, 7, 7] }],
    ['dX, dW group 2 dilations', conv([2, 4, 9, 7], [6, 2, 3, 3], { pads: [1, 0, 2, 1], strides: [2, 1], dilations: [2, 3], group: 2 }), { 0: ['N', 4, 9, 7] }],
    ['dX, dW depthwise stride 2', conv([3, 4, 7, 7], [4, 1, 3, 3], { pads: p1, strides: [2, 2], group: 4 }), { 0: ['N', 4, 7, 7] }],
    ['dX, dW SAME_LOWER', conv([2, 2, 9, 10], [3, 2, 4, 3], { auto_pad: 'SAME_LOWER', strides: [2, 3] })],
    ['dX, dW 1-D and opset 13', conv([2, 3, 11], [4, 3, 3], { strides: [2], pads: [2, 1], dilations: [2] }, { bias: true, opset: 13 })],
    ['dX, dW 3-D opset 21', conv([1, 2, 5, 4, 4], [2, 2, 3, 2, 3], { strides: [2, 1, 2], pads: [1, 0, 1, 1, 1, 0] }, { opset: 21 })],
    ['dX, constant W stride 1, symbolic batch', conv([2, 3, 6, 6], [4, 3, 3, 3], { pads: p1 }, { constW: true }), { 0: ['N', 3, 6, 6] }],
    ['dX, constant W group 2 dilations', conv([1, 4, 9, 7], [6, 2, 3, 3], { pads: [1, 0, 2, 1], dilations: [2, 3], group: 2 }, { constW: true })],
    ['dX, constant W stride 2', conv([2, 3, 7, 7], [4, 3, 3, 3], { pads: p1, strides: [2, 2] }, { constW: true })],
  ];
  it.each(ORT_CASES)('%s', async (_, spec, declared) => {
    const r = await ortVjp(spec, declared);
    expect(r.maxAbsDiff).toBeLessThan(1e-5 * Math.max(1, r.maxGrad));
    expect(r.maxGrad).toBeGreaterThan(0);
    for (const op of r.emitted) expect(EMITTED_OPS).toContain(op);
  });

  /** ⟨dY, Conv(X)⟩ = ⟨dX, X⟩ with onnxruntime's own Conv: checks the geometry against ORT where the interpreter differs. */
  async function adjoint(x: number[], w: number[], attrs: Record<string, AttrInput>): Promise<number> {
    const graph = emptyGraph('adjoint');
    const model = newModel(graph, 17);
    const b = new GraphBuilder(graph, 17);
    graph.inputs.push({ name: 'x', dtype: 'float32', shape: x });
    graph.initializers.set('w', new Initializer('w', 'float32', w, f32(values(w), w)));
    const y = b.op('Conv', ['x', 'w'], attrs);
    const probe = await ort.InferenceSession.create(writeModel({ ...model, graph: { ...graph, outputs: [{ name: y, dtype: 'float32' }] } }));
    const xv = Float32Array.from(values(x));
    const yDims = (await probe.run({ x: new ort.Tensor('float32', xv, x) }))[y].dims as number[];
    graph.inputs.push({ name: 'dy', dtype: 'float32', shape: yDims });
    const dx = b.op('Identity', [buildGradient(model, { seeds: [{ of: y, grad: 'dy' }], wrt: ['x'] }).get('x')!]);
    graph.outputs = [y, dx].map((name) => ({ name, dtype: 'float32' as const }));
    const session = await ort.InferenceSession.create(writeModel(model));
    const dyv = Float32Array.from(values(yDims));
    const r = await session.run({ x: new ort.Tensor('float32', xv, x), dy: new ort.Tensor('float32', dyv, yDims) });
    const dot = (a: ArrayLike<number>, c: ArrayLike<number>) => Array.from(a).reduce((s, v, i) => s + v * c[i], 0);
    const lhs = dot(dyv, r[y].data as Float32Array);
    return Math.abs(lhs - dot(r[dx].data as Float32Array, xv)) / Math.max(1, Math.abs(lhs));
  }
  it.each([
    // SAME with kernel < stride: no padding (the spec's; onnxruntime agrees here, though not for every stride).
    ['SAME_UPPER 1×1 stride 3, size 12', [1, 2, 12, 12], [3, 2, 1, 1], { auto_pad: 'SAME_UPPER', strides: [3, 3] }],
    ['SAME_LOWER 1×1 stride 3, size 12', [1, 2, 12, 12], [3, 2, 1, 1], { auto_pad: 'SAME_LOWER', strides: [3, 3] }],
    ['SAME_UPPER 2×2 stride 3, size 10', [1, 2, 10, 10], [3, 2, 2, 2], { auto_pad: 'SAME_UPPER', strides: [3, 3] }],
    ['SAME_LOWER 4×3 strides 2,3, odd size', [1, 2, 9, 10], [3, 2, 4, 3], { auto_pad: 'SAME_LOWER', strides: [2, 3] }],
    ['stride 2 pad 1', [2, 3, 8, 8], [4, 3, 3, 3], { pads: p1, strides: [2, 2] }],
    ['stride 3 pads 2,0,1,1', [2, 3, 10, 9], [4, 3, 3, 3], { pads: [2, 0, 1, 1], strides: [3, 3] }],
  ] as [string, number[], number[], Record<string, AttrInput>][])('⟨dY, Conv(X)⟩ = ⟨dX, X⟩ on ORT: %s', async (_, x, w, attrs) => {
    expect(await adjoint(x, w, attrs)).toBeLessThan(1e-5);
  });
});
