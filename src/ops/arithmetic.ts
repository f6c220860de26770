import { broadcastShapes, sizeOf } from '../util/shape.js';
import { BinaryOp, binaryKernel } from '../kernels/binary.js';
import { broadcastTo } from '../kernels/broadcast.js';
import { Tensor } from '../tensor/tensor.js';
import { record } from '../autograd/record.js';
import { asTensor, Operand } from './operand.js';

/** Output of a broadcasting binary op, before recording. */
function binaryForward(op: BinaryOp, name: string, a: Tensor, b: Tensor): Tensor {
  const shape = broadcastShapes(a.shape, b.shape, name);
  const out = new Float32Array(sizeOf(shape));
  binaryKernel(op, a.data, a.shape, b.data, b.shape, out, shape);
  return new Tensor(out, shape);
}

/** The values of a broadcast operand laid out in the output's `shape` (backward passes need them so). */
function expand(t: Tensor, shape: readonly number[]): Float32Array {
  if (t.size === sizeOf(shape)) return t.data;
  const out = new Float32Array(sizeOf(shape));
  broadcastTo(t.data, t.shape, shape, out);
  return out;
}

/**
 * a + b with NumPy broadcasting.
 * @example add(tensor([1, 2]), 1); // [2, 3]
 */
export function add(a: Operand, b: Operand): Tensor {
  const x = asTensor(a, 'add', 'a');
  const y = asTensor(b, 'add', 'b');
  const out = binaryForward(BinaryOp.Add, 'add', x, y);
  // d(a+b)/da = d(a+b)/db = 1; the engine sums over broadcast axes.
  return record(out, 'add', [x, y], (dy) => [dy, dy]);
}

/** a − b with NumPy broadcasting. */
export function sub(a: Operand, b: Operand): Tensor {
  const x = asTensor(a, 'sub', 'a');
  const y = asTensor(b, 'sub', 'b');
  const out = binaryForward(BinaryOp.Sub, 'sub', x, y);
  return record(out, 'sub', [x, y], (dy) => {
    const neg = new Float32Array(dy.length);
    for (let i = 0; i < dy.length; i++) neg[i] = -dy[i];
    return [dy, neg];
  });
}

/** a · b elementwise with NumPy broadcasting. */
export function mul(a: Operand, b: Operand): Tensor {
  const x = asTensor(a, 'mul', 'a');
  const y = asTensor(b, 'mul', 'b');
  const out = binaryForward(BinaryOp.Mul, 'mul', x, y);
  return record(out, 'mul', [x, y], (dy) => {
    // d(ab)/da = b, d(ab)/db = a, both taken in the output's (broadcast) layout.
    const xs = expand(x, out.shape);
    const ys = expand(y, out.shape);
    const dx = x.requiresGrad ? new Float32Array(dy.length) : null;
    const dyy = y.requiresGrad ? new Float32Array(dy.length) : null;
    for (let i = 0; i < dy.length; i++) {
      if (dx) dx[i] = dy[i] * ys[i];
      if (dyy) dyy[i] = dy[i] * xs[i];
    }
    return [dx, dyy];
  });
}

/** a / b elementwise with NumPy broadcasting. */
export function div(a: Operand, b: Operand): Tensor {
  const x = asTensor(a, 'div', 'a');
  const y = asTensor(b, 'div', 'b');
  const out = binaryForward(BinaryOp.Div, 'div', x, y);
  return record(out, 'div', [x, y], (dy) => {
    // d(a/b)/da = 1/b, d(a/b)/db = −a/b² = −out/b.
    const ys = expand(y, out.shape);
    const dx = x.requiresGrad ? new Float32Array(dy.length) : null;
    const dyy = y.requiresGrad ? new Float32Array(dy.length) : null;
    for (let i = 0; i < dy.length; i++) {
      if (dx) dx[i] = dy[i] / ys[i];
      if (dyy) dyy[i] = (-dy[i] * out.data[i]) / ys[i];
    }
    return [dx, dyy];
  });
}
