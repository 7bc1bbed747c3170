// Constant folding: Constant nodes and all-constant subgraphs become initializers; results do not change.
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { compileOdin } from '../odin/compile.ts';
import { float, floats } from './attrs.ts';
import { GraphBuilder } from './builder.ts';
import { foldConstants } from './fold.ts';
import { cloneModel, emptyGraph } from './ir.ts';
import { newModel, writeModel } from './onnx-io.ts';
import { f32, i64 } from './tensor.ts';

/** A PyTorch-export-like classifier: Constant nodes, a shape chain, a transposed weight and BN written as ops. */
function exported() {
  const g = emptyGraph();
  const b = new GraphBuilder(g, 17);
  g.inputs.push({ name: 'x', dtype: 'float32', shape: ['N', 2, 3] });
  const w = b.constant(f32([0.5, -1, 2, 0.25, 1.5, -0.75, 1, 0.2, -0.3, 0.6, 0.8, -1.1, 0.4, 0.9, -0.2, 1.3, -0.6, 0.7], [3, 6]));
  const wt = b.transpose(w, [1, 0]);
  const [scale] = b.node('Constant', [], { value_floats: floats([2, 2, 2]) }, 1);
  const [eps] = b.node('Constant', [], { value_float: float(1e-5) }, 1);
  const [variance] = b.node('Constant', [], { value: { type: 'tensor', value: f32([1, 4, 9], [3]) } }, 1);
  const gain = b.div(scale, b.op('Sqrt', [b.add(variance, eps)]));
  const batch = b.op('Gather', [b.shape('x'), b.constant(i64([0], []))], { axis: 0 });
  const cols = b.op('Mul', [b.op('Gather', [b.shape(w), b.constant(i64([1]))], { axis: 0 }), b.constant(i64([1]))]);
  const flatShape = b.op('Concat', [b.unsqueeze(batch, [0]), cols], { axis: 0 });
  const h = b.matmul(b.reshape('x', flatShape), wt);
  b.node('Mul', [h, gain], {}, ['logits']);
  g.outputs.push({ name: 'logits', dtype: 'float32', shape: ['N', 3] });
  return newModel(g, 17);
}

async function runLogits(model: ReturnType<typeof exported>, x: Float32Array) {
  const s = await ort.InferenceSession.create(writeModel(model));
  return (await s.run({ x: new ort.Tensor('float32', x, [2, 2, 3]) })).logits.data as Float32Array;
}

describe('foldConstants', () => {
  it('turns Constant nodes and constant subgraphs into initializers without changing results', async () => {
    const model = exported();
    const folded = cloneModel(model);
    const before = folded.graph.nodes.length;
    const count = foldConstants(folded.graph);
    expect(count).toBeGreaterThanOrEqual(7);
    expect(folded.graph.nodes.map((n) => n.op)).not.toContain('Constant');
    expect(folded.graph.nodes.map((n) => n.op)).not.toContain('Transpose');
    expect(folded.graph.nodes.length).toBe(before - count);
    const x = Float32Array.from({ length: 12 }, (_, i) => Math.sin(i));
    const [a, b] = [await runLogits(model, x), await runLogits(folded, x)];
    Array.from(a).forEach((v, i) => expect(b[i]).toBeCloseTo(v, 6));
  });

  it('keeps the input-dependent shape chain and graph outputs', () => {
    const folded = cloneModel(exported());
    foldConstants(folded.graph);
    expect(folded.graph.nodes.some((n) => n.op === 'Shape')).toBe(true);
    expect(folded.graph.nodes.some((n) => n.outputs.includes('logits'))).toBe(true);
  });

  it('runs as part of compileOdin', () => {
    const { report } = compileOdin(exported());
    expect(report.ops.Constant).toBeUndefined();
    expect(report.ops.Sqrt).toBeUndefined();
  });
});
