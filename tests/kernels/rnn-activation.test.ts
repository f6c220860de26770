import { describe, expect, it } from 'vitest';
import { activate, activationSlope, fastTanh, RnnActivation } from '../../src/kernels/rnn/activation.js';

/** Distance in float32 ulps between two float32 values of the same sign. */
function ulps(a: number, b: number): number {
  const view = new Int32Array(new Float32Array([a, b]).buffer);
  return Math.abs(view[0] - view[1]);
}

describe('fused RNN activations', () => {
  it('fastTanh rounds to float32 within one ulp of Math.tanh over [−12, 12], tiny values included', () => {
    let worst = 0;
    for (let i = -120000; i <= 120000; i++) {
      const x = Math.fround(i * 1e-4 + 1.3e-5);
      worst = Math.max(worst, ulps(fastTanh(x), Math.tanh(x)));
    }
    for (let e = -40; e <= 0; e++) {
      const x = Math.fround(1.7 * 2 ** e);
      worst = Math.max(worst, ulps(fastTanh(x), Math.tanh(x)), ulps(fastTanh(-x), Math.tanh(-x)));
    }
    expect(worst).toBeLessThanOrEqual(1);
  });

  it('fastTanh is odd, saturates to ±1 in float32 and passes NaN', () => {
    for (const x of [0.1, 0.7, 3, 8.9]) expect(fastTanh(-x)).toBe(-fastTanh(x));
    for (const x of [9.2, 20, 1e30, Infinity]) {
      expect(Math.fround(fastTanh(x))).toBe(1);
      expect(Math.fround(fastTanh(-x))).toBe(-1);
    }
    expect(fastTanh(0)).toBe(0);
    expect(Number.isNaN(fastTanh(NaN))).toBe(true);
  });

  it('activate and activationSlope match the definitions (slopes from the outputs)', () => {
    const defs: [RnnActivation, (x: number) => number, (x: number) => number][] = [
      [RnnActivation.Sigmoid, (x) => 1 / (1 + Math.exp(-x)), (x) => Math.exp(-x) / (1 + Math.exp(-x)) ** 2],
      [RnnActivation.Tanh, Math.tanh, (x) => 1 / Math.cosh(x) ** 2],
      [RnnActivation.Relu, (x) => Math.max(x, 0), (x) => (x > 0 ? 1 : 0)],
      [RnnActivation.Linear, (x) => x, () => 1],
      [RnnActivation.HardSigmoid, (x) => Math.min(1, Math.max(0, 0.2 * x + 0.5)), (x) => (Math.abs(x) < 2.5 ? 0.2 : 0)],
    ];
    for (const [code, f, df] of defs) {
      for (const x of [-4, -2.4, -0.5, -0.01, 0.3, 1.1, 2.6, 5]) {
        const y = activate(code, x);
        expect(Math.abs(y - f(x)), `${code} at ${x}`).toBeLessThan(1e-6);
        expect(Math.abs(activationSlope(code, y) - df(x)), `${code}' at ${x}`).toBeLessThan(1e-5);
      }
    }
  });
});
