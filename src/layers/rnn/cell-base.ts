import { Tensor } from '../../tensor/tensor.js';
import { zeros } from '../../tensor/creation.js';
import { Layer } from '../layer.js';
import type { FusedCell } from './fused.js';

/** What one recurrent step returns: the step's output and the new states. */
export interface StepResult {
  output: Tensor;
  states: Tensor[];
}

/** One recurrent step: this step's (maybe projected) input and the states → output and new states. */
export type StepFn = (xt: Tensor, states: Tensor[]) => StepResult;

/** A pass over one sequence: the per-step inputs the step function expects, and the step. */
export interface SequencePass {
  inputs: Tensor[];
  step: StepFn;
}

/**
 * What the `RNN` loop needs from a cell: state sizes, output size, and a pass over a sequence with
 * its dropout masks drawn once for the call. `RecurrentCell` (one cell) and `StackedRNNCells` implement it.
 * @example
 * const cells: layers.RNNCellBase = new layers.StackedRNNCells([new layers.LSTMCell(8), new layers.LSTMCell(4)]);
 * new layers.RNN(cells).apply(zeros([2, 5, 3])).shape; // [2, 4]
 */
export abstract class RNNCellBase extends Layer {
  /** Size of each state carried between steps (`[units]`, LSTM `[units, units]`, stacked: all of them). */
  abstract readonly stateSizes: readonly number[];
  /** Size of the output of one step. */
  abstract readonly outputSize: number;
  /** Input features the cell was built for, or null before it is built. */
  abstract readonly inputFeatures: number | null;

  /** The per-step inputs of `x` `[batch, steps, features]` and the step function, masks drawn for this call. */
  abstract sequencePass(x: Tensor, training: boolean): SequencePass;

  /** A step function on raw step inputs `[batch, features]` (used when cells are stacked). */
  abstract rawStepper(batch: number, features: number, training: boolean): StepFn;

  /** The cell's own config keys (no name / trainable), merged into its loop layer's config as TF.js does. */
  abstract cellConfig(): Record<string, unknown>;

  /** The fused whole-sequence form of this cell, or null when it needs the per-step graph (the default: custom and stacked cells). */
  fused(): FusedCell | null {
    return null;
  }

  /** The zero initial states for a batch. */
  zeroStates(batch: number): Tensor[] {
    return this.stateSizes.map((size) => zeros([batch, size]));
  }
}
