import { ValueError } from '../util/errors.js';
import { UnaryOp } from '../kernels/unary.js';
import { Tensor } from '../tensor/tensor.js';
import { Operand } from './operand.js';
import { unaryOp } from './unary-op.js';

/**
 * −x elementwise.
 * @example neg(tensor([1, -2])); // [-1, 2]
 */
export function neg(x: Operand): Tensor {
  return unaryOp(UnaryOp.Neg, 'neg', x);
}

/**
 * eˣ elementwise; the gradient reuses the output (d eˣ = eˣ).
 * @example exp(tensor([0, 1])); // [1, 2.718…]
 */
export function exp(x: Operand): Tensor {
  return unaryOp(UnaryOp.Exp, 'exp', x);
}

/**
 * Natural logarithm elementwise: log(0) = −Infinity, log of a negative number is NaN.
 * @example log(tensor([1, Math.E])); // [0, 1]
 */
export function log(x: Operand): Tensor {
  return unaryOp(UnaryOp.Log, 'log', x);
}

/**
 * √x elementwise (NaN for negative x; the gradient at 0 is Infinity).
 * @example sqrt(tensor([4, 9])); // [2, 3]
 */
export function sqrt(x: Operand): Tensor {
  return unaryOp(UnaryOp.Sqrt, 'sqrt', x);
}

/**
 * x² elementwise.
 * @example square(tensor([-3])); // [9]
 */
export function square(x: Operand): Tensor {
  return unaryOp(UnaryOp.Square, 'square', x);
}

/**
 * |x| elementwise; its gradient is sign(x), 0 at x = 0.
 * @example abs(tensor([-2, 3])); // [2, 3]
 */
export function abs(x: Operand): Tensor {
  return unaryOp(UnaryOp.Abs, 'abs', x);
}

/**
 * Clamps every value to [min, max] (TF.js's clipByValue); NaN stays NaN. The gradient passes where
 * min <= x <= max, bounds included, and is 0 elsewhere.
 * @example clip(tensor([-2, 0.5, 2]), 0, 1); // [0, 0.5, 1]
 */
export function clip(x: Operand, min: number, max: number): Tensor {
  if (typeof min !== 'number' || typeof max !== 'number' || Number.isNaN(min) || Number.isNaN(max) || min > max) {
    throw new ValueError(`clip: expected numbers min <= max, received min=${String(min)}, max=${String(max)}`);
  }
  return unaryOp(UnaryOp.Clip, 'clip', x, min, max);
}
