import { broadcastRows, sumRows } from '../bias.js';
import { gemm } from '../gemm.js';
import { RnnActivation } from './activation.js';
import { gruBackward, gruCandidate, gruGates, gruResetGrad, lstmBackward, lstmForward, simpleBackward, simpleForward, StepGeometry } from './cells.js';

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

/**
 * One recurrent product of a step: columns [col, col + width) of the pre-activations are
 * (h·mask)·U_block (+ bias). `late` is the GRU candidate block without resetAfter, whose operand
 * (r·h) is known only after the gates. `hr` is the tape of its operands (`[steps·batch, units]`),
 * `drec` of its output gradients (`[steps·batch, width]`), `out` one step's product.
 */
interface Block {
  col: number;
  width: number;
  kernel: Float32Array;
  bias: Float32Array | null;
  mask: Float32Array | null;
  late: boolean;
  hr: Float32Array;
  drec: Float32Array;
  out: Float32Array;
}

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

/** The number of gate blocks along the `G·units` axis. */
export function gateCount(kind: RnnKind): number {
  return kind === RnnKind.Simple ? 1 : kind === RnnKind.Lstm ? 4 : 3;
}

/** Columns [col, col + width) of a row-major `[rows, cols]` matrix as a dense `[rows, width]` copy. */
function columns(src: Float32Array, rows: number, cols: number, col: number, width: number): Float32Array {
  const out = new Float32Array(rows * width);
  for (let r = 0; r < rows; r++) out.set(src.subarray(r * cols + col, r * cols + col + width), r * width);
  return out;
}

/** Writes a dense `[rows, width]` block into columns [col, col + width) of `[rows, cols]` `dst`. */
function putColumns(block: Float32Array, rows: number, width: number, dst: Float32Array, cols: number, col: number): void {
  for (let r = 0; r < rows; r++) dst.set(block.subarray(r * width, (r + 1) * width), r * cols + col);
}

/** The recurrent products of one step, as the per-step graph splits them (one, or one per masked gate). */
function makeBlocks(config: RnnConfig, arrays: RnnArrays, h: Float32Array): Block[] {
  const { batch, steps, units: u, kind } = config;
  const G = gateCount(kind);
  const full = G * u;
  const masks = arrays.recurrentMasks;
  const tapeRows = steps * batch;
  const block = (col: number, width: number, mask: Float32Array | null, late: boolean): Block => {
    const whole = col === 0 && width === full;
    return {
      col,
      width,
      kernel: whole ? arrays.recurrentKernel : columns(arrays.recurrentKernel, u, full, col, width),
      bias: arrays.recurrentBias === null ? null : arrays.recurrentBias.subarray(col, col + width),
      mask,
      late,
      // Unmasked operands are the h states themselves.
      hr: mask === null && !late ? h : new Float32Array(tapeRows * u),
      drec: new Float32Array(tapeRows * width),
      out: new Float32Array(batch * width),
    };
  };
  const lateH = kind === RnnKind.Gru && !config.resetAfter;
  if (masks === null) {
    return lateH ? [block(0, 2 * u, null, false), block(2 * u, u, null, true)] : [block(0, full, null, false)];
  }
  if (masks.length === 1) return [block(0, full, masks[0], false)];
  return masks.map((m, g) => block(g * u, u, m, lateH && g === 2));
}

/** h·m into `out` (rounded to float32 as the graph's mul). */
function masked(h: Float32Array, m: Float32Array, out: Float32Array): void {
  for (let i = 0; i < out.length; i++) out[i] = h[i] * m[i];
}

