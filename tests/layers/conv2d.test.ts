import { describe, expect, it } from 'vitest';
import { Conv2D, Conv2DOptions } from '../../src/layers/conv2d.js';
import { tensor } from '../../src/tensor/creation.js';
import { NeuriteError, ShapeError, ValueError } from '../../src/util/errors.js';
import { expectClose } from '../helpers/close.js';
import { seededTensor } from '../helpers/seeded.js';
import { tfCpu } from '../helpers/tf.js';
import { tfjsGoldens } from './goldens.js';
import { checkLayer, expectErrorMentioning, gradcheckLayer } from './harness.js';
import { compareWithTf } from './tf-compare.js';

type Case = { filters: number; kernelSize: number | [number, number]; options: Conv2DOptions; input: number[] };

// Odd sizes, both paddings, strides, rectangular kernels, dilation, no bias, an activation.
const cases: Case[] = [
  { filters: 4, kernelSize: [3, 2], options: { strides: [2, 1], padding: 'same', activation: 'relu' }, input: [2, 8, 7, 3] },
  { filters: 2, kernelSize: 3, options: {}, input: [1, 6, 5, 2] },
  { filters: 3, kernelSize: [2, 3], options: { strides: 2 }, input: [2, 7, 9, 1] },
  { filters: 3, kernelSize: 3, options: { strides: 3, padding: 'same', useBias: false }, input: [1, 7, 5, 2] },
  { filters: 2, kernelSize: 3, options: { dilationRate: 2 }, input: [1, 9, 8, 2] },
  { filters: 2, kernelSize: [2, 3], options: { dilationRate: [2, 1], padding: 'same', activation: 'tanh' }, input: [2, 5, 6, 3] },
  { filters: 5, kernelSize: 1, options: {}, input: [2, 3, 3, 4] },
];

describe('Conv2D', () => {
  it('passes the layer harness; kernel [kh, kw, in, filters]', () => {
    checkLayer(new Conv2D(4, [3, 2], { strides: [2, 1], padding: 'same' }), seededTensor([2, 8, 7, 3], 1), [[3, 2, 3, 4], [4]]);
    checkLayer(new Conv2D(2, 3, { useBias: false, dilationRate: 2 }), seededTensor([1, 9, 8, 2], 2), [[3, 3, 2, 2]]);
  });

  it('computes a 2×2 convolution by hand', () => {
    const c = new Conv2D(1, 2);
    c.ensureBuilt([null, 3, 3, 1]);
    c.setWeights([tensor([1, 0, 0, -1], [2, 2, 1, 1]), tensor([10])]);
    // y[i][j] = x[i][j] − x[i+1][j+1] + 10 on x = 1..9.
    expectClose(c.apply(tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1])), [6, 6, 6, 6]);
  });

  it('equals TF.js forward and gradients (strides, paddings, rectangular kernels, dilation)', async () => {
    // TF.js has no conv2d gradient for dilation > 1 ("not yet supported in gradients"): there only the
    // output is compared, and the gradients are checked by finite differences below.
    const tf = await tfCpu();
    for (const [k, { filters, kernelSize, options, input }] of cases.entries()) {
      const theirs = tf.layers.conv2d({
        filters,
        kernelSize,
        strides: options.strides as number,
        padding: options.padding,
        dilationRate: options.dilationRate as number,
        activation: (options.activation ?? 'linear') as 'linear',
        useBias: options.useBias,
      });
      const dilated = options.dilationRate !== undefined;
      await compareWithTf(new Conv2D(filters, kernelSize, options), theirs, seededTensor(input, 20 + k), { gradients: !dilated });
    }
  });

  it('passes finite-difference gradient checks, dilated ones included', () => {
    gradcheckLayer(new Conv2D(2, [3, 2], { padding: 'same', strides: [2, 1], biasInitializer: 'random_normal' }), seededTensor([1, 5, 4, 2], 3));
    gradcheckLayer(new Conv2D(2, 2, { dilationRate: 2, biasInitializer: 'random_normal' }), seededTensor([1, 5, 4, 2], 4));
    gradcheckLayer(new Conv2D(1, [2, 3], { dilationRate: [2, 1], padding: 'same' }), seededTensor([2, 4, 5, 1], 5));
  });

  it('writes the config TF.js writes', () => {
    const golden = tfjsGoldens.conv2dDilated.config;
    const c = new Conv2D(2, 3, {
      dilationRate: 2,
      useBias: false,
      inputShape: [9, 9, 1],
      name: golden.name as string,
      kernelInitializer: golden.kernel_initializer as never,
    });
    expect(c.getConfig()).toEqual(golden);
  });

  it('refuses bad config', () => {
    expectErrorMentioning(() => new Conv2D(0, 3, { name: 'c0' }), ValueError, 'c0', 'filters', '0');
    expectErrorMentioning(() => new Conv2D(2, [3, 0]), ValueError, 'kernelSize');
    expectErrorMentioning(() => new Conv2D(2, 3, { padding: 'causal' as never }), ValueError, 'padding', 'causal');
    expectErrorMentioning(() => new Conv2D(2, 3, { dataFormat: 'channelsFirst' as never }), NeuriteError, 'channelsLast', 'channelsFirst');
    expectErrorMentioning(() => new Conv2D(2, 3, { strides: 2, dilationRate: 2 }), NeuriteError, 'strides', 'dilationRate');
  });

  it('refuses bad input and leaves the layer unchanged', () => {
    const c = new Conv2D(2, 3, { name: 'c_in' });
    expectErrorMentioning(() => c.apply(seededTensor([4, 5], 1)), ShapeError, 'c_in (Conv2D)', 'rank 4', '[4, 5]');
    expectErrorMentioning(() => c.apply(seededTensor([1, 2, 5, 1], 1)), ShapeError, 'c_in', 'kernel [3, 3]', '[1, 2, 5, 1]');
    expectErrorMentioning(() => new Conv2D(1, 3, { dilationRate: 2 }).apply(seededTensor([1, 4, 9, 1], 1)), ShapeError, 'larger than');
    expect(c.built).toBe(false);
    // 'same' pads, so a kernel larger than the image is fine.
    expect(new Conv2D(1, 5, { padding: 'same' }).apply(seededTensor([1, 2, 3, 1], 1)).shape).toEqual([1, 2, 3, 1]);
    c.apply(seededTensor([1, 5, 5, 3], 1));
    const before = c.getWeights();
    expectErrorMentioning(() => c.apply(seededTensor([1, 5, 5, 2], 1)), ShapeError, 'c_in', '3 input channels', '[1, 5, 5, 2]');
    expectErrorMentioning(() => c.setWeights([seededTensor([3, 3, 2, 2], 1), before[1]]), ShapeError, 'c_in', '[3, 3, 3, 2]', '[3, 3, 2, 2]');
    c.getWeights().forEach((w, i) => expect(Array.from(w.data)).toEqual(Array.from(before[i].data)));
  });
});
