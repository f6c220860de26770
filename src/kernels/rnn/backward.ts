import { sumRows } from '../bias.js';
import { gemm } from '../gemm.js';
import { masked, putColumns } from './blocks.js';
import { gruBackward, gruResetGrad, lstmBackward, simpleBackward, StepGeometry } from './cells.js';
import { gateCount, RnnKind } from './config.js';
import { RnnTape } from './forward.js';

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
