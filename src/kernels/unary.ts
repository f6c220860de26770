import { reluGradWasm, reluWasm, useElementwiseWasm } from './wasm/elementwise-wasm.js';

/** Elementwise unary operations the kernels know; the switch sits outside every loop. */
export const enum UnaryOp {
  Neg,
  Exp,
  Log,
  Sqrt,
  Square,
  Abs,
  /** Mask, no gradient: 1 where x > 0, else `p` (TF.js's step). */
  Step,
  /** Clamps to [p, q]. */
  Clip,
  Sigmoid,
  Tanh,
  Relu,
  /** x for x > 0, p·(eˣ − 1) otherwise. */
  Elu,
  Selu,
  Softplus,
  /** x·Φ(x) with the exact normal CDF. */
  Gelu,
  /** 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
  GeluTanh,
}

/** SELU's constants (Klambauer et al. 2017), as Keras and TF.js use them. */
export const SELU_ALPHA = 1.6732632423543772;
/** SELU's scale. */
export const SELU_SCALE = 1.0507009873554805;

const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const GELU_C = Math.sqrt(2 / Math.PI);
const GELU_K = 0.044715;

/**
 * `out[i] = f(x[i])`; `p` and `q` are the op's parameters (Step's low value, Clip's bounds, Elu's alpha).
 * NaN passes through every op except Step.
 */
export function unaryKernel(op: UnaryOp, x: Float32Array, out: Float32Array, p = 0, q = 0): void {
  const n = x.length;
  if (op === UnaryOp.Relu && useElementwiseWasm(n)) {
    reluWasm(x, out);
    return;
  }
  switch (op) {
    case UnaryOp.Neg: for (let i = 0; i < n; i++) out[i] = -x[i]; break;
    case UnaryOp.Exp: for (let i = 0; i < n; i++) out[i] = Math.exp(x[i]); break;
    case UnaryOp.Log: for (let i = 0; i < n; i++) out[i] = Math.log(x[i]); break;
    case UnaryOp.Sqrt: for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[i]); break;
    case UnaryOp.Square: for (let i = 0; i < n; i++) out[i] = x[i] * x[i]; break;
    case UnaryOp.Abs: for (let i = 0; i < n; i++) out[i] = Math.abs(x[i]); break;
    case UnaryOp.Step: for (let i = 0; i < n; i++) out[i] = x[i] > 0 ? 1 : p; break;
    // Written so a NaN fails both tests and passes through, as TF.js's clipByValue does.
    case UnaryOp.Clip: for (let i = 0; i < n; i++) out[i] = x[i] < p ? p : x[i] > q ? q : x[i]; break;
    case UnaryOp.Sigmoid: for (let i = 0; i < n; i++) out[i] = sigmoid(x[i]); break;
    case UnaryOp.Tanh: for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i]); break;
    case UnaryOp.Relu: for (let i = 0; i < n; i++) out[i] = x[i] < 0 ? 0 : x[i]; break;
    // expm1 keeps eˣ − 1 accurate near 0, where the subtraction would cancel.
    case UnaryOp.Elu: for (let i = 0; i < n; i++) out[i] = x[i] > 0 ? x[i] : p * Math.expm1(x[i]); break;
    case UnaryOp.Selu:
      for (let i = 0; i < n; i++) out[i] = SELU_SCALE * (x[i] > 0 ? x[i] : SELU_ALPHA * Math.expm1(x[i]));
      break;
    case UnaryOp.Softplus: for (let i = 0; i < n; i++) out[i] = softplus(x[i]); break;
    case UnaryOp.Gelu: for (let i = 0; i < n; i++) out[i] = x[i] * normalCdf(x[i]); break;
    case UnaryOp.GeluTanh:
      for (let i = 0; i < n; i++) {
        const v = x[i];
        out[i] = 0.5 * v * (1 + Math.tanh(GELU_C * (v + GELU_K * v * v * v)));
      }
      break;
  }
}

/**
 * `dx[i] = dy[i] · f'(x[i])`, given the input `x` and the forward output `y` (some derivatives are
 * cheapest in terms of y). Step has no gradient and writes zeros.
 */
