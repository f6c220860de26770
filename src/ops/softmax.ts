import { ShapeError } from '../util/errors.js';
import { normalizeAxis, sizeOf } from '../util/shape.js';
import { softmaxGradKernel, softmaxKernel } from '../kernels/softmax.js';
import { Tensor } from '../tensor/tensor.js';
import { record } from '../autograd/record.js';
import { asTensor, Operand } from './operand.js';

/** Shared body: the [outer, n, inner] view around `axis`, the kernel, and its gradient from the output. */
function softmaxOp(a: Operand, axis: number, log: boolean): Tensor {
  const name = log ? 'logSoftmax' : 'softmax';
  const x = asTensor(a, name);
  if (x.rank === 0) throw new ShapeError(`${name}: expected a tensor of rank >= 1, received a scalar (shape [])`);
  const ax = normalizeAxis(axis, x.rank, name);
  const outer = sizeOf(x.shape.slice(0, ax));
  const n = x.shape[ax];
  const inner = sizeOf(x.shape.slice(ax + 1));
  const y = new Float32Array(x.size);
  softmaxKernel(x.data, outer, n, inner, log, y);
  return record(new Tensor(y, x.shape), name, [x], (dy) => {
    const dx = new Float32Array(x.size);
    softmaxGradKernel(y, dy, outer, n, inner, log, dx);
    return [dx];
  });
}

/**
 * e^x / Σ e^x along `axis` (default last). NOTE: fused and max-subtracted, so softmax([1000, 0]) is
 * [1, 0]; the gradient y·(dy − Σ dy·y) comes from the output.
 * @example softmax(tensor([0, Math.log(3)])); // [0.25, 0.75]
 */
export function softmax(x: Operand, axis = -1): Tensor {
  return softmaxOp(x, axis, false);
}

/**
 * x − log Σ e^x along `axis` (default last). NOTE: fused log-sum-exp (max-subtracted), finite for
 * large inputs where log(softmax(x)) would give −Infinity; the gradient is dy − softmax·Σ dy.
 * @example logSoftmax(tensor([1000, 0])); // [0, -1000]
 */
export function logSoftmax(x: Operand, axis = -1): Tensor {
  return softmaxOp(x, axis, true);
}
