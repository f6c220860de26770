import { BaseOptimizerOptions, checkNumber, ConfigValue } from './base-options.js';
import { Optimizer } from './optimizer.js';

/** Options of `Nadam` (Keras defaults). */
export interface NadamOptions extends BaseOptimizerOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/**
 * Nadam, Adam with Nesterov momentum, in Keras's form. With the momentum schedule
 * u_t = β1·(1 − ½·0.96^t) and the running product Π_t = u_1·…·u_t (one for the optimizer):
 *   m ← m + (g − m)(1 − β1),  v ← v + (g² − v)(1 − β2),
 *   m̂ = u_{t+1}·m/(1 − Π_t·u_{t+1}) + (1 − u_t)·g/(1 − Π_t),  v̂ = v/(1 − β2^t),
 *   p ← p − lr·m̂/(sqrt(v̂) + ε).
 * @example new Nadam({ learningRate: 0.002 });
 */
export class Nadam extends Optimizer {
  readonly className = 'Nadam';
  readonly slotNames: readonly string[];
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** Π_t for `productStep`; Keras keeps it as a variable, here it is a function of the step count, cached. */
  private product = 1;
  private productStep = 0;

  constructor(options: NadamOptions = {}) {
    super('Nadam', options, ['beta1', 'beta2', 'epsilon'], 0.001);
    this.beta1 = checkNumber('Nadam', 'beta1', options.beta1 ?? 0.9, { min: 0, max: 1 });
    this.beta2 = checkNumber('Nadam', 'beta2', options.beta2 ?? 0.999, { min: 0, max: 1 });
    this.epsilon = checkNumber('Nadam', 'epsilon', options.epsilon ?? 1e-7, { min: 0 });
    this.slotNames = ['m', 'v', ...(this.base.useEma ? ['average'] : [])];
  }

  private u(t: number): number {
    return this.beta1 * (1 - 0.5 * Math.pow(0.96, t));
  }

  /** Brings Π up to `step` (recomputed from 1 after a restored or rewound step count). */
  protected beginStep(step: number): void {
    if (this.productStep > step) {
      this.product = 1;
      this.productStep = 0;
    }
    while (this.productStep < step) this.product *= this.u(++this.productStep);
  }

  protected update(p: Float32Array, g: Float32Array, slots: Float32Array[], lr: number, step: number): void {
    const m = slots[0];
    const v = slots[1];
    const uT = this.u(step);
    const uNext = this.u(step + 1);
    const prodT = this.product;
    const a = uNext / (1 - prodT * uNext);
    const b = (1 - uT) / (1 - prodT);
    const vScale = 1 / (1 - Math.pow(this.beta2, step));
    const oneMinusB1 = 1 - this.beta1;
    const oneMinusB2 = 1 - this.beta2;
    const eps = this.epsilon;
    for (let i = 0; i < p.length; i++) {
      const gi = g[i];
      const mi = m[i] + (gi - m[i]) * oneMinusB1;
      const vi = v[i] + (gi * gi - v[i]) * oneMinusB2;
      m[i] = mi;
      v[i] = vi;
      p[i] -= (lr * (a * mi + b * gi)) / (Math.sqrt(vi * vScale) + eps);
    }
  }

  protected ownConfig(): Record<string, ConfigValue> {
    return { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
