import { gemm } from './gemm.js';
import { broadcastRows } from './bias.js';
import { col2im, im2col, patchSize } from './im2col.js';
import { Window2D } from './window2d.js';
import { getGemmPath } from './wasm/gemm-path.js';
import { type Conv2DGrads } from './wasm/conv-wasm.js';
import { conv2dBackwardChunked, conv2dForwardChunked } from './wasm/conv-chunks.js';
import { sumRows } from './bias.js';

export type { Conv2DGrads } from './wasm/conv-wasm.js';

/**
 * Convolution lowered onto GEMM. The batch·outH·outW output pixels are the rows of one big matrix
 * product Y = cols · F, with F the filter [kh, kw, inC, outC] read as a [kh·kw·inC, outC] matrix;
 * the patch matrix is built in chunks of rows so it stays around a megabyte whatever the batch.
 * The gradients are the two other products of the same factorisation:
 *   dcols = dY · Fᵀ  (then scattered back by col2im)      dF = colsᵀ · dY  (summed over chunks)
 */

/** Patch-matrix elements per chunk (4 MB of float32 at most, ~1 MB typical). */
const CHUNK_ELEMENTS = 1 << 18;

/** Output pixels per chunk for a patch length `k`. */
function chunkRows(k: number): number {
  return Math.max(1, Math.floor(CHUNK_ELEMENTS / Math.max(k, 1)));
}

/** True when every patch is one input pixel: 1×1 filter, stride 1, no padding, so cols = x. */
function patchesAreInput(g: Window2D): boolean {
  return g.filterHeight === 1 && g.filterWidth === 1 && g.strideHeight === 1 && g.strideWidth === 1 && g.padTop === 0 && g.padLeft === 0;
}

/**
 * True when the direct WebAssembly kernels run this convolution: whenever the GEMM path is not plain JS
 * (forced or chosen), and there is something to compute.
 */
function useWasm(g: Window2D): boolean {
  return getGemmPath() !== 'js' && g.inChannels > 0 && g.outChannels > 0 && pixels(g) > 0;
}

/** Number of output pixels (rows of the lowered product). */
function pixels(g: Window2D): number {
  return g.batch * g.outHeight * g.outWidth;
}

/**
 * y = conv2d(x, filter) + bias over NHWC `x`, TF filter layout, `y` of shape [batch, outH, outW, outC],
 * then max(y, 0) when `relu`. `bias` (length outC) may be null.
 */
export function conv2dForward(x: Float32Array, filter: Float32Array, bias: Float32Array | null, g: Window2D, y: Float32Array, relu = false): void {
  if (useWasm(g)) {
    conv2dForwardChunked(x, filter, bias, g, y, relu);
    return;
  }
  conv2dForwardJs(x, filter, bias, g, y);
  if (relu) {
    const n = pixels(g) * g.outChannels;
    for (let i = 0; i < n; i++) if (y[i] < 0) y[i] = 0;
  }
}

/** The plain-JS forward pass: im2col chunks times the filter on the GEMM. */
function conv2dForwardJs(x: Float32Array, filter: Float32Array, bias: Float32Array | null, g: Window2D, y: Float32Array): void {
  const rows = pixels(g);
  const k = patchSize(g);
  const n = g.outChannels;
  // The bias seeds the output and the products accumulate onto it: one pass, no second sweep.
  if (bias !== null) broadcastRows(bias, rows, n, y);
  const add = bias !== null;
  if (patchesAreInput(g)) {
    gemm(rows, n, k, x, false, filter, false, y, add);
    return;
  }
  const step = chunkRows(k);
  const cols = new Float32Array(Math.min(step, rows) * k);
  for (let r0 = 0; r0 < rows; r0 += step) {
    const r1 = Math.min(r0 + step, rows);
    im2col(x, g, r0, r1, cols);
    gemm(r1 - r0, n, k, cols, false, filter, false, y.subarray(r0 * n, r1 * n), add);
  }
}

/** dx = the input gradient of conv2d: col2im(dy · Fᵀ). Overwrites `dx` (the input's size). */
export function conv2dGradInput(dy: Float32Array, filter: Float32Array, g: Window2D, dx: Float32Array): void {
  if (useWasm(g)) {
    conv2dBackwardChunked(new Float32Array(0), filter, dy, null, g, { dx, dFilter: null, db: null });
    return;
  }
  const rows = pixels(g);
  const k = patchSize(g);
  const n = g.outChannels;
  if (patchesAreInput(g)) {
    gemm(rows, k, n, dy, false, filter, true, dx);
    return;
  }
  dx.fill(0);
  const step = chunkRows(k);
  const dcols = new Float32Array(Math.min(step, rows) * k);
  for (let r0 = 0; r0 < rows; r0 += step) {
    const r1 = Math.min(r0 + step, rows);
    gemm(r1 - r0, k, n, dy.subarray(r0 * n, r1 * n), false, filter, true, dcols);
    col2im(dcols, g, r0, r1, dx);
  }
}

/** dF = the filter gradient of conv2d: colsᵀ · dy summed over all output pixels. Overwrites `dFilter`. */
export function conv2dGradFilter(x: Float32Array, dy: Float32Array, g: Window2D, dFilter: Float32Array): void {
  if (useWasm(g)) {
    conv2dBackwardChunked(x, new Float32Array(0), dy, null, g, { dx: null, dFilter, db: null });
    return;
  }
  const rows = pixels(g);
  const k = patchSize(g);
  const n = g.outChannels;
  if (patchesAreInput(g)) {
    gemm(k, n, rows, x, true, dy, false, dFilter);
    return;
  }
  if (rows === 0) dFilter.fill(0);
  const step = chunkRows(k);
  const cols = new Float32Array(Math.min(step, rows) * k);
  for (let r0 = 0; r0 < rows; r0 += step) {
    const r1 = Math.min(r0 + step, rows);
    im2col(x, g, r0, r1, cols);
    gemm(k, n, r1 - r0, cols, true, dy.subarray(r0 * n, r1 * n), false, dFilter, r0 > 0);
  }
}

/**
 * All wanted gradients of y = conv2d(x, filter) + bias, then ReLU when `reluY` (the forward output)
 * is given: dy is masked by y > 0 first. Outputs left null in `out` are skipped; the rest are overwritten.
 */
export function conv2dBackward(x: Float32Array, filter: Float32Array, dy: Float32Array, reluY: Float32Array | null, g: Window2D, out: Conv2DGrads): void {
  if (useWasm(g)) {
    conv2dBackwardChunked(x, filter, dy, reluY, g, out);
    return;
  }
  const d = reluY === null ? dy : reluMask(dy, reluY);
  if (out.dx !== null) conv2dGradInput(d, filter, g, out.dx);
  if (out.dFilter !== null) conv2dGradFilter(x, d, g, out.dFilter);
  if (out.db !== null) sumRows(d, pixels(g), g.outChannels, out.db);
}

/** dy where the ReLU's output is positive, else 0 (a new array: the upstream gradient is not ours to change). */
function reluMask(dy: Float32Array, y: Float32Array): Float32Array {
  const out = new Float32Array(dy.length);
  for (let i = 0; i < dy.length; i++) out[i] = y[i] > 0 ? dy[i] : 0;
  return out;
}
