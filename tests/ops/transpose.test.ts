import { describe, expect, it } from 'vitest';
import { tensor, zeros } from '../../src/tensor/creation.js';
import { transpose } from '../../src/ops/transpose.js';
import { ValueError } from '../../src/util/errors.js';
import { expectClose } from '../helpers/close.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { seededTensor } from '../helpers/seeded.js';
import { compareTf } from './tf-compare.js';
import { naiveTranspose } from './naive.js';

const PERMS: [number[], number[]][] = [
  [[3, 5], [1, 0]],
  [[2, 3, 4], [2, 0, 1]],
  [[2, 3, 4], [0, 2, 1]],
  [[2, 3, 4, 5], [3, 1, 0, 2]],
  [[1, 3, 1, 2], [2, 3, 0, 1]],
  [[3, 0, 2], [2, 1, 0]],
  [[6], [0]],
  [[], []],
];

describe('transpose', () => {
  it('matches hand-derived values', () => {
    expect(transpose(tensor([[1, 2, 3], [4, 5, 6]])).toArray()).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(transpose(zeros([2, 3, 4])).shape).toEqual([4, 3, 2]);
    expect(transpose(tensor([[[1, 2]], [[3, 4]]]), [2, 0, 1]).toArray()).toEqual([[[1], [3]], [[2], [4]]]);
  });

  it('matches a naive reference on every permutation case', () => {
    PERMS.forEach(([shape, perm], k) => {
      const x = seededTensor(shape, 60 + k);
      const y = transpose(x, perm);
      expect(y.shape).toEqual(perm.map((p) => shape[p]));
      expectClose(y, naiveTranspose(x.data, shape, perm));
    });
  });

  it('gradient matches central finite differences', () => {
    gradcheck((t) => transpose(t, [2, 0, 1]), [seededTensor([2, 3, 4], 1)]);
    gradcheck((t) => transpose(t), [seededTensor([3, 2, 2, 3], 2)]);
  });

  it('matches TF.js forward and gradient', async () => {
    await compareTf((t) => transpose(t, [3, 1, 0, 2]), (tf, t) => tf.transpose(t, [3, 1, 0, 2]), [seededTensor([2, 3, 4, 5], 3)]);
    await compareTf((t) => transpose(t), (tf, t) => tf.transpose(t), [seededTensor([3, 5], 4)]);
  });

  it('rejects a perm that is not a permutation, naming the op and the shape', () => {
    const x = zeros([2, 3]);
    expect(() => transpose(x, [0])).toThrow(ValueError);
    expect(() => transpose(x, [0, 0])).toThrow(/transpose: expected perm to be a permutation of 0..1 for shape \[2, 3\], received \[0,0\]/);
    expect(() => transpose(x, [0, 2])).toThrow(ValueError);
    expect(() => transpose(x, 'ab' as never)).toThrow(ValueError);
  });
});
