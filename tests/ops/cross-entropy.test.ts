import { describe, expect, it } from 'vitest';
import { tensor, variable } from '../../src/tensor/creation.js';
import { sigmoidCrossEntropyWithLogits, softmaxCrossEntropyWithLogits } from '../../src/ops/cross-entropy.js';
import { backward } from '../../src/autograd/backward.js';
import { ShapeError, ValueError } from '../../src/util/errors.js';
import { expectClose } from '../helpers/close.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { seededTensor } from '../helpers/seeded.js';
import { tfCpu, tfData } from '../helpers/tf.js';

/** Float64 reference from the definition −z·log σ(x) − (1 − z)·log(1 − σ(x)) (fine for moderate x). */
function naiveSigmoidCe(z: ArrayLike<number>, x: ArrayLike<number>): number[] {
  return Array.from(x, (xi, i) => {
    const s = 1 / (1 + Math.exp(-xi));
    return -z[i] * Math.log(s) - (1 - z[i]) * Math.log(1 - s);
  });
}

describe('sigmoidCrossEntropyWithLogits', () => {
  it('hand values, including extreme logits where the composed form overflows', () => {
    // x = 0: log 2 for any z. x = 1000, z = 1: 0. x = 1000, z = 0: 1000. x = −1000, z = 1: 1000.
    const y = sigmoidCrossEntropyWithLogits(tensor([0.3, 1, 0, 1, 0]), tensor([0, 1000, 1000, -1000, -1000]));
    expectClose(y, [Math.LN2, 0, 1000, 1000, 0], { rtol: 1e-6, atol: 1e-6 });
    expect(y.shape).toEqual([5]);
  });

  it('matches the naive float64 definition on seeded inputs', () => {
    const z = seededTensor([4, 3], 1, 0, 1);
    const x = seededTensor([4, 3], 2, -6, 6);
    expectClose(sigmoidCrossEntropyWithLogits(z, x), naiveSigmoidCe(z.data, x.data), { rtol: 1e-5, atol: 1e-6 });
  });

  it('gradients: σ(x) − z for logits and −x for labels, by hand and by finite differences', () => {
    const z = variable([1, 0, 0.25]);
    const x = variable([0, 2, -3]);
    backward(sigmoidCrossEntropyWithLogits(z, x));
    const s = (v: number) => 1 / (1 + Math.exp(-v));
    expectClose(x.grad!, [s(0) - 1, s(2), s(-3) - 0.25], { rtol: 1e-6 });
    expectClose(z.grad!, [0, -2, 3]);
    gradcheck((a, b) => sigmoidCrossEntropyWithLogits(a, b), [seededTensor([3, 2], 3, 0, 1), seededTensor([3, 2], 4, -4, 4)]);
  });

  it('forward and logits gradient match TF.js (tf.losses.sigmoidCrossEntropy, no reduction)', async () => {
    const tf = await tfCpu();
    const z = seededTensor([5, 2], 5, 0, 1);
    const x = seededTensor([5, 2], 6, -8, 8);
    const tz = tf.tensor2d(z.data, [5, 2]);
    const tx = tf.tensor2d(x.data, [5, 2]);
    const want = tf.losses.sigmoidCrossEntropy(tz, tx, undefined, 0, tf.Reduction.NONE);
    expectClose(sigmoidCrossEntropyWithLogits(z, x), tfData(want), { rtol: 1e-5, atol: 1e-6 });
    const tfGrad = tf.grad((l: import('@tensorflow/tfjs').Tensor) => tf.losses.sigmoidCrossEntropy(tz, l, undefined, 0, tf.Reduction.NONE).sum())(tx);
    const xv = variable(x);
    backward(sigmoidCrossEntropyWithLogits(z, xv));
    expectClose(xv.grad!, tfData(tfGrad), { rtol: 1e-5, atol: 1e-6 });
  });

  it('rejects mismatched shapes and non-tensors, naming the op', () => {
    expect(() => sigmoidCrossEntropyWithLogits(tensor([1, 0]), tensor([1, 2, 3]))).toThrow(ShapeError);
    expect(() => sigmoidCrossEntropyWithLogits(tensor([1, 0]), tensor([1, 2, 3]))).toThrow(/sigmoidCrossEntropyWithLogits.*\[2\].*\[3\]/);
    expect(() => sigmoidCrossEntropyWithLogits('a' as unknown as number, tensor([1]))).toThrow(ValueError);
  });
});

