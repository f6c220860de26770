import { ValueError } from '../util/errors.js';
import { formatShape } from '../util/shape.js';
import { transposeKernel } from '../kernels/movement.js';
import { Tensor } from '../tensor/tensor.js';
import { record } from '../autograd/record.js';
import { asTensor, Operand } from './operand.js';
import { describeValue } from '../util/describe.js';

/**
 * Permutes the axes: output axis k is input axis `perm[k]`; by default the axes are reversed.
 * @example transpose(zeros([2, 3, 4])).shape; // [4, 3, 2]
 */
export function transpose(a: Operand, perm?: readonly number[]): Tensor {
  const x = asTensor(a, 'transpose');
  const p = perm === undefined ? x.shape.map((_, i) => x.rank - 1 - i) : Array.isArray(perm) ? [...perm] : null;
  if (p === null || p.length !== x.rank || !p.every((v) => Number.isInteger(v) && v >= 0 && v < x.rank) || new Set(p).size !== x.rank) {
    throw new ValueError(
      `transpose: expected perm to be a permutation of 0..${x.rank - 1} for shape ${formatShape(x.shape)}, received ${describeValue(perm)}`,
    );
  }
  const shape = p.map((ax) => x.shape[ax]);
  const out = new Float32Array(x.size);
  transposeKernel(x.data, x.shape, p, out);
  return record(new Tensor(out, shape), 'transpose', [x], (dy) => {
    // The inverse permutation carries dy (laid out in `shape`) back to the input's layout.
    const inverse = new Array<number>(p.length);
    p.forEach((ax, k) => (inverse[ax] = k));
    const dx = new Float32Array(x.size);
    transposeKernel(dy, shape, inverse, dx);
    return [dx];
  });
}
