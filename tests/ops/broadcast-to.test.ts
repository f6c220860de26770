import { describe, expect, it } from 'vitest';
import { tensor, variable, zeros } from '../../src/tensor/creation.js';
import { broadcastTo } from '../../src/ops/broadcast-to.js';
import { backward } from '../../src/autograd/backward.js';
import { ShapeError } from '../../src/util/errors.js';
import { expectClose } from '../helpers/close.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { seededTensor } from '../helpers/seeded.js';
import { compareTf } from './tf-compare.js';
import { naiveBinary } from './naive.js';

describe('broadcastTo', () => {
  it('matches hand-derived values and sums the gradient back', () => {
    expect(broadcastTo(tensor([1, 2]), [3, 2]).toArray()).toEqual([[1, 2], [1, 2], [1, 2]]);
    expect(broadcastTo(tensor([[1], [2]]), [2, 3]).toArray()).toEqual([[1, 1, 1], [2, 2, 2]]);
    expect(broadcastTo(tensor(5), [2]).toArray()).toEqual([5, 5]);
    expect(broadcastTo(zeros([1, 3]), [0, 3]).shape).toEqual([0, 3]);
    const x = variable([[1], [2]]);
    backward(broadcastTo(x, [4, 2, 3]));
    expectClose(x.grad!, [12, 12]);
  });

  it('matches a naive reference (x + zeros of the target shape)', () => {
    const cases: [number[], number[]][] = [[[3, 1, 4], [2, 3, 5, 4]], [[1], [3, 2]], [[2, 1], [2, 0]]];
    cases.forEach(([from, to], k) => {
      const x = seededTensor(from, k);
      const want = naiveBinary(x.data, from, new Float64Array(to.reduce((p, d) => p * d, 1)), to, (v) => v);
      expectClose(broadcastTo(x, to), want.data);
    });
  });

  it('gradient matches finite differences and TF.js', async () => {
    const x = seededTensor([3, 1, 4], 1);
    gradcheck((t) => broadcastTo(t, [2, 3, 5, 4]), [x]);
    await compareTf((t) => broadcastTo(t, [2, 3, 5, 4]), (tf, t) => tf.broadcastTo(t, [2, 3, 5, 4]), [x]);
  });

  it('rejects shapes it cannot reach, naming the op and both shapes', () => {
    expect(() => broadcastTo(zeros([2, 3]), [3])).toThrow(ShapeError);
    expect(() => broadcastTo(zeros([2, 3]), [4, 3])).toThrow(/broadcastTo: cannot broadcast shape \[2, 3\] to \[4, 3\]/);
    expect(() => broadcastTo(zeros([2]), [2.5])).toThrow(ShapeError);
  });
});
