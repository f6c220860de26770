import { describe, expect, it } from 'vitest';
import { AlphaDropout, GaussianDropout, GaussianNoise, SpatialDropout1D, SpatialDropout2D } from '../../../src/layers/regularization/noise-layers.js';
import { Dropout } from '../../../src/layers/dropout.js';
import { Tensor } from '../../../src/tensor/tensor.js';
import { setSeed } from '../../../src/util/random.js';
import { ShapeError, ValueError } from '../../../src/util/errors.js';
import { seededTensor } from '../../helpers/seeded.js';
import { checkLayer, expectErrorMentioning } from '../harness.js';

function moments(a: ArrayLike<number>): { mean: number; variance: number } {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  const mean = s / a.length;
  let v = 0;
  for (let i = 0; i < a.length; i++) v += (a[i] - mean) ** 2;
  return { mean, variance: v / a.length };
}

/** Standard normal inputs (Box–Muller on a fixed uniform stream), independent of the library's generator. */
function standardNormal(n: number): Tensor {
  const u = seededTensor([2 * n], 3, 1e-9, 1).data;
  return new Tensor(Float32Array.from({ length: n }, (_, i) => Math.sqrt(-2 * Math.log(u[2 * i])) * Math.cos(2 * Math.PI * u[2 * i + 1])), [n / 100, 100]);
}

describe('noise layers', () => {
  const layers = () => [
    new SpatialDropout1D(0.3, { seed: 1 }),
    new SpatialDropout2D(0.3, { seed: 2 }),
    new GaussianNoise(0.5, { seed: 3 }),
    new GaussianDropout(0.3, { seed: 4 }),
    new AlphaDropout(0.3, { seed: 5 }),
    new Dropout(0.3, { seed: 6, noiseShape: [null, 1, null] }),
  ];
  const inputFor = (l: { className: string }) => seededTensor(l.className === 'SpatialDropout2D' ? [2, 3, 4, 5] : [2, 6, 5], 7);

  it('pass the layer harness, are the identity in inference, and are seeded-reproducible in training', () => {
    for (const l of layers()) {
      const x = inputFor(l);
      checkLayer(l, x, [], { training: true });
      expect(l.apply(x, { training: false })).toBe(x);
    }
    const a = layers().map((l) => Array.from(l.apply(inputFor(l), { training: true }).data));
    const b = layers().map((l) => Array.from(l.apply(inputFor(l), { training: true }).data));
    expect(a).toEqual(b);
    a.forEach((out, k) => expect(out, `layer ${k} changed its input`).not.toEqual(Array.from(inputFor(layers()[k]).data)));
    // Unseeded ones follow setSeed.
    setSeed(9);
    const c = Array.from(new GaussianNoise(1).apply(inputFor({ className: '' }), { training: true }).data);
    setSeed(9);
    expect(Array.from(new GaussianNoise(1).apply(inputFor({ className: '' }), { training: true }).data)).toEqual(c);
  });

  it('spatial dropout drops whole channels, scaling survivors by 1 / (1 − rate)', () => {
    const x = new Tensor(new Float32Array(4 * 3 * 3 * 8).fill(1), [4, 3, 3, 8]);
    const y = new SpatialDropout2D(0.5, { seed: 11 }).apply(x, { training: true }).data;
    for (let b = 0; b < 4; b++)
      for (let c = 0; c < 8; c++) {
        const first = y[b * 72 + c];
        expect([0, 2]).toContain(first);
        for (let p = 0; p < 9; p++) expect(y[b * 72 + p * 8 + c]).toBe(first);
      }
    const seq = new SpatialDropout1D(0.5, { seed: 12 }).apply(new Tensor(new Float32Array(2 * 5 * 6).fill(1), [2, 5, 6]), { training: true }).data;
    for (let t = 0; t < 5; t++) for (let c = 0; c < 6; c++) expect(seq[t * 6 + c]).toBe(seq[c]);
  });

  it('noise statistics match their definitions (20 000 draws)', () => {
    const ones = new Tensor(new Float32Array(20000).fill(1), [200, 100]);
    const noise = moments(new GaussianNoise(0.5, { seed: 13 }).apply(ones, { training: true }).data);
    expect(noise.mean).toBeCloseTo(1, 1);
    expect(Math.sqrt(noise.variance)).toBeCloseTo(0.5, 1);
    const drop = moments(new GaussianDropout(0.2, { seed: 14 }).apply(ones, { training: true }).data);
    expect(drop.mean).toBeCloseTo(1, 1);
    expect(drop.variance).toBeCloseTo(0.25, 1); // rate / (1 − rate)
    // AlphaDropout keeps a standard normal input's mean 0 and variance 1 (its a, b are chosen for that).
    const alpha = moments(new AlphaDropout(0.2, { seed: 15 }).apply(standardNormal(20000), { training: true }).data);
    expect(alpha.mean).toBeCloseTo(0, 1);
    expect(alpha.variance).toBeCloseTo(1, 1);
  });

  it('refuse bad rates, seeds and inputs', () => {
    expectErrorMentioning(() => new SpatialDropout2D(1, { name: 'sd' }), ValueError, 'sd (SpatialDropout2D)', 'rate', '1');
    expectErrorMentioning(() => new GaussianNoise(-0.1), ValueError, 'stddev', '-0.1');
    expectErrorMentioning(() => new AlphaDropout(0.1, { seed: 1.5 }), ValueError, 'seed', '1.5');
    expectErrorMentioning(() => new SpatialDropout1D(0.1).apply(seededTensor([2, 3], 1)), ShapeError, 'rank 3', '[2, 3]');
    expectErrorMentioning(() => new GaussianDropout(0.1, { noiseShape: [1] } as never), ValueError, "unknown option 'noiseShape'");
  });
});
