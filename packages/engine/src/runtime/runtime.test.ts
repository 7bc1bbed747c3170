// Runtime adapters: one contract over onnxruntime-node and onnxruntime-web, and clear errors for missing backends.
import type { InferenceSession } from 'onnxruntime-common';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../graph/builder.ts';
import { emptyGraph } from '../graph/ir.ts';
import { newModel, writeModel } from '../graph/onnx-io.ts';
import { nodeRuntime } from './node.ts';
import { BackendUnavailableError, createOrtSession } from './session.ts';
import { webRuntime } from './web.ts';

function doubler(): Uint8Array {
  const g = emptyGraph();
  const b = new GraphBuilder(g, 17);
  g.inputs.push({ name: 'x', dtype: 'float32', shape: ['N', 2] });
  b.node('Mul', ['x', b.scalar(2)], {}, ['y']);
  b.node('ArgMax', ['x'], { axis: 1, keepdims: 0 }, ['i']);
  g.outputs.push({ name: 'y', dtype: 'float32', shape: ['N', 2] }, { name: 'i', dtype: 'int64', shape: ['N'] });
  return writeModel(newModel(g, 17));
}

describe('runtimes', () => {
  it.each([
    ['onnxruntime-node cpu', nodeRuntime, 'cpu'],
    ['onnxruntime-web wasm', webRuntime, 'wasm'],
  ] as const)('%s runs a graph through the shared contract', async (_name, runtime, backend) => {
    const session = await runtime.createSession(doubler(), { backend, threads: 1 });
    expect(session.inputNames).toEqual(['x']);
    const out = await session.run({ x: { data: Float32Array.from([1, 3, 5, 4]), dims: [2, 2] } });
    expect(Array.from(out.y.data as Float32Array)).toEqual([2, 6, 10, 8]);
    expect(out.y.dims).toEqual([2, 2]);
    expect(Array.from(out.i.data as BigInt64Array)).toEqual([1n, 0n]);
    await session.release();
  });

  it('lists the Node backends and explains how to get CUDA when it is missing', async () => {
    expect(nodeRuntime.backends).toContain('cpu');
    if (nodeRuntime.backends.includes('cuda')) return;
    const attempt = nodeRuntime.createSession(doubler(), { backend: 'cuda' });
    await expect(attempt).rejects.toThrow(BackendUnavailableError);
    await expect(attempt).rejects.toThrow(/ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node/);
  });

  it('explains which runtime offers a backend', async () => {
    await expect(nodeRuntime.createSession(doubler(), { backend: 'wasm' })).rejects.toThrow(/onnxruntime-web/);
    await expect(webRuntime.createSession(doubler(), { backend: 'cpu' })).rejects.toThrow(/onnxruntime-node/);
    await expect(webRuntime.createSession(doubler(), { backend: 'webgpu' })).rejects.toThrow(/navigator\.gpu/);
  });

  it('lets idle intra-op threads sleep unless asked to spin', async () => {
    const seen: InferenceSession.SessionOptions[] = [];
    const recording = { ...ort, InferenceSession: { create: (m: Uint8Array, o?: InferenceSession.SessionOptions) => (seen.push(o!), ort.InferenceSession.create(m, o)) } };
    for (const spin of [undefined, false, true]) {
      const session = await createOrtSession(recording, doubler(), { backend: 'cpu', threads: 2, spin }, ['cpu']);
      const out = await session.run({ x: { data: Float32Array.from([1, 3]), dims: [1, 2] } });
      expect(Array.from(out.y.data as Float32Array)).toEqual([2, 6]);
      await session.release();
    }
    expect(seen.map((o) => (o.extra as { session: { intra_op: { allow_spinning: string } } }).session.intra_op.allow_spinning)).toEqual(['0', '0', '1']);
  });
});
