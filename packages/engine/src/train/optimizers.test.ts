// Optimisers and schedules against hand-computed steps.
import { describe, expect, it } from 'vitest';
import { createOptimizer, learningRate } from './optimizers.ts';

describe('optimizers', () => {
  it('SGD with momentum: v = μv + g + λp, p −= lr·v', () => {
    const opt = createOptimizer({ kind: 'sgd', lr: 0.1, momentum: 0.9, weightDecay: 0.01 }, [2]);
    const p = [Float32Array.of(1, -2)];
    opt.step(p, [Float32Array.of(0.5, 1)], 0.1);
    // v = [0.5 + 0.01, 1 − 0.02] = [0.51, 0.98]; p = [1 − 0.051, −2 − 0.098]
    expect(p[0][0]).toBeCloseTo(0.949, 6);
    expect(p[0][1]).toBeCloseTo(-2.098, 6);
    opt.step(p, [Float32Array.of(0.5, 1)], 0.1);
    // v = 0.9·0.51 + 0.5 + 0.01·0.949 = 0.96849; p = 0.949 − 0.096849
    expect(p[0][0]).toBeCloseTo(0.852151, 5);
  });

  it('Adam: the first step moves each weight by lr against the sign of its gradient', () => {
    const opt = createOptimizer({ kind: 'adam', lr: 0.01 }, [3]);
    const p = [Float32Array.of(1, 1, 1)];
    opt.step(p, [Float32Array.of(3, -0.001, 0)], 0.01);
    expect(p[0][0]).toBeCloseTo(0.99, 6);
    expect(p[0][1]).toBeCloseTo(1.01, 4);
    expect(p[0][2]).toBe(1);
  });

  it('AdamW decay shrinks weights with a zero gradient', () => {
    const opt = createOptimizer({ kind: 'adam', lr: 0.1, weightDecay: 0.5 }, [1]);
    const p = [Float32Array.of(2)];
    opt.step(p, [Float32Array.of(0)], 0.1);
    expect(p[0][0]).toBeCloseTo(2 - 0.1 * 0.5 * 2, 6);
  });

  it('schedules: constant, cosine to zero, step decay at 50% and 75%', () => {
    const cfg = { kind: 'sgd' as const, lr: 1 };
    expect(learningRate(cfg, 50, 100)).toBe(1);
    expect(learningRate({ ...cfg, schedule: 'cosine' }, 0, 100)).toBe(1);
    expect(learningRate({ ...cfg, schedule: 'cosine' }, 50, 100)).toBeCloseTo(0.5, 12);
    expect(learningRate({ ...cfg, schedule: 'cosine' }, 100, 100)).toBeCloseTo(0, 12);
    expect([0, 49, 50, 74, 75, 99].map((s) => learningRate({ ...cfg, schedule: 'step' }, s, 100))).toEqual([1, 1, 0.1, 0.1, 0.01, 0.01]);
  });
});
