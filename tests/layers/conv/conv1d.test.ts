import { describe, expect, it } from 'vitest';
import type * as tfTypes from '@tensorflow/tfjs';
import { Conv1D, Conv1DOptions } from '../../../src/layers/conv/conv1d.js';
import { layerFromConfig } from '../../../src/layers/serialization.js';
import { tensor } from '../../../src/tensor/creation.js';
import { NeuriteError, ShapeError, ValueError } from '../../../src/util/errors.js';
import { expectClose } from '../../helpers/close.js';
import { seededTensor } from '../../helpers/seeded.js';
import { tfCpu } from '../../helpers/tf.js';
import { checkLayer, expectErrorMentioning, gradcheckLayer } from '../harness.js';
import { compareWithTf } from '../tf-compare.js';

type Case = { filters: number; kernelSize: number; options: Conv1DOptions; input: number[] };

// Every padding, with and without dilation, strides, odd lengths, no bias, an activation.
const cases: Case[] = [
  { filters: 3, kernelSize: 3, options: {}, input: [2, 7, 2] },
  { filters: 2, kernelSize: 2, options: { padding: 'same', strides: 2 }, input: [2, 7, 3] },
  { filters: 4, kernelSize: 4, options: { padding: 'same', activation: 'tanh' }, input: [1, 6, 2] },
  { filters: 2, kernelSize: 3, options: { padding: 'causal' }, input: [2, 5, 3] },
  { filters: 2, kernelSize: 3, options: { strides: 3, useBias: false }, input: [1, 10, 2] },
  { filters: 2, kernelSize: 3, options: { dilationRate: 2 }, input: [2, 8, 2] },
  { filters: 3, kernelSize: 2, options: { dilationRate: 3, padding: 'same' }, input: [1, 7, 2] },
  { filters: 2, kernelSize: 3, options: { dilationRate: 2, padding: 'causal', activation: 'relu' }, input: [2, 6, 2] },
];

describe('Conv1D', () => {
  it('passes the layer harness; kernel [kernelSize, in, filters]', () => {
    checkLayer(new Conv1D(4, 3, { padding: 'causal', dilationRate: 2 }), seededTensor([2, 6, 3], 1), [[3, 3, 4], [4]]);
    checkLayer(new Conv1D(2, 2, { strides: 2, useBias: false }), seededTensor([1, 7, 2], 2), [[2, 2, 2]]);
  });

  it('computes a causal convolution by hand: y[t] = w0·x[t−2] + w1·x[t−1] + w2·x[t]', () => {
    const c = new Conv1D(1, 3, { padding: 'causal' });
    c.ensureBuilt([null, 4, 1]);
    c.setWeights([tensor([1, 10, 100], [3, 1, 1]), tensor([0.5])]);
    expectClose(c.apply(tensor([1, 2, 3, 4], [1, 4, 1])), [100.5, 210.5, 321.5, 432.5]);
  });

  it('equals TF.js forward and gradients in all paddings, strides and dilations', async () => {
    // TF.js has no conv gradient for dilation > 1: there only the output is compared, the gradients
    // are checked by finite differences below.
    // TF.js has no 'causal' padding either: there TF.js runs 'valid' on the input with
    // (kernelSize − 1)·dilation zeros padded in front (tf.pad), Keras's definition of causal.
    const tf = await tfCpu();
    for (const [k, { filters, kernelSize, options, input }] of cases.entries()) {
      const causal = options.padding === 'causal';
      const inner = tf.layers.conv1d({
        filters,
        kernelSize,
        strides: options.strides as number,
        padding: causal ? 'valid' : options.padding,
        dilationRate: options.dilationRate as number,
        activation: (options.activation ?? 'linear') as 'linear',
        useBias: options.useBias,
      });
      const front = (kernelSize - 1) * ((options.dilationRate as number) ?? 1);
      const theirs = causal
        ? ({
            apply: (x: tfTypes.Tensor) => inner.apply(tf.pad(x, [[0, 0], [front, 0], [0, 0]])),
            setWeights: (w: tfTypes.Tensor[]) => inner.setWeights(w),
            get trainableWeights() {
              return inner.trainableWeights;
            },
          } as unknown as tfTypes.layers.Layer)
        : inner;
      await compareWithTf(new Conv1D(filters, kernelSize, options), theirs, seededTensor(input, 30 + k), { gradients: options.dilationRate === undefined });
    }
  });

  it('passes finite-difference gradient checks in every padding, dilated ones included', () => {
    gradcheckLayer(new Conv1D(2, 3, { padding: 'causal', dilationRate: 2, biasInitializer: 'random_normal' }), seededTensor([2, 5, 2], 3));
    gradcheckLayer(new Conv1D(2, 2, { padding: 'same', dilationRate: 3 }), seededTensor([1, 6, 2], 4));
    gradcheckLayer(new Conv1D(3, 3, { strides: 2, biasInitializer: 'random_normal' }), seededTensor([2, 7, 1], 5));
  });

  it('writes the config TF.js writes, and reads it back', async () => {
    const tf = await tfCpu();
    const theirs = tf.layers.conv1d({ filters: 2, kernelSize: 3, padding: 'causal', dilationRate: 2, inputShape: [5, 2], name: 'c1', kernelInitializer: 'heUniform' });
    const model = tf.sequential({ layers: [theirs] });
    const tfConfig = (model.toJSON(undefined, false) as unknown as { config: { layers: { config: Record<string, unknown> }[] } }).config.layers[0].config;
    const ours = layerFromConfig('Conv1D', tfConfig) as Conv1D;
    expect(ours.getConfig()).toEqual(tfConfig);
    expect([ours.kernelSize, ours.dilationRate, ours.padding]).toEqual([3, 2, 'causal']);
  });

  it('refuses bad config (causal with strides > 1, as Keras) and bad input', () => {
    expectErrorMentioning(() => new Conv1D(2, 3, { padding: 'causal', strides: 2 }), NeuriteError, 'causal', 'strides 1', '2');
    expectErrorMentioning(() => new Conv1D(2, 3, { strides: 2, dilationRate: 2 }), NeuriteError, 'strides', 'dilationRate');
    expectErrorMentioning(() => new Conv1D(2, 3, { padding: 'full' as never }), ValueError, 'padding', 'causal', 'full');
    expectErrorMentioning(() => new Conv1D(2, [3, 3] as never), ValueError, 'kernelSize');
    expectErrorMentioning(() => new Conv1D(2, 3, { stride: 2 } as never), ValueError, "unknown option 'stride'");
    const c = new Conv1D(2, 3, { name: 'c1_in' });
    expectErrorMentioning(() => c.apply(seededTensor([2, 5], 1)), ShapeError, 'c1_in (Conv1D)', 'rank 3', '[2, 5]');
    expectErrorMentioning(() => c.apply(seededTensor([1, 2, 3], 1)), ShapeError, 'longer than', '[1, 2, 3]');
    expect(c.built).toBe(false);
    expect(new Conv1D(1, 5, { padding: 'causal' }).apply(seededTensor([1, 2, 1], 1)).shape).toEqual([1, 2, 1]);
    c.apply(seededTensor([1, 5, 3], 1));
    expectErrorMentioning(() => c.apply(seededTensor([1, 5, 2], 1)), ShapeError, '3 input channels', '[1, 5, 2]');
  });
});
