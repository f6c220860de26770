import { describe, expect, it } from 'vitest';
import { adamUpdate, rmspropUpdate, sgdUpdate } from '../../src/kernels/optimizer-updates.js';
import { Adam, RMSprop, SGD } from '../../src/index.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { seededArray } from '../helpers/seeded.js';

// Odd lengths: one element, a few, and more than any unrolling would cover.
const LENGTHS = [1, 7, 1001];
const STEPS = 5;

/** Float64 copies of float32 arrays (the references keep full precision between steps). */
const f64 = (x: Float32Array) => Float64Array.from(x);

/** Within float32 rounding of values of size ~1 accumulated over the steps. */
function expectClose(actual: Float32Array, expected: Float64Array, rel = 1e-6): void {
  for (let i = 0; i < actual.length; i++) {
    expect(Math.abs(actual[i] - expected[i]), `element ${i}: ${actual[i]} vs ${expected[i]}`).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(expected[i])));
  }
}

describe('adamUpdate', () => {
  for (const amsgrad of [false, true]) {
    it.each(LENGTHS)(`amsgrad=${amsgrad}: each step is the float64 formula rounded once, and ${STEPS} steps follow the textbook Adam (n=%i)`, (n) => {
      const [lr, b1, b2, eps] = [0.01, 0.9, 0.999, 1e-7];
      const p = seededArray(n, 1);
      const m = new Float32Array(n);
      const v = new Float32Array(n);
      const vHat = amsgrad ? new Float32Array(n) : null;
      // Textbook form in float64: m ← β1 m + (1−β1) g, v ← β2 v + (1−β2) g², p ← p − lr·m̂/(sqrt(v̂) + ε̂),
      // ε̂ = ε/sqrt(1 − β2^t) (Keras adds ε to sqrt(v) before the bias correction).
      const [P, M, V, VH] = [f64(p), new Float64Array(n), new Float64Array(n), new Float64Array(n)];
      for (let t = 1; t <= STEPS; t++) {
        const g = seededArray(n, 10 + t, -2, 2);
        const alpha = (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
        // Exact expectation from this step's float32 state.
        const want = new Float32Array(n);
        for (let i = 0; i < n; i++) {
          const mi = m[i] + (g[i] - m[i]) * (1 - b1);
          let vi = v[i] + (g[i] * g[i] - v[i]) * (1 - b2);
          if (vHat !== null) vi = Math.max(vi, vHat[i]);
          want[i] = p[i] - (alpha * mi) / (Math.sqrt(vi) + eps);
        }
        adamUpdate(p, g, m, v, vHat, alpha, 1 - b1, 1 - b2, eps);
        expect(p).toEqual(want);
        for (let i = 0; i < n; i++) {
          M[i] = b1 * M[i] + (1 - b1) * g[i];
          V[i] = b2 * V[i] + (1 - b2) * g[i] * g[i];
          VH[i] = Math.max(VH[i], V[i]);
          const vUsed = amsgrad ? VH[i] : V[i];
          P[i] -= (lr * (M[i] / (1 - b1 ** t))) / (Math.sqrt(vUsed / (1 - b2 ** t)) + eps / Math.sqrt(1 - b2 ** t));
        }
      }
      expectClose(p, P);
    });
  }
});

describe('sgdUpdate', () => {
  for (const [mu, nesterov] of [[0, false], [0.9, false], [0.9, true]] as const) {
    it.each(LENGTHS)(`momentum=${mu} nesterov=${nesterov}: matches the float64 formula over ${STEPS} steps (n=%i)`, (n) => {
      const lr = 0.05;
      const p = seededArray(n, 2);
      const b = mu === 0 ? null : new Float32Array(n);
      const [P, B] = [f64(p), new Float64Array(n)];
      for (let t = 1; t <= STEPS; t++) {
        const g = seededArray(n, 20 + t, -2, 2);
        const want = new Float32Array(n);
        for (let i = 0; i < n; i++) {
          const bi = b === null ? 0 : mu * b[i] - lr * g[i];
          want[i] = b === null ? p[i] - lr * g[i] : nesterov ? p[i] + (mu * bi - lr * g[i]) : p[i] + bi;
        }
        sgdUpdate(p, g, b, lr, mu, nesterov);
        expect(p).toEqual(want);
        for (let i = 0; i < n; i++) {
          B[i] = mu * B[i] - lr * g[i];
          P[i] += mu === 0 ? -lr * g[i] : nesterov ? mu * B[i] - lr * g[i] : B[i];
        }
      }
      expectClose(p, P);
    });
  }
});

describe('rmspropUpdate', () => {
  for (const [mu, centered] of [[0, false], [0.5, false], [0, true], [0.5, true]] as const) {
    it.each(LENGTHS)(`momentum=${mu} centered=${centered}: matches the float64 formula over ${STEPS} steps (n=%i)`, (n) => {
      const [lr, rho, eps] = [0.01, 0.9, 1e-7];
      const p = seededArray(n, 3);
      const s = new Float32Array(n);
      const b = mu > 0 ? new Float32Array(n) : null;
      const avg = centered ? new Float32Array(n) : null;
      const [P, S, B, A] = [f64(p), new Float64Array(n), new Float64Array(n), new Float64Array(n)];
      for (let t = 1; t <= STEPS; t++) {
        const g = seededArray(n, 30 + t, -2, 2);
        const want = new Float32Array(n);
        for (let i = 0; i < n; i++) {
          const si = rho * s[i] + (1 - rho) * g[i] * g[i];
          const ai = avg === null ? 0 : rho * avg[i] + (1 - rho) * g[i];
          const inc = (lr * g[i]) / Math.sqrt(si + eps - ai * ai);
          want[i] = p[i] - (b === null ? inc : mu * b[i] + inc);
        }
        rmspropUpdate(p, g, s, b, avg, lr, rho, eps, mu);
        expect(p).toEqual(want);
        for (let i = 0; i < n; i++) {
          S[i] = rho * S[i] + (1 - rho) * g[i] ** 2;
          A[i] = rho * A[i] + (1 - rho) * g[i];
          const inc = (lr * g[i]) / Math.sqrt(S[i] + eps - (centered ? A[i] ** 2 : 0));
          B[i] = mu * B[i] + inc;
          P[i] -= mu > 0 ? B[i] : inc;
        }
      }
      expectClose(p, P);
    });
  }
});

describe('the optimizers run these kernels', () => {
  it.each([
    ['Adam amsgrad', () => new Adam({ learningRate: 0.01, amsgrad: true })],
    ['SGD nesterov', () => new SGD({ learningRate: 0.05, momentum: 0.9, nesterov: true })],
    ['RMSprop centered momentum', () => new RMSprop({ learningRate: 0.01, momentum: 0.5, centered: true })],
  ] as const)('%s: a step equals the kernel on the same state', (_name, make) => {
    const n = 13;
    const opt = make();
    const w = new Tensor(seededArray(n, 4), [n]);
    const p = Float32Array.from(w.data);
    const g = seededArray(n, 5);
    w.grad = new Tensor(Float32Array.from(g), [n]);
    opt.apply([w]);
    if (opt instanceof Adam) {
      adamUpdate(p, g, new Float32Array(n), new Float32Array(n), new Float32Array(n), (0.01 * Math.sqrt(1 - 0.999)) / (1 - 0.9), 1 - 0.9, 1 - 0.999, 1e-7);
    } else if (opt instanceof SGD) {
      sgdUpdate(p, g, new Float32Array(n), 0.05, 0.9, true);
    } else {
      rmspropUpdate(p, g, new Float32Array(n), new Float32Array(n), new Float32Array(n), 0.01, 0.9, 1e-7, 0.5);
    }
    expect(w.data).toEqual(p);
  });
});