/** Float64 reference: −Σ z·log softmax(x) per row of the last axis. */
function naiveSoftmaxCe(z: ArrayLike<number>, x: ArrayLike<number>, classes: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < x.length / classes; r++) {
    let sum = 0;
    for (let j = 0; j < classes; j++) sum += Math.exp(x[r * classes + j]);
    let loss = 0;
    for (let j = 0; j < classes; j++) loss -= z[r * classes + j] * Math.log(Math.exp(x[r * classes + j]) / sum);
    out.push(loss);
  }
  return out;
}

describe('softmaxCrossEntropyWithLogits', () => {
  it('hand values: uniform logits give log(classes); a huge logit gives 0 or its margin', () => {
    const y = softmaxCrossEntropyWithLogits(tensor([[0, 1, 0], [1, 0, 0], [0, 1, 0]]), tensor([[5, 5, 5], [1000, 0, 0], [1000, 0, 0]]));
    expect(y.shape).toEqual([3]);
    expectClose(y, [Math.log(3), 0, 1000], { rtol: 1e-6, atol: 1e-6 });
  });

  it('matches the naive float64 definition (rank 3, soft labels)', () => {
    const z = seededTensor([2, 3, 4], 7, 0, 1);
    const x = seededTensor([2, 3, 4], 8, -3, 3);
    const y = softmaxCrossEntropyWithLogits(z, x);
    expect(y.shape).toEqual([2, 3]);
    expectClose(y, naiveSoftmaxCe(z.data, x.data, 4), { rtol: 1e-5, atol: 1e-6 });
  });

  it('gradients: softmax − z for one-hot labels by hand; finite differences for both inputs', () => {
    const x = variable([[0, 0]]);
    backward(softmaxCrossEntropyWithLogits(tensor([[1, 0]]), x));
    expectClose(x.grad!, [-0.5, 0.5]);
    gradcheck((a, b) => softmaxCrossEntropyWithLogits(a, b), [seededTensor([3, 4], 9, 0, 1), seededTensor([3, 4], 10, -2, 2)]);
  });

  it('forward and logits gradient match TF.js (tf.losses.softmaxCrossEntropy, no reduction)', async () => {
    const tf = await tfCpu();
    // Labels normalized per row: TF.js's gradient is softmax − z, exact only when Σz = 1 (ours is exact
    // for any z: softmax·Σz − z, as the finite-difference check above shows).
    const z = seededTensor([4, 5], 11, 0, 1);
    for (let r = 0; r < 4; r++) {
      const row = z.data.subarray(r * 5, r * 5 + 5);
      const total = row.reduce((a, b) => a + b, 0);
      row.forEach((v, j) => (row[j] = v / total));
    }
    const x = seededTensor([4, 5], 12, -5, 5);
    const tz = tf.tensor2d(z.data, [4, 5]);
    const tx = tf.tensor2d(x.data, [4, 5]);
    const want = tf.losses.softmaxCrossEntropy(tz, tx, undefined, 0, tf.Reduction.NONE);
    expectClose(softmaxCrossEntropyWithLogits(z, x), tfData(want), { rtol: 1e-5, atol: 1e-6 });
    const tfGrad = tf.grad((l: import('@tensorflow/tfjs').Tensor) => tf.losses.softmaxCrossEntropy(tz, l, undefined, 0, tf.Reduction.NONE).sum())(tx);
    const xv = variable(x);
    backward(softmaxCrossEntropyWithLogits(z, xv));
    expectClose(xv.grad!, tfData(tfGrad), { rtol: 1e-5, atol: 1e-6 });
  });

  it('rejects mismatched shapes and scalars', () => {
    expect(() => softmaxCrossEntropyWithLogits(tensor([[1, 0]]), tensor([[1, 2, 3]]))).toThrow(/softmaxCrossEntropyWithLogits.*\[1, 2\].*\[1, 3\]/);
    expect(() => softmaxCrossEntropyWithLogits(tensor(1), tensor(2))).toThrow(/rank >= 1/);
  });
});
