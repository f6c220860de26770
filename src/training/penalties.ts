import { Tensor } from '../tensor/tensor.js';
import { add } from '../ops/arithmetic.js';
import { Trainable } from './trainable.js';

/**
 * The compiled loss plus the model's regularization penalties (Keras adds `model.losses` to the loss it
 * trains on and reports, in fit and evaluate alike). Call right after the forward pass: activity
 * penalties belong to the last call.
 */
export function addPenalties(model: Trainable, loss: Tensor): Tensor {
  const penalties = model.regularizationLosses?.() ?? [];
  return penalties.reduce<Tensor>((total, p) => add(total, p), loss);
}
