// Optimisers on Float32Arrays: SGD with momentum and Adam(W), with weight decay and a learning-rate schedule.

export type Schedule = 'constant' | 'cosine' | 'step';

export interface OptimizerConfig {
  kind: 'sgd' | 'adam';
  lr: number;
  /** SGD momentum (default 0.9). */
  momentum?: number;
  /** Decoupled weight decay (AdamW style for Adam, L2 added to the gradient for SGD). Default 0. */
  weightDecay?: number;
  schedule?: Schedule;
  beta1?: number;
  beta2?: number;
  eps?: number;
}

/** Learning rate at `step` of `total`: constant, cosine decay to 0, or ×0.1 at 50% and 75%. */
export function learningRate(cfg: OptimizerConfig, step: number, total: number): number {
  const t = total > 0 ? Math.min(1, step / total) : 0;
  switch (cfg.schedule ?? 'constant') {
    case 'cosine':
      return cfg.lr * 0.5 * (1 + Math.cos(Math.PI * t));
    case 'step':
      return cfg.lr * (t < 0.5 ? 1 : t < 0.75 ? 0.1 : 0.01);
    default:
      return cfg.lr;
  }
}

export interface Optimizer {
  /** Updates `params` in place from `grads` at the given learning rate. */
  step(params: Float32Array[], grads: Float32Array[], lr: number): void;
}

export function createOptimizer(cfg: OptimizerConfig, shapes: number[]): Optimizer {
  const state = shapes.map((n) => new Float32Array(n));
  const wd = cfg.weightDecay ?? 0;
  if (cfg.kind === 'sgd') {
    const mu = cfg.momentum ?? 0.9;
    return {
      step(params, grads, lr) {
        params.forEach((p, k) => {
          const g = grads[k];
          const v = state[k];
          for (let i = 0; i < p.length; i++) {
            v[i] = mu * v[i] + g[i] + wd * p[i];
            p[i] -= lr * v[i];
          }
        });
      },
    };
  }
  const second = shapes.map((n) => new Float32Array(n));
  const [b1, b2, eps] = [cfg.beta1 ?? 0.9, cfg.beta2 ?? 0.999, cfg.eps ?? 1e-8];
  let t = 0;
  return {
    step(params, grads, lr) {
      t++;
      const c1 = 1 - b1 ** t;
      const c2 = 1 - b2 ** t;
      params.forEach((p, k) => {
        const g = grads[k];
        const m = state[k];
        const v = second[k];
        for (let i = 0; i < p.length; i++) {
          m[i] = b1 * m[i] + (1 - b1) * g[i];
          v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
          p[i] -= lr * ((m[i] / c1) / (Math.sqrt(v[i] / c2) + eps) + wd * p[i]);
        }
      });
    },
  };
}
