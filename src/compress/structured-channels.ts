import { Tensor } from '../tensor/tensor.js';
import { Layer } from '../layers/layer.js';

/**
 * Channel bookkeeping shared by the Sequential and functional paths of `pruneStructured`: slicing a
 * weight along one axis, ranking output channels by norm, and which layers let a channel selection
 * pass through them unchanged.
 */

/** Layers that act on each channel (last axis) alone, so removed channels pass through them unchanged. */
const CHANNELWISE = new Set([
  'MaxPooling2D', 'AveragePooling2D', 'GlobalMaxPooling2D', 'GlobalAveragePooling2D',
  'Dropout', 'Activation', 'ReLU', 'LeakyReLU', 'ELU',
]);

/**
 * True when `layer` maps channel c of its input to channel c of its output and nothing else; an
 * Activation 'softmax' mixes the channels (it normalizes over the last axis), so it is not.
 */
export function passesChannels(layer: Layer): boolean {
  if (!CHANNELWISE.has(layer.className)) return false;
  return layer.className !== 'Activation' || layer.getConfig().activation !== 'softmax';
}

/** The entries of a row-major tensor whose index along `axis` is in `keep`, in order. */
export function takeAlong(t: Tensor, axis: number, keep: readonly number[]): Tensor {
  const shape = [...t.shape];
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const n = shape[axis];
  const out = new Float32Array(outer * keep.length * inner);
  let o = 0;
  for (let a = 0; a < outer; a++) for (const j of keep) for (let i = 0; i < inner; i++) out[o++] = t.data[(a * n + j) * inner + i];
  shape[axis] = keep.length;
  return new Tensor(out, shape);
}

/** Indices of the ⌊fraction·n⌋ output channels (last axis of `kernel`) with the smallest norm; ties go to the lower index. */
export function weakestChannels(kernel: Tensor, fraction: number, norm: 'l1' | 'l2'): number[] {
  const n = kernel.shape[kernel.rank - 1];
  const norms = new Float64Array(n);
  kernel.data.forEach((v, i) => (norms[i % n] += norm === 'l1' ? Math.abs(v) : v * v));
  const drop = Math.min(Math.floor(fraction * n), n - 1);
  const order = Array.from({ length: n }, (_, j) => j).sort((a, b) => norms[a] - norms[b] || a - b);
  return order.slice(0, drop).sort((a, b) => a - b);
}

/** The indices 0 … n−1 not in `removed`, ascending. */
export function complement(n: number, removed: readonly number[]): number[] {
  const out = new Set(removed);
  return Array.from({ length: n }, (_, j) => j).filter((j) => !out.has(j));
}

/** Flatten of [.., C] is channel-fastest: channel c of position p becomes feature p·C + c, for every p. */
export function flattenedIndices(removed: readonly number[], channels: number, positions: number): number[] {
  return Array.from({ length: positions }, (_, p) => removed.map((c) => p * channels + c)).flat();
}
