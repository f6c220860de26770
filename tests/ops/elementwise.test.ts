import { describe, expect, it } from 'vitest';
import { tensor, variable } from '../../src/tensor/creation.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { abs, clip, exp, log, neg, sqrt, square } from '../../src/ops/elementwise.js';
import { backward } from '../../src/autograd/backward.js';
import { ValueError } from '../../src/util/errors.js';
import { expectClose } from '../helpers/close.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { seededTensor } from '../helpers/seeded.js';
import { compareTf } from './tf-compare.js';
import { naiveMap } from './naive.js';

/** d(Σ f(x))/dx at the given points, through our backward. */
function gradAt(f: (x: Tensor) => Tensor, values: number[]): Float32Array {
  const x = variable(values);
  backward(f(x));
  return x.grad!.data;
}

const SHAPES = [[7], [3, 5], [2, 1, 3], [4, 0], []];

describe('elementwise unary ops', () => {
  it('match hand-derived values, including the extremes', () => {
    expectClose(neg(tensor([1, -2, 0])), [-1, 2, -0]);
    expectClose(exp(tensor([0, 1, -1000, 1000])), [1, Math.E, 0, Infinity]);
    expectClose(log(tensor([1, Math.E, 0])), [0, 1, -Infinity]);
    expect(Number.isNaN(log(tensor([-1])).data[0])).toBe(true);
    expectClose(sqrt(tensor([0, 4, 2.25])), [0, 2, 1.5]);
    expect(Number.isNaN(sqrt(tensor([-1])).data[0])).toBe(true);
    expectClose(square(tensor([-3, 0.5])), [9, 0.25]);
    expectClose(abs(tensor([-2, 3, 0])), [2, 3, 0]);
    expectClose(clip(tensor([-2, 0.5, 2, NaN]), 0, 1), [0, 0.5, 1, NaN]);
    expect(exp(3).shape).toEqual([]);
  });

  it('have hand-derived gradients at the special points', () => {
    expectClose(gradAt(exp, [0, 1]), [1, Math.E]);
    expectClose(gradAt(log, [0.5, 4]), [2, 0.25]);
    expectClose(gradAt(sqrt, [4, 0]), [0.25, Infinity]);
    expectClose(gradAt(square, [-3]), [-6]);
    expectClose(gradAt(neg, [5]), [-1]);
    // sign(x), with the subgradient 0 at 0 (TF.js would give −1 there: its step(x, −1)).
    expectClose(gradAt(abs, [-2, 0, 3]), [-1, 0, 1]);
    // The bounds themselves pass the gradient, as TF.js's clipByValue.
    expectClose(gradAt((x) => clip(x, -1, 1), [-2, -1, 0, 1, 2]), [0, 1, 1, 1, 0]);
  });

  it('match a naive float64 reference on seeded shapes, including zero-size ones', () => {
    const cases: [(x: Tensor) => Tensor, (v: number) => number][] = [
      [neg, (v) => -v],
      [exp, Math.exp],
      [(x) => log(x), Math.log],
      [sqrt, Math.sqrt],
      [square, (v) => v * v],
      [abs, Math.abs],
      [(x) => clip(x, 0.5, 1.5), (v) => Math.min(Math.max(v, 0.5), 1.5)],
    ];
    SHAPES.forEach((shape, s) => {
      const x = seededTensor(shape, 10 + s, 0.01, 2);
      for (const [f, ref] of cases) {
        const y = f(x);
        expect(y.shape).toEqual(shape);
        expectClose(y, naiveMap(x.data, ref));
      }
    });
  });

  it('have gradients matching central finite differences', () => {
    const x = seededTensor([3, 4], 1, 0.3, 2);
    const signed = seededTensor([3, 4], 2, -2, 2);
    for (const f of [neg, exp, log, sqrt, square]) gradcheck(f, [x]);
    // Inputs for abs and clip kept 0.05 away from the kinks so ±eps never crosses one.
    const away = new Tensor(signed.data.map((v) => (Math.abs(v) < 0.05 ? 0.5 : v)), signed.shape);
    gradcheck(abs, [away]);
    const awayFromBounds = new Tensor(signed.data.map((v) => (Math.abs(Math.abs(v) - 1) < 0.05 ? 0.5 : v)), signed.shape);
    gradcheck((t) => clip(t, -1, 1), [awayFromBounds]);
  });

  it('match TF.js forward and gradient', async () => {
    const pos = seededTensor([3, 5], 3, 0.1, 3);
    const any = seededTensor([2, 3, 4], 4, -3, 3);
    await compareTf(neg, (tf, x) => tf.neg(x), [any]);
    await compareTf(exp, (tf, x) => tf.exp(x), [any]);
    await compareTf(log, (tf, x) => tf.log(x), [pos]);
    await compareTf(sqrt, (tf, x) => tf.sqrt(x), [pos]);
    await compareTf(square, (tf, x) => tf.square(x), [any]);
    await compareTf(abs, (tf, x) => tf.abs(x), [any]);
    await compareTf((x) => clip(x, -1, 2), (tf, x) => tf.clipByValue(x, -1, 2), [any]);
  });

  it('reject bad arguments with a ValueError naming the op', () => {
    expect(() => exp('a' as never)).toThrow(ValueError);
    expect(() => log(null as never)).toThrow(/log: expected x to be a Tensor or a number, received null/);
    expect(() => clip(tensor([1]), 2, 1)).toThrow(ValueError);
    expect(() => clip(tensor([1]), 2, 1)).toThrow(/clip: expected numbers min <= max, received min=2, max=1/);
    expect(() => clip(tensor([1]), NaN, 1)).toThrow(/clip/);
  });
});
