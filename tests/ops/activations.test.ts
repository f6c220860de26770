import { describe, expect, it } from 'vitest';
import { tensor, variable } from '../../src/tensor/creation.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { elu, gelu, hardSigmoid, legacyHardSigmoid, leakyRelu, relu, selu, sigmoid, silu, softplus, softsign, swish, tanh } from '../../src/ops/activations.js';
import { backward } from '../../src/autograd/backward.js';
import { ValueError } from '../../src/util/errors.js';
import { expectClose } from '../helpers/close.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { seededTensor } from '../helpers/seeded.js';
import { compareTf } from './tf-compare.js';
import { naiveMap } from './naive.js';

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/** erf by its Maclaurin series (|z| < 3 here), float64: Φ(x) = (1 + erf(x/√2)) / 2, independent of the kernel's fit. */
function erfSeries(z: number): number {
  let term = z;
  let s = z;
  for (let n = 1; n < 200; n++) {
    term *= (-z * z) / n;
    s += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * s;
}

// Definitions in float64, straight from the formulas (no stabilisation: inputs stay in [-3, 3]).
const REFS: [string, (x: Tensor) => Tensor, (v: number) => number][] = [
  ['sigmoid', sigmoid, (v) => 1 / (1 + Math.exp(-v))],
  ['tanh', tanh, (v) => (Math.exp(v) - Math.exp(-v)) / (Math.exp(v) + Math.exp(-v))],
  ['relu', relu, (v) => (v > 0 ? v : 0)],
  ['leakyRelu', (x) => leakyRelu(x), (v) => (v > 0 ? v : 0.2 * v)],
  ['leakyRelu(0.01)', (x) => leakyRelu(x, 0.01), (v) => (v > 0 ? v : 0.01 * v)],
  ['elu', (x) => elu(x), (v) => (v > 0 ? v : Math.exp(v) - 1)],
  ['elu(0.5)', (x) => elu(x, 0.5), (v) => (v > 0 ? v : 0.5 * (Math.exp(v) - 1))],
  ['selu', selu, (v) => SELU_SCALE * (v > 0 ? v : SELU_ALPHA * (Math.exp(v) - 1))],
  ['softplus', softplus, (v) => Math.log(1 + Math.exp(v))],
  ['softsign', softsign, (v) => v / (1 + Math.abs(v))],
  ['legacyHardSigmoid', legacyHardSigmoid, (v) => Math.min(1, Math.max(0, 0.2 * v + 0.5))],
  // Keras 3: relu6(x + 3) / 6.
  ['hardSigmoid', hardSigmoid, (v) => Math.min(6, Math.max(0, v + 3)) / 6],
  ['swish', swish, (v) => v / (1 + Math.exp(-v))],
  ['gelu', (x) => gelu(x), (v) => (v * (1 + erfSeries(v / Math.SQRT2))) / 2],
  ['gelu tanh', (x) => gelu(x, true), (v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)))],
];

function gradAt(f: (x: Tensor) => Tensor, values: number[]): Float32Array {
  const x = variable(values);
  backward(f(x));
  return x.grad!.data;
}

