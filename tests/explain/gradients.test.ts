import { describe, expect, it } from 'vitest';
import { NeuriteError } from '../../src/util/errors.js';
import { setSeed } from '../../src/util/random.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { tensor } from '../../src/tensor/creation.js';
import { Input } from '../../src/layers/input-layer.js';
import { Dense } from '../../src/layers/dense.js';
import { Model } from '../../src/models/model.js';
import { Sequential } from '../../src/models/sequential.js';
import { noGrad } from '../../src/autograd/record.js';
import { sum } from '../../src/ops/reduction.js';
import { seededTensor } from '../helpers/seeded.js';
import { Embedding } from '../../src/layers/core/embedding.js';
import { Flatten } from '../../src/layers/flatten.js';
import { explain } from '../../src/index.js';

/** A small smooth functional classifier: 3 → 4 (tanh) → 2 (softmax). */
function smallModel(): Model {
  setSeed(5);
  const input = Input({ shape: [3] });
  const h = new Dense(4, { activation: 'tanh' }).apply(input);
  return new Model({ inputs: input, outputs: new Dense(2, { activation: 'softmax' }).apply(h) });
}

/** Central finite differences (float64 sums) of output column `c` with respect to every input value. */
function numericGrad(model: Model, x: Tensor, c: number, eps = 1e-2): Float64Array {
  const f = (xs: Tensor): number => noGrad(() => {
    const y = model.forward([xs], false)[0];
    let s = 0;
    for (let n = 0; n < xs.shape[0]; n++) s += y.data[n * 2 + c];
    return s;
  });
  const out = new Float64Array(x.size);
  for (let i = 0; i < x.size; i++) {
    const d = Float32Array.from(x.data);
    d[i] += eps;
    const plus = f(new Tensor(d, x.shape));
    d[i] -= 2 * eps;
    out[i] = (plus - f(new Tensor(d, x.shape))) / (2 * eps);
  }
  return out;
}

function expectNear(actual: ArrayLike<number>, expected: ArrayLike<number>, atol: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) expect(Math.abs(actual[i] - expected[i])).toBeLessThan(atol);
}

describe('gradient attributions', () => {
  const x = seededTensor([2, 3], 11, -1.5, 1.5);

  it('saliency (signed and absolute) equals central finite differences per sample', () => {
    const model = smallModel();
    const numeric = numericGrad(model, x, 1);
    expectNear(explain.saliency(model, x, { target: 1, signed: true }).data, numeric, 2e-3);
    expectNear(explain.saliency(model, x, { target: 1 }).data, numeric.map(Math.abs), 2e-3);
    expect(numeric.some((v) => Math.abs(v) > 1e-2)).toBe(true);
  });

  it('a target function of the outputs and gradient × input', () => {
    const model = smallModel();
    const byFn = explain.saliency(model, x, { target: (ys) => ys[0], signed: true }); // rows sum to 1: zero gradient
    expectNear(byFn.data, new Float64Array(x.size), 1e-5);
    const numeric = numericGrad(model, x, 0);
    expectNear(explain.gradientTimesInput(model, x, { target: 0 }).data, numeric.map((g, i) => g * x.data[i]), 2e-3);
  });

  it('smoothGrad is seeded, and with zero noise equals saliency', () => {
    const model = smallModel();
    const a = explain.smoothGrad(model, x, { target: 0, samples: 3, seed: 1 });
    const b = explain.smoothGrad(model, x, { target: 0, samples: 3, seed: 1 });
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    expect(Array.from(explain.smoothGrad(model, x, { target: 0, samples: 3, seed: 2 }).data)).not.toEqual(Array.from(a.data));
    expectNear(explain.smoothGrad(model, x, { target: 0, samples: 2, noiseLevel: 0, signed: true }).data, numericGrad(model, x, 0), 2e-3);
  });

  it('works on Sequential and subclassed models', () => {
    setSeed(3);
    const seq = new Sequential([new Dense(3, { activation: 'tanh', inputShape: [3] }), new Dense(2)]);
    expectNear(explain.saliency(seq, x, { target: 1, signed: true }).data, numericGrad(seq as unknown as Model, x, 1), 2e-3);
    class Sub extends Model {
      dense = new Dense(2, { activation: 'sigmoid' });
      override call(inputs: Tensor | Tensor[] | Record<string, Tensor>): Tensor {
        return this.dense.apply(inputs as Tensor);
      }
    }
    const sub = new Sub();
    expectNear(explain.saliency(sub, x, { target: 0, signed: true }).data, numericGrad(sub, x, 0), 2e-3);
  });

  it('bad input: class out of range, bad options, wrong return shape', () => {
    const model = smallModel();
    expect(() => explain.saliency(model, x, { target: 2 })).toThrow(/\[0, 2\).*received 2/);
    expect(() => explain.saliency(model, x, { target: 0, bogus: 1 } as never)).toThrow(NeuriteError);
    expect(() => explain.saliency(model, x, { target: (ys) => sum(ys[0]) })).toThrow(/one value \(row\) per sample/);
    expect(() => explain.smoothGrad(model, x, { target: 0, samples: 0 })).toThrow(/samples must be a positive integer/);
  });

  it('integer inputs through an Embedding are refused with a hint to attribute at its output', () => {
    setSeed(1);
    const seq = new Sequential([new Embedding(5, 2, { inputShape: [3] }), new Flatten(), new Dense(1)]);
    const ids = new Tensor(Float32Array.from([0, 3, 4, 1, 2, 2]), [2, 3]);
    expect(() => explain.saliency(seq, ids, { target: 0 })).toThrow(/Embedding indices.*embedding output/);
    expect(() => explain.integratedGradients(seq, ids, { target: 0, steps: 2 })).toThrow(/Embedding/);
  });
});

