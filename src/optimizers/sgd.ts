import { BaseOptimizerOptions, checkBoolean, checkNumber, ConfigValue } from './base-options.js';
import { Optimizer } from './optimizer.js';
import { sgdUpdate } from '../kernels/optimizer-updates.js';

/** Options of `SGD` (Keras defaults). */
export interface SGDOptions extends BaseOptimizerOptions {
  momentum?: number;
  nesterov?: boolean;
}

/**
 * Stochastic gradient descent in Keras's form. Without momentum p ← p − lr·g; with momentum μ the
 * velocity is b ← μ·b − lr·g, then p ← p + b, or with Nesterov p ← p + μ·b − lr·g (the look-ahead).
 * @example const opt = new SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true });
 */
export class SGD extends Optimizer {
  readonly className = 'SGD';
  readonly slotNames: readonly string[];
  readonly momentum: number;
  readonly nesterov: boolean;

  constructor(options: SGDOptions = {}) {
    super('SGD', options, ['momentum', 'nesterov'], 0.01);
    this.momentum = checkNumber('SGD', 'momentum', options.momentum ?? 0, { min: 0, max: 1 });
    this.nesterov = checkBoolean('SGD', 'nesterov', options.nesterov ?? false);
    // NOTE: as Keras, the velocity slot exists only when momentum is used.
    this.slotNames = [...(this.momentum > 0 ? ['momentum'] : []), ...(this.base.useEma ? ['average'] : [])];
  }

  protected update(p: Float32Array, g: Float32Array, slots: Float32Array[], lr: number): void {
    sgdUpdate(p, g, this.momentum === 0 ? null : slots[0], lr, this.momentum, this.nesterov);
  }

  protected ownConfig(): Record<string, ConfigValue> {
    return { momentum: this.momentum, nesterov: this.nesterov };
  }
}
