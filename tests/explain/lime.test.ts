import { describe, expect, it } from 'vitest';
import { tensor } from '../../src/tensor/creation.js';
import { Input } from '../../src/layers/input-layer.js';
import { Dense } from '../../src/layers/dense.js';
import { Model } from '../../src/models/model.js';
import { seededTensor } from '../helpers/seeded.js';
import { explain } from '../../src/index.js';

function linear(w: number[], b: number): Model {
  const input = Input({ shape: [w.length] });
  const dense = new Dense(1);
  const model = new Model({ inputs: input, outputs: dense.apply(input) });
  dense.setWeights([tensor(w.map((v) => [v])), tensor([b])]);
  return model;
}

/** Population standard deviation of column j. */
function colStd(t: ReturnType<typeof seededTensor>, j: number): number {
  const [n, m] = t.shape;
  let mu = 0;
  for (let r = 0; r < n; r++) mu += t.data[r * m + j] / n;
  let s = 0;
  for (let r = 0; r < n; r++) s += (t.data[r * m + j] - mu) ** 2 / n;
  return Math.sqrt(s);
}

describe('lime', () => {
  const w = [2, -0.5, 1, 0];
  const train = seededTensor([20, 4], 51, -2, 2);
  const x = seededTensor([1, 4], 52, -1, 1);

  it('without a penalty recovers a linear model exactly: weight_j = w_j·std_j on standardized features, R² = 1', () => {
    const r = explain.lime(linear(w, 0.3), x, { trainingData: train, numSamples: 200, alpha: 0, seed: 1 });
    r.weights.forEach((v, j) => expect(Math.abs(v - w[j] * colStd(train, j))).toBeLessThan(1e-4));
    expect(r.score).toBeGreaterThan(1 - 1e-9);
    const fx = w.reduce((s, wj, j) => s + wj * x.data[j], 0.3);
    expect(Math.abs(r.localPrediction - fx)).toBeLessThan(1e-4);
  });

  it('numFeatures keeps the largest, ridge shrinks, seeded, bad input refused', () => {
    const model = linear(w, 0.3);
    const big = w.map((wj, j) => Math.abs(wj * colStd(train, j)));
    const two = explain.lime(model, x, { trainingData: train, numSamples: 200, numFeatures: 2, seed: 2 });
    const expected = [0, 1, 2, 3].sort((a, b) => big[b] - big[a]).slice(0, 2);
    expect(two.features).toEqual(expected);
    expect(two.weights.filter((v) => v !== 0)).toHaveLength(2);
    const ridge = explain.lime(model, x, { trainingData: train, numSamples: 200, seed: 2 });
    expect(Math.abs(ridge.weights[0])).toBeLessThan(big[0]); // the penalty shrinks towards 0
    expect(explain.lime(model, x, { trainingData: train, numSamples: 200, seed: 2 })).toEqual(ridge);
    expect(() => explain.lime(model, x, { trainingData: seededTensor([5, 3], 1) })).toThrow(/trainingData of shape \[rows >= 2, 4\]/);
    expect(() => explain.lime(model, seededTensor([2, 4], 1), { trainingData: train })).toThrow(/one instance/);
    expect(() => explain.lime(model, x, { trainingData: train, numSamples: 0 })).toThrow(/numSamples must be a positive integer/);
  });
});
