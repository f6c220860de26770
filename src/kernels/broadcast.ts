import { broadcastIndex } from '../util/shape.js';

/**
 * Sums `src` (laid out in `fromShape`) over the axes along which `toShape` was broadcast,
 * writing `out` (laid out in `toShape`). `toShape` must broadcast to `fromShape`.
 * Accumulates in float64 so long reductions do not lose precision.
 */
export function sumToShape(src: Float32Array, fromShape: readonly number[], toShape: readonly number[], out: Float32Array): void {
  const index = broadcastIndex(toShape, fromShape);
  const acc = new Float64Array(out.length);
  for (let k = 0; k < src.length; k++) acc[index[k]] += src[k];
  for (let i = 0; i < out.length; i++) out[i] = acc[i];
}

/** Copies `src` (laid out in `fromShape`) into `out`, repeating it along the broadcast axes of `toShape`. */
export function broadcastTo(src: Float32Array, fromShape: readonly number[], toShape: readonly number[], out: Float32Array): void {
  const index = broadcastIndex(fromShape, toShape);
  for (let k = 0; k < out.length; k++) out[k] = src[index[k]];
}
