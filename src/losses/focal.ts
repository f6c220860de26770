import { ValueError } from '../util/errors.js';
import { Tensor } from '../tensor/tensor.js';
import { add, div, mul, pow, sub } from '../ops/arithmetic.js';
import { clip, log, neg } from '../ops/elementwise.js';
import { sum } from '../ops/reduction.js';
import { sigmoid } from '../ops/activations.js';
import { softmax } from '../ops/softmax.js';
import { checkTensors, matchTargetShape, reduceLoss } from './reduce.js';
import { checkLossOptions, CrossEntropyOptions, EPSILON, perSample, smoothBinary, smoothCategorical } from './common.js';

/** Options of the focal cross-entropies (Keras defaults). */
export interface FocalOptions extends CrossEntropyOptions {
  /** Class weight: binary, α for class 1 and 1 − α for class 0 when `applyClassBalancing`; categorical, a factor on every term. Default 0.25. */
  alpha?: number;
  /** Focusing exponent γ (0: plain cross-entropy). Default 2. */
  gamma?: number;
}

/** Options of `binaryFocalCrossentropy`. */
export interface BinaryFocalOptions extends FocalOptions {
  /** Weight class 1 by α and class 0 by 1 − α. Default false. */
  applyClassBalancing?: boolean;
}

function checkFocal(name: string, alpha: unknown, gamma: unknown): void {
  if (typeof alpha !== 'number' || !Number.isFinite(alpha)) throw new ValueError(`${name}: expected alpha to be a finite number, received ${String(alpha)}`);
  if (typeof gamma !== 'number' || !(gamma >= 0) || !Number.isFinite(gamma)) throw new ValueError(`${name}: expected gamma >= 0, received ${String(gamma)}`);
}

/**
 * Binary focal cross-entropy (Keras): with p the probabilities (sigmoid of logits with `fromLogits`),
 * bce = −(t·log p̃ + (1 − t)·log(1 − p̃)) with p̃ clipped to [1e-7, 1 − 1e-7], p_t = t·p + (1 − t)(1 − p),
 * loss = (1 − p_t)^γ·bce (× α·t + (1 − α)(1 − t) with `applyClassBalancing`), mean over the last axis.
 * @example binaryFocalCrossentropy(tensor([[0, 1], [0, 0]]), tensor([[0.6, 0.4], [0.4, 0.6]]), { gamma: 2 }); // mean of [0.330, 0.206]
 */
export function binaryFocalCrossentropy(yTrue: Tensor, yPred: Tensor, options: BinaryFocalOptions = {}): Tensor {
  const name = 'binaryFocalCrossentropy';
  checkTensors(name, yTrue, yPred);
  checkLossOptions(name, options, ['fromLogits', 'labelSmoothing', 'alpha', 'gamma', 'applyClassBalancing']);
  const { fromLogits = false, labelSmoothing = 0, alpha = 0.25, gamma = 2, applyClassBalancing = false } = options;
  checkFocal(name, alpha, gamma);
  const t = smoothBinary(matchTargetShape(name, yTrue, yPred), labelSmoothing);
  const p = fromLogits ? sigmoid(yPred) : yPred;
  const pc = clip(p, EPSILON, 1 - EPSILON);
  const bce = neg(add(mul(t, log(pc)), mul(sub(1, t), log(sub(1, pc)))));
  const pT = add(mul(t, p), mul(sub(1, t), sub(1, p)));
  let focal = mul(pow(sub(1, pT), gamma), bce);
  if (applyClassBalancing) focal = mul(add(mul(t, alpha), mul(sub(1, t), 1 - alpha)), focal);
  return reduceLoss(name, perSample(focal), options.sampleWeight, options.reduction);
}

/**
 * Categorical focal cross-entropy (Keras): q = p / Σp (softmax of logits with `fromLogits`) clipped to
 * [1e-7, 1 − 1e-7], loss = Σ α·(1 − q)^γ·(−t·log q) over the last axis.
 * @example categoricalFocalCrossentropy(tensor([[0, 1, 0], [0, 0, 1]]), tensor([[0.05, 0.9, 0.05], [0.1, 0.85, 0.05]])); // mean of [2.634e-4, 0.6759]
 */
export function categoricalFocalCrossentropy(yTrue: Tensor, yPred: Tensor, options: FocalOptions = {}): Tensor {
  const name = 'categoricalFocalCrossentropy';
  checkTensors(name, yTrue, yPred);
  checkLossOptions(name, options, ['fromLogits', 'labelSmoothing', 'alpha', 'gamma']);
  const { fromLogits = false, labelSmoothing = 0, alpha = 0.25, gamma = 2 } = options;
  checkFocal(name, alpha, gamma);
  const t = smoothCategorical(matchTargetShape(name, yTrue, yPred), labelSmoothing);
  const p = fromLogits ? softmax(yPred, -1) : yPred;
  const q = clip(div(p, sum(p, -1, true)), EPSILON, 1 - EPSILON);
  const terms = mul(mul(pow(sub(1, q), gamma), alpha), neg(mul(t, log(q))));
  return reduceLoss(name, sum(terms, -1), options.sampleWeight, options.reduction);
}
