import { ValueError } from '../util/errors.js';
import { BaseOptimizerOptions, checkBoolean, checkNumber, ConfigValue } from './base-options.js';
import { Optimizer } from './optimizer.js';
import { rmspropUpdate } from '../kernels/optimizer-updates.js';

/** Options of `RMSprop` (Keras names and defaults; `decay` is TF.js's name for `rho`). */
export interface RMSpropOptions extends BaseOptimizerOptions {
  rho?: number;
  decay?: number;
  momentum?: number;
  epsilon?: number;
  centered?: boolean;
}

/**
 * RMSprop in Keras's form: s ← ρ·s + (1 − ρ)·g²; centered also tracks ḡ ← ρ·ḡ + (1 − ρ)·g and uses
 * s − ḡ²; the increment is lr·g/sqrt(s (− ḡ²) + ε); with momentum μ, b ← μ·b + increment and p ← p − b,
 * else p ← p − increment. Defaults lr 0.001, ρ 0.9, μ 0, ε 1e-7, not centered.
 * @example const opt = new RMSprop({ learningRate: 0.01 });
 */
export class RMSprop extends Optimizer {
  readonly className = 'RMSprop';
  readonly slotNames: readonly string[];
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;

  constructor(options: RMSpropOptions = {}) {
    super('RMSprop', options, ['rho', 'decay', 'momentum', 'epsilon', 'centered'], 0.001);
    const { rho, decay, momentum = 0, epsilon = 1e-7, centered = false } = options;
    if (rho !== undefined && decay !== undefined && rho !== decay) {
      throw new ValueError(`RMSprop: rho and decay are the same setting; received both, rho=${rho} and decay=${decay}`);
    }
    this.rho = checkNumber('RMSprop', 'rho', rho ?? decay ?? 0.9, { min: 0, max: 1 });
    this.momentum = checkNumber('RMSprop', 'momentum', momentum, { min: 0, max: 1 });
    this.epsilon = checkNumber('RMSprop', 'epsilon', epsilon, { min: 0 });
    this.centered = checkBoolean('RMSprop', 'centered', centered);
    // Slot order: velocity (mean square), then momentum and average gradient when used, as Keras builds them.
    this.slotNames = ['velocity', ...(this.momentum > 0 ? ['momentum'] : []), ...(centered ? ['average_gradient'] : []), ...(this.base.useEma ? ['average'] : [])];
  }

  protected update(p: Float32Array, g: Float32Array, slots: Float32Array[], lr: number): void {
    const mu = this.momentum;
    const b = mu > 0 ? slots[1] : null;
    const avg = this.centered ? slots[mu > 0 ? 2 : 1] : null;
    rmspropUpdate(p, g, slots[0], b, avg, lr, this.rho, this.epsilon, mu);
  }

  protected ownConfig(): Record<string, ConfigValue> {
    return {
      rho: this.rho,
      momentum: this.momentum,
      epsilon: this.epsilon,
      centered: this.centered,
    };
  }
}
