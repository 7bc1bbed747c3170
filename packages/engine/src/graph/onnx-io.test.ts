// ONNX I/O: round trips keep nodes, attributes, metadata and fields the IR does not model; big models work.
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { FunctionProtoSchema, ModelProtoSchema, StringStringEntryProtoSchema } from 'onnx-buf';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { float, floats } from './attrs.ts';
import { GraphBuilder } from './builder.ts';
import { emptyGraph, Initializer } from './ir.ts';
import { ModelFormatError, newModel, readModel, writeModel } from './onnx-io.ts';
import { f32 } from './tensor.ts';
import { compileOdin } from '../odin/compile.ts';

function sampleModel() {
  const g = emptyGraph('sample');
  const b = new GraphBuilder(g, 17);
  g.inputs.push({ name: 'x', dtype: 'float32', shape: ['N', 4] });
  const w = b.constant(f32([1, 2, 3, 4, 5, 6, 7, 8], [4, 2]), 'w');
  const y = b.op('Gemm', ['x', w], { transB: 0, alpha: float(0.5) });
  b.node('LeakyRelu', [y], { alpha: float(0.2) }, ['y']);
  b.node('Constant', [], { value_floats: floats([1.5, 2.5]) }, ['c']);
  b.node('Split', ['x', b.ints([1, 3])], { axis: 1 }, ['s0', 's1']);
  g.outputs.push({ name: 'y', dtype: 'float32', shape: ['N', 2] }, { name: 'c', dtype: 'float32', shape: [2] }, { name: 's1', dtype: 'float32', shape: ['N', 3] });
  return newModel(g, 17, { 'odin:mean': '0.5', 'odin:labels': '["a","b"]' });
}

describe('readModel / writeModel', () => {
  it('round-trips nodes, attributes, initializers, shapes and metadata', () => {
    const model = sampleModel();
    const back = readModel(writeModel(model));
    expect(back.opset).toBe(17);
    expect(back.graph.nodes.map((n) => n.op)).toEqual(['Gemm', 'LeakyRelu', 'Constant', 'Split']);
    expect(back.graph.nodes[0].attrs).toEqual({ transB: { type: 'int', value: 0 }, alpha: { type: 'float', value: 0.5 } });
    expect(back.graph.nodes[2].attrs.value_floats).toEqual({ type: 'floats', value: [1.5, 2.5] });
    expect(back.graph.inputs).toEqual([{ name: 'x', dtype: 'float32', shape: ['N', 4] }]);
    expect(Array.from(back.graph.initializers.get('w')!.tensor.data as Float32Array)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(Object.fromEntries(back.metadata)).toEqual({ 'odin:mean': '0.5', 'odin:labels': '["a","b"]' });
    expect(writeModel(back)).toEqual(writeModel(readModel(writeModel(back))));
  });

  it('runs in onnxruntime after a round trip', async () => {
    const session = await ort.InferenceSession.create(writeModel(readModel(writeModel(sampleModel()))));
    const out = await session.run({ x: new ort.Tensor('float32', Float32Array.from([1, 0, 0, 1]), [1, 4]) });
    // 0.5 · ([1,0,0,1] · w) = 0.5 · [1+7, 2+8] = [4, 5]
    expect(Array.from(out.y.data as Float32Array)).toEqual([4, 5]);
  });

  it('keeps fields the IR does not model (model functions, IR-10 metadata)', () => {
    const model = sampleModel();
    const proto = create(ModelProtoSchema, {
      irVersion: 10n,
      functions: [create(FunctionProtoSchema, { name: 'helper', domain: 'custom' })],
      configuration: [],
    });
    const withExtras = { ...model, proto };
    const bytes = writeModel(withExtras);
    const back = readModel(bytes);
    expect(back.proto!.functions.map((f) => f.name)).toEqual(['helper']);
    expect(writeModel(back)).toEqual(bytes);
  });

  it('rejects files that are not ONNX, and truncated ones, with a clear error', () => {
    expect(() => readModel(new TextEncoder().encode('hello, this is not a model'))).toThrow(ModelFormatError);
    const bytes = writeModel(sampleModel());
    expect(() => readModel(bytes.subarray(0, Math.floor(bytes.length / 2)))).toThrow(/truncated|not .*ONNX/);
    const noGraph = toBinary(ModelProtoSchema, create(ModelProtoSchema, { metadataProps: [create(StringStringEntryProtoSchema, { key: 'a', value: 'b' })] }));
    expect(() => readModel(noGraph)).toThrow(/no graph/);
  });

  it('reads and writes a 520 MB model without external data', { timeout: 300_000 }, async () => {
    const g = emptyGraph('big');
    const b = new GraphBuilder(g, 17);
    g.inputs.push({ name: 'x', dtype: 'float32', shape: ['N', 1024] });
    const hidden = 127_000; // 1024 × 127,000 × 4 bytes ≈ 520 MB
    const w1 = new Float32Array(1024 * hidden);
    w1[5] = 1;
    g.initializers.set('w1', new Initializer('w1', 'float32', [1024, hidden], { dtype: 'float32', dims: [1024, hidden], data: w1 }));
    const h = b.matmul('x', 'w1');
    const w2 = new Float32Array(hidden * 3);
    w2[5 * 3 + 1] = 2;
    b.node('MatMul', [h, b.constant(f32(w2, [hidden, 3]), 'w2')], {}, ['logits']);
    g.outputs.push({ name: 'logits', dtype: 'float32', shape: ['N', 3] });
    const bytes = writeModel(newModel(g, 17));
    expect(bytes.length).toBeGreaterThan(500e6);
    const back = readModel(bytes);
    expect(back.graph.initializers.get('w1')!.dims).toEqual([1024, hidden]);
    const again = writeModel(back);
    expect(again.length).toBe(bytes.length);
    // The ODIN graph shares the weights between its two passes: one copy, not two.
    const compiled = writeModel(compileOdin(back).model);
    expect(compiled.length).toBeGreaterThan(bytes.length);
    expect(compiled.length).toBeLessThan(bytes.length + 1e6);
    const session = await ort.InferenceSession.create(again);
    const x = new Float32Array(1024);
    x[0] = 3;
    const out = await session.run({ x: new ort.Tensor('float32', x, [1, 1024]) });
    // x[0]·w1[0,5] = 3 → h[5] = 3 → logits[1] = 3·2 = 6
    expect(Array.from(out.logits.data as Float32Array)).toEqual([0, 6, 0]);
    await session.release();
  });

  it('reads weights that an IR 3–4 exporter also lists as graph inputs as weights, not images', async () => {
    const model = sampleModel();
    model.graph.outputs = [model.graph.outputs[0]];
    const weight = [...model.graph.initializers.keys()][0];
    // What onnx < 1.3 exporters wrote: every initializer repeated among the inputs.
    model.graph.inputs.push({ name: weight, dtype: 'float32', shape: [4, 2] });
    const bytes = writeModel(model);
    expect(fromBinary(ModelProtoSchema, bytes).graph!.input.map((v) => v.name)).toEqual(['x', weight]);
    const back = readModel(bytes);
    expect(back.graph.inputs.map((v) => v.name)).toEqual(['x']);
    expect(compileOdin(back).report.input.name).toBe('x');
  });
});