describe('integrated gradients', () => {
  it('of a linear model equals (x − baseline) · w exactly, with zero completeness error', () => {
    const input = Input({ shape: [3] });
    const dense = new Dense(1);
    const model = new Model({ inputs: input, outputs: dense.apply(input) });
    dense.setWeights([tensor([[2], [-1], [0.5]]), tensor([0.25])]);
    const x = tensor([[1, 2, 3], [-1, 0, 4]]);
    const baseline = tensor([0.5, 1, -1]);
    for (const method of ['riemann_trapezoid', 'gauss_legendre'] as const) {
      const { attributions, completenessError } = explain.integratedGradients(model, x, { target: 0, baseline, steps: 3, method, batchSize: 4 });
      // Hand-derived: (x − b) · w = [(0.5)(2), (1)(−1), (4)(0.5)] and [(−1.5)(2), (−1)(−1), (5)(0.5)].
      expect(Array.from(attributions.data)).toEqual([1, -1, 2, -3, 1, 2.5]);
      for (const e of completenessError) expect(Math.abs(e)).toBeLessThan(1e-5);
    }
  });

  it('completeness error on a nonlinear model is small and shrinks with steps', () => {
    const model = smallModel();
    const x = seededTensor([2, 3], 4, -2, 2);
    const err = (steps: number, method: 'riemann_trapezoid' | 'gauss_legendre'): number =>
      Math.max(...explain.integratedGradients(model, x, { target: 1, steps, method }).completenessError.map(Math.abs));
    const [t2, t16] = [err(2, 'riemann_trapezoid'), err(16, 'riemann_trapezoid')];
    expect(t16).toBeLessThan(t2);
    expect(t16).toBeLessThan(2e-3);
    expect(err(8, 'gauss_legendre')).toBeLessThan(1e-4);
    expect(err(1, 'gauss_legendre')).toBeGreaterThan(err(8, 'gauss_legendre'));
  });

  it('bad input: steps < 1, a baseline of another shape, unknown method', () => {
    const model = smallModel();
    const x = seededTensor([2, 3], 4);
    expect(() => explain.integratedGradients(model, x, { target: 0, steps: 0 })).toThrow(/steps must be a positive integer/);
    expect(() => explain.integratedGradients(model, x, { target: 0, baseline: tensor([1, 2]) })).toThrow(/baseline must have the shape/);
    expect(() => explain.integratedGradients(model, x, { target: 0, method: 'simpson' as never })).toThrow(/method must be/);
  });
});
