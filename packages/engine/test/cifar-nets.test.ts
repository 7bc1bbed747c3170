// The benchmark's full-size CIFAR nets (WRN-16-4, DenseNet-BC-40 in nets.ts): their layout, and their ODIN graphs
// compiled for every backend and for onnxruntime's CPU provider score alike on onnxruntime.
import { describe, expect, it } from 'vitest';
import type { Model } from '../src/graph/ir.ts';
import { compileOdin } from '../src/odin/compile.ts';
import { denseNetBC, mulberry, wideResNet } from './nets.ts';
import { maxAbsDiff, runCompiled } from './odin-run.ts';

const count = (m: Model, op: string) => m.graph.nodes.filter((n) => n.op === op).length;
const params = (m: Model) => [...m.graph.initializers.values()].reduce((a, i) => a + i.size, 0);

describe.each([
  // 16 = 1 stem + 3 groups × 2 blocks × 2 convs + the Gemm; plus the 3 projection shortcuts.
  { name: 'WRN-16-4', build: wideResNet, convs: 16, params: [2.7e6, 2.8e6] },
  // 40 = 1 stem + 3 blocks × 6 layers × 2 convs + 2 transitions + the Gemm.
  { name: 'DenseNet-BC-40', build: denseNetBC, convs: 39, params: [1.7e5, 2.0e5] },
])('$name', ({ build, convs, params: [lo, hi] }) => {
  const source = build({ size: 32 });
  it('has the published layout', () => {
    expect(count(source, 'Conv')).toBe(convs);
    expect(params(source)).toBeGreaterThan(lo);
    expect(params(source)).toBeLessThan(hi);
  });
  it('scores alike compiled for every backend and for the CPU provider', async () => {
    const r = mulberry(5);
    const images = Float32Array.from({ length: 2 * 3 * 32 * 32 }, () => r());
    const [portable, cpu] = await Promise.all(
      (['portable', 'cpu'] as const).map((provider) => runCompiled(compileOdin(source, { provider }).model, images, [2, 3, 32, 32], 1, [0, 0.004])),
    );
    expect(maxAbsDiff(cpu.odin, portable.odin)).toBeLessThanOrEqual(1e-6);
    expect(maxAbsDiff(cpu.logits, portable.logits)).toBe(0);
    // The perturbation moves the scores, so the comparison is not vacuous.
    expect(maxAbsDiff(portable.odin.filter((_, i) => i % 2 === 1), portable.odin.filter((_, i) => i % 2 === 0))).toBeGreaterThan(1e-4);
  });
});