/** One block's product for a step: `out` (or `rec` when the block spans it) = operand·U_block (+ bias). */
function product(bl: Block, operand: Float32Array, rows: number, u: number, rec: Float32Array, full: number): void {
  const target = bl.col === 0 && bl.width === full ? rec : bl.out;
  if (bl.bias !== null) broadcastRows(bl.bias, rows, bl.width, target);
  gemm(rows, bl.width, u, operand, false, bl.kernel, false, target, bl.bias !== null);
  if (target !== rec && !bl.late) putColumns(target, rows, bl.width, rec, full, bl.col);
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

/**
 * The incoming gradients of backward step i split at the step mask: a kept row feeds the cell its
 * state gradients plus its output's (`dNewH`, `dNewC`) and passes nothing by; a masked row feeds the
 * cell zeros, keeps its state gradients (`dh`, `dc`) for the step before, and carries its output's
 * gradient to the previous output unless masked outputs are zeros.
 */
function splitAtMask(
  mask: Float32Array, steps: number, i: number, tau: number, u: number, rows: number,
  dOutput: Float32Array | null, returnSequences: boolean, zeroOutputForMask: boolean,
  dh: Float32Array, dc: Float32Array, dNewH: Float32Array, dNewC: Float32Array, carry: Float32Array,
): void {
  for (let b = 0; b < rows; b++) {
    const at = b * u;
    const keep = mask[b * steps + tau] !== 0;
    for (let j = at; j < at + u; j++) {
      let dOut = carry[j];
      if (dOutput !== null) {
        if (returnSequences) dOut += dOutput[(b * steps + i) * u + j - at];
        else if (i === steps - 1) dOut += dOutput[j];
      }
      if (keep) {
        dNewH[j] = dh[j] + dOut;
        dNewC[j] = dc[j];
        dh[j] = 0;
        dc[j] = 0;
        carry[j] = 0;
      } else {
        dNewH[j] = 0;
        dNewC[j] = 0;
        carry[j] = zeroOutputForMask ? 0 : dOut;
      }
    }
  }
}

/** The gradients of a fused pass: of xw, the recurrent kernel, the recurrent bias (or null) and the initial states. */
export interface RnnGradients {
  dxw: Float32Array;
  dKernel: Float32Array;
  dBias: Float32Array | null;
  dInitial: Float32Array[];
}

/**
 * Backpropagation through time over the tape of `rnnForward`, from the gradient of its output (or
 * null) and of its final states (null entries for none). The products' kernel gradients are summed
 * over all steps in one GEMM per block at the end (hᵀ·drec over steps·batch rows).
 */
export function rnnBackward(tape: RnnTape, dOutput: Float32Array | null, dStates: (Float32Array | null)[]): RnnGradients {
  const { config, arrays, blocks, h, c, gates, extra } = tape;
  const { batch: rows, steps, units: u, kind, goBackwards, returnSequences, zeroOutputForMask } = config;
  const G = gateCount(kind);
  const full = G * u;
  const slot = rows * u;
  const dxw = new Float32Array(rows * steps * full);
  const dh = new Float32Array(slot);
  const dc = new Float32Array(slot);
  if (dStates[0]) dh.set(dStates[0]);
  if (kind === RnnKind.Lstm && dStates[1]) dc.set(dStates[1]);
  const dNewH = new Float32Array(slot);
  const dNewC = new Float32Array(slot);
  const carry = new Float32Array(slot);
  const dhr = new Float32Array(slot);
  const hm = new Float32Array(kind === RnnKind.Gru && !config.resetAfter ? slot : 0);
  const whole = blocks.length === 1 && blocks[0].width === full;
  const drecScratch = whole ? null : new Float32Array(rows * full);
  const mask = arrays.stepMask;
  for (let i = steps - 1; i >= 0; i--) {
    const tau = goBackwards ? steps - 1 - i : i;
    const geo: StepGeometry = { rows, u, steps, tau };
    if (mask === null) {
      // Every row kept: the cell sees the state's gradient plus the output's.
      for (let j = 0; j < slot; j++) {
        dNewH[j] = dh[j];
        dNewC[j] = dc[j];
      }
      if (dOutput !== null && returnSequences) {
        for (let b = 0; b < rows; b++) {
          const from = (b * steps + i) * u;
          for (let j = 0; j < u; j++) dNewH[b * u + j] += dOutput[from + j];
        }
      } else if (dOutput !== null && i === steps - 1) {
        for (let j = 0; j < slot; j++) dNewH[j] += dOutput[j];
      }
      dh.fill(0);
      dc.fill(0);
    } else {
      splitAtMask(mask, steps, i, tau, u, rows, dOutput, returnSequences, zeroOutputForMask, dh, dc, dNewH, dNewC, carry);
    }
    const drec = whole ? blocks[0].drec.subarray(i * rows * full, (i + 1) * rows * full) : drecScratch!;
    const g = gates.subarray(i * rows * full, (i + 1) * rows * full);
    const hPrev = h.subarray(i * slot, (i + 1) * slot);
    if (kind === RnnKind.Simple) {
      simpleBackward(geo, config.activation, g, dNewH, drec, dxw);
    } else if (kind === RnnKind.Lstm) {
      lstmBackward(geo, config.activation, config.gate, g, extra.subarray(i * slot, (i + 1) * slot), c.subarray(i * slot, (i + 1) * slot), dNewH, dNewC, dc, drec, dxw);
    } else {
      gruBackward(geo, config.gate, config.activation, config.resetAfter, g, extra.subarray(i * slot, (i + 1) * slot), hPrev, dNewH, dh, drec, dxw);
      if (!config.resetAfter) {
        const late = blocks.find((bl) => bl.late)!;
        const dLate = late.drec.subarray(i * slot, (i + 1) * slot);
        for (let b = 0; b < rows; b++) dLate.set(drec.subarray(b * full + 2 * u, b * full + 3 * u), b * u);
        gemm(rows, u, u, dLate, false, late.kernel, true, dhr);
        if (late.mask === null) hm.set(hPrev);
        else masked(hPrev, late.mask, hm);
        gruResetGrad(geo, config.gate, g, hm, late.mask, dhr, dh, drec, dxw);
      }
    }
    for (const bl of blocks) {
      if (bl.late) continue;
      const width = bl.width;
      const d = whole ? drec : bl.drec.subarray(i * rows * width, (i + 1) * rows * width);
      if (!whole) for (let b = 0; b < rows; b++) d.set(drec.subarray(b * full + bl.col, b * full + bl.col + width), b * width);
      if (bl.mask === null) {
        gemm(rows, u, width, d, false, bl.kernel, true, dh, true);
      } else {
        gemm(rows, u, width, d, false, bl.kernel, true, dhr);
        for (let j = 0; j < slot; j++) dh[j] += dhr[j] * bl.mask[j];
      }
    }
  }
  const dKernel = new Float32Array(u * full);
  const dBias = arrays.recurrentBias === null ? null : new Float32Array(full);
  const tapeRows = steps * rows;
  for (const bl of blocks) {
    const dk = bl.col === 0 && bl.width === full ? dKernel : new Float32Array(u * bl.width);
    gemm(u, bl.width, tapeRows, bl.hr, true, bl.drec, false, dk);
    if (dk !== dKernel) putColumns(dk, u, bl.width, dKernel, full, bl.col);
    if (dBias !== null && bl.bias !== null) sumRows(bl.drec, tapeRows, bl.width, dBias.subarray(bl.col, bl.col + bl.width));
  }
  return { dxw, dKernel, dBias, dInitial: kind === RnnKind.Lstm ? [dh, dc] : [dh] };
}
