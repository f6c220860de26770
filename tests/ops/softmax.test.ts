import { describe, expect, it } from 'vitest';
import { tensor, variable } from '../../src/tensor/creation.js';
import { logSoftmax, softmax } from '../../src/ops/softmax.js';
import { backward } from '../../src/autograd/backward.js';
import { ShapeError, ValueError } from '../../src/util/errors.js';
import { expectClose } from '../helpers/close.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { seededTensor } from '../helpers/seeded.js';
import { compareTf } from './tf-compare.js';
import { naiveSoftmax } from './naive.js';

describe('softmax and logSoftmax', () => {
  it('match hand-derived values, stable for large inputs', () => {
    expectClose(softmax(tensor([0, Math.log(3)])), [0.25, 0.75]);
    expectClose(softmax(tensor([1000, 0])), [1, 0]);
    expectClose(softmax(tensor([-1000, -1000])), [0.5, 0.5]);
    expectClose(logSoftmax(tensor([1000, 0])), [0, -1000]);
    expectClose(logSoftmax(tensor([0, 0, 0, 0])), Array(4).fill(-Math.log(4)));
    expectClose(softmax(tensor([-Infinity, 0])), [0, 1]);
    expectClose(logSoftmax(tensor([-Infinity, 0])), [-Infinity, 0]);
    expectClose(softmax(tensor([[1, 1], [2, 2]]), 0), [0.2689414, 0.2689414, 0.7310586, 0.7310586]);
    expect(softmax(tensor([[1], [2]]), 1).toArray()).toEqual([[1], [1]]);
  });

  it('have hand-derived gradients', () => {
    // Σ softmax = 1 whatever x, so the gradient of its sum is 0.
    const x = variable([1, 2, 3]);
    backward(softmax(x));
    expectClose(x.grad!, [0, 0, 0]);
    // d/dx Σ logSoftmax = 1 − n·softmax = 1 − 2·[0.5, 0.5] for two equal inputs.
    const y = variable([4, 4]);
    backward(logSoftmax(y));
    expectClose(y.grad!, [0, 0]);
    const z = variable([0, Math.log(3)]);
    backward(logSoftmax(z));
    expectClose(z.grad!, [1 - 2 * 0.25, 1 - 2 * 0.75]);
  });

  it('match a naive float64 definition along every axis, including size-1 and zero-size ones', () => {
    const cases: [number[], number][] = [[[7], 0], [[3, 5], -1], [[3, 5], 0], [[2, 3, 4], 1], [[2, 1, 4], 1], [[2, 0, 3], 2], [[2, 3, 0], 1]];
    cases.forEach(([shape, axis], k) => {
      const x = seededTensor(shape, 40 + k, -4, 4);
      const ax = axis < 0 ? axis + shape.length : axis;
      expectClose(softmax(x, axis), naiveSoftmax(x.data, shape, ax, false));
      expectClose(logSoftmax(x, axis), naiveSoftmax(x.data, shape, ax, true));
    });
  });

  it('gradients match central finite differences', () => {
    const x = seededTensor([3, 4, 2], 1, -2, 2);
    gradcheck((t) => softmax(t), [x]);
    gradcheck((t) => softmax(t, 1), [x]);
    gradcheck((t) => logSoftmax(t), [x]);
    gradcheck((t) => logSoftmax(t, 0), [x]);
  });

  it('match TF.js forward and gradient', async () => {
    const x = seededTensor([4, 6], 2, -5, 5);
    await compareTf((t) => softmax(t), (tf, t) => tf.softmax(t), [x]);
    await compareTf((t) => logSoftmax(t), (tf, t) => tf.logSoftmax(t), [x]);
    // TF.js's softmax only accepts the last axis: compare a middle axis through a transpose on its side.
    const y = seededTensor([2, 3, 4], 3, -3, 3);
    await compareTf((t) => softmax(t, 1), (tf, t) => tf.transpose(tf.softmax(tf.transpose(t, [0, 2, 1])), [0, 2, 1]), [y]);
    await compareTf((t) => logSoftmax(t, 1), (tf, t) => tf.transpose(tf.logSoftmax(tf.transpose(t, [0, 2, 1])), [0, 2, 1]), [y]);
    const big = tensor([[1000, 0, -1000], [50, 51, 52]]);
    await compareTf((t) => logSoftmax(t), (tf, t) => tf.logSoftmax(t), [big]);
    await compareTf((t) => softmax(t), (tf, t) => tf.softmax(t), [big]);
  });

  it('reject bad arguments with errors naming the op', () => {
    expect(() => softmax(tensor(1))).toThrow(ShapeError);
    expect(() => softmax(tensor(1))).toThrow(/softmax: expected a tensor of rank >= 1, received a scalar/);
    expect(() => logSoftmax(tensor([1, 2]), 1)).toThrow(ValueError);
    expect(() => logSoftmax(tensor([1, 2]), 1)).toThrow(/logSoftmax: expected an integer axis in \[-1, 0\] for a rank-1 tensor, received 1/);
    expect(() => softmax('a' as never)).toThrow(/softmax: expected x to be a Tensor/);
  });
});
