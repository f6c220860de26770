import { describe, expect, it } from 'vitest';
import type * as tfTypes from '@tensorflow/tfjs';
import { MaxPooling1D } from '../../../src/layers/pooling/max-pooling1d.js';
import { AveragePooling1D } from '../../../src/layers/pooling/average-pooling1d.js';
import { GlobalAveragePooling1D } from '../../../src/layers/pooling/global-average-pooling1d.js';
import { GlobalMaxPooling1D } from '../../../src/layers/pooling/global-max-pooling1d.js';
import { layerFromConfig } from '../../../src/layers/serialization.js';
import { Tensor } from '../../../src/tensor/tensor.js';
import { tensor } from '../../../src/tensor/creation.js';
import { backward } from '../../../src/autograd/backward.js';
import { ShapeError, ValueError } from '../../../src/util/errors.js';
import { expectClose } from '../../helpers/close.js';
import { seededTensor } from '../../helpers/seeded.js';
import { tfCpu } from '../../helpers/tf.js';
import { checkLayer, expectErrorMentioning, gradcheckLayer, probeWeights, weightedSum } from '../harness.js';
import { compareWithTf } from '../tf-compare.js';

/** TF.js's config of a one-layer model, as model.json holds it. */
function tfConfigOf(layer: tfTypes.layers.Layer, tf: typeof tfTypes): Record<string, unknown> {
  const model = tf.sequential({ layers: [layer] });
  return (model.toJSON(undefined, false) as unknown as { config: { layers: { config: Record<string, unknown> }[] } }).config.layers[0].config;
}

describe('MaxPooling1D and AveragePooling1D', () => {
  it('pass the harness and compute windows by hand', () => {
    const x = tensor([1, 5, 3, 2, 8, 0, 4], [1, 7, 1]);
    expect(checkLayer(new MaxPooling1D(), x, []).toArray()).toEqual([[[5], [3], [8]]]);
    // 'same', pool 3, stride 2 on 7 steps: 4 windows, one step of padding in front: {1, 5}, {5, 3, 2}, {2, 8, 0}, {0, 4}.
    expectClose(checkLayer(new AveragePooling1D({ poolSize: 3, strides: 2, padding: 'same' }), x, []), [3, 10 / 3, 10 / 3, 2]);
  });

  it('equal TF.js forward and input gradient in both paddings and odd strides', async () => {
    const tf = await tfCpu();
    const settings = [{ poolSize: 2 }, { poolSize: 3, strides: 2, padding: 'same' as const }, { poolSize: 3, strides: 1 }, { poolSize: 2, strides: 3, padding: 'same' as const }];
    for (const [k, s] of settings.entries()) {
      await compareWithTf(new MaxPooling1D(s), tf.layers.maxPooling1d(s), seededTensor([2, 8, 3], 40 + k));
      // TF.js's average-pooling gradient with 'same' divides by the full window, not the real steps
      // (the Conv2D/pooling2d tests note the same): there the gradient is checked by finite differences.
      const gradients = s.padding !== 'same';
      await compareWithTf(new AveragePooling1D(s), tf.layers.averagePooling1d(s), seededTensor([2, 7, 2], 50 + k), { gradients });
    }
  });

  it('pass finite-difference gradient checks', () => {
    gradcheckLayer(new AveragePooling1D({ poolSize: 3, strides: 2, padding: 'same' }), seededTensor([2, 7, 2], 6));
    gradcheckLayer(new AveragePooling1D({ poolSize: 2, strides: 3, padding: 'same' }), seededTensor([1, 8, 2], 7));
    gradcheckLayer(new MaxPooling1D({ poolSize: 3, strides: 2, padding: 'same' }), seededTensor([2, 7, 2], 8), { eps: 1e-3 });
  });

  it('read the config TF.js writes and write the same', async () => {
    const tf = await tfCpu();
    for (const [make, theirs] of [
      [MaxPooling1D, tf.layers.maxPooling1d({ poolSize: 3, strides: 2, padding: 'same', name: 'p1', inputShape: [6, 2] })],
      [AveragePooling1D, tf.layers.averagePooling1d({ poolSize: 2, name: 'p2', inputShape: [6, 2] })],
    ] as const) {
      const config = tfConfigOf(theirs, tf);
      const ours = layerFromConfig(theirs.getClassName(), config);
      expect(ours).toBeInstanceOf(make);
      expect(ours.getConfig()).toEqual(config);
    }
    expect(layerFromConfig('MaxPool1D', {})).toBeInstanceOf(MaxPooling1D);
  });

  it('refuse bad options and input', () => {
    expectErrorMentioning(() => new MaxPooling1D({ poolSize: 0 }), ValueError, 'poolSize');
    expectErrorMentioning(() => new AveragePooling1D({ padding: 'causal' as never }), ValueError, 'padding', 'causal');
    expectErrorMentioning(() => new MaxPooling1D({ pool: 2 } as never), ValueError, "unknown option 'pool'");
    expectErrorMentioning(() => new MaxPooling1D({ name: 'mp' }).apply(seededTensor([2, 4, 4, 1], 1)), ShapeError, 'mp (MaxPooling1D)', 'rank 3');
    expectErrorMentioning(() => new MaxPooling1D({ poolSize: 4 }).apply(seededTensor([2, 3, 1], 1)), ShapeError, 'longer than');
  });
});

