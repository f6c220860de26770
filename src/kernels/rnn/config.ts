import { RnnActivation } from './activation.js';

/** The recurrent cells the fused sequence op knows. */
export const enum RnnKind {
  Simple,
  Lstm,
  Gru,
}

/** What a fused pass over a sequence computes (sizes and options). */
export interface RnnConfig {
  kind: RnnKind;
  batch: number;
  steps: number;
  units: number;
  activation: RnnActivation;
  /** The gate activation (LSTM, GRU). */
  gate: RnnActivation;
  /** GRU: the reset gate after the recurrent product. */
  resetAfter: boolean;
  goBackwards: boolean;
  returnSequences: boolean;
  zeroOutputForMask: boolean;
}

/** The arrays of a fused pass; G is 1 (SimpleRNN), 4 (LSTM) or 3 (GRU). */
export interface RnnArrays {
  /** x·kernel + input bias, `[batch, steps, G·units]`. */
  xw: Float32Array;
  /** `[units, G·units]`. */
  recurrentKernel: Float32Array;
  /** GRU with resetAfter: the recurrent bias `[G·units]`; else null. */
  recurrentBias: Float32Array | null;
  /** The initial states, `[batch·units]` each (h; LSTM h, c). */
  initial: Float32Array[];
  /** `[batch, steps]`, nonzero keeps a step; null keeps all. */
  stepMask: Float32Array | null;
  /** Recurrent dropout: one mask (SimpleRNN) or one per gate, `[batch·units]` each; null for none. */
  recurrentMasks: Float32Array[] | null;
}

/** The number of gate blocks along the `G·units` axis. */
export function gateCount(kind: RnnKind): number {
  return kind === RnnKind.Simple ? 1 : kind === RnnKind.Lstm ? 4 : 3;
}
