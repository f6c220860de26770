import { describe, expect, it } from 'vitest';
import { tensor } from '../../src/tensor/creation.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { Input } from '../../src/layers/input-layer.js';
import { Dense } from '../../src/layers/dense.js';
import { Model } from '../../src/models/model.js';
import { add, mul } from '../../src/ops/arithmetic.js';
import { slice } from '../../src/ops/slice.js';
import { seededTensor } from '../helpers/seeded.js';
import { explain } from '../../src/index.js';

/** A functional linear model with kernel w (one output) and bias 0.5. */
function linear(w: number[]): Model {
  const input = Input({ shape: [w.length] });
  const dense = new Dense(1);
  const model = new Model({ inputs: input, outputs: dense.apply(input) });
  dense.setWeights([tensor(w.map((v) => [v])), tensor([0.5])]);
  return model;
}

/** φ_i = w_i (x_i − E[bg_i]): the closed form for a linear model with independent masking. */
function linearShap(w: number[], x: Tensor, bg: Tensor): number[] {
  const m = w.length;
  const out: number[] = [];
  for (let i = 0; i < x.shape[0]; i++) {
    for (let j = 0; j < m; j++) {
      let mean = 0;
      for (let r = 0; r < bg.shape[0]; r++) mean += bg.data[r * m + j];
      out.push(w[j] * (x.data[i * m + j] - mean / bg.shape[0]));
    }
  }
  return out;
}

describe('kernelShap', () => {
  it('of a linear model equals w_i (x_i − E[x_i]), all coalitions and sampled; efficiency holds exactly', () => {
    for (const [w, nsamples] of [[[1.5, -2, 0.25, 3], undefined], [[1, -0.5, 2, 0, -1.5, 0.75], 20]] as const) {
      const m = w.length;
      const model = linear([...w]);
      const x = seededTensor([2, m], 31, -2, 2);
      const bg = seededTensor([5, m], 32, -1, 1);
      const r = explain.kernelShap(model, x, bg, { nsamples, seed: 3 });
      const expected = linearShap([...w], x, bg);
      r.shapValues.data.forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThan(1e-4));
      let ef = 0.5;
      for (let j = 0; j < m; j++) for (let k = 0; k < 5; k++) ef += (w[j] * bg.data[k * m + j]) / 5;
      expect(Math.abs(r.expectedValue - ef)).toBeLessThan(1e-5);
      for (let i = 0; i < 2; i++) {
        const s = Array.from(r.shapValues.data.subarray(i * m, (i + 1) * m)).reduce((a, b) => a + b, 0);
        expect(Math.abs(s - (r.fx[i] - r.expectedValue))).toBeLessThan(1e-5);
      }
    }
  });

  it('with all coalitions equals the exact Shapley values of f = x0·x1 + x2 at a zero background (x0x1/2, x0x1/2, x2)', () => {
    class Product extends Model {
      override call(inputs: Tensor | Tensor[] | Record<string, Tensor>): Tensor {
        const z = inputs as Tensor;
        return add(mul(slice(z, [0, 0], [-1, 1]), slice(z, [0, 1], [-1, 1])), slice(z, [0, 2], [-1, 1]));
      }
    }
    const x = tensor([[2, 3, -1], [0.5, -4, 2]]);
    const r = explain.kernelShap(new Product(), x, tensor([[0, 0, 0]]));
    const expected = [3, 3, -1, -1, -1, 2];
    r.shapValues.data.forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThan(1e-5));
  });

  it('sampling is seeded; bad input is refused', () => {
    const model = linear([1, 2, 3, 4, 5, 6]);
    const x = seededTensor([1, 6], 1);
    const bg = seededTensor([3, 6], 2);
    const a = explain.kernelShap(model, x, bg, { nsamples: 16, seed: 9 });
    expect(explain.kernelShap(model, x, bg, { nsamples: 16, seed: 9 })).toEqual(a);
    expect(() => explain.kernelShap(model, x, seededTensor([3, 5], 2))).toThrow(/background of shape \[rows, 6\].*\[3, 5\]/);
    expect(() => explain.kernelShap(model, x, bg, { nsamples: 0 })).toThrow(/nsamples must be a positive integer/);
    expect(() => explain.kernelShap(model, x, bg, { target: 1 })).toThrow(/\[0, 1\)/);
    expect(() => explain.kernelShap(model, x, bg, { nsamples: 2, seed: 1 })).toThrow(/raise nsamples/);
  });
});

describe('exactShapley', () => {
  /** A small nonlinear MLP: 4 → 5 (tanh) → 1. */
  function mlp(): Model {
    const input = Input({ shape: [4] });
    const h = new Dense(5, { activation: 'tanh' });
    const o = new Dense(1);
    const model = new Model({ inputs: input, outputs: o.apply(h.apply(input)) });
    h.setWeights([seededTensor([4, 5], 41, -1.5, 1.5), seededTensor([5], 42)]);
    o.setWeights([seededTensor([5, 1], 43, -1.5, 1.5), tensor([0.1])]);
    return model;
  }

  it('matches the product closed form, and kernelShap with all coalitions equals it on a nonlinear MLP', () => {
    class Product extends Model {
      override call(inputs: Tensor | Tensor[] | Record<string, Tensor>): Tensor {
        const z = inputs as Tensor;
        return add(mul(slice(z, [0, 0], [-1, 1]), slice(z, [0, 1], [-1, 1])), slice(z, [0, 2], [-1, 1]));
      }
    }
    const exact = explain.exactShapley(new Product(), tensor([[2, 3, -1]]), tensor([[0, 0, 0]]));
    Array.from(exact.shapValues.data).forEach((v, i) => expect(v).toBeCloseTo([3, 3, -1][i], 6));
    const model = mlp();
    const x = seededTensor([2, 4], 44, -2, 2);
    const bg = seededTensor([6, 4], 45, -1, 1);
    const ref = explain.exactShapley(model, x, bg);
    const ks = explain.kernelShap(model, x, bg);
    expect(Math.max(...Array.from(ref.shapValues.data, Math.abs))).toBeGreaterThan(0.05);
    ks.shapValues.data.forEach((v, i) => expect(Math.abs(v - ref.shapValues.data[i])).toBeLessThan(1e-5));
    expect(Math.abs(ks.expectedValue - ref.expectedValue)).toBeLessThan(1e-6);
    expect(() => explain.exactShapley(model, seededTensor([1, 17], 1), seededTensor([1, 17], 2))).toThrow(/at most 16 features/);
  });
});
