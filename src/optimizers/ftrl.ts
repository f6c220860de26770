import { BaseOptimizerOptions, checkNumber, ConfigValue } from './base-options.js';
import { Optimizer } from './optimizer.js';

/** Options of `Ftrl` (Keras names and defaults, camelCase). */
export interface FtrlOptions extends BaseOptimizerOptions {
  /** Power of the per-coordinate rate, <= 0. Default −0.5. */
  learningRatePower?: number;
  /** Starting value of the accumulators, >= 0. Default 0.1. */
  initialAccumulatorValue?: number;
  l1RegularizationStrength?: number;
  l2RegularizationStrength?: number;
  l2ShrinkageRegularizationStrength?: number;
  /** Keras's β (adds β/(2·lr) to the L2 strength). Default 0. */
  beta?: number;
}

const KEYS = ['learningRatePower', 'initialAccumulatorValue', 'l1RegularizationStrength', 'l2RegularizationStrength', 'l2ShrinkageRegularizationStrength', 'beta'] as const;

/**
 * FTRL-proximal (Keras). With c = −learningRatePower, λ2' = λ2 + β/(2·lr), g' = g + 2·λshrink·p:
 *   n' = n + g²,  z ← z + g' − (n'^c − n^c)/lr·p,  q = n'^c/lr + 2·λ2',
 *   p ← (clip(z, −λ1, λ1) − z)/q,  n ← n'.
 * @example new Ftrl({ learningRate: 0.05, l1RegularizationStrength: 0.01 });
 */
export class Ftrl extends Optimizer {
  readonly className = 'Ftrl';
  readonly slotNames: readonly string[];
  readonly learningRatePower: number;
  readonly initialAccumulatorValue: number;
  readonly l1RegularizationStrength: number;
  readonly l2RegularizationStrength: number;
  readonly l2ShrinkageRegularizationStrength: number;
  readonly beta: number;

  constructor(options: FtrlOptions = {}) {
    super('Ftrl', options, KEYS, 0.001);
    this.learningRatePower = checkNumber('Ftrl', 'learningRatePower', options.learningRatePower ?? -0.5, { max: 0 });
    this.initialAccumulatorValue = checkNumber('Ftrl', 'initialAccumulatorValue', options.initialAccumulatorValue ?? 0.1, { min: 0 });
    this.l1RegularizationStrength = checkNumber('Ftrl', 'l1RegularizationStrength', options.l1RegularizationStrength ?? 0, { min: 0 });
    this.l2RegularizationStrength = checkNumber('Ftrl', 'l2RegularizationStrength', options.l2RegularizationStrength ?? 0, { min: 0 });
    this.l2ShrinkageRegularizationStrength = checkNumber('Ftrl', 'l2ShrinkageRegularizationStrength', options.l2ShrinkageRegularizationStrength ?? 0, { min: 0 });
    this.beta = checkNumber('Ftrl', 'beta', options.beta ?? 0);
    this.slotNames = ['accumulator', 'linear', ...(this.base.useEma ? ['average'] : [])];
  }

  protected slotInitialValue(index: number): number {
    return index === 0 ? this.initialAccumulatorValue : 0;
  }

  protected update(p: Float32Array, g: Float32Array, slots: Float32Array[], lr: number): void {
    const n = slots[0];
    const z = slots[1];
    const c = -this.learningRatePower;
    const l1 = this.l1RegularizationStrength;
    const l2 = this.l2RegularizationStrength + this.beta / (2 * lr);
    const shrink2 = 2 * this.l2ShrinkageRegularizationStrength;
    for (let i = 0; i < p.length; i++) {
      const gi = g[i];
      const pi = p[i];
      const nNew = n[i] + gi * gi;
      const nNewPow = Math.pow(nNew, c);
      const zi = z[i] + (gi + shrink2 * pi) - ((nNewPow - Math.pow(n[i], c)) / lr) * pi;
      z[i] = zi;
      const quadratic = nNewPow / lr + 2 * l2;
      const clipped = zi > l1 ? l1 : zi < -l1 ? -l1 : zi;
      p[i] = (clipped - zi) / quadratic;
      n[i] = nNew;
    }
  }

  protected ownConfig(): Record<string, ConfigValue> {
    return {
      learningRatePower: this.learningRatePower,
      initialAccumulatorValue: this.initialAccumulatorValue,
      l1RegularizationStrength: this.l1RegularizationStrength,
      l2RegularizationStrength: this.l2RegularizationStrength,
      l2ShrinkageRegularizationStrength: this.l2ShrinkageRegularizationStrength,
      beta: this.beta,
    };
  }
}
