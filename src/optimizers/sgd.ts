import { ValueError } from '../util/errors.js';
import { BaseOptimizerOptions, checkNumber, Optimizer } from './optimizer.js';

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

  constructor({ momentum = 0, nesterov = false, ...base }: SGDOptions = {}) {
    super('SGD', base, 0.01);
    this.momentum = checkNumber('SGD', 'momentum', momentum, { min: 0, max: 1 });
    if (typeof nesterov !== 'boolean') throw new ValueError(`SGD: expected nesterov to be a boolean, received ${typeof nesterov}`);
    this.nesterov = nesterov;
    // NOTE: as Keras, the velocity slot exists only when momentum is used.
    this.slotNames = this.momentum > 0 ? ['momentum'] : [];
  }

  protected update(p: Float32Array, g: Float32Array, gradScale: number, slots: Float32Array[], step: number): void {
    void step;
    const lr = this.learningRate;
    const mu = this.momentum;
    if (slots.length === 0) {
      for (let i = 0; i < p.length; i++) p[i] -= lr * (g[i] * gradScale);
      return;
    }
    const b = slots[0];
    if (this.nesterov) {
      for (let i = 0; i < p.length; i++) {
        const d = lr * (g[i] * gradScale);
        const bi = mu * b[i] - d;
        b[i] = bi;
        p[i] += mu * bi - d;
      }
    } else {
      for (let i = 0; i < p.length; i++) {
        const bi = mu * b[i] - lr * (g[i] * gradScale);
        b[i] = bi;
        p[i] += bi;
      }
    }
  }

  getConfig(): Record<string, number | boolean> {
    const config: Record<string, number | boolean> = { learningRate: this.learningRate, momentum: this.momentum, nesterov: this.nesterov };
    if (this.clipNorm !== null) config.clipNorm = this.clipNorm;
    return config;
  }
}
