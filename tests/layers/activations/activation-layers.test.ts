import { describe, expect, it } from 'vitest';
import { ELU, LeakyReLU, ReLU, Softmax, ThresholdedReLU } from '../../../src/layers/activations/simple-activations.js';
import { PReLU } from '../../../src/layers/activations/prelu.js';
import { layerFromConfig } from '../../../src/layers/serialization.js';
import { getActivation } from '../../../src/activations/activations.js';
import { tensor } from '../../../src/tensor/creation.js';
import { ShapeError, ValueError } from '../../../src/util/errors.js';
import { expectClose } from '../../helpers/close.js';
import { gradcheck } from '../../helpers/gradcheck.js';
import { seededTensor } from '../../helpers/seeded.js';
import { tfCpu } from '../../helpers/tf.js';
import { checkLayer, expectErrorMentioning, gradcheckLayer } from '../harness.js';
import { compareWithTf } from '../tf-compare.js';

/** Seeded values in [−3, 3] kept 0.05 away from the kinks. */
function awayFrom(kinks: number[], shape: number[], seed: number) {
  const x = seededTensor(shape, seed, -3, 3);
  for (let i = 0; i < x.size; i++) for (const k of kinks) if (Math.abs(x.data[i] - k) < 0.05) x.data[i] += 0.1;
  return x;
}

