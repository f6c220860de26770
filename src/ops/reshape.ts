import { ShapeError } from '../util/errors.js';
import { formatShape, normalizeAxes, normalizeAxis, sizeOf } from '../util/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { record } from '../autograd/record.js';
import { asTensor, Operand } from './operand.js';
import { describeValue } from '../util/describe.js';

/** Resolves a target shape with at most one −1 (inferred from the size) against `size` values. */
function resolveShape(shape: readonly number[], size: number, from: readonly number[]): number[] {
  const fail = (why: string): never => {
    throw new ShapeError(`reshape: cannot reshape ${formatShape(from)} (${size} values) into ${describeValue(shape)}: ${why}`);
  };
  if (!Array.isArray(shape)) fail('expected an array of dimensions');
  let unknown = -1;
  let known = 1;
  shape.forEach((d, i) => {
    if (d === -1) {
      if (unknown >= 0) fail('at most one dimension may be -1');
      unknown = i;
    } else if (!Number.isInteger(d) || d < 0) {
      fail(`dimension ${i} must be a non-negative integer or -1`);
    } else known *= d;
  });
  const out = [...shape];
  if (unknown >= 0) {
    if (known === 0 || size % known !== 0) fail(`the -1 dimension cannot be inferred (${size} is not a multiple of ${known})`);
    out[unknown] = size / known;
  }
  if (sizeOf(out) !== size) fail(`that needs ${sizeOf(out)} values`);
  return out;
}

/**
 * The same values (copied, row-major order unchanged) under a new shape; one dimension may be −1.
 * @example reshape(tensor([1, 2, 3, 4, 5, 6]), [2, -1]); // shape [2, 3]
 */
export function reshape(a: Operand, shape: readonly number[]): Tensor {
  const x = asTensor(a, 'reshape');
  return reshapeTo(x, resolveShape(shape, x.size, x.shape), 'reshape');
}

/** Reshape to an already validated shape; the gradient is dy in the input's shape (same values, same order). */
function reshapeTo(x: Tensor, shape: readonly number[], op: string): Tensor {
  return record(new Tensor(new Float32Array(x.data), shape), op, [x], (dy) => [dy]);
}

/**
 * Inserts a dimension of size 1 at `axis` (in [−rank − 1, rank]; negative counts from the end of the result).
 * @example expandDims(tensor([1, 2]), 1); // shape [2, 1]
 */
export function expandDims(a: Operand, axis = 0): Tensor {
  const x = asTensor(a, 'expandDims');
  const ax = normalizeAxis(axis, x.rank + 1, 'expandDims');
  const shape = [...x.shape];
  shape.splice(ax, 0, 1);
  return reshapeTo(x, shape, 'expandDims');
}

/**
 * Removes dimensions of size 1: those at `axis`, or all of them when omitted.
 * @example squeeze(zeros([1, 3, 1])); // shape [3]
 */
export function squeeze(a: Operand, axis?: number | readonly number[]): Tensor {
  const x = asTensor(a, 'squeeze');
  const axes = normalizeAxes(axis, x.rank, 'squeeze');
  for (const ax of axes) {
    if (axis !== undefined && x.shape[ax] !== 1) {
      throw new ShapeError(`squeeze: axis ${ax} of shape ${formatShape(x.shape)} has size ${x.shape[ax]}, expected 1`);
    }
  }
  const shape = x.shape.filter((d, ax) => !(axes.includes(ax) && d === 1));
  return reshapeTo(x, shape, 'squeeze');
}
