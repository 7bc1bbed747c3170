// The benchmark's full-size nets (nets.ts: WRN-16-4 and DenseNet-BC-40 at 32×32, torchvision ResNet-18, ShuffleNetV2
// x0.5, MobileNetV2 and SqueezeNet 1.1 at 64×64): their layout, and their ODIN graphs compiled for every backend and for
// onnxruntime's CPU provider score alike on onnxruntime.
import { describe, expect, it } from 'vitest';
import type { Model } from '../src/graph/ir.ts';
import { compileOdin } from '../src/odin/compile.ts';
import { denseNetBC, mobileNetV2, mulberry, resNet18, shuffleNetV2, squeezeNet11, wideResNet } from './nets.ts';
import { maxAbsDiff, runCompiled } from './odin-run.ts';

const count = (m: Model, op: string) => m.graph.nodes.filter((n) => n.op === op).length;
const params = (m: Model) => [...m.graph.initializers.values()].reduce((a, i) => a + i.size, 0);

describe.each([
  // 16 = 1 stem + 3 groups × 2 blocks × 2 convs + the Gemm; plus the 3 projection shortcuts.
  { name: 'WRN-16-4', build: wideResNet, convs: 16, params: [2.7e6, 2.8e6] },
  // 40 = 1 stem + 3 blocks × 6 layers × 2 convs + 2 transitions + the Gemm.
  { name: 'DenseNet-BC-40', build: denseNetBC, convs: 39, params: [1.7e5, 2.0e5] },
  // torchvision's counts for 10 classes less one per BatchNorm channel (two BN parameters fold into one Conv bias):
  // ResNet-18 11,181,642 − 4,800 and SqueezeNet 1.1 (no BN) 727,626 exactly; MobileNetV2 2,236,682 and ShuffleNetV2
  // x0.5 352,042 less their 17,054 and 3,963 BN channels.
  { name: 'ResNet-18', build: resNet18, size: 64, convs: 20, params: [11_176_842, 11_176_842] },
  { name: 'ShuffleNetV2 x0.5', build: shuffleNetV2, size: 64, convs: 56, params: [348_079, 348_079] },
  { name: 'MobileNetV2', build: mobileNetV2, size: 64, convs: 52, params: [2_219_628, 2_219_628] },
  { name: 'SqueezeNet 1.1', build: squeezeNet11, size: 64, convs: 26, params: [727_626, 727_626] },
])('$name', ({ build, size = 32, convs, params: [lo, hi] }) => {
  const source = build({ size });
  it('has the published layout', () => {
    expect(count(source, 'Conv')).toBe(convs);
    expect(params(source)).toBeGreaterThanOrEqual(lo);
    expect(params(source)).toBeLessThanOrEqual(hi);
  });
  it('scores alike compiled for every backend and for the CPU provider', async () => {
    const r = mulberry(5);
    const images = Float32Array.from({ length: 2 * 3 * size * size }, () => r());
    const [portable, cpu] = await Promise.all(
      (['portable', 'cpu'] as const).map((provider) => runCompiled(compileOdin(source, { provider }).model, images, [2, 3, size, size], 1, [0, 0.004])),
    );
    expect(maxAbsDiff(cpu.odin, portable.odin)).toBeLessThanOrEqual(1e-6);
    expect(maxAbsDiff(cpu.logits, portable.logits)).toBe(0);
    // The perturbation moves the scores, so the comparison is not vacuous.
    expect(maxAbsDiff(portable.odin.filter((_, i) => i % 2 === 1), portable.odin.filter((_, i) => i % 2 === 0))).toBeGreaterThan(1e-4);
  });
});
