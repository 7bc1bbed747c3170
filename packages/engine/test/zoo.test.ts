// The fixture zoo (test/zoo: torchvision architectures exported by export.py with torch.onnx, random weights, 32×32):
// each compiles, for every backend and for onnxruntime's CPU provider; its compiled logits equal the source model's on
// onnxruntime and PyTorch's; its ODIN scores equal the float64 reference run on the source model.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readModel } from '../src/graph/onnx-io.ts';
import type { Provider } from '../src/autodiff/rule.ts';
import { compileOdin } from '../src/odin/compile.ts';
import { maxAbsDiff, referenceByImage, runCompiled, runSource } from './odin-run.ts';

const ZOO = resolve(dirname(fileURLToPath(import.meta.url)), 'zoo');

interface ZooIndex {
  /** Raw [0,1] pixels, NCHW. */
  images: number[];
  dims: number[];
  nets: Record<string, { opset: number; dynamicBatch: boolean; input: string; output: string; torchLogits: number[] }>;
}

export const ZOO_INDEX: ZooIndex = JSON.parse(readFileSync(resolve(ZOO, 'zoo.json'), 'utf8'));
const IMAGES = Float32Array.from(ZOO_INDEX.images);
/** ODIN's usual setting, where exactness is tested, and T = 1 with a larger ε, where the perturbation visibly moves the scores. */
const SETTINGS = [
  { T: 1000, eps: [0, 0.0014, 0.004], tol: 1e-7 },
  { T: 1, eps: [0, 0.004, 0.02], tol: 1e-5 },
];
// The same tolerances as the engine's ODIN tests (odin.test.ts).
const TOL = { logits: 1e-5, torch: 1e-4, msp: 1e-5 };

const PROVIDERS: Provider[] = ['portable', 'cpu'];

/** Nets whose batch stays fixed at 1 (a class token expanded to a constant batch of 1). */
const FIXED = new Set(['vit_batch1']);

describe.each(Object.entries(ZOO_INDEX.nets))('fixture zoo: %s', (name, net) => {
  it.each(PROVIDERS)(`compiles for %s (opset ${net.opset}, ${net.dynamicBatch ? 'dynamic batch' : 'batch 1'}) and scores like onnxruntime, PyTorch and the float64 reference`, async (provider) => {
    const bytes = new Uint8Array(readFileSync(resolve(ZOO, `${name}.onnx`)));
    const source = readModel(bytes);
    const { model, report } = compileOdin(source, { provider });
    // The CPU graph takes MaxPool's gradient from its Indices; the portable one never emits a CPU-only op.
    const pools = source.graph.nodes.filter((n) => n.op === 'MaxPool').length;
    // Compiled for the CPU, a net with a MaxPool runs at opset 16 or later, where ScatterElements can add.
    expect(report.opset).toBe(Math.max(provider === 'cpu' && pools > 0 ? 16 : 13, net.opset));
    if (provider === 'cpu' && pools > 0) expect(report.ops.ScatterElements).toBeGreaterThan(0);
    else expect(report.ops.ScatterElements).toBeUndefined();

    if (net.opset < 13) expect(report.upgradedFrom).toBe(net.opset);
    expect(report.batch.mode).toBe(net.dynamicBatch ? 'dynamic' : FIXED.has(name) ? 'fixed' : 'rewritten');
    const dims = ZOO_INDEX.dims;
    const source1 = await runSource(bytes, net.input, net.output, IMAGES, dims);
    const shifts: number[] = [];
    for (const { T, eps, tol } of SETTINGS) {
      const out = await runCompiled(model, IMAGES, dims, T, eps, report.batch.mode === 'fixed');
      const scale = Math.max(1, ...net.torchLogits.map(Math.abs));
      expect(maxAbsDiff(out.logits, source1)).toBeLessThanOrEqual(TOL.logits * scale);
      expect(maxAbsDiff(out.logits, net.torchLogits)).toBeLessThanOrEqual(TOL.torch * scale);
      const ref = referenceByImage(source, IMAGES, dims, { mean: [0], std: [1], temperature: T, epsilons: eps });
      expect(maxAbsDiff(out.msp, ref.msp)).toBeLessThanOrEqual(TOL.msp);
      expect(maxAbsDiff(out.odin, ref.odin), `odin at T=${T}`).toBeLessThanOrEqual(tol);
      shifts.push(Math.max(...ref.all.map((r) => Math.abs(r.odin[2] - r.odin[0]))) / tol);
    }
    // The perturbation moves the scores by more than the tolerance, so the comparison is not vacuous.
    expect(Math.max(...shifts)).toBeGreaterThan(10);
  });
});
