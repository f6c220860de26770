import { describe, expect, it } from 'vitest';
import { tensor, variable } from '../../src/tensor/creation.js';
import { matmul } from '../../src/ops/matmul.js';
import { backward } from '../../src/autograd/backward.js';
import { ShapeError, ValueError } from '../../src/util/errors.js';
import { expectClose } from '../helpers/close.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { gemmRef } from '../helpers/reference.js';
import { seededTensor } from '../helpers/seeded.js';
import { compareTf } from './tf-compare.js';

const TOL = { rtol: 1e-4, atol: 1e-5 };
const TRANSPOSES: [boolean, boolean][] = [[false, false], [true, false], [false, true], [true, true]];

describe('matmul', () => {
  it('matches hand-derived values and gradients', () => {
    const a = variable([[1, 2], [3, 4]]);
    const b = variable([[5, 6], [7, 8]]);
    const c = matmul(a, b);
    expect(c.toArray()).toEqual([[19, 22], [43, 50]]);
    expect(matmul(a, b, { transposeA: true }).toArray()).toEqual([[26, 30], [38, 44]]);
    expect(matmul(a, b, { transposeB: true }).toArray()).toEqual([[17, 23], [39, 53]]);
    // d Σ(A·B) / dA = 1·Bᵀ → row sums of B; d/dB = Aᵀ·1 → column sums of A.
    backward(c);
    expect(a.grad!.toArray()).toEqual([[11, 15], [11, 15]]);
    expect(b.grad!.toArray()).toEqual([[4, 4], [6, 6]]);
  });

  it('rank 2 in all four transpose layouts matches the float64 reference', () => {
    TRANSPOSES.forEach(([ta, tb], i) => {
      const [m, n, k] = [5, 7, 9];
      const a = seededTensor(ta ? [k, m] : [m, k], 10 + i);
      const b = seededTensor(tb ? [n, k] : [k, n], 20 + i);
      const c = matmul(a, b, { transposeA: ta, transposeB: tb });
      expect(c.shape).toEqual([m, n]);
      expectClose(c, gemmRef(m, n, k, a.data, ta, b.data, tb), TOL);
    });
  });

  it('batched rank 3, with a rank-2 operand or a batch of 1 shared across the batch', () => {
    const a = seededTensor([3, 4, 5], 1);
    const b = seededTensor([3, 5, 2], 2);
    const shared = seededTensor([5, 2], 3);
    const one = seededTensor([1, 5, 2], 4);
    const c = matmul(a, b);
    const cs = matmul(a, shared);
    const c1 = matmul(a, one);
    expect(c.shape).toEqual([3, 4, 2]);
    for (let i = 0; i < 3; i++) {
      const ai = a.data.subarray(i * 20, (i + 1) * 20);
      expectClose(c.data.subarray(i * 8, (i + 1) * 8), gemmRef(4, 2, 5, ai, false, b.data.subarray(i * 10, (i + 1) * 10), false), TOL);
      expectClose(cs.data.subarray(i * 8, (i + 1) * 8), gemmRef(4, 2, 5, ai, false, shared.data, false), TOL);
      expectClose(c1.data.subarray(i * 8, (i + 1) * 8), gemmRef(4, 2, 5, ai, false, one.data, false), TOL);
    }
    expect(matmul(seededTensor([4, 5], 5), b).shape).toEqual([3, 4, 2]);
    expect(matmul(seededTensor([1, 4, 5], 6), seededTensor([5, 2], 7)).shape).toEqual([1, 4, 2]);
  });

  it('gradients match central finite differences in every layout, batched and shared', () => {
    TRANSPOSES.forEach(([ta, tb], i) => {
      const a = seededTensor(ta ? [2, 4, 3] : [2, 3, 4], 30 + i);
      const b = seededTensor(tb ? [5, 4] : [4, 5], 40 + i);
      gradcheck((x, y) => matmul(x, y, { transposeA: ta, transposeB: tb }), [a, b]);
      gradcheck((x, y) => matmul(y, x, { transposeA: !tb, transposeB: !ta }), [a, b]);
    });
    gradcheck((x, y) => matmul(x, y), [seededTensor([1, 3, 2], 50), seededTensor([4, 2, 3], 51)]);
  });

  it('matches TF.js forward and gradients (tf.matMul), including transposes and broadcast batches', async () => {
    for (const [ta, tb] of TRANSPOSES) {
      const a = seededTensor(ta ? [6, 5] : [5, 6], 60);
      const b = seededTensor(tb ? [7, 6] : [6, 7], 61);
      await compareTf((x, y) => matmul(x, y, { transposeA: ta, transposeB: tb }), (tf, x, y) => tf.matMul(x, y, ta, tb), [a, b], TOL);
    }
    await compareTf((x, y) => matmul(x, y), (tf, x, y) => tf.matMul(x, y), [seededTensor([3, 4, 6], 62), seededTensor([3, 6, 2], 63)], TOL);
    await compareTf(
      (x, y) => matmul(x, y, { transposeB: true }),
      // TF.js's own BatchMatMul gradient does not reduce a broadcast batch, so tile b explicitly there.
      (tf, x, y) => tf.matMul(x, tf.tile(y, [3, 1, 1]), false, true),
      [seededTensor([3, 4, 6], 64), seededTensor([1, 2, 6], 65)],
      TOL,
    );
  });

  it('returns no gradient work for an operand that does not need one', () => {
    const a = variable([[1, 2]]);
    const b = tensor([[3], [4]]);
    backward(matmul(a, b));
    expect(a.grad!.toArray()).toEqual([[3, 4]]);
    expect(b.grad).toBeNull();
  });

  it('rejects mismatched shapes with a ShapeError naming matmul, both shapes and the transposes', () => {
    expect(() => matmul(tensor([[1, 2, 3]]), tensor([[1, 2]]))).toThrow(ShapeError);
    expect(() => matmul(tensor([[1, 2, 3]]), tensor([[1, 2]]))).toThrow(
      /matmul: inner dimensions differ: op\(a\) has 3 columns but op\(b\) has 1 rows, for a \[1, 3\] \(transposeA=false\) and b \[1, 2\] \(transposeB=false\)/,
    );
    expect(() => matmul(tensor([1, 2]), tensor([[1], [2]]))).toThrow(/matmul: expected operands of rank 2.*a \[2\]/);
    expect(() => matmul(seededTensor([2, 3, 4], 1), seededTensor([3, 4, 5], 2))).toThrow(/matmul: batch sizes 2 and 3 differ/);
    expect(() => matmul(seededTensor([2, 3], 1), seededTensor([2, 3], 2), { transposeB: true })).not.toThrow();
    expect(() => matmul(seededTensor([2, 3], 1), seededTensor([2, 3], 2))).toThrow(/transposeB=false/);
    expect(() => matmul([[1]] as never, tensor([[1]]))).toThrow(ValueError);
  });
});
