import { Tensor } from '../tensor/tensor.js';
import { add, mul, sub } from '../ops/arithmetic.js';
import { square } from '../ops/elementwise.js';
import { max, sum } from '../ops/reduction.js';
import { relu } from '../ops/activations.js';
import { checkTensors, LossOptions, matchTargetShape, reduceLoss } from './reduce.js';
import { checkLossOptions, perSample } from './common.js';

/** Keras's hinge labels: targets that are all 0 or 1 become −1 / 1; others are used as given (expected −1 / 1). */
function hingeLabels(t: Tensor): Tensor {
  for (let i = 0; i < t.size; i++) if (t.data[i] !== 0 && t.data[i] !== 1) return t;
  return sub(mul(t, 2), 1);
}

function hingeLike(name: string, yTrue: Tensor, yPred: Tensor, options: LossOptions, squared: boolean): Tensor {
  checkTensors(name, yTrue, yPred);
  checkLossOptions(name, options, []);
  const t = hingeLabels(matchTargetShape(name, yTrue, yPred));
  const margin = relu(sub(1, mul(t, yPred)));
  return reduceLoss(name, perSample(squared ? square(margin) : margin), options.sampleWeight, options.reduction);
}

/**
 * max(1 − t·yPred, 0), mean over the last axis (Keras `hinge`; 0/1 labels are turned into −1/1).
 * @example hinge(tensor([[1, -1]]), tensor([[0.3, -0.8]])); // mean of [0.7, 0.2]
 */
export function hinge(yTrue: Tensor, yPred: Tensor, options: LossOptions = {}): Tensor {
  return hingeLike('hinge', yTrue, yPred, options, false);
}

/**
 * max(1 − t·yPred, 0)², mean over the last axis (Keras `squared_hinge`; 0/1 labels are turned into −1/1).
 * @example losses.squaredHinge(tensor([[1]]), tensor([[0.5]])).data[0]; // (1 − 0.5)² = 0.25
 */
export function squaredHinge(yTrue: Tensor, yPred: Tensor, options: LossOptions = {}): Tensor {
  return hingeLike('squaredHinge', yTrue, yPred, options, true);
}

/**
 * max(neg − pos + 1, 0) with pos = Σ t·yPred and neg = max((1 − t)·yPred) over the last axis (Keras `categorical_hinge`).
 * @example losses.categoricalHinge(tensor([[0, 1]]), tensor([[0.3, 0.7]])).data[0]; // max(0.3 − 0.7 + 1, 0) = 0.6
 */
export function categoricalHinge(yTrue: Tensor, yPred: Tensor, options: LossOptions = {}): Tensor {
  checkTensors('categoricalHinge', yTrue, yPred);
  checkLossOptions('categoricalHinge', options, []);
  const t = matchTargetShape('categoricalHinge', yTrue, yPred);
  const pos = sum(mul(t, yPred), -1);
  const negative = max(mul(sub(1, t), yPred), -1);
  return reduceLoss('categoricalHinge', relu(add(sub(negative, pos), 1)), options.sampleWeight, options.reduction);
}
