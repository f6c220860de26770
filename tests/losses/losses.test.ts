import { describe, expect, it } from 'vitest';
import type * as tfjs from '@tensorflow/tfjs';
import { Tensor } from '../../src/tensor/tensor.js';
import { tensor, variable } from '../../src/tensor/creation.js';
import { backward } from '../../src/autograd/backward.js';
import {
  binaryCrossentropy,
  categoricalCrossentropy,
  meanAbsoluteError,
  meanSquaredError,
  sparseCategoricalCrossentropy,
} from '../../src/losses/losses.js';
import { getLoss, LOSS_IDS } from '../../src/losses/registry.js';
import { NeuriteError, ShapeError, ValueError } from '../../src/util/errors.js';
import { expectClose } from '../helpers/close.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { seededTensor } from '../helpers/seeded.js';
import { tfCpu, tfData } from '../helpers/tf.js';

const bce = (t: number, p: number) => -(t * Math.log(p) + (1 - t) * Math.log(1 - p));

describe('binaryCrossentropy', () => {
  it('hand values: mean over the last axis, then the batch', () => {
    // Sample 1: [bce(1, .9), bce(0, .2)] → mean; sample 2: [bce(0, .4), bce(1, .7)] → mean; then the mean of both.
    const want = ((bce(1, 0.9) + bce(0, 0.2)) / 2 + (bce(0, 0.4) + bce(1, 0.7)) / 2) / 2;
    expectClose(binaryCrossentropy(tensor([[1, 0], [0, 1]]), tensor([[0.9, 0.2], [0.4, 0.7]])), [want], { rtol: 1e-6 });
  });

  it('clips probabilities to [1e-7, 1 − 1e-7] as Keras, so 0 and 1 give a finite loss', () => {
    const y = binaryCrossentropy(tensor([[1], [0]]), tensor([[0], [1]]));
    // −log(1e-7) ≈ 16.118; the float32 clip bound 1 − 1e-7 rounds to 1 − 1.19e-7, so the second term is −log(1.19e-7) ≈ 15.942.
    expectClose(y, [(-Math.log(Math.fround(1e-7)) - Math.log(1 - Math.fround(1 - 1e-7))) / 2], { rtol: 1e-4 });
    expect(Number.isFinite(y.item())).toBe(true);
  });

  it('labels [n] against predictions [n, 1] are expanded (the seed example shape)', () => {
    const a = binaryCrossentropy(tensor([1, 0, 1]), tensor([[0.8], [0.3], [0.6]]));
    expectClose(a, [(bce(1, 0.8) + bce(0, 0.3) + bce(1, 0.6)) / 3], { rtol: 1e-6 });
  });

  it('fromLogits equals the probability form on sigmoid(x) and stays finite for huge logits', () => {
    const x = tensor([[2], [-1], [0.5]]);
    const s = (v: number) => 1 / (1 + Math.exp(-v));
    expectClose(binaryCrossentropy(tensor([1, 0, 0]), x, { fromLogits: true }), [(bce(1, s(2)) + bce(0, s(-1)) + bce(0, s(0.5))) / 3], { rtol: 1e-6 });
    expectClose(binaryCrossentropy(tensor([[1, 0]]), tensor([[-1000, 1000]]), { fromLogits: true }), [1000]);
  });

  it('sample weights: Σ loss·w / n (Keras sum_over_batch_size)', () => {
    const y = binaryCrossentropy(tensor([1, 0]), tensor([[0.9], [0.2]]), { sampleWeight: [2, 0.5] });
    expectClose(y, [(2 * bce(1, 0.9) + 0.5 * bce(0, 0.2)) / 2], { rtol: 1e-6 });
    expect(() => binaryCrossentropy(tensor([1, 0]), tensor([[0.9], [0.2]]), { sampleWeight: [1] })).toThrow(/one sample weight per sample \(2\)/);
  });

  it('matches tf.metrics.binaryCrossentropy (value and gradient)', async () => {
    const tf = await tfCpu();
    const t = seededTensor([6, 3], 1, 0, 1).data.map((v) => (v > 0.5 ? 1 : 0));
    const p = seededTensor([6, 3], 2, 0.01, 0.99);
    await compareWithTf(tf, tensor(Array.from(t), [6, 3]), p, (yt, yp) => binaryCrossentropy(yt, yp), (yt, yp) => tf.metrics.binaryCrossentropy(yt, yp));
  });

  it('gradient matches finite differences (both forms)', () => {
    const t = tensor([[1, 0, 1], [0, 0, 1]]);
    gradcheck((p) => binaryCrossentropy(t, p), [seededTensor([2, 3], 3, 0.1, 0.9)], { eps: 1e-3 });
    gradcheck((x) => binaryCrossentropy(t, x, { fromLogits: true }), [seededTensor([2, 3], 4, -3, 3)]);
  });
});

