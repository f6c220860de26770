import { BaseOptimizerOptions, checkBoolean, checkNumber, ConfigValue } from './base-options.js';
import { Optimizer } from './optimizer.js';
import { adamUpdate } from '../kernels/optimizer-updates.js';

/** Options of `Adam` (TF.js spellings, Keras defaults). */
export interface AdamOptions extends BaseOptimizerOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** Use the running maximum of v (AMSGrad). Default false. */
  amsgrad?: boolean;
}

/** Adam's own option keys. */
export const ADAM_KEYS = ['beta1', 'beta2', 'epsilon', 'amsgrad'] as const;

/**
 * Adam in Keras's update form. With step t (from 1):
 *   m ← m + (g − m)(1 − β1),  v ← v + (g² − v)(1 − β2),  (amsgrad: v̂ ← max(v̂, v), used for v),
 *   α_t = lr·sqrt(1 − β2^t)/(1 − β1^t),  p ← p − α_t·m/(sqrt(v) + ε).
 * This is the paper's bias-corrected step with ε applied to sqrt(v) before the correction.
 * @example const opt = new Adam({ learningRate: 0.01 }); opt.apply(model.trainableWeights);
 */
export class Adam extends Optimizer {
  readonly className: string = 'Adam';
  readonly slotNames: readonly string[];
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly amsgrad: boolean;

  /** The name errors use (subclasses set their own). */
  static readonly label: string = 'Adam';

  constructor(options: AdamOptions = {}) {
    const owner = (new.target as typeof Adam).label;
    super(owner, options, ADAM_KEYS, 0.001);
    this.beta1 = checkNumber(owner, 'beta1', options.beta1 ?? 0.9, { min: 0, max: 1 });
    this.beta2 = checkNumber(owner, 'beta2', options.beta2 ?? 0.999, { min: 0, max: 1 });
    this.epsilon = checkNumber(owner, 'epsilon', options.epsilon ?? 1e-7, { min: 0 });
    this.amsgrad = checkBoolean(owner, 'amsgrad', options.amsgrad ?? false);
    // Keras's slot names in TF.js's short spelling (m, v), then vhat with amsgrad.
    this.slotNames = [...(this.amsgrad ? ['m', 'v', 'vhat'] : ['m', 'v']), ...(this.base.useEma ? ['average'] : [])];
  }

  protected update(p: Float32Array, g: Float32Array, slots: Float32Array[], lr: number, step: number): void {
    const alpha = (lr * Math.sqrt(1 - Math.pow(this.beta2, step))) / (1 - Math.pow(this.beta1, step));
    adamUpdate(p, g, slots[0], slots[1], this.amsgrad ? slots[2] : null, alpha, 1 - this.beta1, 1 - this.beta2, this.epsilon);
  }

  protected ownConfig(): Record<string, ConfigValue> {
    const config: Record<string, ConfigValue> = { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
    if (this.amsgrad) config.amsgrad = true;
    return config;
  }
}

/**
 * AdamW (Keras): Adam with decoupled weight decay, p ← p − p·weightDecay·lr before each Adam step.
 * Default weightDecay 0.004, as Keras.
 * @example new AdamW({ learningRate: 1e-3, weightDecay: 0.01 });
 */
export class AdamW extends Adam {
  readonly className: string = 'AdamW';
  static readonly label: string = 'AdamW';

  constructor(options: AdamOptions = {}) {
    super({ ...options, weightDecay: options.weightDecay ?? 0.004 });
  }

  protected ownConfig(): Record<string, ConfigValue> {
    return { ...super.ownConfig(), weightDecay: this.base.weightDecay };
  }
}
