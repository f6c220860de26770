import { ShapeError, ValueError } from '../util/errors.js';
import { checkElementCount, formatShape, normalizeAxis, sizeOf } from '../util/shape.js';
import { MAX_ELEMENTS } from '../util/limits.js';
import { checkNumberArg } from '../util/numbers.js';
import { gatherKernel, oneHotKernel, scatterAddKernel } from '../kernels/movement.js';
import { Tensor } from '../tensor/tensor.js';
import { tensor } from '../tensor/creation.js';
import { record } from '../autograd/record.js';

/** Integer positions given as a tensor (any shape) or a plain array. */
export type Indices = Tensor | readonly number[];

/** Reads `indices` as integers in [0, limit), with their shape; `op` and `what` name the caller in messages. */
function readIndices(indices: Indices, limit: number, op: string, what: string): { values: Int32Array; shape: readonly number[] } {
  let t: Tensor;
  if (indices instanceof Tensor) t = indices;
  else if (Array.isArray(indices)) t = tensor(indices as number[]);
  else throw new ValueError(`${op}: expected indices to be a Tensor or an array of integers, received ${indices === null ? 'null' : typeof indices}`);
  const values = new Int32Array(t.size);
  for (let i = 0; i < t.size; i++) {
    const v = t.data[i];
    if (!Number.isInteger(v) || v < 0 || v >= limit) {
      throw new ValueError(`${op}: index ${v} (at flat position ${i}) is not an integer in [0, ${limit - 1}] (${what})`);
    }
    values[i] = v;
  }
  return { values, shape: t.shape };
}

/**
 * Picks slices of `x` along `axis` (default 0) at `indices`: the result's shape is
 * x.shape[:axis] + indices.shape + x.shape[axis+1:]. Differentiable in x (repeated indices add up);
 * the indices get no gradient.
 * @example gather(tensor([[1, 2], [3, 4], [5, 6]]), [2, 0]); // [[5, 6], [1, 2]]
 */
export function gather(x: Tensor, indices: Indices, axis = 0): Tensor {
  if (!(x instanceof Tensor)) throw new ValueError(`gather: expected x to be a Tensor, received ${x === null ? 'null' : typeof x}`);
  if (x.rank === 0) throw new ShapeError('gather: expected x of rank >= 1, received a scalar (shape [])');
  const ax = normalizeAxis(axis, x.rank, 'gather');
  const n = x.shape[ax];
  const idx = readIndices(indices, n, 'gather', `axis ${ax} of shape ${formatShape(x.shape)} has size ${n}`);
  const outer = sizeOf(x.shape.slice(0, ax));
  const inner = sizeOf(x.shape.slice(ax + 1));
  const shape = [...x.shape.slice(0, ax), ...idx.shape, ...x.shape.slice(ax + 1)];
  const out = new Float32Array(sizeOf(shape));
  gatherKernel(x.data, outer, n, inner, idx.values, out);
  return record(new Tensor(out, shape), 'gather', [x], (dy) => {
    const dx = new Float32Array(x.size);
    scatterAddKernel(dy, outer, n, inner, idx.values, dx);
    return [dx];
  });
}

/**
 * One-hot rows: the result has shape indices.shape + [depth], `onValue` at each index and `offValue`
 * elsewhere. Unlike TF.js, an index outside [0, depth) is an error, not a row of `offValue`.
 * @example oneHot([2, 0], 3); // [[0, 0, 1], [1, 0, 0]]
 */
export function oneHot(indices: Indices, depth: number, onValue = 1, offValue = 0): Tensor {
  checkNumberArg(depth, 'oneHot', 'depth', { integer: true, min: 1, max: MAX_ELEMENTS });
  checkNumberArg(onValue, 'oneHot', 'onValue');
  checkNumberArg(offValue, 'oneHot', 'offValue');
  const idx = readIndices(indices, depth, 'oneHot', `depth ${depth}`);
  checkElementCount([...idx.shape, depth], 'oneHot');
  const out = new Float32Array(idx.values.length * depth);
  oneHotKernel(idx.values, depth, onValue, offValue, out);
  return new Tensor(out, [...idx.shape, depth]);
}