describe('meanSquaredError / meanAbsoluteError', () => {
  it('hand values', () => {
    expectClose(meanSquaredError(tensor([[0, 1], [2, 2]]), tensor([[1, 1], [0, 2]])), [(0.5 + 2) / 2]);
    expectClose(meanAbsoluteError(tensor([[0, 1], [2, 2]]), tensor([[1, 1], [0, 2]])), [(0.5 + 1) / 2]);
  });

  it('matches tf.metrics.meanSquaredError (value and gradient)', async () => {
    const tf = await tfCpu();
    await compareWithTf(tf, seededTensor([5, 4], 5), seededTensor([5, 4], 6), (yt, yp) => meanSquaredError(yt, yp), (yt, yp) => tf.metrics.meanSquaredError(yt, yp));
  });
});

describe('categoricalCrossentropy', () => {
  it('hand values: normalizes rows, then −Σ z·log q', () => {
    // Row 2 sums to 2: normalized to [0.25, 0.75].
    const y = categoricalCrossentropy(tensor([[0, 1], [1, 0]]), tensor([[0.2, 0.8], [0.5, 1.5]]));
    expectClose(y, [(-Math.log(0.8) - Math.log(0.25)) / 2], { rtol: 1e-6 });
  });

  it('fromLogits equals log-softmax cross-entropy and survives huge logits', () => {
    const y = categoricalCrossentropy(tensor([[0, 0, 1]]), tensor([[1, 2, 3]]), { fromLogits: true });
    const lse = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
    expectClose(y, [lse - 3], { rtol: 1e-6 });
    expectClose(categoricalCrossentropy(tensor([[1, 0]]), tensor([[0, 1000]]), { fromLogits: true }), [1000]);
  });

  it('matches tf.metrics.categoricalCrossentropy (value and gradient)', async () => {
    const tf = await tfCpu();
    const z = tensor([[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 1]]);
    await compareWithTf(tf, z, seededTensor([3, 4], 7, 0.05, 1), (yt, yp) => categoricalCrossentropy(yt, yp), (yt, yp) => tf.metrics.categoricalCrossentropy(yt, yp));
  });

  it('gradient matches finite differences (both forms)', () => {
    const z = tensor([[0, 1, 0], [0.2, 0.3, 0.5]]);
    gradcheck((p) => categoricalCrossentropy(z, p), [seededTensor([2, 3], 8, 0.2, 1)], { eps: 1e-3 });
    gradcheck((x) => categoricalCrossentropy(z, x, { fromLogits: true }), [seededTensor([2, 3], 9, -2, 2)]);
  });
});

describe('sparseCategoricalCrossentropy', () => {
  it('equals categorical cross-entropy on one-hot labels, for labels [n] and [n, 1]', () => {
    const p = seededTensor([4, 3], 10, 0.05, 1);
    const want = categoricalCrossentropy(tensor([[0, 0, 1], [1, 0, 0], [0, 1, 0], [0, 1, 0]]), p).item();
    expectClose(sparseCategoricalCrossentropy(tensor([2, 0, 1, 1]), p), [want], { rtol: 1e-6 });
    expectClose(sparseCategoricalCrossentropy(tensor([[2], [0], [1], [1]]), p), [want], { rtol: 1e-6 });
    const logits = seededTensor([4, 3], 11, -3, 3);
    const wantLogits = categoricalCrossentropy(tensor([[0, 0, 1], [1, 0, 0], [0, 1, 0], [0, 1, 0]]), logits, { fromLogits: true }).item();
    expectClose(sparseCategoricalCrossentropy(tensor([2, 0, 1, 1]), logits, { fromLogits: true }), [wantLogits], { rtol: 1e-6 });
  });

  it('matches TF.js categorical cross-entropy on tf.oneHot labels (value and gradient)', async () => {
    // TF.js's public tf.metrics has no sparse cross-entropy; its one-hot equivalent is the oracle.
    const tf = await tfCpu();
    const labels = [2, 0, 1, 1];
    const p = variable(seededTensor([4, 3], 12, 0.05, 1));
    const tp = tf.tensor2d(p.data, [4, 3]);
    const z = tf.oneHot(tf.tensor1d(labels, 'int32'), 3);
    const value = sparseCategoricalCrossentropy(tensor(labels), p);
    expectClose(value, tfData(tf.metrics.categoricalCrossentropy(z, tp).mean()), { rtol: 1e-5 });
    backward(value);
    const g = tf.grad((x: tfjs.Tensor) => tf.metrics.categoricalCrossentropy(z, x).mean())(tp);
    expectClose(p.grad!, tfData(g), { rtol: 1e-4, atol: 1e-6 });
  });

  it('rejects non-integer or out-of-range labels and a wrong label shape', () => {
    const p = tensor([[0.5, 0.5], [0.1, 0.9]]);
    expect(() => sparseCategoricalCrossentropy(tensor([0, 2]), p)).toThrow(/integers in \[0, 1\].*received 2 at position 1/);
    expect(() => sparseCategoricalCrossentropy(tensor([0, 0.5]), p)).toThrow(ValueError);
    expect(() => sparseCategoricalCrossentropy(tensor([[1, 0], [0, 1]]), p)).toThrow(/labels of shape \[2\]/);
  });
});

