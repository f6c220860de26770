import { describe, expect, it } from 'vitest';
import { tensor, variable } from '../../src/tensor/creation.js';
import { avgPool2d, maxPool2d, Pool2DOptions } from '../../src/ops/pool2d.js';
import { backward } from '../../src/autograd/backward.js';
import { mul } from '../../src/ops/arithmetic.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { ShapeError, ValueError } from '../../src/util/errors.js';
import { expectClose } from '../helpers/close.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { avgPoolGradRef, avgPoolRef, maxPoolRef } from '../helpers/reference.js';
import { seededArray, seededTensor } from '../helpers/seeded.js';
import { compareTf } from './tf-compare.js';

const TOL = { rtol: 1e-4, atol: 1e-6 };

/** Distinct values at least 0.05 apart (a seeded permutation), so no finite difference flips a max. */
function distinct(shape: number[], seed: number): Tensor {
  const n = shape.reduce((p, d) => p * d, 1);
  const keys = seededArray(n, seed);
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => keys[i] - keys[j]);
  const data = new Float32Array(n);
  order.forEach((slot, rank) => (data[slot] = (rank - n / 2) * 0.05));
  return new Tensor(data, shape);
}

const CASES: [number[], Required<Pool2DOptions>][] = [
  [[2, 6, 6, 3], { poolSize: [2, 2], strides: [2, 2], padding: 'valid' }],
  [[2, 7, 5, 3], { poolSize: [2, 2], strides: [2, 2], padding: 'same' }],
  [[1, 7, 8, 2], { poolSize: [3, 3], strides: [2, 2], padding: 'same' }],
  [[3, 5, 7, 1], { poolSize: [3, 2], strides: [1, 2], padding: 'same' }],
  [[1, 9, 7, 4], { poolSize: [2, 3], strides: [3, 1], padding: 'valid' }],
];

describe('maxPool2d and avgPool2d', () => {
  it('match hand-derived values and gradients', () => {
    const x = variable(tensor([1, 5, 3, 2, 7, 0, 4, 6, 8, 9, 2, 1, 0, 3, 5, 4], [1, 4, 4, 1]));
    const y = maxPool2d(x);
    // Rows [1 5 3 2] [7 0 4 6] [8 9 2 1] [0 3 5 4]: the 2×2 blocks' maxima sit at flat 4, 7, 9, 14.
    expect(y.toArray()).toEqual([[[[7], [6]], [[9], [5]]]]);
    backward(y);
    expect(Array.from(x.grad!.data)).toEqual([0, 0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0]);
    const z = variable(tensor([1, 5, 3, 3], [1, 2, 2, 1]));
    const avg = avgPool2d(z);
    expect(avg.toArray()).toEqual([[[[3]]]]);
    backward(avg);
    expect(Array.from(z.grad!.data)).toEqual([0.25, 0.25, 0.25, 0.25]);
  });

  it('defaults: pool 2, strides = poolSize, valid padding (drops the odd last row and column)', () => {
    expect(maxPool2d(seededTensor([2, 5, 7, 3], 1)).shape).toEqual([2, 2, 3, 3]);
    expect(avgPool2d(seededTensor([2, 5, 7, 3], 1), { poolSize: 3 }).shape).toEqual([2, 1, 2, 3]);
    expect(avgPool2d(seededTensor([2, 5, 7, 3], 1), { poolSize: 3, strides: 1, padding: 'same' }).shape).toEqual([2, 5, 7, 3]);
  });

  it('match the float64 references on odd sizes', () => {
    CASES.forEach(([shape, o], i) => {
      const x = seededTensor(shape, 10 + i);
      const w = { strides: o.strides as [number, number], padding: o.padding };
      const pool = o.poolSize as [number, number];
      expectClose(maxPool2d(x, o), maxPoolRef(x.data, shape, pool, w).data, TOL);
      expectClose(avgPool2d(x, o), avgPoolRef(x.data, shape, pool, w).data, TOL);
    });
  });

  it('match TF.js (tf.maxPool, tf.avgPool) forward and gradients', async () => {
    for (const [i, [shape, o]] of CASES.entries()) {
      const x = distinct(shape, 20 + i);
      const pool = o.poolSize as [number, number];
      const strides = o.strides as [number, number];
      await compareTf((t) => maxPool2d(t, o), (tf, t) => tf.maxPool(t as never, pool, strides, o.padding), [x], TOL);
      // NOTE: TF.js's cpu AvgPoolGrad scales by 1/(poolH·poolW) even where its own forward divided a
      // 'same' border window by fewer pixels, so its gradient is only the true derivative for
      // 'valid'; the 'same' gradients are checked by finite differences and the reference instead.
      const grads = o.padding === 'valid';
      await compareTf((t) => avgPool2d(t, o), (tf, t) => tf.avgPool(t as never, pool, strides, o.padding), [x], { ...TOL, grads });
    }
  });

  it("'same' average-pool gradient matches the float64 reference (real-pixel counts)", () => {
    for (const [i, [shape, o]] of CASES.entries()) {
      const x = variable(seededTensor(shape, 50 + i));
      const y = avgPool2d(x, o);
      const dy = seededArray(y.size, 60 + i);
      backward(mul(y, new Tensor(dy, y.shape)));
      const w = { strides: o.strides as [number, number], padding: o.padding };
      expectClose(x.grad!, avgPoolGradRef(shape, o.poolSize as [number, number], w, dy), TOL);
    }
  });

  it('gradients match central finite differences', () => {
    for (const [i, [shape, o]] of CASES.slice(0, 4).entries()) {
      gradcheck((t) => maxPool2d(t, o), [distinct(shape, 30 + i)], { eps: 1e-2 });
      gradcheck((t) => avgPool2d(t, o), [seededTensor(shape, 40 + i)]);
    }
  });

  it('reject bad input with a clear error naming the op and the shape', () => {
    expect(() => maxPool2d(seededTensor([4, 4, 1], 1))).toThrow(ShapeError);
    expect(() => maxPool2d(seededTensor([4, 4, 1], 1))).toThrow(/maxPool2d: expected a rank-4 input.*received shape \[4, 4, 1\]/);
    expect(() => avgPool2d(seededTensor([1, 2, 5, 1], 1), { poolSize: 3 })).toThrow(
      /avgPool2d: the window \[3, 3\].*larger than the input's height and width \[2, 5\] \(input shape \[1, 2, 5, 1\], padding 'valid'\)/,
    );
    expect(avgPool2d(seededTensor([1, 2, 5, 1], 1), { poolSize: 3, padding: 'same' }).shape).toEqual([1, 1, 2, 1]);
    expect(() => maxPool2d(seededTensor([1, 4, 4, 1], 1), { poolSize: 0 })).toThrow(ValueError);
    expect(() => maxPool2d(seededTensor([1, 4, 4, 1], 1), { poolSize: 0 })).toThrow(/maxPool2d: expected poolSize to be a positive integer/);
    expect(() => avgPool2d(seededTensor([1, 4, 4, 1], 1), { strides: [1, -1] as never })).toThrow(/avgPool2d: expected strides/);
    expect(() => maxPool2d(seededTensor([1, 4, 4, 1], 1), { padding: 'causal' as never })).toThrow(/maxPool2d: expected padding 'valid' or 'same'/);
  });
});
