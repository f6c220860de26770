import { BaseOptimizerOptions, checkNumber, Optimizer } from './optimizer.js';

/** Options of `Adam` (TF.js spellings, Keras defaults). */
export interface AdamOptions extends BaseOptimizerOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/**
 * Adam in Keras's update form. With step t (from 1):
 *   m ← m + (g − m)(1 − β1),  v ← v + (g² − v)(1 − β2),
 *   α_t = lr·sqrt(1 − β2^t)/(1 − β1^t),  p ← p − α_t·m/(sqrt(v) + ε).
 * This is the paper's bias-corrected step with ε applied to sqrt(v) before the correction.
 * @example const opt = new Adam({ learningRate: 0.01 }); opt.apply(model.trainableWeights);
 */
export class Adam extends Optimizer {
  readonly className = 'Adam';
  readonly slotNames = ['m', 'v'] as const;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor({ beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7, ...base }: AdamOptions = {}) {
    super('Adam', base, 0.001);
    this.beta1 = checkNumber('Adam', 'beta1', beta1, { min: 0, max: 1 });
    this.beta2 = checkNumber('Adam', 'beta2', beta2, { min: 0, max: 1 });
    this.epsilon = checkNumber('Adam', 'epsilon', epsilon, { min: 0 });
  }

  protected update(p: Float32Array, g: Float32Array, gradScale: number, slots: Float32Array[], step: number): void {
    const m = slots[0];
    const v = slots[1];
    const b1 = this.beta1;
    const b2 = this.beta2;
    const oneMinusB1 = 1 - b1;
    const oneMinusB2 = 1 - b2;
    const eps = this.epsilon;
    const alpha = (this.learningRate * Math.sqrt(1 - Math.pow(b2, step))) / (1 - Math.pow(b1, step));
    for (let i = 0; i < p.length; i++) {
      const gi = g[i] * gradScale;
      const mi = m[i] + (gi - m[i]) * oneMinusB1;
      const vi = v[i] + (gi * gi - v[i]) * oneMinusB2;
      m[i] = mi;
      v[i] = vi;
      p[i] -= (alpha * mi) / (Math.sqrt(vi) + eps);
    }
  }

  getConfig(): Record<string, number | boolean> {
    const config: Record<string, number | boolean> = { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
    if (this.clipNorm !== null) config.clipNorm = this.clipNorm;
    return config;
  }
}
