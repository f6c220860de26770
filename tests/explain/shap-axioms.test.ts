import { describe, expect, it } from 'vitest';
import { Tensor } from '../../src/tensor/tensor.js';
import { Input } from '../../src/layers/input-layer.js';
import { Dense } from '../../src/layers/dense.js';
import { Model } from '../../src/models/model.js';
import { seededTensor } from '../helpers/seeded.js';
import { explain } from '../../src/index.js';

/** An 8-feature MLP 8 → 6 (tanh) → 1 with seeded weights; `edit` may change the first kernel before use. */
function mlp8(edit: (kernel: Float32Array) => void = () => {}): Model {
  const input = Input({ shape: [8] });
  const h = new Dense(6, { activation: 'tanh' });
  const o = new Dense(1);
  const model = new Model({ inputs: input, outputs: o.apply(h.apply(input)) });
  const kernel = seededTensor([8, 6], 71, -1.2, 1.2);
  edit(kernel.data);
  h.setWeights([kernel, seededTensor([6], 72)]);
  o.setWeights([seededTensor([6, 1], 73, -1.2, 1.2), seededTensor([1], 74)]);
  return model;
}

describe('Kernel SHAP against exact Shapley values on an 8-feature MLP, and the Shapley axioms', () => {
  it('sampled kernelShap (fewer samples than the 256 coalitions) is within a stated tolerance of exactShapley', () => {
    const model = mlp8();
    const x = seededTensor([2, 8], 75, -2, 2);
    const bg = seededTensor([5, 8], 76, -1, 1);
    const exact = explain.exactShapley(model, x, bg).shapValues.data;
    const sampled = explain.kernelShap(model, x, bg, { nsamples: 160, seed: 3 }).shapValues.data;
    const scale = Math.max(...Array.from(exact, Math.abs));
    expect(scale).toBeGreaterThan(0.05);
    // Tolerance: 15 % of the largest attribution (paired sampling of 160 of 254 proper coalitions).
    sampled.forEach((v, i) => expect(Math.abs(v - exact[i])).toBeLessThan(0.15 * scale));
  });

  it('symmetry: two features the model treats identically get equal values; dummy: an unused feature gets 0', () => {
    // Feature 1's kernel row copies feature 0's (symmetric); feature 7's row is zero (unused).
    const model = mlp8((k) => {
      for (let j = 0; j < 6; j++) {
        k[6 + j] = k[j];
        k[7 * 6 + j] = 0;
      }
    });
    const x = new Tensor(Float32Array.from([0.7, 0.7, -1, 0.3, 1.5, -0.4, 0.9, 2]), [1, 8]);
    const bg = new Tensor(Float32Array.from([-0.2, -0.2, 0.4, 0.1, -0.5, 0.3, -0.1, 1, 0.5, 0.5, 0, -0.3, 0.2, 0.6, -0.8, -1]), [2, 8]);
    for (const phi of [explain.exactShapley(model, x, bg).shapValues.data, explain.kernelShap(model, x, bg, { nsamples: 1000, seed: 1 }).shapValues.data]) {
      expect(Math.abs(phi[0] - phi[1])).toBeLessThan(1e-5);
      expect(Math.abs(phi[0])).toBeGreaterThan(1e-3);
      expect(Math.abs(phi[7])).toBeLessThan(1e-5);
    }
  });
});
