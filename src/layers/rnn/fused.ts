import { Tensor } from '../../tensor/tensor.js';
import { rnnActivationCode, RnnActivation } from '../../kernels/rnn/activation.js';
import { RnnKind } from '../../kernels/rnn/config.js';
import { recurrence } from '../../ops/recurrence.js';
import type { CellMasks } from './cell.js';

let fusion = true;

/**
 * Turns the fused whole-sequence RNN op on (default) or off; off, SimpleRNN / LSTM / GRU run the
 * per-step graph of their cells, the reference the fused op is tested against.
 * @example setRNNFusion(false); // per-step graph for every recurrent layer
 */
export function setRNNFusion(enabled: boolean): void {
  fusion = enabled === true;
}

/**
 * Whether recurrent layers run the fused op where their cell allows it.
 * @example getRNNFusion(); // true
 */
export function getRNNFusion(): boolean {
  return fusion;
}

/** What a cell hands the fused op: which cell, its activations, its recurrent weights, and how it projects and draws masks. */
export interface FusedCell {
  kind: RnnKind;
  activation: RnnActivation;
  gate: RnnActivation;
  resetAfter: boolean;
  recurrentKernel: Tensor;
  /** GRU with resetAfter: the recurrent bias row; else null. */
  recurrentBias: Tensor | null;
  drawMasks(batch: number, features: number, training: boolean): CellMasks;
  projectInputs(x: Tensor, masks: Tensor[] | null): Tensor;
}

/** The fused codes of the cell's activations, or null when either needs the per-step graph. */
export function fusedActivations(activation: string, gate: string): { activation: RnnActivation; gate: RnnActivation } | null {
  const a = rnnActivationCode(activation);
  const g = rnnActivationCode(gate);
  return a === null || g === null ? null : { activation: a, gate: g };
}

/** The loop options the fused op takes from the RNN layer. */
export interface FusedLoop {
  goBackwards: boolean;
  returnSequences: boolean;
  zeroOutputForMask: boolean;
  returnState: boolean;
}

/**
 * Runs `cell` over `x` `[batch, steps, features]` as one op: dropout masks drawn as the per-step path
 * draws them (inputs, then state), the input projection of all steps in one product, then the fused
 * recurrence. Returns the layer's output and the final states.
 */
export function runFused(cell: FusedCell, x: Tensor, initial: Tensor[], mask: Tensor | null, training: boolean, loop: FusedLoop): { output: Tensor; states: Tensor[] } {
  const masks = cell.drawMasks(x.shape[0], x.shape[2], training);
  const xw = cell.projectInputs(x, masks.input);
  return recurrence(xw, cell.recurrentKernel, cell.recurrentBias, initial, {
    kind: cell.kind,
    activation: cell.activation,
    gate: cell.gate,
    resetAfter: cell.resetAfter,
    goBackwards: loop.goBackwards,
    returnSequences: loop.returnSequences,
    zeroOutputForMask: loop.zeroOutputForMask,
    stepMask: mask === null ? null : mask.data,
    recurrentMasks: masks.recurrent === null ? null : masks.recurrent.map((m) => m.data),
    statesNeedGrad: loop.returnState,
  });
}