export function unaryGradKernel(op: UnaryOp, x: Float32Array, y: Float32Array, dy: Float32Array, dx: Float32Array, p = 0, q = 0): void {
  const n = x.length;
  if (op === UnaryOp.Relu && useElementwiseWasm(n)) {
    reluGradWasm(x, dy, dx);
    return;
  }
  switch (op) {
    case UnaryOp.Neg: for (let i = 0; i < n; i++) dx[i] = -dy[i]; break;
    case UnaryOp.Exp: for (let i = 0; i < n; i++) dx[i] = dy[i] * y[i]; break;
    case UnaryOp.Log: for (let i = 0; i < n; i++) dx[i] = dy[i] / x[i]; break;
    // d√x = 1 / (2√x) = 1 / (2y).
    case UnaryOp.Sqrt: for (let i = 0; i < n; i++) dx[i] = dy[i] / (2 * y[i]); break;
    case UnaryOp.Square: for (let i = 0; i < n; i++) dx[i] = 2 * x[i] * dy[i]; break;
    // sign(x): the subgradient 0 at x = 0.
    case UnaryOp.Abs: for (let i = 0; i < n; i++) dx[i] = x[i] > 0 ? dy[i] : x[i] < 0 ? -dy[i] : 0; break;
    case UnaryOp.Step: dx.fill(0); break;
    // Passes where p <= x <= q, bounds included, as TF.js's clipByValue.
    case UnaryOp.Clip: for (let i = 0; i < n; i++) dx[i] = x[i] >= p && x[i] <= q ? dy[i] : 0; break;
    // σ' = σ(1 − σ); tanh' = 1 − tanh².
    case UnaryOp.Sigmoid: for (let i = 0; i < n; i++) dx[i] = dy[i] * y[i] * (1 - y[i]); break;
    case UnaryOp.Tanh: for (let i = 0; i < n; i++) dx[i] = dy[i] * (1 - y[i] * y[i]); break;
    // 0 at x = 0, as TF.js.
    case UnaryOp.Relu: for (let i = 0; i < n; i++) dx[i] = x[i] > 0 ? dy[i] : 0; break;
    // For x <= 0: d(p(eˣ − 1)) = p·eˣ = y + p.
    case UnaryOp.Elu: for (let i = 0; i < n; i++) dx[i] = x[i] > 0 ? dy[i] : dy[i] * (y[i] + p); break;
    case UnaryOp.Selu:
      for (let i = 0; i < n; i++) dx[i] = x[i] > 0 ? dy[i] * SELU_SCALE : dy[i] * SELU_SCALE * SELU_ALPHA * Math.exp(x[i]);
      break;
    // d log(1 + eˣ) = σ(x).
    case UnaryOp.Softplus: for (let i = 0; i < n; i++) dx[i] = dy[i] * sigmoid(x[i]); break;
    // d(x·Φ(x)) = Φ(x) + x·φ(x).
    case UnaryOp.Gelu:
      for (let i = 0; i < n; i++) {
        const v = x[i];
        dx[i] = dy[i] * (normalCdf(v) + v * INV_SQRT_2PI * Math.exp(-0.5 * v * v));
      }
      break;
    // With u = c(x + kx³), t = tanh u: d(½x(1 + t)) = ½(1 + t) + ½x(1 − t²)·c(1 + 3kx²).
    case UnaryOp.GeluTanh:
      for (let i = 0; i < n; i++) {
        const v = x[i];
        const t = Math.tanh(GELU_C * (v + GELU_K * v * v * v));
        dx[i] = dy[i] * (0.5 * (1 + t) + 0.5 * v * (1 - t * t) * GELU_C * (1 + 3 * GELU_K * v * v));
      }
      break;
  }
}

/**
 * 1 / (1 + e⁻ˣ) written with e^(−|x|) only, which never overflows: for x < 0 it is e / (1 + e)
 * with e = eˣ. So sigmoid(−1000) is 0 and sigmoid(1000) is 1, never NaN.
 */
export function sigmoid(x: number): number {
  const e = Math.exp(-Math.abs(x));
  return x >= 0 ? 1 / (1 + e) : e / (1 + e);
}

/** log(1 + eˣ) = max(x, 0) + log1p(e^(−|x|)): no overflow for large x, no lost digits for very negative x. */
export function softplus(x: number): number {
  return (x > 0 ? x : 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

/**
 * Φ(x), the standard normal CDF, as ½·erfc(−x/√2). erfc by the Chebyshev fit of Press et al.,
 * "Numerical Recipes" §6.2 (fractional error < 1.2e-7 everywhere), so the far negative tail keeps
 * its relative accuracy instead of cancelling in 1 + erf.
 */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x * SQRT1_2);
}

function erfc(z: number): number {
  const a = Math.abs(z);
  const t = 1 / (1 + 0.5 * a);
  const poly =
    -1.26551223 +
    t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const r = t * Math.exp(-a * a + poly);
  return z >= 0 ? r : 2 - r;
}
