import { ShapeError } from '../util/errors.js';
import { assertValidShape, formatShape, sizeOf } from '../util/shape.js';
import { broadcastTo as broadcastKernel } from '../kernels/broadcast.js';
import { Tensor } from '../tensor/tensor.js';
import { record } from '../autograd/record.js';
import { asTensor, Operand } from './operand.js';

/**
 * Repeats `x` along new leading axes and along its size-1 axes to fill `shape` (NumPy rules).
 * @example broadcastTo(tensor([1, 2]), [3, 2]); // [[1, 2], [1, 2], [1, 2]]
 */
export function broadcastTo(a: Operand, shape: readonly number[]): Tensor {
  const x = asTensor(a, 'broadcastTo');
  assertValidShape(shape, 'broadcastTo');
  const offset = shape.length - x.rank;
  if (offset < 0 || x.shape.some((d, k) => d !== 1 && d !== shape[offset + k])) {
    throw new ShapeError(`broadcastTo: cannot broadcast shape ${formatShape(x.shape)} to ${formatShape(shape)} (each dimension must equal the target's or be 1)`);
  }
  const out = new Float32Array(sizeOf(shape));
  broadcastKernel(x.data, x.shape, shape, out);
  // The output-sized dy is handed back whole: the engine sums it over the broadcast axes.
  return record(new Tensor(out, shape), 'broadcastTo', [x], (dy) => [dy]);
}