describe('activations', () => {
  it('match hand-derived values, including extremes that must not overflow', () => {
    expectClose(sigmoid(tensor([0, -1000, 1000, -100, 100])), [0.5, 0, 1, 3.720076e-44, 1]);
    expectClose(tanh(tensor([0, -1000, 1000])), [0, -1, 1]);
    expectClose(relu(tensor([-1, 0, 2])), [0, 0, 2]);
    expectClose(leakyRelu(tensor([-1, 0, 2])), [-0.2, 0, 2]);
    expectClose(elu(tensor([-1000, 0, 2])), [-1, 0, 2]);
    expectClose(selu(tensor([-1000, 1])), [-SELU_SCALE * SELU_ALPHA, SELU_SCALE]);
    expectClose(softplus(tensor([0, -1000, 1000, -20])), [Math.LN2, 0, 1000, 2.0611536e-9], { rtol: 1e-6, atol: 0 });
    expectClose(softsign(tensor([1, -3])), [0.5, -0.75]);
    expectClose(legacyHardSigmoid(tensor([-3, 0, 1, 3])), [0, 0.5, 0.7, 1]);
    expectClose(hardSigmoid(tensor([-4, -3, 0, 1.5, 3, 4])), [0, 0, 0.5, 0.75, 1, 1]);
    expectClose(swish(tensor([0, -1000, 1000])), [0, -0, 1000]);
    expect(silu).toBe(swish);
    expectClose(gelu(tensor([0, 1, -1000, 1000])), [0, 0.8413447460685429, -0, 1000]);
    // Far tail: Φ(−5) = 2.866515718791939e-7 (tables), so gelu(−5) keeps its relative accuracy.
    expectClose(gelu(tensor([-5])), [-5 * 2.866515718791939e-7], { rtol: 1e-6, atol: 0 });
    for (const [name, f] of REFS) expect(Number.isNaN(f(tensor([NaN])).data[0]), name).toBe(true);
  });

  it('have hand-derived gradients at the kinks and in the tails', () => {
    expectClose(gradAt(sigmoid, [0, -1000, 1000]), [0.25, 0, 0]);
    expectClose(gradAt(tanh, [0, 1000]), [1, 0]);
    expectClose(gradAt(relu, [-1, 0, 2]), [0, 0, 1]); // 0 at 0, as TF.js
    expectClose(gradAt((x) => leakyRelu(x, 0.1), [-1, 0, 2]), [0.1, 0.1, 1]); // alpha at 0, as TF.js
    expectClose(gradAt(elu, [-1, 0, 2]), [Math.exp(-1), 1, 1]);
    expectClose(gradAt(selu, [-1, 0, 2]), [SELU_SCALE * SELU_ALPHA * Math.exp(-1), SELU_SCALE * SELU_ALPHA, SELU_SCALE]);
    expectClose(gradAt(softplus, [0, -1000, 1000]), [0.5, 0, 1]);
    expectClose(gradAt(softsign, [0, 1]), [1, 0.25]);
    expectClose(gradAt(legacyHardSigmoid, [-3, 0, 2.4, 3]), [0, 0.2, 0.2, 0]);
    expectClose(gradAt(hardSigmoid, [-4, 0, 2.9, 4]), [0, 1 / 6, 1 / 6, 0]);
    expectClose(gradAt(swish, [0]), [0.5]);
    expectClose(gradAt((x) => gelu(x), [0, 1]), [0.5, 0.8413447460685429 + Math.exp(-0.5) / Math.sqrt(2 * Math.PI)]);
    expectClose(gradAt((x) => gelu(x, true), [0]), [0.5]);
  });

  it('match naive float64 definitions on seeded shapes, including zero-size ones', () => {
    for (const [k, shape] of [[7], [3, 5], [2, 1, 4], [3, 0], []].entries()) {
      const x = seededTensor(shape, 90 + k, -3, 3);
      for (const [name, f, ref] of REFS) {
        const y = f(x);
        expect(y.shape, name).toEqual(shape);
        try {
          expectClose(y, naiveMap(x.data, ref), { rtol: 1e-5, atol: 1e-6 });
        } catch (e) {
          throw new Error(`${name}: ${(e as Error).message}`);
        }
      }
    }
  });

  it('gradients match central finite differences (inputs kept away from the kinks)', () => {
    const raw = seededTensor([4, 5], 3, -3, 3);
    // Kinks at 0 (relu family), ±2.5 and ±3 (the hard sigmoids' corners): move inputs 0.05 away so ±eps never crosses.
    const x = new Tensor(raw.data.map((v) => (Math.abs(v) < 0.05 || Math.abs(Math.abs(v) - 2.5) < 0.05 || Math.abs(Math.abs(v) - 3) < 0.05 ? 1.2 : v)), raw.shape);
    for (const [name, f] of REFS) {
      try {
        gradcheck(f, [x]);
      } catch (e) {
        throw new Error(`${name}: ${(e as Error).message}`);
      }
    }
  });

  it('match TF.js forward and gradient', async () => {
    const x = seededTensor([3, 7], 4, -4, 4);
    await compareTf(sigmoid, (tf, t) => tf.sigmoid(t), [x]);
    await compareTf(tanh, (tf, t) => tf.tanh(t), [x]);
    await compareTf(relu, (tf, t) => tf.relu(t), [x]);
    await compareTf((t) => leakyRelu(t), (tf, t) => tf.leakyRelu(t), [x]);
    await compareTf((t) => leakyRelu(t, 0.3), (tf, t) => tf.leakyRelu(t, 0.3), [x]);
    await compareTf((t) => elu(t), (tf, t) => tf.elu(t), [x]);
    await compareTf(selu, (tf, t) => tf.selu(t), [x]);
    // TF.js's softplus switches to x or eˣ past |x| ≈ 13.9; inside that range both are the exact formula.
    await compareTf(softplus, (tf, t) => tf.softplus(t), [x]);
    await compareTf(softsign, (tf, t) => tf.div(t, tf.add(tf.abs(t), 1)), [x]); // TF.js layers' softsign
    await compareTf(legacyHardSigmoid, (tf, t) => tf.clipByValue(tf.add(tf.mul(t, 0.2), 0.5), 0, 1), [x]); // tfjs-layers K.hardSigmoid
    await compareTf(hardSigmoid, (tf, t) => tf.div(tf.relu6(tf.add(t, 3)), 6), [x]); // Keras 3's definition
    await compareTf(swish, (tf, t) => tf.mul(t, tf.sigmoid(t)), [x]);
    // tfjs-layers' gelu is x·½(1 + erf(x/√2)); TF.js's erf is Abramowitz–Stegun 7.1.26 (|error| < 1.5e-7),
    // so near gelu's zeros only the absolute floor (atol 1e-6) applies, as for every comparison here.
    await compareTf((t) => gelu(t), (tf, t) => tf.mul(t, tf.mul(0.5, tf.add(1, tf.erf(tf.div(t, Math.SQRT2))))), [x]);
    await compareTf(
      (t) => gelu(t, true),
      (tf, t) => tf.mul(0.5, tf.mul(t, tf.add(1, tf.tanh(tf.mul(Math.sqrt(2 / Math.PI), tf.add(t, tf.mul(0.044715, tf.pow(t, 3)))))))),
      [x],
    );
    // The kinks themselves, where the conventions (0 for relu, alpha for leakyRelu, elu's y + 1) must agree.
    const kinks = tensor([0, -0.5, 0.5, -2.5, 2.5]);
    await compareTf(relu, (tf, t) => tf.relu(t), [kinks]);
    await compareTf((t) => leakyRelu(t), (tf, t) => tf.leakyRelu(t), [kinks]);
    await compareTf((t) => elu(t), (tf, t) => tf.elu(t), [kinks]);
    await compareTf(selu, (tf, t) => tf.selu(t), [kinks]);
    await compareTf(legacyHardSigmoid, (tf, t) => tf.clipByValue(tf.add(tf.mul(t, 0.2), 0.5), 0, 1), [kinks]);
  });

  it('reject bad arguments with a ValueError naming the op', () => {
    expect(() => sigmoid('x' as never)).toThrow(/sigmoid: expected x to be a Tensor or a number, received string/);
    expect(() => leakyRelu(tensor([1]), NaN)).toThrow(ValueError);
    expect(() => leakyRelu(tensor([1]), NaN)).toThrow(/leakyRelu: expected alpha to be a finite number, received NaN/);
    expect(() => elu(tensor([1]), '1' as never)).toThrow(/elu: expected alpha/);
    expect(() => softsign(undefined as never)).toThrow(/softsign:/);
    expect(() => hardSigmoid(null as never)).toThrow(/hardSigmoid:/);
  });
});
