import { describe, expect, it } from 'vitest';
import { tensor, variable, zeros } from '../../src/tensor/creation.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { concat, stack } from '../../src/ops/concat.js';
import { backward } from '../../src/autograd/backward.js';
import { ShapeError, ValueError } from '../../src/util/errors.js';
import { expectClose } from '../helpers/close.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { seededTensor } from '../helpers/seeded.js';
import { compareTf } from './tf-compare.js';
import { count, ravel, unravel } from './naive.js';

/** out[.., j, ..] along `axis` comes from the input whose range of the axis holds j. */
function naiveConcat(parts: Tensor[], axis: number): Float64Array {
  const shape = [...parts[0].shape];
  shape[axis] = parts.reduce((n, t) => n + t.shape[axis], 0);
  const out = new Float64Array(count(shape));
  for (let i = 0; i < out.length; i++) {
    const idx = unravel(i, shape);
    let j = idx[axis];
    let k = 0;
    while (j >= parts[k].shape[axis]) j -= parts[k++].shape[axis];
    const src = [...idx];
    src[axis] = j;
    out[i] = parts[k].data[ravel(src, parts[k].shape)];
  }
  return out;
}

describe('concat and stack', () => {
  it('match hand-derived values', () => {
    const a = tensor([[1, 2]]);
    const b = tensor([[3, 4], [5, 6]]);
    expect(concat([a, b]).toArray()).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(concat([tensor([[1], [2]]), tensor([[3, 4], [5, 6]])], -1).toArray()).toEqual([[1, 3, 4], [2, 5, 6]]);
    expect(stack([tensor([1, 2]), tensor([3, 4])]).toArray()).toEqual([[1, 2], [3, 4]]);
    expect(stack([tensor([1, 2]), tensor([3, 4])], 1).toArray()).toEqual([[1, 3], [2, 4]]);
    expect(stack([tensor(1), tensor(2)]).toArray()).toEqual([1, 2]);
    expect(concat([zeros([2, 0]), zeros([2, 3]), zeros([2, 0])], 1).shape).toEqual([2, 3]);
  });

  it('split the gradient back to each input, also when one input appears twice', () => {
    const a = variable([1, 2]);
    const b = variable([3]);
    backward(concat([a, b, a]));
    expectClose(a.grad!, [2, 2]);
    expectClose(b.grad!, [1]);
  });

  it('match a naive reference on every axis, including zero-size parts', () => {
    const shapes = [[2, 3, 4], [2, 1, 4], [2, 0, 4], [2, 5, 4]];
    for (let axis = 0; axis < 3; axis++) {
      const parts = shapes.map((s, k) => {
        const shape = [2, 3, 4];
        shape[axis] = s[1];
        return seededTensor(shape, 70 + k);
      });
      expectClose(concat(parts, axis), naiveConcat(parts, axis));
    }
    const same = [0, 1, 2].map((k) => seededTensor([3, 2], 80 + k));
    for (let axis = 0; axis <= 2; axis++) {
      const y = stack(same, axis);
      const expanded = same.map((t) => new Tensor(t.data, [...t.shape.slice(0, axis), 1, ...t.shape.slice(axis)]));
      expectClose(y, naiveConcat(expanded, axis));
    }
  });

  it('gradients match central finite differences', () => {
    const a = seededTensor([2, 3], 1);
    const b = seededTensor([2, 2], 2);
    gradcheck((x, y) => concat([x, y], 1), [a, b]);
    gradcheck((x, y) => stack([x, y], 1), [a, seededTensor([2, 3], 3)]);
  });

  it('match TF.js forward and gradient', async () => {
    const a = seededTensor([2, 3, 4], 4);
    const b = seededTensor([2, 1, 4], 5);
    await compareTf((x, y) => concat([x, y], 1), (tf, x, y) => tf.concat([x, y], 1), [a, b]);
    await compareTf((x, y) => concat([y, x], -2), (tf, x, y) => tf.concat([y, x], -2), [a, b]);
    const c = seededTensor([2, 3, 4], 6);
    await compareTf((x, y) => stack([x, y], 2), (tf, x, y) => tf.stack([x, y], 2), [a, c]);
    await compareTf((x, y) => stack([x, y], -1), (tf, x, y) => tf.stack([x, y], -1), [a, c]);
  });

  it('reject bad arguments with errors naming the op and the shapes', () => {
    expect(() => concat([])).toThrow(ValueError);
    expect(() => concat([])).toThrow(/concat: expected a non-empty array of tensors, received an empty array/);
    expect(() => concat([tensor([1]), 2 as never])).toThrow(/concat: expected tensors\[1\] to be a Tensor, received number/);
    expect(() => concat([zeros([2, 3]), zeros([3, 3])], 1)).toThrow(ShapeError);
    expect(() => concat([zeros([2, 3]), zeros([3, 3])], 1)).toThrow(/concat: shapes \[2, 3\], \[3, 3\] must have the same rank and agree on every axis but 1/);
    expect(() => concat([zeros([2, 3]), zeros([2])])).toThrow(ShapeError);
    expect(() => concat([tensor(1), tensor(2)])).toThrow(/concat: expected tensors of rank >= 1/);
    expect(() => concat([zeros([2])], 1)).toThrow(/concat: expected an integer axis/);
    expect(() => stack([zeros([2]), zeros([3])])).toThrow(/stack: expected tensors of one shape, received \[2\], \[3\]/);
    expect(() => stack([zeros([2])], 2)).toThrow(ValueError);
  });
});
