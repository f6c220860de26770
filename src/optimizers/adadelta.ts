import { BaseOptimizerOptions, checkNumber, ConfigValue } from './base-options.js';
import { Optimizer } from './optimizer.js';

/** Options of `Adadelta` (Keras defaults). */
export interface AdadeltaOptions extends BaseOptimizerOptions {
  rho?: number;
  epsilon?: number;
}

/**
 * Adadelta (Keras): E[g²] ← ρ·E[g²] + (1 − ρ)·g²; Δ = −sqrt(E[Δ²] + ε)·g/sqrt(E[g²] + ε);
 * E[Δ²] ← ρ·E[Δ²] + (1 − ρ)·Δ²; p ← p + lr·Δ. Keras's default lr is 0.001 (the paper's is 1).
 * @example new Adadelta({ learningRate: 1 });
 */
export class Adadelta extends Optimizer {
  readonly className = 'Adadelta';
  readonly slotNames: readonly string[];
  readonly rho: number;
  readonly epsilon: number;

  constructor(options: AdadeltaOptions = {}) {
    super('Adadelta', options, ['rho', 'epsilon'], 0.001);
    this.rho = checkNumber('Adadelta', 'rho', options.rho ?? 0.95, { min: 0, max: 1 });
    this.epsilon = checkNumber('Adadelta', 'epsilon', options.epsilon ?? 1e-7, { min: 0 });
    // TF.js's names: accum_grad and accum_var.
    this.slotNames = ['accum_grad', 'accum_var', ...(this.base.useEma ? ['average'] : [])];
  }

  protected update(p: Float32Array, g: Float32Array, slots: Float32Array[], lr: number): void {
    const accGrad = slots[0];
    const accDelta = slots[1];
    const rho = this.rho;
    const oneMinusRho = 1 - rho;
    const eps = this.epsilon;
    for (let i = 0; i < p.length; i++) {
      const gi = g[i];
      const ag = rho * accGrad[i] + oneMinusRho * gi * gi;
      accGrad[i] = ag;
      const delta = -(Math.sqrt(accDelta[i] + eps) * gi) / Math.sqrt(ag + eps);
      accDelta[i] = rho * accDelta[i] + oneMinusRho * delta * delta;
      p[i] += lr * delta;
    }
  }

  protected ownConfig(): Record<string, ConfigValue> {
    return { rho: this.rho, epsilon: this.epsilon };
  }
}
