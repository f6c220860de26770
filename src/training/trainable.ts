import { Tensor } from '../tensor/tensor.js';
import { Optimizer } from '../optimizers/optimizer.js';

/**
 * What the fit / evaluate / predict loops drive; `Model` implements it. The loops never look inside:
 * they call `forward`, read `trainableWeights` for the optimizer, and copy weights for callbacks.
 * Inputs and outputs are lists in `inputNames` / `outputNames` order (one entry for a single-input model).
 */
export interface Trainable {
  /** The model's call on a batch, one tensor per input in, one per output out; builds the model on first use. */
  forward(xs: Tensor[], training: boolean): Tensor[];
  /** Names of the model's inputs (keys of a name-keyed `x`), in `forward` order. */
  readonly inputNames: string[];
  /** Names of the model's outputs (keys of a name-keyed `y`, prefixes of history keys), in `forward` order. */
  readonly outputNames: string[];
  /** The outputs' masks from the last `forward` (`[batch, steps]` or null each), when the model has them. */
  readonly outputMasks?: readonly (Tensor | null)[];
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
  /** The compiled optimizer, for callbacks that change its learning rate or save its state. */
  readonly optimizer?: Optimizer | null;
  /** Saves the whole model (TF.js Layers format) into a folder; used by `ModelCheckpoint`. */
  save?(dir: string): Promise<void>;
  /** Saves the weights into one file; used by `ModelCheckpoint` with `saveWeightsOnly`. */
  saveWeights?(path: string): Promise<void>;
}
