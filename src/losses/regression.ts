import { ValueError } from '../util/errors.js';
import { Tensor } from '../tensor/tensor.js';
import { add, div, maximum, minimum, mul, sub } from '../ops/arithmetic.js';
import { abs, clip, log, neg, sqrt, square } from '../ops/elementwise.js';
import { sum } from '../ops/reduction.js';
import { softplus } from '../ops/activations.js';
import { checkTensors, LossOptions, matchTargetShape, reduceLoss } from './reduce.js';
import { checkLossOptions, EPSILON, perSample } from './common.js';

/** Runs a per-element loss `f(t, p)` (mean over the last axis per sample), then the reduction. */
function elementwiseLoss(name: string, yTrue: Tensor, yPred: Tensor, options: LossOptions & Record<string, unknown>, own: string[], f: (t: Tensor, p: Tensor) => Tensor): Tensor {
  checkTensors(name, yTrue, yPred);
  checkLossOptions(name, options, own);
  const t = matchTargetShape(name, yTrue, yPred);
  return reduceLoss(name, perSample(f(t, yPred)), options.sampleWeight, options.reduction);
}

/** Options of `huber`. */
export interface HuberOptions extends LossOptions {
  /** Where the loss turns from quadratic to linear. Default 1. */
  delta?: number;
}

/**
 * Huber loss (Keras): per element ½e² for |e| <= δ, δ|e| − ½δ² beyond, e = yPred − yTrue; mean over the last axis.
 * Written as ½q² + δ(|e| − q) with q = min(|e|, δ), the same function without a select.
 * @example huber(tensor([[0, 1], [0, 0]]), tensor([[0.6, 0.4], [0.4, 0.6]])); // 0.155
 */
export function huber(yTrue: Tensor, yPred: Tensor, options: HuberOptions = {}): Tensor {
  const delta = options.delta ?? 1;
  if (typeof delta !== 'number' || !(delta > 0) || !Number.isFinite(delta)) throw new ValueError(`huber: expected delta > 0, received ${String(delta)}`);
  return elementwiseLoss('huber', yTrue, yPred, { ...options }, ['delta'], (t, p) => {
    const e = abs(sub(p, t));
    const q = minimum(e, delta);
    return add(mul(square(q), 0.5), mul(sub(e, q), delta));
  });
}

/**
 * log(cosh(yPred − yTrue)) per element, mean over the last axis (Keras), computed stably as x + softplus(−2x) − log 2.
 * @example logCosh(tensor([[0, 1], [0, 0]]), tensor([[1, 1], [0, 0]])); // ≈ 0.108
 */
export function logCosh(yTrue: Tensor, yPred: Tensor, options: LossOptions = {}): Tensor {
  return elementwiseLoss('logCosh', yTrue, yPred, { ...options }, [], (t, p) => {
    const x = sub(p, t);
    return sub(add(x, softplus(mul(x, -2))), Math.LN2);
  });
}

/**
 * 100·|yTrue − yPred| / max(|yTrue|, 1e-7), mean over the last axis (Keras).
 * @example losses.meanAbsolutePercentageError(tensor([[100]]), tensor([[110]])).data[0]; // 10
 */
export function meanAbsolutePercentageError(yTrue: Tensor, yPred: Tensor, options: LossOptions = {}): Tensor {
  return elementwiseLoss('meanAbsolutePercentageError', yTrue, yPred, { ...options }, [], (t, p) => mul(div(abs(sub(t, p)), maximum(abs(t), EPSILON)), 100));
}

/**
 * (log(max(yPred, ε) + 1) − log(max(yTrue, ε) + 1))², mean over the last axis (Keras, ε = 1e-7).
 * @example losses.meanSquaredLogarithmicError(tensor([[0]]), tensor([[1]])).data[0]; // (log 2)² ≈ 0.480
 */
export function meanSquaredLogarithmicError(yTrue: Tensor, yPred: Tensor, options: LossOptions = {}): Tensor {
  return elementwiseLoss('meanSquaredLogarithmicError', yTrue, yPred, { ...options }, [], (t, p) =>
    square(sub(log(add(maximum(p, EPSILON), 1)), log(add(maximum(t, EPSILON), 1)))),
  );
}

/**
 * yPred − yTrue·log(yPred + ε), mean over the last axis (Keras Poisson, ε = 1e-7).
 * @example losses.poisson(tensor([[1]]), tensor([[2]])).data[0]; // 2 − log 2 ≈ 1.307
 */
export function poisson(yTrue: Tensor, yPred: Tensor, options: LossOptions = {}): Tensor {
  return elementwiseLoss('poisson', yTrue, yPred, { ...options }, [], (t, p) => sub(p, mul(t, log(add(p, EPSILON)))));
}

/** Runs a loss that reduces the last axis itself (`f` returns one value per row), then the reduction. */
function rowLoss(name: string, yTrue: Tensor, yPred: Tensor, options: LossOptions, f: (t: Tensor, p: Tensor) => Tensor): Tensor {
  checkTensors(name, yTrue, yPred);
  checkLossOptions(name, options, []);
  const t = matchTargetShape(name, yTrue, yPred);
  return reduceLoss(name, f(t, yPred), options.sampleWeight, options.reduction);
}

/**
 * Σ t·log(t/p) over the last axis, t and p clipped to [1e-7, 1] (Keras `kl_divergence`).
 * @example losses.klDivergence(tensor([[0.5, 0.5]]), tensor([[0.25, 0.75]])).data[0]; // 0.5·log 2 + 0.5·log(2/3) ≈ 0.144
 */
export function klDivergence(yTrue: Tensor, yPred: Tensor, options: LossOptions = {}): Tensor {
  return rowLoss('klDivergence', yTrue, yPred, options, (t, p) => {
    const tc = clip(t, EPSILON, 1);
    return sum(mul(tc, log(div(tc, clip(p, EPSILON, 1)))), -1);
  });
}

/** x·rsqrt(max(Σx², ε²)) over the last axis (Keras `ops.normalize`, ε = 1e-7). */
function l2Normalize(x: Tensor): Tensor {
  return div(x, sqrt(maximum(sum(square(x), -1, true), EPSILON * EPSILON)));
}

/**
 * −Σ normalize(yTrue)·normalize(yPred) over the last axis (Keras `cosine_similarity` as a loss: −1 is best).
 * @example cosineSimilarity(tensor([[0, 1], [1, 1]]), tensor([[1, 0], [1, 1]])); // mean of [0, −1]
 */
export function cosineSimilarity(yTrue: Tensor, yPred: Tensor, options: LossOptions = {}): Tensor {
  return rowLoss('cosineSimilarity', yTrue, yPred, options, (t, p) => neg(sum(mul(l2Normalize(t), l2Normalize(p)), -1)));
}
