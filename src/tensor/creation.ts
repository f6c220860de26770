import { ShapeError, ValueError } from '../util/errors.js';
import { assertValidShape, formatShape, sizeOf } from '../util/shape.js';
import { makeRng, normal } from '../util/random.js';
import { describeValue } from '../util/describe.js';
import { MAX_RANK } from '../util/limits.js';
import { checkNumberArg } from '../util/numbers.js';
import { NestedArray, Tensor } from './tensor.js';

/** What `tensor()` accepts: a number, nested arrays, a Float32Array or a flat `number[]`. */
export type TensorLike = number | NestedArray | Float32Array | readonly number[];

/** Shape of nested arrays, checking they are rectangular. */
function inferShape(values: NestedArray): number[] {
  const shape: number[] = [];
  let v: NestedArray = values;
  while (Array.isArray(v)) {
    // NOTE: the depth is capped here, so flattenInto's recursion is at most MAX_RANK deep.
    if (shape.length === MAX_RANK) throw new ShapeError(`tensor: nested arrays deeper than ${MAX_RANK} levels; at most ${MAX_RANK} axes are supported`);
    shape.push(v.length);
    if (v.length === 0) break;
    v = v[0];
  }
  return shape;
}

function flattenInto(values: NestedArray, shape: number[], axis: number, out: Float32Array, pos: { i: number }): void {
  if (axis === shape.length) {
    if (typeof values !== 'number') {
      throw new ValueError(`tensor: expected a number at depth ${axis}, received ${Array.isArray(values) ? 'an array (ragged nesting)' : describeValue(values)}`);
    }
    out[pos.i++] = values;
    return;
  }
  if (!Array.isArray(values) || values.length !== shape[axis]) {
    throw new ShapeError(
      `tensor: nested arrays must be rectangular; expected length ${shape[axis]} at depth ${axis} (shape ${formatShape(shape)}), ` +
        `received ${Array.isArray(values) ? `length ${values.length}` : typeof values}`,
    );
  }
  for (const v of values) flattenInto(v, shape, axis + 1, out, pos);
}

/**
 * Creates a tensor from values, copying them. The shape is inferred from nesting unless given.
 * @example tensor([[1, 2], [3, 4]]); tensor([1, 2, 3, 4], [2, 2]); tensor(3);
 */
export function tensor(values: TensorLike, shape?: readonly number[]): Tensor {
  let data: Float32Array;
  let inferred: number[];
  if (values instanceof Float32Array) {
    data = new Float32Array(values);
    inferred = [data.length];
  } else if (typeof values === 'number') {
    data = new Float32Array([values]);
    inferred = [];
  } else if (Array.isArray(values)) {
    inferred = inferShape(values as NestedArray);
    data = new Float32Array(sizeOf(inferred));
    flattenInto(values as NestedArray, inferred, 0, data, { i: 0 });
  } else {
    throw new ValueError(`tensor: expected a number, nested number arrays or a Float32Array, received ${describe(values)}`);
  }
  if (shape === undefined) return new Tensor(data, inferred);
  assertValidShape(shape, 'tensor');
  if (sizeOf(shape) !== data.length) {
    if (data.length === 1) return fill(shape, data[0]);
    throw new ShapeError(`tensor: shape ${formatShape(shape)} needs ${sizeOf(shape)} values, received ${data.length} (shape ${formatShape(inferred)})`);
  }
  return new Tensor(data, shape);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (ArrayBuffer.isView(v)) return v.constructor.name;
  return typeof v;
}

/**
 * A tensor of `shape` filled with `value`: a number, finite or ±Infinity (masks use −Infinity);
 * NaN, a BigInt or a string is refused.
 * @example fill([2, 2], -Infinity); // a mask of −∞
 */
export function fill(shape: readonly number[], value: number): Tensor {
  assertValidShape(shape, 'fill');
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new ValueError(`fill: expected value to be a number (not NaN), received ${describeValue(value)}`);
  }
  return new Tensor(new Float32Array(sizeOf(shape)).fill(value), shape);
}

/**
 * A tensor of zeros.
 * @example zeros([2, 3]).toArray(); // [[0, 0, 0], [0, 0, 0]]
 */
export function zeros(shape: readonly number[]): Tensor {
  return fill(shape, 0);
}

/**
 * A tensor of ones.
 * @example ones([2]).toArray(); // [1, 1]
 */
export function ones(shape: readonly number[]): Tensor {
  return fill(shape, 1);
}

/**
 * Normal samples; seeded by `seed` or by the global generator (`setSeed`).
 * @example randomNormal([2, 3], { mean: 0, stddev: 0.1, seed: 42 }).shape; // [2, 3], the same values for seed 42 every run
 */
export function randomNormal(
  shape: readonly number[],
  { mean = 0, stddev = 1, seed }: { mean?: number; stddev?: number; seed?: number | string } = {},
): Tensor {
  assertValidShape(shape, 'randomNormal');
  checkNumberArg(mean, 'randomNormal', 'mean');
  checkNumberArg(stddev, 'randomNormal', 'stddev', { min: 0 });
  checkSeed(seed, 'randomNormal');
  const rng = makeRng(seed);
  const data = new Float32Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = mean + stddev * normal(rng);
  return new Tensor(data, shape);
}

/** A per-call seed must be a finite number or a string. */
function checkSeed(seed: unknown, op: string): void {
  if (seed !== undefined && typeof seed !== 'string') checkNumberArg(seed, op, 'seed');
}

/**
 * Uniform samples in [minval, maxval); seeded by `seed` or by the global generator (`setSeed`).
 * @example randomUniform([4], { minval: -1, maxval: 1, seed: 1 }); // four values in [−1, 1)
 */
export function randomUniform(
  shape: readonly number[],
  { minval = 0, maxval = 1, seed }: { minval?: number; maxval?: number; seed?: number | string } = {},
): Tensor {
  assertValidShape(shape, 'randomUniform');
  checkNumberArg(minval, 'randomUniform', 'minval');
  checkNumberArg(maxval, 'randomUniform', 'maxval');
  checkSeed(seed, 'randomUniform');
  if (!(maxval >= minval)) throw new ValueError(`randomUniform: expected minval <= maxval, received minval=${minval}, maxval=${maxval}`);
  const rng = makeRng(seed);
  const data = new Float32Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = minval + (maxval - minval) * rng();
  return new Tensor(data, shape);
}

/**
 * A trainable leaf: a copy of `values` with `requiresGrad = true`, whose `.grad` `backward()` fills.
 * @example const w = variable([1, 2]); backward(sum(mul(w, w))); w.grad; // [2, 4]
 */
export function variable(values: TensorLike | Tensor): Tensor {
  const t = values instanceof Tensor ? new Tensor(new Float32Array(values.data), values.shape) : tensor(values);
  t.requiresGrad = true;
  return t;
}
