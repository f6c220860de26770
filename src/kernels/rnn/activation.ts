import { sigmoid } from '../unary.js';

/** The activations a fused recurrent step computes itself; anything else runs the per-step graph. */
export const enum RnnActivation {
  Linear,
  Tanh,
  Sigmoid,
  /** TF.js's clip(0.2·x + 0.5, 0, 1). */
  HardSigmoid,
  Relu,
}

/** The fused code of a canonical activation id, or null when the fused step does not know it. */
export function rnnActivationCode(id: string): RnnActivation | null {
  switch (id) {
    case 'linear': return RnnActivation.Linear;
    case 'tanh': return RnnActivation.Tanh;
    case 'sigmoid': return RnnActivation.Sigmoid;
    // Keras 3's hard_sigmoid (relu6(x + 3) / 6) is left to the per-step graph.
    case 'legacy_hard_sigmoid': return RnnActivation.HardSigmoid;
    case 'relu': return RnnActivation.Relu;
    default: return null;
  }
}

const f32 = Math.fround;
/** legacy_hard_sigmoid's slope as its mul op holds it, a float32 constant. */
const SLOPE = Math.fround(0.2);

/**
 * f(x) as the composed ops compute it in float32 (legacy_hard_sigmoid rounds 0.2·x, 0.2 a float32, and then
 * + 0.5, as its two elementwise ops do), except tanh: `fastTanh`, within one float32 ulp of the op's.
 */
export function activate(code: RnnActivation, x: number): number {
  // Small enough for V8 to inline into the gate loops; the rarer activations take one more call.
  if (code === RnnActivation.Sigmoid) return sigmoid(x);
  if (code === RnnActivation.Tanh) return fastTanh(x);
  return activateOther(code, x);
}

function activateOther(code: RnnActivation, x: number): number {
  switch (code) {
    case RnnActivation.HardSigmoid: {
      const v = f32(f32(x * SLOPE) + 0.5);
      return v < 0 ? 0 : v > 1 ? 1 : v;
    }
    case RnnActivation.Relu: return x < 0 ? 0 : x;
    default: return x;
  }
}

/** Beyond ±TANH_EDGE float32 tanh is ±1 (1 − tanh(9.1) ≈ 2.5e-8, under half an ulp of 1). */
const TANH_EDGE = 9.1;

/**
 * tanh(x) as x·P(x²)/Q(x²), P and Q of degree 4, on [−9.1, 9.1], ±1 beyond; NaN passes through.
 * NOTE: fused for speed: about 5× faster than Math.tanh in V8 (a call into C per value), which was a
 * third of a SimpleRNN's training step. The coefficients were fitted here by least squares on the
 * relative error, reweighted towards its peaks until they level (Lawson's iteration): the relative
 * error stays below 2.6e-8, so a float32 result is Math.tanh's or one ulp from it (checked on 8M values).
 */
export function fastTanh(x: number): number {
  const c = x > TANH_EDGE ? TANH_EDGE : x < -TANH_EDGE ? -TANH_EDGE : x;
  const s = c * c;
  const p = 0.9999999747317688 + s * (0.13367900115084314 + s * (0.0034800174161991023 + s * (2.035367788935519e-5 + s * 1.3002548759910582e-8)));
  const q = 1 + s * (0.46701211935507686 + s * (0.025817697622980383 + s * (0.0003260204739065232 + s * 7.632052157306723e-7)));
  return (c * p) / q;
}

/**
 * f′ from the output y = f(x): tanh 1 − y², sigmoid y(1 − y), relu 1 where y > 0 (0 at x = 0, as
 * the relu op). NOTE: legacy_hard_sigmoid's slope 0.2 is taken where 0 < y < 1; the composed clip also passes
 * it at the two points where 0.2·x + 0.5 is exactly 0 or 1, which y alone cannot tell from the flat parts.
 */
export function activationSlope(code: RnnActivation, y: number): number {
  switch (code) {
    case RnnActivation.Tanh: return 1 - y * y;
    case RnnActivation.Sigmoid: return y * (1 - y);
    case RnnActivation.HardSigmoid: return y > 0 && y < 1 ? SLOPE : 0;
    case RnnActivation.Relu: return y > 0 ? 1 : 0;
    default: return 1;
  }
}
