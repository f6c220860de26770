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

/**
 * a − b with NumPy broadcasting.
 * @example ops.sub(tensor([3, 4]), 1).toArray(); // [2, 3]
 */
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

/**
 * a · b elementwise with NumPy broadcasting.
 * @example ops.mul(tensor([[1, 2], [3, 4]]), tensor([10, 100])).toArray(); // [[10, 200], [30, 400]]
 */
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

/**
 * a / b elementwise with NumPy broadcasting.
 * @example ops.div(tensor([2, 9]), tensor([2, 3])).toArray(); // [1, 3]
 */
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

/**
 * aᵇ elementwise with NumPy broadcasting.
 * @example pow(tensor([2, 3]), 2); // [4, 9]
 */
export function pow(a: Operand, b: Operand): Tensor {
  const x = asTensor(a, 'pow', 'a');
  const y = asTensor(b, 'pow', 'b');
  const out = binaryForward(BinaryOp.Pow, 'pow', x, y);
  return record(out, 'pow', [x, y], (dy) => {
    // d(aᵇ)/da = b·aᵇ⁻¹; d(aᵇ)/db = aᵇ·log a, taken as 0 where a <= 0 (log undefined), as TF.js.
    const xs = expand(x, out.shape);
    const ys = expand(y, out.shape);
    const dx = x.requiresGrad ? new Float32Array(dy.length) : null;
    const dyy = y.requiresGrad ? new Float32Array(dy.length) : null;
    for (let i = 0; i < dy.length; i++) {
      if (dx) dx[i] = dy[i] * ys[i] * Math.pow(xs[i], ys[i] - 1);
      if (dyy) dyy[i] = dy[i] * out.data[i] * (xs[i] > 0 ? Math.log(xs[i]) : 0);
    }
    return [dx, dyy];
  });
}

/** Gradient of maximum (`isMax`) or minimum: dy goes to a where a >= b (a <= b for minimum), to b where the reverse strictly holds. */
function selectBackward(x: Tensor, y: Tensor, out: Tensor, isMax: boolean) {
  return (dy: Float32Array): (Float32Array | null)[] => {
    const xs = expand(x, out.shape);
    const ys = expand(y, out.shape);
    const dx = new Float32Array(dy.length);
    const dyy = new Float32Array(dy.length);
    // NOTE: ties go to a (as TF.js); where either side is NaN neither comparison holds and both get 0.
    for (let i = 0; i < dy.length; i++) {
      const takeA = isMax ? xs[i] >= ys[i] : xs[i] <= ys[i];
      const takeB = isMax ? xs[i] < ys[i] : xs[i] > ys[i];
      dx[i] = takeA ? dy[i] : 0;
      dyy[i] = takeB ? dy[i] : 0;
    }
    return [dx, dyy];
  };
}

/**
 * The larger of a and b elementwise with NumPy broadcasting; NaN if either is NaN.
 * @example maximum(tensor([1, 5]), 3); // [3, 5]
 */
export function maximum(a: Operand, b: Operand): Tensor {
  const x = asTensor(a, 'maximum', 'a');
  const y = asTensor(b, 'maximum', 'b');
  const out = binaryForward(BinaryOp.Maximum, 'maximum', x, y);
  return record(out, 'maximum', [x, y], selectBackward(x, y, out, true));
}

/**
 * The smaller of a and b elementwise with NumPy broadcasting; NaN if either is NaN.
 * @example minimum(tensor([1, 5]), 3); // [1, 3]
 */
export function minimum(a: Operand, b: Operand): Tensor {
  const x = asTensor(a, 'minimum', 'a');
  const y = asTensor(b, 'minimum', 'b');
  const out = binaryForward(BinaryOp.Minimum, 'minimum', x, y);
  return record(out, 'minimum', [x, y], selectBackward(x, y, out, false));
}
