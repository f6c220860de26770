import { BaseOptimizerOptions, checkNumber, ConfigValue } from './base-options.js';
import { Optimizer } from './optimizer.js';

/** Options of `Adamax` (Keras defaults). */
export interface AdamaxOptions extends BaseOptimizerOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/**
 * Adamax (Keras): m ← m + (g − m)(1 − β1), u ← max(β2·u, |g|), p ← p − lr·m/((1 − β1^t)(u + ε)).
 * @example new Adamax({ learningRate: 0.002 });
 */
export class Adamax extends Optimizer {
  readonly className = 'Adamax';
  readonly slotNames: readonly string[];
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(options: AdamaxOptions = {}) {
    super('Adamax', options, ['beta1', 'beta2', 'epsilon'], 0.001);
    this.beta1 = checkNumber('Adamax', 'beta1', options.beta1 ?? 0.9, { min: 0, max: 1 });
    this.beta2 = checkNumber('Adamax', 'beta2', options.beta2 ?? 0.999, { min: 0, max: 1 });
    this.epsilon = checkNumber('Adamax', 'epsilon', options.epsilon ?? 1e-7, { min: 0 });
    // TF.js calls these accumulated first moment and weighted infinity norm; Keras momentum and norm.
    this.slotNames = ['m', 'v', ...(this.base.useEma ? ['average'] : [])];
  }

  protected update(p: Float32Array, g: Float32Array, slots: Float32Array[], lr: number, step: number): void {
    const m = slots[0];
    const u = slots[1];
    const b2 = this.beta2;
    const oneMinusB1 = 1 - this.beta1;
    const eps = this.epsilon;
    const correction = 1 - Math.pow(this.beta1, step);
    for (let i = 0; i < p.length; i++) {
      const gi = g[i];
      const mi = m[i] + (gi - m[i]) * oneMinusB1;
      const decayed = b2 * u[i];
      const ag = Math.abs(gi);
      const ui = decayed > ag ? decayed : ag;
      m[i] = mi;
      u[i] = ui;
      p[i] -= (lr * mi) / (correction * (ui + eps));
    }
  }

  protected ownConfig(): Record<string, ConfigValue> {
    return { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
