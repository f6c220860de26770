import { ShapeError, ValueError } from '../util/errors.js';
import { formatShape, normalizeAxis, shapesEqual, sizeOf } from '../util/shape.js';
import { copyBox } from '../kernels/movement.js';
import { Tensor } from '../tensor/tensor.js';
import { record } from '../autograd/record.js';
import { expandDims } from './reshape.js';

/** Checks `tensors` is a non-empty array of tensors; `op` names the caller. */
function checkList(tensors: readonly Tensor[], op: string): void {
  if (!Array.isArray(tensors) || tensors.length === 0) {
    throw new ValueError(`${op}: expected a non-empty array of tensors, received ${Array.isArray(tensors) ? 'an empty array' : typeof tensors}`);
  }
  tensors.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new ValueError(`${op}: expected tensors[${i}] to be a Tensor, received ${t === null ? 'null' : typeof t}`);
  });
}

/**
 * Joins tensors along an existing `axis` (default 0, as TF.js); all other dimensions must agree.
 * @example concat([tensor([[1, 2]]), tensor([[3, 4]])], 0); // [[1, 2], [3, 4]]
 */
export function concat(tensors: readonly Tensor[], axis = 0): Tensor {
  checkList(tensors, 'concat');
  const first = tensors[0];
  if (first.rank === 0) throw new ShapeError('concat: expected tensors of rank >= 1, received scalars (use stack)');
  const ax = normalizeAxis(axis, first.rank, 'concat');
  for (const t of tensors) {
    const agree = t.rank === first.rank && t.shape.every((d, k) => k === ax || d === first.shape[k]);
    if (!agree) {
      throw new ShapeError(
        `concat: shapes ${tensors.map((u) => formatShape(u.shape)).join(', ')} must have the same rank and agree on every axis but ${ax}`,
      );
    }
  }
  const shape = [...first.shape];
  shape[ax] = tensors.reduce((n, t) => n + t.shape[ax], 0);
  const out = new Float32Array(sizeOf(shape));
  // Input k occupies the box that starts at offsets[k] along the axis.
  const offsets: number[][] = [];
  let at = 0;
  for (const t of tensors) {
    const begin = new Array<number>(shape.length).fill(0);
    begin[ax] = at;
    at += t.shape[ax];
    offsets.push(begin);
    copyBox(out, shape, begin, t.shape, t.data, false);
  }
  return record(new Tensor(out, shape), 'concat', tensors, (dy) =>
    tensors.map((t, k) => {
      if (!t.requiresGrad) return null;
      const dx = new Float32Array(t.size);
      copyBox(dy, shape, offsets[k], t.shape, dx, true);
      return dx;
    }),
  );
}

/**
 * Joins tensors of one shape along a new `axis` (default 0), composed as expandDims then concat.
 * @example stack([tensor([1, 2]), tensor([3, 4])], 1); // [[1, 3], [2, 4]]
 */
export function stack(tensors: readonly Tensor[], axis = 0): Tensor {
  checkList(tensors, 'stack');
  const shape = tensors[0].shape;
  if (!tensors.every((t) => shapesEqual(t.shape, shape))) {
    throw new ShapeError(`stack: expected tensors of one shape, received ${tensors.map((t) => formatShape(t.shape)).join(', ')}`);
  }
  const ax = normalizeAxis(axis, shape.length + 1, 'stack');
  return concat(tensors.map((t) => expandDims(t, ax)), ax);
}