describe('activation layers', () => {
  it('pass the layer harness; PReLU alpha has the input shape with shared axes of size 1', () => {
    const x = awayFrom([0, 1], [2, 3, 4, 2], 1);
    checkLayer(new ReLU({ maxValue: 2, negativeSlope: 0.1, threshold: 0.5 }), x, []);
    checkLayer(new LeakyReLU(), x, []);
    checkLayer(new ELU({ alpha: 0.5 }), x, []);
    checkLayer(new Softmax({ axis: 1 }), x, []);
    checkLayer(new ThresholdedReLU({ theta: 0.5 }), x, []);
    checkLayer(new PReLU({ sharedAxes: [1, 2], alphaInitializer: 'ones' }), x, [[1, 1, 2]]);
    checkLayer(new PReLU({ alphaInitializer: 'ones' }), x, [[3, 4, 2]]);
  });

  it('equal TF.js forward and gradients', async () => {
    const tf = await tfCpu();
    const x = awayFrom([0, 1, 6, 0.7], [2, 3, 4, 2], 2);
    await compareWithTf(new ReLU(), tf.layers.reLU({}), x);
    await compareWithTf(new ReLU({ maxValue: 1 }), tf.layers.reLU({ maxValue: 1 }), x);
    await compareWithTf(new LeakyReLU(), tf.layers.leakyReLU({}), x);
    await compareWithTf(new LeakyReLU({ alpha: 0.1 }), tf.layers.leakyReLU({ alpha: 0.1 }), x);
    // TF.js's ELU layer refuses alpha != 1 ("not supported yet"); other alphas rest on the elu op's own tests.
    await compareWithTf(new ELU(), tf.layers.elu({}), x);
    // TF.js's Softmax layer defaults to axis 1; Keras's default is −1.
    await compareWithTf(new Softmax(), tf.layers.softmax({ axis: -1 }), x);
    // TF.js has no gradient for its ThresholdedReLU (Greater); ours is checked by finite differences.
    await compareWithTf(new ThresholdedReLU({ theta: 0.7 }), tf.layers.thresholdedReLU({ theta: 0.7 }), x, { gradients: false });
    await compareWithTf(new PReLU(), tf.layers.prelu({}), x);
    await compareWithTf(new PReLU({ sharedAxes: [1, 2] }), tf.layers.prelu({ sharedAxes: [1, 2] }), x);
  });

  it('Keras 3 ReLU with threshold and negative slope, by hand; gradients by finite differences', () => {
    const r = new ReLU({ maxValue: 2, negativeSlope: 0.5, threshold: 1 });
    // x < 1 → 0.5·(x − 1); 1 <= x → min(x, 2).
    expectClose(r.apply(tensor([-1, 0.5, 1, 1.5, 3])), [-1, -0.25, 1, 1.5, 2]);
    gradcheckLayer(r, awayFrom([1, 2], [3, 4], 3));
    // Softmax along axis 1 (TF.js supports only the last): float64 reference and finite differences.
    const s = seededTensor([2, 3, 2], 6);
    const y = new Softmax({ axis: 1 }).apply(s);
    const expected = Array.from(s.data, (v, i) => {
      const b = Math.floor(i / 6);
      const c = i % 2;
      let z = 0;
      for (let k = 0; k < 3; k++) z += Math.exp(s.data[b * 6 + k * 2 + c]);
      return Math.exp(v) / z;
    });
    expectClose(y, expected, { rtol: 1e-5, atol: 1e-7 });
    gradcheckLayer(new Softmax({ axis: 1 }), s);
    gradcheckLayer(new ThresholdedReLU({ theta: 0.7 }), awayFrom([0.7], [3, 4], 7));
    gradcheckLayer(new PReLU({ alphaInitializer: 'random_uniform', sharedAxes: 1 }), awayFrom([0], [2, 3, 2], 4));
  });

  it('activation ids: hard_sigmoid and hard_silu are Keras 3\'s, legacy_hard_sigmoid TF.js\'s', () => {
    const x = awayFrom([-3, 3, -2.5, 2.5], [2, 6], 5);
    expectClose(getActivation('hard_sigmoid')(x), Array.from(x.data, (v) => Math.min(Math.max(v + 3, 0), 6) / 6), { rtol: 1e-6, atol: 1e-7 });
    expectClose(getActivation('keras_hard_sigmoid')(x), Array.from(x.data, (v) => Math.min(Math.max(v + 3, 0), 6) / 6), { rtol: 1e-6, atol: 1e-7 });
    expectClose(getActivation('legacy_hard_sigmoid')(x), Array.from(x.data, (v) => Math.min(Math.max(0.2 * v + 0.5, 0), 1)), { rtol: 1e-6, atol: 1e-7 });
    expectClose(getActivation('hard_swish')(x), Array.from(x.data, (v) => (v * Math.min(Math.max(v + 3, 0), 6)) / 6), { rtol: 1e-6, atol: 1e-7 });
    gradcheck((t) => getActivation('hard_silu')(t), [x]);
  });

  it('LeakyReLU writes TF.js\'s alpha and reads Keras 3\'s negative_slope', () => {
    expect(new LeakyReLU({ negativeSlope: 0.2 }).getConfig().alpha).toBe(0.2);
    expect((layerFromConfig('LeakyReLU', { negative_slope: 0.1 }) as LeakyReLU).negativeSlope).toBe(0.1);
    expect((layerFromConfig('LeakyReLU', { alpha: 0.25 }) as LeakyReLU).negativeSlope).toBe(0.25);
  });

  it('refuse bad options and input', () => {
    expectErrorMentioning(() => new PReLU({ sharedAxes: [3], name: 'pr' }).apply(seededTensor([2, 3, 4], 1)), ShapeError, 'pr (PReLU)', 'shared axis 3', '[2, 3, 4]');
    expectErrorMentioning(() => new PReLU({ sharedAxes: [0] }), ValueError, 'sharedAxes', '[0]');
    expectErrorMentioning(() => new ReLU({ maxValue: -1 }), ValueError, 'maxValue', '-1');
    expectErrorMentioning(() => new LeakyReLU({ alpha: 0.1, negativeSlope: 0.2 }), ValueError, 'alpha', 'negativeSlope');
    expectErrorMentioning(() => new Softmax({ axis: 2 }).apply(seededTensor([2, 3], 1)), ShapeError, 'axis 2', '[2, 3]');
    expectErrorMentioning(() => new ELU({ slope: 1 } as never), ValueError, "unknown option 'slope'");
  });
});
