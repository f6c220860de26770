import { describe, expect, it } from 'vitest';
import { tensor, variable, zeros } from '../../src/tensor/creation.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { argMax, argMin, max, mean, min, sum } from '../../src/ops/reduction.js';
import { backward } from '../../src/autograd/backward.js';
import { ValueError } from '../../src/util/errors.js';
import { expectClose } from '../helpers/close.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { seededTensor } from '../helpers/seeded.js';
import { compareTf } from './tf-compare.js';
import { count, naiveReduce, ravel, unravel } from './naive.js';

const m = tensor([[1, 5, 3], [4, 2, 6]]);

// Shapes and axis choices: contiguous and split runs of axes, negative axes, size-1 and zero-size dims.
const CASES: [number[], number | number[] | undefined][] = [
  [[7], 0],
  [[3, 5], 1],
  [[3, 5], -2],
  [[2, 3, 4], [0, 2]],
  [[2, 3, 4, 5], [1, 3]],
  [[2, 3, 4, 5], [0, 1]],
  [[2, 3, 4, 5], [-1, -2]],
  [[2, 1, 3], undefined],
  [[3, 0, 2], 1],
  [[3, 0, 2], 2],
  [[], undefined],
];

function axesOf(axis: number | number[] | undefined, rank: number): number[] {
  const list = axis === undefined ? [...Array(rank).keys()] : typeof axis === 'number' ? [axis] : axis;
  return list.map((a) => (a < 0 ? a + rank : a));
}

