// Runs a compiled ODIN graph on onnxruntime-node and the float64 reference on the source model, image by image where
// a graph or model only takes a batch of 1; shared by the tests of third-party and fixture-zoo models.
import { writeModel } from '../src/graph/onnx-io.ts';
import type { Model } from '../src/graph/ir.ts';
import { nodeRuntime } from '../src/runtime/node.ts';
import { odinReference } from './odin-reference.ts';
import type { OdinReferenceOptions, OdinReferenceResult } from './odin-reference.ts';

export interface CompiledScores {
  logits: number[];
  msp: number[];
  prediction: number[];
  /** [N,E] row-major. */
  odin: number[];
}

/** `images` ([n, …dims] raw pixels) through the compiled graph; `oneAtATime` feeds one image and one ε per run. */
export async function runCompiled(compiled: Model, images: Float32Array, dims: number[], temperature: number, epsilons: number[], oneAtATime = false): Promise<CompiledScores> {
  const session = await nodeRuntime.createSession(writeModel(compiled), { backend: 'cpu', threads: 1 });
  const runOnce = async (x: Float32Array, n: number, eps: number[]) => {
    const out = await session.run({ image: { data: x, dims: [n, ...dims.slice(1)] }, temperature: { data: Float32Array.of(temperature), dims: [1] }, epsilon: { data: Float32Array.from(eps), dims: [eps.length] } });
    return { logits: [...(out.logits.data as Float32Array)], msp: [...(out.msp.data as Float32Array)], prediction: Array.from(out.prediction.data as BigInt64Array, Number), odin: [...(out.odin.data as Float32Array)] };
  };
  try {
    if (!oneAtATime) return await runOnce(images, dims[0], epsilons);
    const result: CompiledScores = { logits: [], msp: [], prediction: [], odin: [] };
    const per = images.length / dims[0];
    for (let i = 0; i < dims[0]; i++) {
      const x = images.slice(i * per, (i + 1) * per);
      for (const [e, eps] of epsilons.entries()) {
        const r = await runOnce(x, 1, [eps]);
        if (e === 0) Object.assign(result, { logits: [...result.logits, ...r.logits], msp: [...result.msp, ...r.msp], prediction: [...result.prediction, ...r.prediction] });
        result.odin.push(...r.odin);
      }
    }
    return result;
  } finally {
    await session.release();
  }
}

/** odinReference on the source model one image at a time (it may fix its batch at 1), concatenated. */
export function referenceByImage(source: Model, images: Float32Array, dims: number[], options: OdinReferenceOptions): { logits: number[]; msp: number[]; odin: number[]; all: OdinReferenceResult[] } {
  const per = images.length / dims[0];
  const all = Array.from({ length: dims[0] }, (_, i) => odinReference(source, images.slice(i * per, (i + 1) * per), [1, ...dims.slice(1)], options));
  return { logits: all.flatMap((r) => [...r.logits]), msp: all.map((r) => r.msp[0]), odin: all.flatMap((r) => [...r.odin]), all };
}

/** The source model itself on onnxruntime, one image at a time: its first output. */
export async function runSource(bytes: Uint8Array, input: string, output: string, images: Float32Array, dims: number[]): Promise<number[]> {
  const session = await nodeRuntime.createSession(bytes, { backend: 'cpu', threads: 1 });
  const per = images.length / dims[0];
  const out: number[] = [];
  try {
    for (let i = 0; i < dims[0]; i++) {
      const r = await session.run({ [input]: { data: images.slice(i * per, (i + 1) * per), dims: [1, ...dims.slice(1)] } }, [output]);
      out.push(...(r[output].data as Float32Array));
    }
  } finally {
    await session.release();
  }
  return out;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
