import { Block, makeBlocks, masked, product } from './blocks.js';
import { gruCandidate, gruGates, lstmForward, simpleForward, StepGeometry } from './cells.js';
import { gateCount, RnnArrays, RnnConfig, RnnKind } from './config.js';

/** What the forward pass keeps for the backward pass: per-step tapes, time-major in processing order. */
export interface RnnTape {
  config: RnnConfig;
  arrays: RnnArrays;
  blocks: Block[];
  /** The h state before each step and after the last, `[(steps + 1)·batch·units]`. */
  h: Float32Array;
  /** LSTM: the c state likewise. */
  c: Float32Array;
  /** Activated gates per step, `[steps·batch·G·units]` (SimpleRNN: the new h before masking). */
  gates: Float32Array;
  /** LSTM: act(c′); GRU with resetAfter: rec_h; per step `[steps·batch·units]`. */
  extra: Float32Array;
}

/**
 * Runs a recurrent cell over a whole sequence: per step the recurrent products (one GEMM, or one per
 * masked gate), then the cell's gate math in one pass over the batch. Masked steps keep the states
 * and repeat the previous output (zeros with `zeroOutputForMask`, or before any kept step), as the
 * per-step loop. Returns the output (`[batch, steps, units]` in processing order, or the last
 * `[batch, units]`), the final states, and the tape for `rnnBackward`.
 */
export function rnnForward(config: RnnConfig, arrays: RnnArrays): { output: Float32Array; states: Float32Array[]; tape: RnnTape } {
  const { batch: rows, steps, units: u, kind, goBackwards, returnSequences, zeroOutputForMask } = config;
  const G = gateCount(kind);
  const full = G * u;
  const slot = rows * u;
  const h = new Float32Array((steps + 1) * slot);
  const c = new Float32Array(kind === RnnKind.Lstm ? (steps + 1) * slot : 0);
  h.set(arrays.initial[0].subarray(0, slot));
  if (kind === RnnKind.Lstm) c.set(arrays.initial[1].subarray(0, slot));
  const gates = new Float32Array(steps * rows * full);
  const extra = new Float32Array(kind === RnnKind.Lstm || (kind === RnnKind.Gru && config.resetAfter) ? steps * slot : 0);
  const blocks = makeBlocks(config, arrays, h);
  const rec = new Float32Array(rows * full);
  const hm = new Float32Array(kind === RnnKind.Gru && !config.resetAfter ? slot : 0);
  const output = new Float32Array(returnSequences ? rows * steps * u : slot);
  const last = new Float32Array(slot);
  const mask = arrays.stepMask;
  for (let i = 0; i < steps; i++) {
    const tau = goBackwards ? steps - 1 - i : i;
    const geo: StepGeometry = { rows, u, steps, tau };
    const hPrev = h.subarray(i * slot, (i + 1) * slot);
    const hNext = h.subarray((i + 1) * slot, (i + 2) * slot);
    for (const bl of blocks) {
      if (bl.late) continue;
      let operand: Float32Array = hPrev;
      if (bl.mask !== null) {
        operand = bl.hr.subarray(i * slot, (i + 1) * slot);
        masked(hPrev, bl.mask, operand);
      }
      product(bl, operand, rows, u, rec, full);
    }
    const g = gates.subarray(i * rows * full, (i + 1) * rows * full);
    if (kind === RnnKind.Simple) {
      simpleForward(geo, config.activation, arrays.xw, rec, g);
      hNext.set(g);
    } else if (kind === RnnKind.Lstm) {
      const cNext = c.subarray((i + 1) * slot, (i + 2) * slot);
      lstmForward(geo, config.activation, config.gate, arrays.xw, rec, c.subarray(i * slot, (i + 1) * slot), g, extra.subarray(i * slot, (i + 1) * slot), hNext, cNext);
    } else if (config.resetAfter) {
      gruGates(geo, config.gate, config.activation, true, arrays.xw, rec, hPrev, g, extra.subarray(i * slot, (i + 1) * slot), hNext, hm, hm);
    } else {
      const late = blocks.find((bl) => bl.late)!;
      if (late.mask === null) hm.set(hPrev);
      else masked(hPrev, late.mask, hm);
      const q = late.hr.subarray(i * slot, (i + 1) * slot);
      gruGates(geo, config.gate, config.activation, false, arrays.xw, rec, hPrev, g, extra, hNext, hm, q);
      product(late, q, rows, u, rec, full);
      gruCandidate(geo, config.activation, arrays.xw, late.out, hPrev, g, hNext);
    }
    if (mask === null) {
      // Every row kept: the output is the new h.
      if (returnSequences) for (let b = 0; b < rows; b++) output.set(hNext.subarray(b * u, (b + 1) * u), (b * steps + i) * u);
      continue;
    }
    // Masked rows keep their states; the output repeats the previous one (or zeros).
    for (let b = 0; b < rows; b++) {
      const at = b * u;
      if (mask !== null && mask[b * steps + tau] === 0) {
        hNext.set(hPrev.subarray(at, at + u), at);
        if (kind === RnnKind.Lstm) c.copyWithin((i + 1) * slot + at, i * slot + at, i * slot + at + u);
        if (zeroOutputForMask) last.fill(0, at, at + u);
      } else {
        last.set(hNext.subarray(at, at + u), at);
      }
      if (returnSequences) output.set(last.subarray(at, at + u), (b * steps + i) * u);
    }
  }
  if (!returnSequences) output.set(mask === null ? h.subarray(steps * slot) : last);
  const states = [h.slice(steps * slot)];
  if (kind === RnnKind.Lstm) states.push(c.slice(steps * slot));
  return { output, states, tape: { config, arrays, blocks, h, c, gates, extra } };
}
