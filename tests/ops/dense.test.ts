import { describe, expect, it } from 'vitest';
import { tensor, variable } from '../../src/tensor/creation.js';
import { dense } from '../../src/ops/dense.js';
import { backward } from '../../src/autograd/backward.js';
import { ShapeError } from '../../src/util/errors.js';
import { expectClose } from '../helpers/close.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { gemmRef } from '../helpers/reference.js';
import { seededTensor } from '../helpers/seeded.js';
import { compareTf } from './tf-compare.js';

const TOL = { rtol: 1e-4, atol: 1e-5 };

describe('dense', () => {
  it('matches hand-derived values and gradients', () => {
    const x = variable([[1, 2], [3, 4]]);
    const w = variable([[1, -1, 0], [2, 0, 1]]);
    const b = variable([0.5, 0, -1]);
    const y = dense(x, w, b);
    expect(y.toArray()).toEqual([[5.5, -1, 1], [11.5, -3, 3]]);
    // Σy: dx = 1·Wᵀ (row sums of W), dW = xᵀ·1 (column sums of x), db = number of rows.
    backward(y);
    expect(x.grad!.toArray()).toEqual([[0, 3], [0, 3]]);
    expect(w.grad!.toArray()).toEqual([[4, 4, 4], [6, 6, 6]]);
    expect(b.grad!.toArray()).toEqual([2, 2, 2]);
  });

  it('treats every leading axis as rows (rank 3 and 4), with and without bias', () => {
    const x = seededTensor([2, 3, 4, 5], 1);
    const w = seededTensor([5, 6], 2);
    const b = seededTensor([6], 3);
    const y = dense(x, w, b);
    expect(y.shape).toEqual([2, 3, 4, 6]);
    const bias = Array.from({ length: 24 * 6 }, (_, i) => b.data[i % 6]);
    expectClose(y, gemmRef(24, 6, 5, x.data, false, w.data, false, bias), TOL);
    expectClose(dense(x, w), gemmRef(24, 6, 5, x.data, false, w.data, false), TOL);
    expect(dense(seededTensor([3, 2, 5], 4), w, null).shape).toEqual([3, 2, 6]);
  });

  it('gradients match central finite differences', () => {
    const x = seededTensor([2, 3, 4], 5);
    const w = seededTensor([4, 3], 6);
    const b = seededTensor([3], 7);
    gradcheck((a, k, c) => dense(a, k, c), [x, w, b]);
    gradcheck((a, k) => dense(a, k), [seededTensor([5, 4], 8), w]);
  });

  it('matches TF.js forward and gradients (x·W + b)', async () => {
    await compareTf(
      (x, w, b) => dense(x, w, b),
      (tf, x, w, b) => tf.add(tf.matMul(x, w), b),
      [seededTensor([7, 9], 10), seededTensor([9, 5], 11), seededTensor([5], 12)],
      TOL,
    );
    await compareTf(
      (x, w) => dense(x, w),
      (tf, x, w) => tf.reshape(tf.matMul(tf.reshape(x, [6, 4]), w), [2, 3, 3]),
      [seededTensor([2, 3, 4], 13), seededTensor([4, 3], 14)],
      TOL,
    );
  });

  it('only computes the gradients that are needed', () => {
    const w = variable([[2], [3]]);
    backward(dense(tensor([[1, 1]]), w, tensor([1])));
    expect(w.grad!.toArray()).toEqual([[1], [1]]);
  });

  it('rejects bad shapes with a ShapeError naming dense and the shapes', () => {
    const w = seededTensor([4, 3], 1);
    expect(() => dense(seededTensor([2, 5], 2), w)).toThrow(ShapeError);
    expect(() => dense(seededTensor([2, 5], 2), w)).toThrow(/dense: expected a kernel of shape \[5, units\] for x of shape \[2, 5\], received kernel shape \[4, 3\]/);
    expect(() => dense(seededTensor([4], 2), w)).toThrow(/dense: expected x of rank >= 2.*\[4\]/);
    expect(() => dense(seededTensor([2, 4], 2), w, seededTensor([4], 3))).toThrow(/dense: expected a bias of shape \[3\] for kernel \[4, 3\], received bias shape \[4\]/);
    expect(() => dense(seededTensor([2, 4], 2), seededTensor([4, 3, 1], 3))).toThrow(/received kernel shape \[4, 3, 1\]/);
  });
});
