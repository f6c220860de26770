import { UnaryOp, unaryGradKernel, unaryKernel } from '../kernels/unary.js';
import { Tensor } from '../tensor/tensor.js';
import { record } from '../autograd/record.js';
import { asTensor, Operand } from './operand.js';

/**
 * Runs the elementwise kernel `op` on `a` and records its gradient (the derivative is in
 * kernels/unary.ts, next to the forward formula). `p`, `q` are the op's parameters.
 */
export function unaryOp(op: UnaryOp, name: string, a: Operand, p = 0, q = 0): Tensor {
  const x = asTensor(a, name);
  const out = new Float32Array(x.size);
  unaryKernel(op, x.data, out, p, q);
  const y = new Tensor(out, x.shape);
  return record(y, name, [x], (dy) => {
    const dx = new Float32Array(dy.length);
    unaryGradKernel(op, x.data, out, dy, dx, p, q);
    return [dx];
  });
}
