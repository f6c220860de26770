import { ValueError } from '../util/errors.js';
import { UnaryOp, unaryKernel } from '../kernels/unary.js';
import { Tensor } from '../tensor/tensor.js';
import { asTensor, Operand } from './operand.js';
import { unaryOp } from './unary-op.js';
import { add, div, mul } from './arithmetic.js';
import { abs, clip } from './elementwise.js';

function checkParam(value: unknown, name: string, op: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ValueError(`${op}: expected ${name} to be a finite number, received ${String(value)}`);
  }
}

/**
 * 1 / (1 + e⁻ˣ). NOTE: fused and stable: computed from e^(−|x|), so ±1000 give exactly 0 and 1;
 * the gradient is y(1 − y) from the output.
 * @example sigmoid(tensor([0])); // [0.5]
 */
export function sigmoid(x: Operand): Tensor {
  return unaryOp(UnaryOp.Sigmoid, 'sigmoid', x);
}

/**
 * Hyperbolic tangent. NOTE: fused; the gradient is 1 − y² from the output.
 * @example tanh(tensor([0])); // [0]
 */
export function tanh(x: Operand): Tensor {
  return unaryOp(UnaryOp.Tanh, 'tanh', x);
}

/**
 * max(x, 0). NOTE: fused (one pass, no temporaries; it follows every hidden layer); the gradient at 0 is 0, as TF.js.
 * @example relu(tensor([-1, 2])); // [0, 2]
 */
export function relu(x: Operand): Tensor {
  return unaryOp(UnaryOp.Relu, 'relu', x);
}

/**
 * x for x > 0, alpha·x otherwise (alpha = 0.2, TF.js's default). Composed as x · s with the constant
 * slope s = (x > 0 ? 1 : alpha), so the gradient is s: alpha at 0, as TF.js.
 * @example leakyRelu(tensor([-1, 2])); // [-0.2, 2]
 */
export function leakyRelu(x: Operand, alpha = 0.2): Tensor {
  const t = asTensor(x, 'leakyRelu');
  checkParam(alpha, 'alpha', 'leakyRelu');
  const slope = new Float32Array(t.size);
  unaryKernel(UnaryOp.Step, t.data, slope, alpha);
  return mul(t, new Tensor(slope, t.shape));
}

/**
 * x for x > 0, alpha·(eˣ − 1) otherwise (Keras's alpha = 1). NOTE: fused, one pass with expm1.
 * @example elu(tensor([-1, 2])); // [-0.632…, 2]
 */
export function elu(x: Operand, alpha = 1): Tensor {
  checkParam(alpha, 'alpha', 'elu');
  return unaryOp(UnaryOp.Elu, 'elu', x, alpha);
}

/**
 * Scaled ELU with the self-normalizing constants (scale ≈ 1.0507, alpha ≈ 1.6733). NOTE: fused.
 * @example selu(tensor([1])); // [1.0507…]
 */
export function selu(x: Operand): Tensor {
  return unaryOp(UnaryOp.Selu, 'selu', x);
}

/**
 * log(1 + eˣ). NOTE: fused and stable as max(x, 0) + log1p(e^(−|x|)); the gradient is sigmoid(x).
 * @example softplus(tensor([0])); // [0.693…]
 */
export function softplus(x: Operand): Tensor {
  return unaryOp(UnaryOp.Softplus, 'softplus', x);
}

/**
 * x / (1 + |x|), composed.
 * @example softsign(tensor([1])); // [0.5]
 */
export function softsign(x: Operand): Tensor {
  const t = asTensor(x, 'softsign');
  return div(t, add(abs(t), 1));
}

/**
 * Keras 3's hard sigmoid relu6(x + 3) / 6 = clip(x/6 + 0.5, 0, 1), composed.
 * @example hardSigmoid(tensor([-3, 0, 1.5])); // [0, 0.5, 0.75]
 */
export function hardSigmoid(x: Operand): Tensor {
  const t = asTensor(x, 'hardSigmoid');
  return clip(add(mul(t, 1 / 6), 0.5), 0, 1);
}

/**
 * TF.js's and Keras 2's hard sigmoid clip(0.2·x + 0.5, 0, 1), composed: what `'hard_sigmoid'` means in
 * a TF.js or Keras 2 file (and TF.js's LSTM / GRU default gate).
 * @example legacyHardSigmoid(tensor([-3, 0, 1])); // [0, 0.5, 0.7]
 */
export function legacyHardSigmoid(x: Operand): Tensor {
  const t = asTensor(x, 'legacyHardSigmoid');
  return clip(add(mul(t, 0.2), 0.5), 0, 1);
}

/**
 * x · sigmoid(x) (also called SiLU), composed.
 * @example swish(tensor([0])); // [0]
 */
export function swish(x: Operand): Tensor {
  const t = asTensor(x, 'swish');
  return mul(t, sigmoid(t));
}

/** Alias of `swish`, Keras's other name for it. */
export const silu = swish;

/**
 * x·Φ(x) with Φ the standard normal CDF (Keras's default), or with `approximate` the tanh form
 * 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). NOTE: fused, one pass.
 * @example gelu(tensor([0, 1])); // [0, 0.841…]
 */
export function gelu(x: Operand, approximate = false): Tensor {
  return unaryOp(approximate ? UnaryOp.GeluTanh : UnaryOp.Gelu, 'gelu', x);
}