describe('GlobalAveragePooling1D and GlobalMaxPooling1D', () => {
  it('equal TF.js forward and gradient; keepdims keeps a unit steps axis', async () => {
    const tf = await tfCpu();
    await compareWithTf(new GlobalAveragePooling1D(), tf.layers.globalAveragePooling1d(), seededTensor([3, 5, 4], 60));
    await compareWithTf(new GlobalMaxPooling1D(), tf.layers.globalMaxPooling1d(), seededTensor([3, 5, 4], 61));
    const x = seededTensor([2, 4, 3], 62);
    expect(checkLayer(new GlobalAveragePooling1D({ keepdims: true }), x, []).shape).toEqual([2, 1, 3]);
    expect(checkLayer(new GlobalMaxPooling1D({ keepdims: true }), x, []).shape).toEqual([2, 1, 3]);
    gradcheckLayer(new GlobalAveragePooling1D({ keepdims: true }), x);
  });

  it('averages only the unmasked steps, with the gradient zero on masked ones', () => {
    const x = tensor([[[1, 10], [3, 30], [100, 100]], [[2, 4], [200, 200], [6, 8]]]);
    x.requiresGrad = true;
    const mask = tensor([[1, 1, 0], [1, 0, 1]]);
    const layer = new GlobalAveragePooling1D();
    const y = layer.apply(x, { mask });
    expectClose(y, [2, 20, 4, 6]);
    expect(layer.computeMask(x, mask)).toBeNull();
    backward(weightedSum(y, probeWeights(4)));
    const p = probeWeights(4);
    // d y[b, c] / d x[b, t, c] = m[b, t] / Σ_t m[b, t].
    expectClose(x.grad!, [p[0] / 2, p[1] / 2, p[0] / 2, p[1] / 2, 0, 0, p[2] / 2, p[3] / 2, 0, 0, p[2] / 2, p[3] / 2]);
    // The masked mean equals the plain mean of the sequences without their masked steps.
    const dropped = new GlobalAveragePooling1D().apply(tensor([[[2, 4], [6, 8]]]));
    expectClose(y.data.slice(2), dropped);
  });

  it('refuses a mask whose shape does not match, and reads TF.js configs', async () => {
    const layer = new GlobalAveragePooling1D({ name: 'gap' });
    const x = seededTensor([2, 3, 2], 1);
    expectErrorMentioning(() => layer.apply(x, { mask: tensor([[1, 1], [1, 0]]) }), ShapeError, 'gap (GlobalAveragePooling1D)', 'mask of shape [2, 3]', '[2, 2]');
    expectErrorMentioning(() => new GlobalMaxPooling1D().apply(seededTensor([2, 3], 1)), ShapeError, 'rank 3');
    expectErrorMentioning(() => new GlobalMaxPooling1D({ keepDims: true } as never), ValueError, "unknown option 'keepDims'");
    const tf = await tfCpu();
    const config = tfConfigOf(tf.layers.globalAveragePooling1d({ name: 'g', inputShape: [3, 2] }), tf);
    const ours = layerFromConfig('GlobalAveragePooling1D', config);
    expect(ours.getConfig()).toEqual({ ...config, keepdims: false });
    expect((layerFromConfig('GlobalMaxPool1D', { keepdims: true }) as GlobalMaxPooling1D).keepdims).toBe(true);
    void Tensor;
  });
});