describe('shape checks', () => {
  it('mismatched targets are a ShapeError naming the loss and both shapes', () => {
    expect(() => binaryCrossentropy(tensor([[1, 0, 1]]), tensor([[0.5, 0.5]]))).toThrow(ShapeError);
    expect(() => meanSquaredError(tensor([[1, 0, 1]]), tensor([[0.5, 0.5]]))).toThrow(/meanSquaredError.*\[1, 3\].*\[1, 2\]/);
    expect(() => categoricalCrossentropy(tensor([1, 0]), tensor([[0.5, 0.5], [0.5, 0.5]]))).toThrow(ShapeError);
    expect(() => binaryCrossentropy([1] as unknown as Tensor, tensor([0.5]))).toThrow(/expected yTrue to be a Tensor/);
  });
});

describe('getLoss', () => {
  it('resolves Keras snake_case, short and TF.js camelCase ids to the same function', () => {
    expect(getLoss('binary_crossentropy').fn).toBe(binaryCrossentropy);
    expect(getLoss('binaryCrossentropy').id).toBe('binary_crossentropy');
    expect(getLoss('mse').fn).toBe(meanSquaredError);
    expect(getLoss('meanSquaredError').id).toBe('mean_squared_error');
    expect(getLoss('categoricalCrossentropy').id).toBe('categorical_crossentropy');
    expect(getLoss('sparse_categorical_crossentropy').fn).toBe(sparseCategoricalCrossentropy);
  });

  it('unknown ids are a ValueError listing every valid id', () => {
    expect(() => getLoss('hingle' as never)).toThrow(ValueError);
    try {
      getLoss('hingle' as never);
    } catch (e) {
      for (const id of LOSS_IDS) expect((e as Error).message).toContain(`'${id}'`);
    }
    expect(() => getLoss(42 as never)).toThrow(NeuriteError);
  });

  it('a user function: scalar used as is; per-sample values averaged and weighted', () => {
    const scalar = getLoss((t, p) => meanSquaredError(t, p));
    expectClose(scalar.fn(tensor([[1], [2]]), tensor([[0], [0]])), [2.5]);
    expect(() => scalar.fn(tensor([[1], [2]]), tensor([[0], [0]]), { sampleWeight: [1, 1] })).toThrow(/one value per sample/);
    const perSample = getLoss(function absErr(t, p) {
      return tensor(Array.from(t.data, (v, i) => Math.abs(v - p.data[i])));
    });
    expectClose(perSample.fn(tensor([1, 2]), tensor([0, 0]), { sampleWeight: [3, 1] }), [(3 * 1 + 1 * 2) / 2]);
    expect(() => getLoss(() => 3 as unknown as Tensor).fn(tensor([1]), tensor([1]))).toThrow(/return a Tensor/);
  });
});

/** Loss value and gradient wrt predictions against TF.js's per-sample metric averaged over the batch. */
async function compareWithTf(
  tf: typeof tfjs,
  yTrue: Tensor,
  yPred: Tensor,
  ours: (t: Tensor, p: Tensor) => Tensor,
  theirs: (t: tfjs.Tensor, p: tfjs.Tensor) => tfjs.Tensor,
): Promise<void> {
  const tt = tf.tensor(yTrue.data, [...yTrue.shape]);
  const tp = tf.tensor(yPred.data, [...yPred.shape]);
  const p = variable(yPred);
  const value = ours(yTrue, p);
  expectClose(value, tfData(theirs(tt, tp).mean()), { rtol: 1e-5, atol: 1e-6 });
  backward(value);
  const g = tf.grad((x: tfjs.Tensor) => theirs(tt, x).mean())(tp);
  expectClose(p.grad!, tfData(g), { rtol: 1e-4, atol: 1e-6 });
}
