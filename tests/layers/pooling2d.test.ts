import { describe, expect, it } from 'vitest';
import { AveragePooling2D } from '../../src/layers/average-pooling2d.js';
import { MaxPooling2D } from '../../src/layers/max-pooling2d.js';
import { Pooling2DOptions } from '../../src/layers/pooling2d.js';
import { AvgPool2D, MaxPool2D } from '../../src/layers/index.js';
import { tensor } from '../../src/tensor/creation.js';
import { NeuriteError, ShapeError, ValueError } from '../../src/util/errors.js';
import { expectClose } from '../helpers/close.js';
import { seededArray, seededTensor } from '../helpers/seeded.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { backward } from '../../src/autograd/backward.js';
import { tfCpu } from '../helpers/tf.js';
import { tfjsGoldens } from './goldens.js';
import { checkLayer, expectErrorMentioning, gradcheckLayer } from './harness.js';
import { compareWithTf } from './tf-compare.js';

/** A tensor of `shape` holding a seeded permutation of 0, 0.05, 0.1, …: no two values within 0.05. */
function distinct(shape: number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const order = Array.from(seededArray(n, 9)).map((r, i) => [r, i]).sort((a, b) => a[0] - b[0]);
  const data = new Float32Array(n);
  order.forEach(([, i], rank) => (data[i] = 0.05 * rank));
  return new Tensor(data, shape);
}

const cases: { options: Pooling2DOptions; input: number[] }[] = [
  { options: {}, input: [2, 5, 7, 3] },
  { options: { padding: 'same' }, input: [2, 5, 7, 3] },
  { options: { poolSize: [3, 2], strides: [1, 2] }, input: [1, 6, 5, 2] },
  { options: { poolSize: 3, strides: 2, padding: 'same' }, input: [2, 7, 4, 1] },
  { options: { poolSize: [2, 1], strides: 1, padding: 'same' }, input: [1, 4, 4, 2] },
];

describe('MaxPooling2D and AveragePooling2D', () => {
  it('pass the layer harness (no weights)', () => {
    checkLayer(new MaxPooling2D(), seededTensor([2, 5, 7, 3], 1), []);
    checkLayer(new AveragePooling2D({ poolSize: [3, 2], padding: 'same' }), seededTensor([2, 5, 7, 3], 2), []);
  });

  it('compute windows by hand; average excludes padding from the count', () => {
    const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    expectClose(new MaxPooling2D({ poolSize: 2, strides: 1 }).apply(x), [5, 6, 8, 9]);
    // 'same' with pool 2, stride 2 on 3×3: windows {1,2,4,5}, {3,6}, {7,8}, {9}.
    expectClose(new AveragePooling2D({ padding: 'same' }).apply(x), [3, 4.5, 7.5, 9]);
  });

  it('equal TF.js forward and gradients', async () => {
    // TF.js's average-pooling gradient with 'same' padding divides by the full window, not by the pixels
    // the forward pass averaged (on a 3×3 input, pool 2: tf.grad gives 0.25 everywhere, its own finite
    // differences 0.25/0.5/1). There only the output is compared; finite differences judge the gradient.
    const tf = await tfCpu();
    for (const [k, { options, input }] of cases.entries()) {
      const tfOptions = { poolSize: options.poolSize as number, strides: (options.strides ?? undefined) as number, padding: options.padding };
      await compareWithTf(new MaxPooling2D(options), tf.layers.maxPooling2d(tfOptions), seededTensor(input, 30 + k));
      const gradients = options.padding !== 'same';
      await compareWithTf(new AveragePooling2D(options), tf.layers.averagePooling2d(tfOptions), seededTensor(input, 40 + k), { gradients });
    }
  });

  it('pass finite-difference gradient checks', () => {
    gradcheckLayer(new AveragePooling2D({ poolSize: 3, strides: 2, padding: 'same' }), seededTensor([1, 5, 4, 2], 3));
    gradcheckLayer(new AveragePooling2D({ poolSize: [2, 1], strides: 1, padding: 'same' }), seededTensor([1, 4, 4, 2], 5));
    // Distinct values 0.05 apart: no perturbation of ±eps changes which input a window takes.
    const x = distinct([1, 4, 5, 2]);
    gradcheckLayer(new MaxPooling2D({ poolSize: [2, 3], strides: 1 }), x, { eps: 1e-3 });
    gradcheckLayer(new MaxPooling2D({ poolSize: 3, strides: 2, padding: 'same' }), x, { eps: 1e-3 });
  });

  it('average pooling with same padding has gradient 1/count per window (hand-derived)', () => {
    // 3×3 input, pool 2, stride 2, 'same': windows {0,1,3,4}, {2,5}, {6,7}, {8}; d(sum y)/dx = Σ 1/count.
    const x = seededTensor([1, 3, 3, 1], 6);
    x.requiresGrad = true;
    backward(new AveragePooling2D({ padding: 'same' }).apply(x));
    expectClose(x.grad!, [0.25, 0.25, 0.5, 0.25, 0.25, 0.5, 0.5, 0.5, 1]);
  });

  it('write the configs TF.js writes; the aliases are the same classes', () => {
    const max = tfjsGoldens.maxPooling2d.config;
    expect(new MaxPooling2D({ poolSize: 2, inputShape: [4, 4, 1], name: max.name as string }).getConfig()).toEqual(max);
    const avg = tfjsGoldens.averagePooling2d.config;
    const ours = new AveragePooling2D({ poolSize: [2, 1], strides: 1, padding: 'same', inputShape: [4, 4, 1], name: avg.name as string });
    expect(ours.getConfig()).toEqual(avg);
    expect(new MaxPool2D()).toBeInstanceOf(MaxPooling2D);
    expect(new AvgPool2D().className).toBe('AveragePooling2D');
  });

  it('refuse bad config and bad input', () => {
    expectErrorMentioning(() => new MaxPooling2D({ poolSize: 0 }), ValueError, 'poolSize');
    expectErrorMentioning(() => new MaxPooling2D({ strides: [1, -1] }), ValueError, 'strides');
    expectErrorMentioning(() => new AveragePooling2D({ dataFormat: 'channelsFirst' as never }), NeuriteError, 'channelsLast');
    const p = new MaxPooling2D({ poolSize: 3, name: 'p_in' });
    expectErrorMentioning(() => p.apply(seededTensor([2, 6, 6], 1)), ShapeError, 'p_in (MaxPooling2D)', 'rank 4', '[2, 6, 6]');
    expectErrorMentioning(() => p.apply(seededTensor([1, 2, 6, 1], 1)), ShapeError, 'p_in', 'pool size [3, 3]', '[1, 2, 6, 1]');
  });
});
