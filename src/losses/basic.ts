// The original losses: binary / categorical / sparse cross-entropy, mean squared and mean absolute error.
import { ValueError } from '../util/errors.js';
import { formatShape } from '../util/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { add, div, mul, sub } from '../ops/arithmetic.js';
import { abs, clip, log, neg, square } from '../ops/elementwise.js';
import { mean, sum } from '../ops/reduction.js';
import { oneHot } from '../ops/gather.js';
import { sigmoidCrossEntropyWithLogits, softmaxCrossEntropyWithLogits } from '../ops/cross-entropy.js';
import { checkTensors, LossOptions, matchTargetShape, reduceLoss } from './reduce.js';
import { checkLossOptions, CrossEntropyOptions, EPSILON, perSample, smoothBinary, smoothCategorical } from './common.js';


/**
 * Binary cross-entropy, the mean over the last axis per sample, then over the batch (a scalar).
 * Probabilities are clipped to [1e-7, 1 − 1e-7] as Keras; with `fromLogits` the fused, stable
 * `sigmoidCrossEntropyWithLogits` is used instead.
 * @example binaryCrossentropy(tensor([[1], [0]]), tensor([[0.9], [0.2]])); // ≈ 0.1643
 */
export function binaryCrossentropy(yTrue: Tensor, yPred: Tensor, options: CrossEntropyOptions = {}): Tensor {
  checkTensors('binaryCrossentropy', yTrue, yPred);
  checkLossOptions('binaryCrossentropy', options, ['fromLogits', 'labelSmoothing']);
  const { fromLogits = false, sampleWeight, reduction, labelSmoothing = 0 } = options;
  const t = smoothBinary(matchTargetShape('binaryCrossentropy', yTrue, yPred), labelSmoothing);
  let elementwise: Tensor;
  if (fromLogits) {
    elementwise = sigmoidCrossEntropyWithLogits(t, yPred);
  } else {
    const p = clip(yPred, EPSILON, 1 - EPSILON);
    elementwise = neg(add(mul(t, log(p)), mul(sub(1, t), log(sub(1, p)))));
  }
  return reduceLoss('binaryCrossentropy', perSample(elementwise), sampleWeight, reduction);
}

/**
 * Mean squared error: mean over the last axis of (yPred − yTrue)², then over the batch.
 * @example meanSquaredError(tensor([[0, 1]]), tensor([[1, 1]])); // 0.5
 */
export function meanSquaredError(yTrue: Tensor, yPred: Tensor, options: LossOptions = {}): Tensor {
  checkTensors('meanSquaredError', yTrue, yPred);
  checkLossOptions('meanSquaredError', options, []);
  const t = matchTargetShape('meanSquaredError', yTrue, yPred);
  return reduceLoss('meanSquaredError', perSample(square(sub(yPred, t))), options.sampleWeight, options.reduction);
}

/**
 * Mean absolute error: mean over the last axis of |yPred − yTrue|, then over the batch.
 * @example losses.meanAbsoluteError(tensor([[1, 2]]), tensor([[2, 4]])).data[0]; // 1.5
 */
export function meanAbsoluteError(yTrue: Tensor, yPred: Tensor, options: LossOptions = {}): Tensor {
  checkTensors('meanAbsoluteError', yTrue, yPred);
  checkLossOptions('meanAbsoluteError', options, []);
  const t = matchTargetShape('meanAbsoluteError', yTrue, yPred);
  return reduceLoss('meanAbsoluteError', perSample(abs(sub(yPred, t))), options.sampleWeight, options.reduction);
}

/** −Σ_j z_j·log q_j over the last axis, q = yPred normalized to sum 1 per row then clipped (Keras). */
function categoricalFromProbabilities(z: Tensor, yPred: Tensor): Tensor {
  const q = clip(div(yPred, sum(yPred, -1, true)), EPSILON, 1 - EPSILON);
  return neg(sum(mul(z, log(q)), -1));
}

/**
 * Categorical cross-entropy for one-hot (or soft) targets over the last axis, then the batch mean.
 * Probabilities are normalized per row and clipped as Keras; `fromLogits` uses the fused
 * `softmaxCrossEntropyWithLogits` (log-softmax, stable for any logits).
 * @example categoricalCrossentropy(tensor([[0, 1, 0]]), tensor([[0.05, 0.95, 0]])); // ≈ 0.0513
 */
export function categoricalCrossentropy(yTrue: Tensor, yPred: Tensor, options: CrossEntropyOptions = {}): Tensor {
  checkTensors('categoricalCrossentropy', yTrue, yPred);
  checkLossOptions('categoricalCrossentropy', options, ['fromLogits', 'labelSmoothing']);
  const { fromLogits = false, sampleWeight, reduction, labelSmoothing = 0 } = options;
  const t = smoothCategorical(matchTargetShape('categoricalCrossentropy', yTrue, yPred), labelSmoothing);
  const perRow = fromLogits ? softmaxCrossEntropyWithLogits(t, yPred) : categoricalFromProbabilities(t, yPred);
  return reduceLoss('categoricalCrossentropy', perRow, sampleWeight, reduction);
}

/**
 * Categorical cross-entropy with integer class labels: `yTrue` has `yPred`'s shape without the class axis
 * (a trailing 1 is allowed), each label an integer in [0, classes).
 * @example sparseCategoricalCrossentropy(tensor([1]), tensor([[0.05, 0.95, 0]])); // ≈ 0.0513
 */
export function sparseCategoricalCrossentropy(yTrue: Tensor, yPred: Tensor, options: Omit<CrossEntropyOptions, 'labelSmoothing'> = {}): Tensor {
  checkTensors('sparseCategoricalCrossentropy', yTrue, yPred);
  checkLossOptions('sparseCategoricalCrossentropy', options, ['fromLogits']);
  const { fromLogits = false, sampleWeight, reduction } = options;
  const z = labelsToOneHot(yTrue, yPred);
  const perRow = fromLogits ? softmaxCrossEntropyWithLogits(z, yPred) : categoricalFromProbabilities(z, yPred);
  return reduceLoss('sparseCategoricalCrossentropy', perRow, sampleWeight, reduction);
}

/** One-hot rows of yPred's shape from integer labels; checks the label shape and every label first. */
function labelsToOneHot(yTrue: Tensor, yPred: Tensor): Tensor {
  const name = 'sparseCategoricalCrossentropy';
  const rowsShape = yPred.shape.slice(0, -1);
  const classes = yPred.shape[yPred.rank - 1];
  const fits = yPred.rank >= 1 && yTrue.size === yPred.size / Math.max(classes, 1) &&
    (yTrue.rank === rowsShape.length || (yTrue.rank === rowsShape.length + 1 && yTrue.shape[yTrue.rank - 1] === 1));
  if (!fits || yTrue.shape.slice(0, rowsShape.length).some((d, i) => d !== rowsShape[i])) {
    throw new ValueError(
      `${name}: expected integer labels of shape ${formatShape(rowsShape)} (yPred ${formatShape(yPred.shape)} without its class axis), ` +
        `received yTrue ${formatShape(yTrue.shape)}`,
    );
  }
  for (let i = 0; i < yTrue.size; i++) {
    const v = yTrue.data[i];
    if (!Number.isInteger(v) || v < 0 || v >= classes) {
      throw new ValueError(`${name}: expected labels that are integers in [0, ${classes - 1}] (${classes} classes), received ${v} at position ${i}`);
    }
  }
  return oneHot(new Tensor(yTrue.data, rowsShape), classes);
}

