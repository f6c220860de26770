import { describe, expect, it } from 'vitest';
import { tensor, zeros } from '../../src/tensor/creation.js';
import { slice } from '../../src/ops/slice.js';
import { ShapeError, ValueError } from '../../src/util/errors.js';
import { expectClose } from '../helpers/close.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { seededTensor } from '../helpers/seeded.js';
import { compareTf } from './tf-compare.js';
import { naiveSlice } from './naive.js';

describe('slice', () => {
  const m = tensor([[1, 2, 3], [4, 5, 6]]);

  it('matches hand-derived values with TF.js argument rules', () => {
    expect(slice(m, [0, 1], [2, 2]).toArray()).toEqual([[2, 3], [5, 6]]);
    expect(slice(m, [0, 1], [-1, 1]).toArray()).toEqual([[2], [5]]);
    expect(slice(m, 1).toArray()).toEqual([[4, 5, 6]]); // a number is axis 0's begin; the rest whole
    expect(slice(m, [0], 1).toArray()).toEqual([[1, 2, 3]]);
    expect(slice(m, [1, 3]).shape).toEqual([1, 0]);
    expect(slice(tensor(4), []).toArray()).toEqual(4);
  });

  it('matches a naive reference on boxes of a 4-d tensor, including empty ones', () => {
    const shape = [3, 4, 5, 2];
    const x = seededTensor(shape, 1);
    const boxes: [number[], number[]][] = [
      [[0, 0, 0, 0], [3, 4, 5, 2]],
      [[1, 2, 1, 0], [2, 1, 3, 2]],
      [[2, 0, 4, 1], [1, 4, 1, 1]],
      [[0, 1, 0, 0], [3, 2, 0, 2]],
    ];
    for (const [b, s] of boxes) {
      const y = slice(x, b, s);
      expect(y.shape).toEqual(s);
      expectClose(y, naiveSlice(x.data, shape, b, s));
    }
  });

  it('gradient matches central finite differences', () => {
    gradcheck((t) => slice(t, [1, 0, 2], [2, -1, 2]), [seededTensor([3, 2, 5], 2)]);
  });

  it('matches TF.js forward and gradient', async () => {
    const x = seededTensor([3, 4, 5], 3);
    await compareTf((t) => slice(t, [1, 1, 0], [2, -1, 3]), (tf, t) => tf.slice(t, [1, 1, 0], [2, -1, 3]), [x]);
    await compareTf((t) => slice(t, 2), (tf, t) => tf.slice(t, 2), [x]);
    await compareTf((t) => slice(t, [0, 2], [1]), (tf, t) => tf.slice(t, [0, 2], [1]), [x]);
  });

  it('rejects boxes that do not fit, naming the op and the shape', () => {
    expect(() => slice(m, [0, 2], [1, 2])).toThrow(ShapeError);
    expect(() => slice(m, [0, 2], [1, 2])).toThrow(/slice: begin \[0,2\] and size \[1,2\] do not fit in shape \[2, 3\] \(axis 1/);
    expect(() => slice(m, [-1, 0])).toThrow(ShapeError);
    expect(() => slice(m, [0, 0], [1, -2])).toThrow(ShapeError);
    expect(() => slice(m, [3])).toThrow(ShapeError);
    expect(() => slice(m, [0, 0, 0])).toThrow(ValueError);
    expect(() => slice(m, [0, 0, 0])).toThrow(/slice: expected begin to be an integer or up to 2 integers for shape \[2, 3\], received \[0,0,0\]/);
    expect(() => slice(m, [0.5])).toThrow(ValueError);
    expect(() => slice(zeros([2]), 0, 'all' as never)).toThrow(/slice: expected size/);
  });
});
