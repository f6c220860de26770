import { ShapeError, ValueError } from './errors.js';
import { describeValue } from './describe.js';
import { MAX_ELEMENTS, MAX_RANK } from './limits.js';

/** Renders a shape the way messages show it: `[2, 3]`, with an unknown (batch) dimension as `None` as Keras does. */
export function formatShape(shape: readonly (number | null)[]): string {
  return `[${shape.map((d) => (d === null ? 'None' : d)).join(', ')}]`;
}

/** Number of elements of a shape (1 for a scalar). */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides: `strides[i]` is the distance between neighbours along axis i. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

/** True when both shapes have the same rank and dimensions. */
export function shapesEqual(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Checks that `shape` is an array of at most MAX_RANK non-negative integers whose product a
 * Float32Array can hold; `what` names the caller in the message.
 */
export function assertValidShape(shape: readonly number[], what: string): void {
  if (!Array.isArray(shape) || shape.length > MAX_RANK || shape.some((d) => typeof d !== 'number' || !Number.isInteger(d) || d < 0)) {
    const rank = Array.isArray(shape) && shape.length > MAX_RANK ? ` (rank ${shape.length}; at most ${MAX_RANK} axes)` : '';
    throw new ShapeError(`${what}: expected a shape of non-negative integers, received ${describeValue(shape)}${rank}`);
  }
  checkElementCount(shape, what);
}

/** Throws unless a tensor of `shape` fits in one Float32Array (at most MAX_ELEMENTS values). */
export function checkElementCount(shape: readonly number[], what: string): void {
  const size = sizeOf(shape);
  if (!(size <= MAX_ELEMENTS)) {
    throw new ShapeError(`${what}: shape ${formatShape(shape)} has ${size} elements, more than a Float32Array can hold (${MAX_ELEMENTS})`);
  }
}

/** NumPy broadcasting of two shapes; throws a ShapeError naming `op` and both shapes. */
export function broadcastShapes(a: readonly number[], b: readonly number[], op: string): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = i - (rank - a.length) >= 0 ? a[i - (rank - a.length)] : 1;
    const db = i - (rank - b.length) >= 0 ? b[i - (rank - b.length)] : 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(
        `${op}: shapes ${formatShape(a)} and ${formatShape(b)} cannot be broadcast together ` +
          `(axis ${i} of the broadcast result: ${da} vs ${db}; each pair must be equal or contain a 1)`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * For every element of `outShape` (row-major), the flat index of the element of `inShape`
 * that broadcasting maps onto it. `inShape` must broadcast to `outShape`.
 */
export function broadcastIndex(inShape: readonly number[], outShape: readonly number[]): Int32Array {
  const size = sizeOf(outShape);
  const index = new Int32Array(size);
  const rank = outShape.length;
  const offset = rank - inShape.length;
  const inStrides = stridesOf(inShape);
  // Stride of each output axis in the input: 0 where the input is broadcast along it.
  const step = new Array<number>(rank).fill(0);
  for (let i = offset; i < rank; i++) step[i] = inShape[i - offset] === 1 ? 0 : inStrides[i - offset];
  const counter = new Array<number>(rank).fill(0);
  let src = 0;
  for (let k = 0; k < size; k++) {
    index[k] = src;
    // Odometer increment of the output index, carrying the input offset along.
    for (let ax = rank - 1; ax >= 0; ax--) {
      counter[ax]++;
      src += step[ax];
      if (counter[ax] < outShape[ax]) break;
      src -= step[ax] * counter[ax];
      counter[ax] = 0;
    }
  }
  return index;
}

/** Resolves possibly negative axes against `rank`, sorted and unique; `undefined` means all axes. */
export function normalizeAxes(axis: number | readonly number[] | undefined, rank: number, op: string): number[] {
  if (axis === undefined || axis === null) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axis === 'number' ? [axis] : [...axis];
  const out = new Set<number>();
  for (const a of list) out.add(normalizeAxis(a, rank, op));
  return [...out].sort((x, y) => x - y);
}

/** Resolves one possibly negative axis against `rank`. */
export function normalizeAxis(axis: number, rank: number, op: string): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= Math.max(rank, 1)) {
    throw new ValueError(`${op}: expected an integer axis in [${-rank}, ${Math.max(rank - 1, 0)}] for a rank-${rank} tensor, received ${axis}`);
  }
  return axis < 0 ? axis + rank : axis;
}
