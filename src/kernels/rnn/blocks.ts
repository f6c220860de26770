import { broadcastRows } from '../bias.js';
import { gemm } from '../gemm.js';
import { gateCount, RnnArrays, RnnConfig, RnnKind } from './config.js';

/**
 * One recurrent product of a step: columns [col, col + width) of the pre-activations are
 * (h·mask)·U_block (+ bias). `late` is the GRU candidate block without resetAfter, whose operand
 * (r·h) is known only after the gates. `hr` is the tape of its operands (`[steps·batch, units]`),
 * `drec` of its output gradients (`[steps·batch, width]`), `out` one step's product.
 */
export interface Block {
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

/** Columns [col, col + width) of a row-major `[rows, cols]` matrix as a dense `[rows, width]` copy. */
export function columns(src: Float32Array, rows: number, cols: number, col: number, width: number): Float32Array {
  const out = new Float32Array(rows * width);
  for (let r = 0; r < rows; r++) out.set(src.subarray(r * cols + col, r * cols + col + width), r * width);
  return out;
}

/** Writes a dense `[rows, width]` block into columns [col, col + width) of `[rows, cols]` `dst`. */
export function putColumns(block: Float32Array, rows: number, width: number, dst: Float32Array, cols: number, col: number): void {
  for (let r = 0; r < rows; r++) dst.set(block.subarray(r * width, (r + 1) * width), r * cols + col);
}

/** The recurrent products of one step, as the per-step graph splits them (one, or one per masked gate). */
export function makeBlocks(config: RnnConfig, arrays: RnnArrays, h: Float32Array): Block[] {
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
export function masked(h: Float32Array, m: Float32Array, out: Float32Array): void {
  for (let i = 0; i < out.length; i++) out[i] = h[i] * m[i];
}

/** One block's product for a step: `out` (or `rec` when the block spans it) = operand·U_block (+ bias). */
export function product(bl: Block, operand: Float32Array, rows: number, u: number, rec: Float32Array, full: number): void {
  const target = bl.col === 0 && bl.width === full ? rec : bl.out;
  if (bl.bias !== null) broadcastRows(bl.bias, rows, bl.width, target);
  gemm(rows, bl.width, u, operand, false, bl.kernel, false, target, bl.bias !== null);
  if (target !== rec && !bl.late) putColumns(target, rows, bl.width, rec, full, bl.col);
}
