import { sizeOf, stridesOf } from '../util/shape.js';

/**
 * `out` = `x` (laid out in `shape`) with its axes permuted: output axis k is input axis `perm[k]`.
 * Walks the output in order, so writes are contiguous and reads stride through the input.
 */
export function transposeKernel(x: Float32Array, shape: readonly number[], perm: readonly number[], out: Float32Array): void {
  const rank = shape.length;
  if (out.length === 0) return;
  if (rank === 0) {
    out[0] = x[0];
    return;
  }
  const inStrides = stridesOf(shape);
  const outShape = perm.map((p) => shape[p]);
  const step = perm.map((p) => inStrides[p]);
  const run = outShape[rank - 1];
  const runStep = step[rank - 1];
  const counter = new Array<number>(rank).fill(0);
  let src = 0;
  for (let dst = 0; dst < out.length; dst += run) {
    for (let j = 0; j < run; j++) out[dst + j] = x[src + j * runStep];
    src = advance(counter, outShape, step, src, rank - 2);
  }
}

/**
 * Copies the box `begin .. begin + size` of `big` (laid out in `bigShape`) to the dense `small`
 * (`toSmall`), or back from `small` into that box of `big`. Slice, concat and their gradients are
 * this one loop: one contiguous run along the last axis per row of the box.
 */
export function copyBox(
  big: Float32Array,
  bigShape: readonly number[],
  begin: readonly number[],
  size: readonly number[],
  small: Float32Array,
  toSmall: boolean,
): void {
  const rank = bigShape.length;
  const total = sizeOf(size);
  if (total === 0) return;
  if (rank === 0) {
    if (toSmall) small[0] = big[0];
    else big[0] = small[0];
    return;
  }
  const strides = stridesOf(bigShape);
  let offset = 0;
  for (let ax = 0; ax < rank; ax++) offset += begin[ax] * strides[ax];
  const run = size[rank - 1];
  const counter = new Array<number>(rank).fill(0);
  for (let s = 0; s < total; s += run) {
    if (toSmall) for (let j = 0; j < run; j++) small[s + j] = big[offset + j];
    else for (let j = 0; j < run; j++) big[offset + j] = small[s + j];
    offset = advance(counter, size, strides, offset, rank - 2);
  }
}

/**
 * Odometer step over axes `top..0` of `dims`: increments the multi-index `counter` and returns the
 * offset moved by `step` along each axis that changed.
 */
function advance(counter: number[], dims: readonly number[], step: readonly number[], offset: number, top: number): number {
  for (let ax = top; ax >= 0; ax--) {
    counter[ax]++;
    offset += step[ax];
    if (counter[ax] < dims[ax]) return offset;
    offset -= step[ax] * counter[ax];
    counter[ax] = 0;
  }
  return offset;
}

/**
 * `out[o, k, i] = x[o, indices[k], i]` for `x` laid out as [outer, n, inner] and `out` as
 * [outer, indices.length, inner]. Indices must be valid (the op checks them).
 */
export function gatherKernel(x: Float32Array, outer: number, n: number, inner: number, indices: Int32Array, out: Float32Array): void {
  const m = indices.length;
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < m; k++) {
      const src = (o * n + indices[k]) * inner;
      const dst = (o * m + k) * inner;
      for (let i = 0; i < inner; i++) out[dst + i] = x[src + i];
    }
  }
}

/** The gradient of gather: adds `dy[o, k, i]` into `dx[o, indices[k], i]` (repeated indices accumulate). */
export function scatterAddKernel(dy: Float32Array, outer: number, n: number, inner: number, indices: Int32Array, dx: Float32Array): void {
  const m = indices.length;
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < m; k++) {
      const dst = (o * n + indices[k]) * inner;
      const src = (o * m + k) * inner;
      for (let i = 0; i < inner; i++) dx[dst + i] += dy[src + i];
    }
  }
}

/** Row i of `out` ([indices.length, depth]) is `off` everywhere but `on` at column `indices[i]`. */
export function oneHotKernel(indices: Int32Array, depth: number, on: number, off: number, out: Float32Array): void {
  out.fill(off);
  for (let i = 0; i < indices.length; i++) out[i * depth + indices[i]] = on;
}
