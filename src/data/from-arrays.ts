import { ShapeError, ValueError } from '../util/errors.js';
import { formatShape } from '../util/shape.js';
import { NestedArray, Tensor } from '../tensor/tensor.js';
import { tensor } from '../tensor/creation.js';
import { Dataset, IteratorFactory } from './dataset.js';

/** Inputs or targets for `fromArrays`: one tensor (or nested arrays), an array of them, or an object of them. */
export type ArrayStructure = Tensor | NestedArray | readonly number[] | Tensor[] | Record<string, Tensor | NestedArray>;

/** One sample: the same structure as given, each tensor without its first axis. */
export interface SampleElement {
  xs: unknown;
  ys?: unknown;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** `value` as a structure of tensors, each entry named by its path for messages. */
function toStructure(value: unknown, path: string, leaves: { path: string; t: Tensor }[]): unknown {
  if (value instanceof Tensor) {
    leaves.push({ path, t: value });
    return value;
  }
  if (Array.isArray(value) && value.length > 0 && value.every((v) => v instanceof Tensor)) return value.map((v, i) => toStructure(v, `${path}[${i}]`, leaves));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toStructure(v, `${path}.${k}`, leaves);
    return out;
  }
  if (Array.isArray(value) || value instanceof Float32Array) {
    let t: Tensor;
    try {
      t = tensor(value as NestedArray);
    } catch (e) {
      throw new ValueError(`fromArrays: ${path} must be a Tensor or nested arrays of numbers; ${(e as Error).message}`);
    }
    leaves.push({ path, t });
    return t;
  }
  throw new ValueError(`fromArrays: ${path} must be a Tensor, nested arrays of numbers, or an array / object of tensors; received ${value === null ? 'null' : typeof value}`);
}

/** Sample `i` of every tensor of a structure (views on the same memory). */
function sampleOf(structure: unknown, i: number): unknown {
  if (structure instanceof Tensor) {
    const per = structure.size / structure.shape[0];
    return new Tensor(structure.data.subarray(i * per, (i + 1) * per), structure.shape.slice(1));
  }
  if (Array.isArray(structure)) return structure.map((s) => sampleOf(s, i));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(structure as Record<string, unknown>)) out[k] = sampleOf(v, i);
  return out;
}

/**
 * A dataset of samples `{ xs, ys }` from in-memory arrays (each tensor's first axis is the sample axis);
 * `.batch(n)` stacks them back. `ys` may be left out (for predict).
 * @example const ds = data.fromArrays(xTrain, yTrain).shuffle(512).batch(32);
 */
export function fromArrays(xs: ArrayStructure, ys?: ArrayStructure): Dataset<SampleElement> {
  const leaves: { path: string; t: Tensor }[] = [];
  const sx = toStructure(xs, 'xs', leaves);
  const sy = ys === undefined ? undefined : toStructure(ys, 'ys', leaves);
  const first = leaves[0];
  if (first === undefined) throw new ValueError('fromArrays: expected at least one tensor in xs');
  for (const { path, t } of leaves) {
    if (t.rank === 0) throw new ShapeError(`fromArrays: ${path} needs a sample axis, received a scalar`);
    if (t.shape[0] !== first.t.shape[0]) {
      throw new ShapeError(`fromArrays: every tensor needs the same number of samples; ${first.path} has ${first.t.shape[0]} ${formatShape(first.t.shape)}, ${path} has ${t.shape[0]} ${formatShape(t.shape)}`);
    }
  }
  const n = first.t.shape[0];
  return new Dataset(function* () {
    for (let i = 0; i < n; i++) yield sy === undefined ? { xs: sampleOf(sx, i) } : { xs: sampleOf(sx, i), ys: sampleOf(sy, i) };
  }, n);
}

/**
 * A dataset from a function that opens one pass (a generator function, sync or async).
 * @example
 * const batches = data.generator(function* () { yield { xs: tensor([[0, 1]]), ys: tensor([[1]]) }; }, 1);
 * await model.fit(batches, { epochs: 2, verbose: 0 });
 */
export function generator<T>(factory: IteratorFactory<T>, size: number | null = null): Dataset<T> {
  if (typeof factory !== 'function') throw new ValueError(`generator: expected a function returning an iterator, received ${typeof factory}`);
  return new Dataset(factory, size);
}
