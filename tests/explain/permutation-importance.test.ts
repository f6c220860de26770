import { describe, expect, it } from 'vitest';
import { tensor } from '../../src/tensor/creation.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { Input } from '../../src/layers/input-layer.js';
import { Dense } from '../../src/layers/dense.js';
import { Model } from '../../src/models/model.js';
import { seededTensor } from '../helpers/seeded.js';
import { explain } from '../../src/index.js';

/** y = 2·x0 + 0·x1 − x2: feature 1 is ignored. */
function linear(): Model {
  const input = Input({ shape: [3] });
  const dense = new Dense(1);
  const model = new Model({ inputs: input, outputs: dense.apply(input) });
  dense.setWeights([tensor([[2], [0], [-1]]), tensor([0])]);
  return model;
}

describe('permutationImportance', () => {
  const x = seededTensor([12, 3], 21, -1, 1);
  const y = new Tensor(Float32Array.from({ length: 12 }, (_, i) => 2 * x.data[i * 3] - x.data[i * 3 + 2]), [12, 1]);

  it('an ignored feature gets exactly 0, used ones a positive drop; seeded', () => {
    const model = linear();
    const r = explain.permutationImportance(model, x, y, { repeats: 3, seed: 4 });
    expect(r.importancesMean[1]).toBe(0);
    expect(r.importancesStd[1]).toBe(0);
    expect(r.importancesMean[0]).toBeGreaterThan(r.importancesMean[2]); // weight 2 vs 1 on similar spreads
    expect(r.importancesMean[2]).toBeGreaterThan(0);
    expect(r.baselineScore).toBeLessThan(1e-10); // exact model: mse 0
    expect(r.importances[0]).toHaveLength(3);
    // Hand-checked mean/std of the recorded drops.
    const d = r.importances[0];
    const m = (d[0] + d[1] + d[2]) / 3;
    expect(r.importancesMean[0]).toBeCloseTo(m, 12);
    expect(r.importancesStd[0]).toBeCloseTo(Math.sqrt(d.reduce((a, b) => a + (b - m) ** 2, 0) / 3), 12);
    expect(explain.permutationImportance(model, x, y, { repeats: 3, seed: 4 })).toEqual(r);
  });

  it('a custom metric (lower is better) and bad input', () => {
    const model = linear();
    const maxErr = (t: Tensor, p: Tensor): number => Math.max(...Array.from(p.data, (v, i) => Math.abs(v - t.data[i])));
    const r = explain.permutationImportance(model, x, y, { metric: maxErr, greaterIsBetter: false, repeats: 2, seed: 1 });
    expect(r.importancesMean[1]).toBe(0);
    expect(r.importancesMean[0]).toBeGreaterThan(0);
    expect(() => explain.permutationImportance(model, x, y, { repeats: 0 })).toThrow(/repeats must be a positive integer/);
    expect(() => explain.permutationImportance(model, x, tensor([1, 2]))).toThrow(/12 samples/);
    expect(() => explain.permutationImportance(model, x, y, { metric: 'r2' as never })).toThrow(/metric must be/);
  });
});
