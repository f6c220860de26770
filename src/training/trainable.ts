import { Tensor } from '../tensor/tensor.js';

/**
 * What the fit / evaluate / predict loops drive; `Model` implements it. The loops never look inside:
 * they call `forward`, read `trainableWeights` for the optimizer, and copy weights for callbacks.
 */
export interface Trainable {
  /** The model's call on a batch; builds the model on first use. `training` switches dropout and the like. */
  forward(x: Tensor, training: boolean): Tensor;
  /** The live variables the optimizer updates (complete once the model is built). */
  readonly trainableWeights: Tensor[];
  /** Copies of all weights, in a stable order. */
  getWeights(): Tensor[];
  /** Copies values into all weights (same order and shapes as `getWeights`). */
  setWeights(weights: readonly Tensor[]): void;
  /** The regularization penalties of the current weights and the last forward pass (scalars), if any. */
  regularizationLosses?(): Tensor[];
  /** Projects constrained weights; run after every optimizer step. */
  applyConstraints?(): void;
  /** Set by a callback to end `fit` after the current batch (the epoch still ends normally). */
  stopTraining: boolean;
}
