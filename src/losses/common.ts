// Helpers the loss functions share: Keras's ε, option checks, label smoothing, the per-sample mean.
import { ValueError } from '../util/errors.js';
import { checkOptionKeys } from '../util/options.js';
import { Tensor } from '../tensor/tensor.js';
import { add, mul } from '../ops/arithmetic.js';
import { mean } from '../ops/reduction.js';
import { LossOptions } from './reduce.js';

/** Keras's fuzz factor: probabilities are clipped to [EPSILON, 1 − EPSILON] before their log. */
export const EPSILON = 1e-7;

/** Options of the cross-entropies. */
export interface CrossEntropyOptions extends LossOptions {
  /** Whether `yPred` holds logits (pre-sigmoid / pre-softmax scores) rather than probabilities. Default false. */
  fromLogits?: boolean;
  /**
   * In [0, 1]: targets are squeezed towards uniform (binary: t·(1 − s) + s/2; categorical: t·(1 − s) + s/classes),
   * as Keras. Default 0. Not taken by the sparse form (as Keras).
   */
  labelSmoothing?: number;
}

/** Checks the option keys and `labelSmoothing` of a loss call; `known` lists the loss's own keys. */
export function checkLossOptions(name: string, options: object | undefined, known: readonly string[]): void {
  checkOptionKeys(options, ['sampleWeight', 'reduction', ...known], name);
  const s = (options as { labelSmoothing?: unknown } | undefined)?.labelSmoothing;
  if (s !== undefined && !(typeof s === 'number' && s >= 0 && s <= 1)) {
    throw new ValueError(`${name}: expected labelSmoothing in [0, 1], received ${String(s)}`);
  }
}

/** Binary label smoothing t·(1 − s) + s/2 (Keras); `t` as is when s = 0. */
export function smoothBinary(t: Tensor, s: number): Tensor {
  return s === 0 ? t : add(mul(t, 1 - s), 0.5 * s);
}

/** Categorical label smoothing t·(1 − s) + s/classes over the last axis (Keras). */
export function smoothCategorical(t: Tensor, s: number): Tensor {
  return s === 0 ? t : add(mul(t, 1 - s), s / t.shape[t.rank - 1]);
}

/** Mean over the last axis for predictions of rank >= 2; rank 1 keeps one value per sample. */
export function perSample(elementwise: Tensor): Tensor {
  return elementwise.rank >= 2 ? mean(elementwise, -1) : elementwise;
}

