import { ValueError } from '../util/errors.js';
import { BaseOptimizerOptions, checkNumber, ConfigValue } from './base-options.js';
import { Optimizer } from './optimizer.js';

/** Options of `Lion` (Keras defaults). */
export interface LionOptions extends BaseOptimizerOptions {
  beta1?: number;
  beta2?: number;
}

/**
 * Lion (Keras): p ← p − lr·sign(β1·m + (1 − β1)·g), then m ← β2·m + (1 − β2)·g.
 * @example new Lion({ learningRate: 1e-4 });
 */
export class Lion extends Optimizer {
  readonly className = 'Lion';
  readonly slotNames: readonly string[];
  readonly beta1: number;
  readonly beta2: number;

  constructor(options: LionOptions = {}) {
    super('Lion', options, ['beta1', 'beta2'], 0.001);
    this.beta1 = checkNumber('Lion', 'beta1', options.beta1 ?? 0.9, { min: 0, max: 1 });
    if (this.beta1 === 0) throw new ValueError('Lion: expected beta1 in (0, 1] (0 makes it SignSGD), received 0');
    this.beta2 = checkNumber('Lion', 'beta2', options.beta2 ?? 0.99, { min: 0, max: 1 });
    this.slotNames = ['momentum', ...(this.base.useEma ? ['average'] : [])];
  }

  protected update(p: Float32Array, g: Float32Array, slots: Float32Array[], lr: number): void {
    const m = slots[0];
    const b1 = this.beta1;
    const b2 = this.beta2;
    for (let i = 0; i < p.length; i++) {
      const gi = g[i];
      const c = m[i] * b1 + gi * (1 - b1);
      p[i] -= lr * (c > 0 ? 1 : c < 0 ? -1 : 0);
      m[i] = m[i] * b2 + gi * (1 - b2);
    }
  }

  protected ownConfig(): Record<string, ConfigValue> {
    return { beta1: this.beta1, beta2: this.beta2 };
  }
}
