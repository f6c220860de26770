import { BaseOptimizerOptions, checkNumber, ConfigValue } from './base-options.js';
import { Optimizer } from './optimizer.js';

/** Options of `Adagrad` (Keras defaults). */
export interface AdagradOptions extends BaseOptimizerOptions {
  /** Starting value of every accumulator. Default 0.1. */
  initialAccumulatorValue?: number;
  epsilon?: number;
}

/**
 * Adagrad (Keras): a ← a + g², p ← p − lr·g/sqrt(a + ε), the accumulator starting at `initialAccumulatorValue`.
 * @example new Adagrad({ learningRate: 0.1 });
 */
export class Adagrad extends Optimizer {
  readonly className = 'Adagrad';
  readonly slotNames: readonly string[];
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;

  constructor(options: AdagradOptions = {}) {
    super('Adagrad', options, ['initialAccumulatorValue', 'epsilon'], 0.001);
    this.initialAccumulatorValue = checkNumber('Adagrad', 'initialAccumulatorValue', options.initialAccumulatorValue ?? 0.1, { min: 0 });
    this.epsilon = checkNumber('Adagrad', 'epsilon', options.epsilon ?? 1e-7, { min: 0 });
    this.slotNames = ['accumulator', ...(this.base.useEma ? ['average'] : [])];
  }

  protected slotInitialValue(): number {
    return this.initialAccumulatorValue;
  }

  protected update(p: Float32Array, g: Float32Array, slots: Float32Array[], lr: number): void {
    const a = slots[0];
    const eps = this.epsilon;
    for (let i = 0; i < p.length; i++) {
      const gi = g[i];
      const ai = a[i] + gi * gi;
      a[i] = ai;
      p[i] -= (lr * gi) / Math.sqrt(ai + eps);
    }
  }

  protected ownConfig(): Record<string, ConfigValue> {
    return { initialAccumulatorValue: this.initialAccumulatorValue, epsilon: this.epsilon };
  }
}
