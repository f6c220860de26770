import { describe, expect, it } from 'vitest';
import { Dropout } from '../../src/layers/dropout.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { ones, tensor } from '../../src/tensor/creation.js';
import { backward } from '../../src/autograd/backward.js';
import { setSeed } from '../../src/util/random.js';
import { ShapeError, ValueError } from '../../src/util/errors.js';
import { seededTensor } from '../helpers/seeded.js';
import { tfjsGoldens } from './goldens.js';
import { checkLayer, expectErrorMentioning, probeWeights, weightedSum } from './harness.js';

describe('Dropout', () => {
  it('passes the layer harness in both modes', () => {
    checkLayer(new Dropout(0.5), seededTensor([2, 6], 1), []);
    checkLayer(new Dropout(0.5, { seed: 3 }), seededTensor([2, 6], 1), [], { training: true });
  });

  it('is the identity unless training', () => {
    const x = seededTensor([3, 4], 2);
    expect(new Dropout(0.9).apply(x)).toBe(x);
    expect(new Dropout(0).apply(x, { training: true })).toBe(x);
  });

  it('drops about `rate` of the values and scales the rest by 1/(1 − rate)', () => {
    const rate = 0.3;
    const y = new Dropout(rate, { seed: 1 }).apply(ones([100, 100]), { training: true });
    const zeros = y.data.filter((v) => v === 0).length;
    // Binomial(10,000, 0.3): standard deviation ≈ 46, so ±200 is over 4σ.
    expect(Math.abs(zeros - 3000)).toBeLessThan(200);
    expect(y.data.every((v) => v === 0 || v === Math.fround(1 / (1 - rate)))).toBe(true);
  });

  it('passes the gradient through the same mask: dx = mask', () => {
    const x = seededTensor([4, 5], 3);
    x.requiresGrad = true;
    const y = new Dropout(0.5, { seed: 2 }).apply(x, { training: true });
    const w = probeWeights(y.size);
    backward(weightedSum(y, w));
    for (let i = 0; i < x.size; i++) {
      const mask = y.data[i] / x.data[i];
      expect(x.grad!.data[i]).toBeCloseTo(w[i] * mask, 5);
    }
  });

  it('is reproducible: a seed fixes its stream; without one, setSeed does', () => {
    const x = ones([4, 8]);
    const masks = (layer: Dropout): number[][] => [0, 1].map(() => Array.from(layer.apply(x, { training: true }).data));
    const a = masks(new Dropout(0.5, { seed: 7 }));
    const b = masks(new Dropout(0.5, { seed: 7 }));
    expect(a).toEqual(b);
    expect(a[0]).not.toEqual(a[1]);
    setSeed(11);
    const c = masks(new Dropout(0.5));
    setSeed(11);
    const d = masks(new Dropout(0.5));
    expect(c).toEqual(d);
  });

  it('broadcasts a noiseShape mask (null takes the input size)', () => {
    const y = new Dropout(0.5, { seed: 4, noiseShape: [null, 1, null] }).apply(ones([2, 5, 3]), { training: true });
    const rows = y.toArray() as number[][][];
    for (const sample of rows) for (const row of sample) expect(row).toEqual(sample[0]);
    expectErrorMentioning(() => new Dropout(0.5, { noiseShape: [2, 3], name: 'dn' }).apply(ones([2, 4])), ShapeError, 'dn', '[2, 3]', '[2, 4]');
  });

  it('writes the config TF.js writes and refuses bad rates', () => {
    const golden = tfjsGoldens.dropout.config;
    expect(new Dropout(0.3, { seed: 5, inputShape: [3], name: golden.name as string }).getConfig()).toEqual(golden);
    for (const rate of [-0.1, 1, 2, NaN]) expectErrorMentioning(() => new Dropout(rate, { name: 'dr' }), ValueError, 'dr', 'rate');
    expect(() => new Dropout(0.5, { seed: 1.5 })).toThrow(/seed/);
  });

  it('accepts any input rank', () => {
    const x = new Tensor(new Float32Array([1, 2, 3]), [3]);
    expect(new Dropout(0.5).apply(x)).toBe(x);
    expect(new Dropout(0.5, { seed: 1 }).apply(tensor([[[1]]]), { training: true }).shape).toEqual([1, 1, 1]);
  });
});
