import { describe, expect, it } from 'vitest';
import { tensor, variable, zeros } from '../../src/tensor/creation.js';
import { gather, oneHot } from '../../src/ops/gather.js';
import { backward } from '../../src/autograd/backward.js';
import { ShapeError, ValueError } from '../../src/util/errors.js';
import { expectClose } from '../helpers/close.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { seededTensor } from '../helpers/seeded.js';
import { compareTf } from './tf-compare.js';
import { naiveGather } from './naive.js';

describe('gather and oneHot', () => {
  const m = tensor([[1, 2], [3, 4], [5, 6]]);

  it('match hand-derived values', () => {
    expect(gather(m, [2, 0]).toArray()).toEqual([[5, 6], [1, 2]]);
    expect(gather(m, [1, 1, 0], 1).toArray()).toEqual([[2, 2, 1], [4, 4, 3], [6, 6, 5]]);
    expect(gather(m, tensor([[0], [2]])).shape).toEqual([2, 1, 2]);
    expect(gather(m, tensor(1)).toArray()).toEqual([3, 4]);
    expect(gather(m, []).shape).toEqual([0, 2]);
    expect(oneHot([2, 0], 3).toArray()).toEqual([[0, 0, 1], [1, 0, 0]]);
    expect(oneHot(tensor([[1], [0]]), 2, 5, -1).toArray()).toEqual([[[-1, 5]], [[5, -1]]]);
  });

  it('scatter-adds the gradient: repeated indices accumulate', () => {
    const x = variable([[1, 2], [3, 4], [5, 6]]);
    backward(gather(x, [2, 0, 2]));
    expectClose(x.grad!, [1, 1, 0, 0, 2, 2]);
  });

  it('matches a naive reference on every axis with 2-d indices', () => {
    const shape = [3, 4, 5];
    const x = seededTensor(shape, 1);
    for (let axis = 0; axis < 3; axis++) {
      const n = shape[axis];
      const idx = [0, n - 1, 1, 1, n - 1, 0];
      const y = gather(x, tensor(idx, [2, 3]), axis);
      expect(y.shape).toEqual([...shape.slice(0, axis), 2, 3, ...shape.slice(axis + 1)]);
      expectClose(y, naiveGather(x.data, shape, idx, [2, 3], axis));
    }
    const empty = zeros([0, 3]);
    expect(gather(empty, [1, 2], 1).shape).toEqual([0, 2]);
  });

  it('gradient matches central finite differences', () => {
    gradcheck((t) => gather(t, [3, 0, 3, 1], 1), [seededTensor([2, 4, 3], 2)]);
  });

  it('matches TF.js forward and gradient', async () => {
    const x = seededTensor([4, 3, 2], 3);
    const idx = [3, 1, 3, 0];
    await compareTf((t) => gather(t, idx), (tf, t) => tf.gather(t, tf.tensor1d(idx, 'int32')), [x]);
    await compareTf((t) => gather(t, [2, 2, 0], -2), (tf, t) => tf.gather(t, tf.tensor1d([2, 2, 0], 'int32'), -2), [x]);
    await compareTf(
      () => oneHot([1, 0, 3], 4),
      (tf) => tf.oneHot(tf.tensor1d([1, 0, 3], 'int32'), 4).toFloat(),
      [],
      { grads: false },
    );
  });

  it('reject bad arguments with errors naming the op', () => {
    expect(() => gather(m, [3])).toThrow(ValueError);
    expect(() => gather(m, [3])).toThrow(/gather: index 3 \(at flat position 0\) is not an integer in \[0, 2\] \(axis 0 of shape \[3, 2\] has size 3\)/);
    expect(() => gather(m, [-1])).toThrow(ValueError);
    expect(() => gather(m, [0.5])).toThrow(ValueError);
    expect(() => gather(m, [0], 2)).toThrow(/gather: expected an integer axis/);
    expect(() => gather(tensor(1), [0])).toThrow(ShapeError);
    expect(() => gather([1, 2] as never, [0])).toThrow(/gather: expected x to be a Tensor/);
    expect(() => gather(m, 'a' as never)).toThrow(/gather: expected indices to be a Tensor or an array of integers, received string/);
    expect(() => oneHot([3], 3)).toThrow(/oneHot: index 3 .* not an integer in \[0, 2\] \(depth 3\)/);
    expect(() => oneHot([0], 0)).toThrow(/oneHot: expected depth to be a positive integer, received 0/);
  });
});
