import { ShapeError, ValueError } from '../util/errors.js';
import { formatShape } from '../util/shape.js';
import { Rng } from '../util/random.js';
import { NestedArray, Tensor } from '../tensor/tensor.js';
import { tensor } from '../tensor/creation.js';

/** Any numeric typed array. */
export type NumericArray = Float32Array | Float64Array | Int8Array | Uint8Array | Uint8ClampedArray | Int16Array | Uint16Array | Int32Array | Uint32Array;

/**
 * A typed array with the shape to read it in (row-major), e.g. pixels straight from a file.
 * @example model.predict({ values: new Uint8Array(pixels), shape: [1, 28, 28, 1] });
 */
export interface ShapedArray {
  /** The values, row-major. */
  readonly values: NumericArray;
  /** The dimensions, samples first; their product must equal `values.length`. */
  readonly shape: readonly number[];
}

/**
 * What fit / evaluate / predict accept for x and y: a Tensor, nested number arrays, a `number[]` of labels,
 * a typed array (one value per sample), or a typed array with its shape. Not a bare number or a string.
 */
export type DataLike = Tensor | readonly NestedArray[] | readonly number[] | NumericArray | ShapedArray;

/** A typed array with a `shape` array beside it. */
function isShapedArray(value: unknown): value is ShapedArray {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<ShapedArray>;
  return ArrayBuffer.isView(v.values) && !(v.values instanceof DataView) && Array.isArray(v.shape);
}

/** Converts `value` to a tensor with at least one (sample) axis; `what` (`'fit: x'`) names it in messages. */
export function toTensor(value: unknown, what: string): Tensor {
  let t: Tensor;
  if (value instanceof Tensor) {
    t = value;
  } else if (isShapedArray(value)) {
    const data = Float32Array.from(value.values as ArrayLike<number>);
    try {
      t = tensor(data, value.shape);
    } catch (e) {
      throw new ShapeError(`${what}: a typed array with shape: ${(e as Error).message}`);
    }
    if (t.size !== value.values.length) throw new ShapeError(`${what}: shape ${formatShape(value.shape)} needs ${t.size} values, the typed array has ${value.values.length}`);
  } else if (ArrayBuffer.isView(value) && !(value instanceof DataView) && !(value instanceof Float32Array)) {
    t = tensor(Float32Array.from(value as unknown as ArrayLike<number>));
  } else if (Array.isArray(value) || value instanceof Float32Array) {
    try {
      t = tensor(value as NestedArray);
    } catch (e) {
      throw new ValueError(`${what}: expected a Tensor or nested arrays of numbers; ${(e as Error).message}`);
    }
  } else {
    throw new ValueError(`${what}: expected a Tensor, nested arrays of numbers or a number[] of labels, received ${value === null ? 'null' : typeof value}`);
  }
  if (t.rank === 0) throw new ShapeError(`${what}: expected samples along a first axis, received a scalar (shape [])`);
  if (t.shape[0] === 0) throw new ValueError(`${what}: expected at least one sample, received an empty array (shape ${formatShape(t.shape)})`);
  return t;
}

/** Throws when `t` holds NaN or ±Infinity, saying where (sample and flat position). */
export function checkFinite(t: Tensor, what: string): void {
  const per = t.size / t.shape[0];
  for (let i = 0; i < t.size; i++) {
    if (!Number.isFinite(t.data[i])) {
      throw new ValueError(`${what}: expected finite numbers, received ${t.data[i]} in sample ${Math.floor(i / per)} (flat position ${i})`);
    }
  }
}

/** Throws unless x and y have the same number of samples. */
export function checkSameSamples(x: Tensor, y: Tensor, op: string): void {
  if (x.shape[0] !== y.shape[0]) {
    throw new ShapeError(
      `${op}: x and y must have the same number of samples, received x with ${x.shape[0]} (shape ${formatShape(x.shape)}) ` +
        `and y with ${y.shape[0]} (shape ${formatShape(y.shape)})`,
    );
  }
}

/** Samples [start, end) of `t` in order; a view on the same memory (nothing is copied). */
export function sliceSamples(t: Tensor, start: number, end: number): Tensor {
  const per = t.size / t.shape[0];
  return new Tensor(t.data.subarray(start * per, end * per), [end - start, ...t.shape.slice(1)]);
}

/** The samples `order[start .. end)` of `t`, copied into a new batch tensor. */
export function takeSamples(t: Tensor, order: Int32Array, start: number, end: number): Tensor {
  const per = t.size / t.shape[0];
  const out = new Float32Array((end - start) * per);
  const src = t.data;
  for (let b = start; b < end; b++) {
    const from = order[b] * per;
    const to = (b - start) * per;
    for (let j = 0; j < per; j++) out[to + j] = src[from + j];
  }
  return new Tensor(out, [end - start, ...t.shape.slice(1)]);
}

/** Weights `w[order[start .. end)]` (or the slice in order when `order` is null). */
export function takeWeights(w: Float32Array, order: Int32Array | null, start: number, end: number): Float32Array {
  if (order === null) return w.subarray(start, end);
  const out = new Float32Array(end - start);
  for (let b = start; b < end; b++) out[b - start] = w[order[b]];
  return out;
}

/** 0, 1, …, n−1 in an order drawn by a Fisher–Yates shuffle from `rng`. */
export function shuffledOrder(n: number, rng: Rng): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const tmp = order[i];
    order[i] = order[j];
    order[j] = tmp;
  }
  return order;
}

/** Identity order 0 … n−1. */
export function identityOrder(n: number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return order;
}
