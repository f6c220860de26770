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
    case 'hard_sigmoid': return RnnActivation.HardSigmoid;
    case 'relu': return RnnActivation.Relu;
    default: return null;
  }
}

const f32 = Math.fround;
/** hard_sigmoid's slope as its mul op holds it, a float32 constant. */
const SLOPE = Math.fround(0.2);

/**
 * f(x) as the composed ops compute it in float32: hard_sigmoid rounds 0.2·x (0.2 a float32) and then
 * + 0.5, as its two elementwise ops do, so the fused value is the graph's bit for bit.
 */
export function activate(code: RnnActivation, x: number): number {
  // Small enough for V8 to inline into the gate loops; the rarer activations take one more call.
  if (code === RnnActivation.Sigmoid) return sigmoid(x);
  if (code === RnnActivation.Tanh) return Math.tanh(x);
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

/**
 * f′ from the output y = f(x): tanh 1 − y², sigmoid y(1 − y), relu 1 where y > 0 (0 at x = 0, as
 * the relu op). NOTE: hard_sigmoid's slope 0.2 is taken where 0 < y < 1; the composed clip also passes
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
