import { ValueError } from '../util/errors.js';
import { broadcastIndex, formatShape, normalizeAxes, normalizeAxis, sizeOf } from '../util/shape.js';
import { ReduceOp, argReduceKernel, extremumGradKernel, reduceKernel } from '../kernels/reduce.js';
import { broadcastTo } from '../kernels/broadcast.js';
import { Tensor } from '../tensor/tensor.js';
import { record } from '../autograd/record.js';
import { asTensor, Operand } from './operand.js';
import { div } from './arithmetic.js';
import { describeValue } from '../util/describe.js';

/** Axes to reduce: one axis, a list (negative counts from the end), or undefined for all axes. */
export type Axis = number | readonly number[];

/** The shapes of a reduction: `kept` has 1 for each reduced axis, `out` drops them unless keepDims. */
function reducedShapes(shape: readonly number[], axes: readonly number[], keepDims: boolean): { kept: number[]; out: number[] } {
  const kept = shape.map((d, ax) => (axes.includes(ax) ? 1 : d));
  const out = keepDims ? kept : shape.filter((_, ax) => !axes.includes(ax));
  return { kept, out };
}

function checkKeepDims(keepDims: unknown, op: string): void {
  if (typeof keepDims !== 'boolean') throw new ValueError(`${op}: expected keepDims to be a boolean, received ${String(keepDims)}`);
}

/**
 * Sum over `axis` (all axes when omitted), accumulated in float64; an empty sum is 0.
 * @example sum(tensor([[1, 2], [3, 4]]), 0); // [4, 6]
 */
export function sum(a: Operand, axis?: Axis, keepDims = false): Tensor {
  const x = asTensor(a, 'sum');
  checkKeepDims(keepDims, 'sum');
  const axes = normalizeAxes(axis, x.rank, 'sum');
  const { kept, out } = reducedShapes(x.shape, axes, keepDims);
  const y = new Float32Array(sizeOf(out));
  reduceKernel(ReduceOp.Sum, x.data, x.shape, axes, y);
  return record(new Tensor(y, out), 'sum', [x], (dy) => {
    // Every input element contributes once to its group's sum: dx is dy repeated over the reduced axes.
    const dx = new Float32Array(x.size);
    broadcastTo(dy, kept, x.shape, dx);
    return [dx];
  });
}

/**
 * Mean over `axis` (all axes when omitted), composed as sum / count; an empty mean is NaN (0 / 0).
 * @example mean(tensor([1, 2, 3, 4])); // 2.5
 */
export function mean(a: Operand, axis?: Axis, keepDims = false): Tensor {
  const x = asTensor(a, 'mean');
  const axes = normalizeAxes(axis, x.rank, 'mean');
  let count = 1;
  for (const ax of axes) count *= x.shape[ax];
  // Divide first, then sum (as TF.js does): Σ x/n never exceeds max |x|, so a mean of float32 values
  // cannot overflow (sum-then-divide turns two values of 3e38 into Infinity).
  // Over an empty axis this would be Σ of nothing = 0; the mean of no values is NaN (0 / 0).
  return count === 0 ? div(sum(x, axes, keepDims), count) : sum(div(x, count), axes, keepDims);
}

/** Shared body of max and min: the extremum, whose gradient goes to every element equal to it. */
function extremum(op: ReduceOp.Max | ReduceOp.Min, name: string, a: Operand, axis: Axis | undefined, keepDims: boolean): Tensor {
  const x = asTensor(a, name);
  checkKeepDims(keepDims, name);
  const axes = normalizeAxes(axis, x.rank, name);
  const { kept, out } = reducedShapes(x.shape, axes, keepDims);
  const y = new Float32Array(sizeOf(out));
  reduceKernel(op, x.data, x.shape, axes, y);
  return record(new Tensor(y, out), name, [x], (dy) => {
    const dx = new Float32Array(x.size);
    extremumGradKernel(x.data, y, dy, broadcastIndex(kept, x.shape), dx);
    return [dx];
  });
}

/**
 * Largest value over `axis` (all axes when omitted); −Infinity over an empty axis, NaN if any value is NaN.
 * The gradient goes to every position equal to the max (ties all receive it, as TF.js).
 * @example max(tensor([[1, 5], [4, 2]]), 1); // [5, 4]
 */
export function max(a: Operand, axis?: Axis, keepDims = false): Tensor {
  return extremum(ReduceOp.Max, 'max', a, axis, keepDims);
}

/**
 * Smallest value over `axis` (all axes when omitted); +Infinity over an empty axis, NaN if any value is NaN.
 * @example min(tensor([[1, 5], [4, 2]]), 1); // [1, 2]
 */
export function min(a: Operand, axis?: Axis, keepDims = false): Tensor {
  return extremum(ReduceOp.Min, 'min', a, axis, keepDims);
}

/** Shared body of argMax and argMin: one axis, float indices, no gradient. */
function argExtremum(isMax: boolean, name: string, a: Operand, axis: number, keepDims: boolean): Tensor {
  const x = asTensor(a, name);
  checkKeepDims(keepDims, name);
  if (typeof axis !== 'number') {
    throw new ValueError(`${name}: expected one integer axis, received ${describeValue(axis)}`);
  }
  const ax = normalizeAxis(axis, x.rank, name);
  const n = x.rank === 0 ? 1 : x.shape[ax];
  const { out } = reducedShapes(x.shape, x.rank === 0 ? [] : [ax], keepDims);
  const y = new Float32Array(sizeOf(out));
  if (n === 0 && y.length > 0) {
    throw new ValueError(`${name}: cannot take an index along axis ${axis} of size 0 (shape ${formatShape(x.shape)})`);
  }
  const outer = sizeOf(x.shape.slice(0, ax));
  const inner = sizeOf(x.shape.slice(ax + 1));
  if (y.length > 0) argReduceKernel(isMax, x.data, outer, n, inner, y);
  return new Tensor(y, out);
}

/**
 * Index of the largest value along `axis` (default 0, as TF.js), as floats; ties give the first index.
 * Not differentiable: the result never requires a gradient.
 * @example argMax(tensor([[1, 5], [4, 2]]), 1); // [1, 0]
 */
export function argMax(x: Operand, axis = 0, keepDims = false): Tensor {
  return argExtremum(true, 'argMax', x, axis, keepDims);
}

/**
 * Index of the smallest value along `axis` (default 0, as TF.js), as floats; ties give the first index.
 * @example argMin(tensor([[1, 5], [4, 2]]), 1); // [0, 1]
 */
export function argMin(x: Operand, axis = 0, keepDims = false): Tensor {
  return argExtremum(false, 'argMin', x, axis, keepDims);
}
