import { describe, expect, it } from 'vitest';
import { LayerNormalization } from '../../../src/layers/normalization/layer-normalization.js';
import { layerFromConfig } from '../../../src/layers/serialization.js';
import { Tensor } from '../../../src/tensor/tensor.js';
import { ShapeError, ValueError } from '../../../src/util/errors.js';
import { expectClose } from '../../helpers/close.js';
import { seededTensor } from '../../helpers/seeded.js';
import { tfCpu } from '../../helpers/tf.js';
import { checkLayer, expectErrorMentioning, gradcheckLayer } from '../harness.js';
import { compareWithTf } from '../tf-compare.js';

/**
 * Keras's formula in float64 for `[batch, steps, features]` normalized over the last `k` axes:
 * y = (x − μ) / √(σ² + ε) · γ + β, with μ, σ² the mean and biased variance of each group.
 */
function reference(x: Tensor, k: number, epsilon: number, gamma: Float32Array | null, beta: Float32Array | null): Float64Array {
  const group = x.shape.slice(x.rank - k).reduce((a, b) => a * b, 1);
  const out = new Float64Array(x.size);
  for (let g0 = 0; g0 < x.size; g0 += group) {
    let mu = 0;
    for (let i = 0; i < group; i++) mu += x.data[g0 + i];
    mu /= group;
    let variance = 0;
    for (let i = 0; i < group; i++) variance += (x.data[g0 + i] - mu) ** 2;
    variance /= group;
    for (let i = 0; i < group; i++) {
      const normalized = (x.data[g0 + i] - mu) / Math.sqrt(variance + epsilon);
      out[g0 + i] = normalized * (gamma === null ? 1 : gamma[i]) + (beta === null ? 0 : beta[i]);
    }
  }
  return out;
}

describe('LayerNormalization', () => {
  it('passes the harness; weights gamma then beta, shaped as the normalized axes', () => {
    checkLayer(new LayerNormalization(), seededTensor([2, 3, 4], 1), [[4], [4]]);
    checkLayer(new LayerNormalization({ axis: [1, 2], center: false }), seededTensor([2, 3, 4], 2), [[3, 4]]);
    checkLayer(new LayerNormalization({ axis: [-2, -1], scale: false }), seededTensor([2, 3, 4], 2), [[3, 4]]);
  });

  it('equals a float64 reference of Keras’s formula, epsilon inside the square root', () => {
    // A small variance makes the epsilon placement visible: √(σ² + ε) vs √σ² + ε differ by far more than the tolerance.
    const x = seededTensor([3, 2, 5], 3, -0.05, 0.05);
    for (const epsilon of [1e-3, 0.5]) {
      const layer = new LayerNormalization({ epsilon });
      layer.ensureBuilt([...x.shape]);
      const gamma = seededTensor([5], 4);
      const beta = seededTensor([5], 5);
      layer.setWeights([gamma, beta]);
      expectClose(layer.apply(x), reference(x, 1, epsilon, gamma.data, beta.data), { rtol: 1e-4, atol: 1e-5 });
    }
    const both = new LayerNormalization({ axis: [1, 2], center: false, epsilon: 1e-2 });
    expectClose(both.apply(x), reference(x, 2, 1e-2, null, null), { rtol: 1e-4, atol: 1e-5 });
  });

  it('equals TF.js forward and gradients; passes finite differences', async () => {
    const tf = await tfCpu();
    await compareWithTf(new LayerNormalization(), tf.layers.layerNormalization({}), seededTensor([2, 3, 6], 6));
    await compareWithTf(new LayerNormalization({ axis: [1, 2], epsilon: 0.1 }), tf.layers.layerNormalization({ axis: [1, 2], epsilon: 0.1 }), seededTensor([2, 3, 4], 7));
    // TF.js's gradient with center: false throws inside its tape (no beta: "reading 'id'" of undefined),
    // so there TF.js judges the output only; finite differences check the gradients below.
    await compareWithTf(new LayerNormalization({ center: false }), tf.layers.layerNormalization({ center: false }), seededTensor([3, 5], 8), { gradients: false });
    gradcheckLayer(new LayerNormalization({ gammaInitializer: 'random_normal', betaInitializer: 'random_normal' }), seededTensor([2, 2, 4], 9), { eps: 1e-3 });
    gradcheckLayer(new LayerNormalization({ axis: [1, 2], epsilon: 0.1 }), seededTensor([2, 2, 3], 10), { eps: 1e-3 });
  });

  it('writes a config TF.js reads (and reads the one TF.js writes)', async () => {
    const tf = await tfCpu();
    const model = tf.sequential({ layers: [tf.layers.layerNormalization({ inputShape: [5, 2], name: 'ln', epsilon: 1e-4 })] });
    const tfConfig = (model.toJSON(undefined, false) as unknown as { config: { layers: { config: Record<string, unknown> }[] } }).config.layers[0].config;
    const ours = layerFromConfig('LayerNormalization', tfConfig) as LayerNormalization;
    expect(ours.getConfig()).toEqual(tfConfig);
    expect(new LayerNormalization({ name: 'ln2' }).getConfig()).toMatchObject({ axis: -1, epsilon: 1e-3, center: true, scale: true });
  });

  it('refuses bad options and input', () => {
    expectErrorMentioning(() => new LayerNormalization({ axis: 0 }), ValueError, 'axis', 'batch');
    expectErrorMentioning(() => new LayerNormalization({ epsilon: 0 }), ValueError, 'epsilon');
    expectErrorMentioning(() => new LayerNormalization({ momentum: 0.9 } as never), ValueError, "unknown option 'momentum'");
    expectErrorMentioning(() => layerFromConfig('LayerNormalization', { rms_scaling: true }), Error, 'rms_scaling');
    const ln = new LayerNormalization({ axis: 2, name: 'ln_in' });
    expectErrorMentioning(() => ln.apply(seededTensor([2, 3], 1)), ShapeError, 'ln_in (LayerNormalization)', '[2, 3]');
    ln.apply(seededTensor([2, 3, 4], 1));
    expectErrorMentioning(() => ln.apply(seededTensor([2, 3, 5], 1)), ShapeError, 'built for axes of sizes [4]', '[2, 3, 5]');
  });
});