describe('reductions', () => {
  it('match hand-derived values', () => {
    expectClose(sum(m), [21]);
    expect(sum(m).shape).toEqual([]);
    expectClose(sum(m, 0), [5, 7, 9]);
    expectClose(sum(m, -1, true), [9, 12]);
    expect(sum(m, -1, true).shape).toEqual([2, 1]);
    expectClose(sum(m, []), m);
    expectClose(mean(m, 1), [3, 4]);
    expectClose(max(m, 1), [5, 6]);
    expectClose(min(m, 0), [1, 2, 3]);
    expectClose(argMax(m, 1), [1, 2]);
    expectClose(argMax(m), [1, 0, 1]); // TF.js default axis 0
    expectClose(argMin(m, 1), [0, 1]);
    expectClose(argMax(tensor([3, 1, 3])), [0]); // first of the ties
    expect(argMax(m, 1, true).shape).toEqual([2, 1]);
  });

  it('handle empty axes, NaN and float64 accumulation', () => {
    expectClose(sum(zeros([2, 0]), 1), [0, 0]);
    expectClose(max(zeros([2, 0]), 1), [-Infinity, -Infinity]);
    expectClose(min(zeros([2, 0]), 1), [Infinity, Infinity]);
    expectClose(mean(zeros([2, 0]), 1), [NaN, NaN]);
    expect(sum(zeros([0, 3]), 1).shape).toEqual([0]);
    expectClose(max(tensor([1, NaN, 3])), [NaN]);
    expectClose(min(tensor([[NaN, 1], [2, 3]]), 0), [NaN, 1]);
    // 2²⁴ then 1000 ones: a float32 accumulator stalls at 2²⁴ (its spacing there is 2); float64 counts
    // every one, and 2²⁴ + 1000 is even, so the float32 result is exact.
    const big = new Float32Array(1001).fill(1);
    big[0] = 2 ** 24;
    expect(sum(new Tensor(big, [big.length])).data[0]).toBe(2 ** 24 + 1000);
    const columns = new Float32Array(2002).fill(1); // the same down two columns: the strided loop
    columns[0] = columns[1] = 2 ** 24;
    expect(Array.from(sum(new Tensor(columns, [1001, 2]), 0).data)).toEqual([2 ** 24 + 1000, 2 ** 24 + 1000]);
  });

  it('have hand-derived gradients; max and min give dy to every tie', () => {
    const x = variable([[1, 5, 5], [4, 2, 6]]);
    backward(max(x, 1));
    expectClose(x.grad!, [0, 1, 1, 0, 0, 1]);
    const y = variable([[1, 2], [3, 4]]);
    backward(mean(y, 0));
    expectClose(y.grad!, [0.5, 0.5, 0.5, 0.5]);
    const z = variable([[1, 2], [3, 4]]);
    backward(sum(z, 1));
    expectClose(z.grad!, [1, 1, 1, 1]);
    const w = variable([3, 1, 1]);
    backward(min(w));
    expectClose(w.grad!, [0, 1, 1]);
    expect(argMax(variable([1, 2])).requiresGrad).toBe(false);
  });

  it('match a naive float64 reference over any axes, keepDims or not', () => {
    CASES.forEach(([shape, axis], k) => {
      const x = seededTensor(shape, 30 + k, -3, 3);
      const axes = axesOf(axis, shape.length);
      const refs: [(t: Tensor, keep: boolean) => Tensor, number, (a: number, v: number) => number][] = [
        [(t, keep) => sum(t, axis, keep), 0, (a, v) => a + v],
        [(t, keep) => max(t, axis, keep), -Infinity, (a, v) => Math.max(a, v)],
        [(t, keep) => min(t, axis, keep), Infinity, (a, v) => Math.min(a, v)],
      ];
      for (const [f, init, fold] of refs) {
        const want = naiveReduce(x.data, shape, axes, init, fold);
        const y = f(x, false);
        expect(y.shape).toEqual(want.shape);
        expectClose(y, want.data);
        expect(f(x, true).shape).toEqual(shape.map((d, ax) => (axes.includes(ax) ? 1 : d)));
      }
      const n = axes.reduce((p, ax) => p * shape[ax], 1);
      const s = naiveReduce(x.data, shape, axes, 0, (a, v) => a + v);
      expectClose(mean(x, axis), Float64Array.from(s.data, (v) => v / n));
    });
  });

  it('argMax and argMin match a naive reference on every axis', () => {
    const x = seededTensor([3, 4, 5], 50);
    for (let ax = 0; ax < 3; ax++) {
      expectClose(argMax(x, ax), naiveArg(x, ax, (v, best) => v > best));
      expectClose(argMin(x, ax - 3), naiveArg(x, ax, (v, best) => v < best));
    }
  });

  it('gradients match central finite differences', () => {
    const x = seededTensor([3, 4, 2], 7, -2, 2);
    gradcheck((t) => sum(t, [0, 2]), [x]);
    gradcheck((t) => sum(t, 1, true), [x]);
    gradcheck((t) => mean(t, -1), [x]);
    gradcheck((t) => mean(t), [x]);
    // Seeded values are distinct and more than 2·eps apart within each group, so max is smooth here.
    gradcheck((t) => max(t, 1), [x]);
    gradcheck((t) => min(t, [0, 2], true), [x]);
  });

  it('match TF.js forward and gradient', async () => {
    const x = seededTensor([3, 4, 5], 8, -2, 2);
    await compareTf((t) => sum(t, [0, 2]), (tf, t) => tf.sum(t, [0, 2]), [x]);
    await compareTf((t) => sum(t, 1, true), (tf, t) => tf.sum(t, 1, true), [x]);
    await compareTf((t) => mean(t, -1), (tf, t) => tf.mean(t, -1), [x]);
    await compareTf((t) => max(t, [1, 2]), (tf, t) => tf.max(t, [1, 2]), [x]);
    await compareTf((t) => min(t, 0, true), (tf, t) => tf.min(t, 0, true), [x]);
    // Ties: TF.js also sends dy to every position equal to the max.
    await compareTf((t) => max(t, 1), (tf, t) => tf.max(t, 1), [tensor([[2, 7, 7], [1, 1, 0]])]);
    await compareTf((t) => argMax(t, 1), (tf, t) => tf.argMax(t, 1).toFloat(), [x], { grads: false });
    await compareTf((t) => argMin(t), (tf, t) => tf.argMin(t).toFloat(), [x], { grads: false });
    await compareTf((t) => argMax(t), (tf, t) => tf.argMax(t).toFloat(), [tensor([[1, NaN], [NaN, 0], [1, 2]])], { grads: false });
  });

  it('reject bad arguments with errors naming the op', () => {
    expect(() => sum(m, 2)).toThrow(ValueError);
    expect(() => sum(m, 2)).toThrow(/sum: expected an integer axis in \[-2, 1\] for a rank-2 tensor, received 2/);
    expect(() => max(m, [0, -3])).toThrow(/max: expected an integer axis/);
    expect(() => mean(m, 0.5)).toThrow(/mean:/);
    expect(() => sum(m, 0, 'yes' as never)).toThrow(/sum: expected keepDims to be a boolean/);
    expect(() => argMax(m, [0, 1] as never)).toThrow(/argMax: expected one integer axis, received \[0,1\]/);
    expect(() => argMax(zeros([2, 0]), 1)).toThrow(/argMax: cannot take an index along axis 1 of size 0 \(shape \[2, 0\]\)/);
    expect(() => min('m' as never)).toThrow(/min: expected x to be a Tensor or a number/);
  });
});

/** First index along `ax` whose value beats every earlier one under `better`, for each output position. */
function naiveArg(x: Tensor, ax: number, better: (v: number, best: number) => boolean): Float64Array {
  const outShape = x.shape.filter((_, k) => k !== ax);
  const out = new Float64Array(count(outShape));
  for (let o = 0; o < out.length; o++) {
    const idx = unravel(o, outShape);
    const at = (r: number): number => x.data[ravel([...idx.slice(0, ax), r, ...idx.slice(ax)], x.shape)];
    let best = 0;
    for (let r = 1; r < x.shape[ax]; r++) if (better(at(r), at(best))) best = r;
    out[o] = best;
  }
  return out;
}
