import { describe, expect, it } from 'vitest';
import { tensor, zeros } from '../../src/tensor/creation.js';
import { expandDims, reshape, squeeze } from '../../src/ops/reshape.js';
import { ShapeError, ValueError } from '../../src/util/errors.js';
import { expectClose } from '../helpers/close.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { seededTensor } from '../helpers/seeded.js';
import { compareTf } from './tf-compare.js';

describe('reshape, expandDims, squeeze', () => {
  it('match hand-derived shapes and keep the row-major order', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    const r = reshape(x, [3, -1]);
    expect(r.shape).toEqual([3, 2]);
    expect(r.toArray()).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(reshape(x, [-1]).shape).toEqual([6]);
    expect(reshape(tensor([7]), []).shape).toEqual([]);
    expect(reshape(zeros([0, 3]), [3, 0, 2]).shape).toEqual([3, 0, 2]);
    expect(expandDims(x).shape).toEqual([1, 2, 3]);
    expect(expandDims(x, -1).shape).toEqual([2, 3, 1]);
    expect(expandDims(x, 1).shape).toEqual([2, 1, 3]);
    expect(expandDims(tensor(5), 0).shape).toEqual([1]);
    expect(squeeze(zeros([1, 3, 1, 2])).shape).toEqual([3, 2]);
    expect(squeeze(zeros([1, 3, 1]), -1).shape).toEqual([1, 3]);
    expect(squeeze(zeros([1, 0, 1]), [0, 2]).shape).toEqual([0]);
    // A copy: writing to the result leaves the input alone.
    r.data[0] = 100;
    expect(x.data[0]).toBe(1);
  });

  it('match a naive reference: the values are the input values in the same order', () => {
    const x = seededTensor([2, 3, 4], 1);
    for (const shape of [[4, 6], [24], [2, 2, 2, 3], [1, 24, 1]]) expectClose(reshape(x, shape), x.data);
    expectClose(expandDims(x, 2), x.data);
    expectClose(squeeze(reshape(x, [1, 2, 12, 1])), x.data);
  });

  it('gradients match central finite differences (through a weighted, non-symmetric reduction)', () => {
    const x = seededTensor([2, 3, 4], 2);
    gradcheck((t) => reshape(t, [4, -1]), [x]);
    gradcheck((t) => expandDims(t, 1), [x]);
    gradcheck((t) => squeeze(t, 0), [seededTensor([1, 3, 2], 3)]);
  });

  it('match TF.js forward and gradient', async () => {
    const x = seededTensor([2, 3, 4], 4);
    await compareTf((t) => reshape(t, [6, -1]), (tf, t) => tf.reshape(t, [6, -1]), [x]);
    await compareTf((t) => expandDims(t, -2), (tf, t) => tf.expandDims(t, -2), [x]);
    const y = seededTensor([1, 3, 1], 5);
    await compareTf((t) => squeeze(t), (tf, t) => tf.squeeze(t), [y]);
    await compareTf((t) => squeeze(t, [2]), (tf, t) => tf.squeeze(t, [2]), [y]);
  });

  it('reject bad arguments with errors naming the op and the shapes', () => {
    const x = zeros([2, 3]);
    expect(() => reshape(x, [4])).toThrow(ShapeError);
    expect(() => reshape(x, [4])).toThrow(/reshape: cannot reshape \[2, 3\] \(6 values\) into \[4\]: that needs 4 values/);
    expect(() => reshape(x, [-1, -1])).toThrow(/at most one dimension may be -1/);
    expect(() => reshape(x, [4, -1])).toThrow(/the -1 dimension cannot be inferred/);
    expect(() => reshape(x, [2.5, 2])).toThrow(/dimension 0 must be a non-negative integer or -1/);
    expect(() => reshape(zeros([0]), [0, -1])).toThrow(ShapeError);
    expect(() => expandDims(x, 3)).toThrow(ValueError);
    expect(() => expandDims(x, 3)).toThrow(/expandDims: expected an integer axis in \[-3, 2\]/);
    expect(() => squeeze(x, 0)).toThrow(ShapeError);
    expect(() => squeeze(x, 0)).toThrow(/squeeze: axis 0 of shape \[2, 3\] has size 2, expected 1/);
  });
});
