import { describe, expect, it } from 'vitest';
import { tensor } from '../../src/tensor/creation.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { BinaryAccuracy, CategoricalAccuracy, ConfusionRate, MeanError, SparseCategoricalAccuracy } from '../../src/training/metrics.js';
import { AUC } from '../../src/training/auc.js';
import { buildMetrics, resolveCompile } from '../../src/training/compile.js';
import { Adam } from '../../src/optimizers/adam.js';
import { ShapeError, ValueError } from '../../src/util/errors.js';
import { expectClose } from '../helpers/close.js';
import { seededArray } from '../helpers/seeded.js';
import { tfCpu, tfData } from '../helpers/tf.js';

describe('accuracy metrics', () => {
  it('binary accuracy at 0.5 (strictly greater), accumulated over batches, by hand', () => {
    const m = new BinaryAccuracy('accuracy');
    m.update(tensor([[1], [0], [1]]), tensor([[0.9], [0.5], [0.5]]), null); // hits: yes, yes (0.5 → 0), no
    m.update(tensor([[0]]), tensor([[0.7]]), null); // miss
    expect(m.result()).toBe(2 / 4);
    m.reset();
    expect(m.result()).toBe(0);
  });

  it('the epoch value is over all samples, not the mean of batch values', () => {
    const m = new BinaryAccuracy('accuracy');
    m.update(tensor([[1], [1], [1]]), tensor([[0.9], [0.9], [0.9]]), null); // 3/3
    m.update(tensor([[1]]), tensor([[0.1]]), null); // 0/1
    expect(m.result()).toBe(3 / 4); // a mean of batch accuracies would give 0.5
  });

  it('categorical (argmax, first on ties) and sparse accuracy, by hand', () => {
    const pred = tensor([[0.1, 0.7, 0.2], [0.4, 0.4, 0.2], [0.3, 0.3, 0.4]]);
    const cat = new CategoricalAccuracy();
    cat.update(tensor([[0, 1, 0], [0, 1, 0], [0, 0, 1]]), pred, null); // yes, no (tie → 0), yes
    expectClose(cat.result(), 2 / 3);
    const sparse = new SparseCategoricalAccuracy();
    sparse.update(tensor([1, 0, 2]), pred, null);
    expect(sparse.result()).toBe(1);
  });

  it('sample weights weigh each sample', () => {
    const m = new BinaryAccuracy();
    m.update(tensor([[1], [0]]), tensor([[0.9], [0.9]]), Float32Array.from([3, 1]));
    expect(m.result()).toBe(3 / 4);
  });

  it('match tf.metrics on seeded data', async () => {
    const tf = await tfCpu();
    const probs = seededArray(24, 1, 0, 1);
    const labels = Float32Array.from(seededArray(24, 2, 0, 1), (v) => (v > 0.5 ? 1 : 0));
    const bin = new BinaryAccuracy();
    bin.update(new Tensor(labels, [8, 3]), new Tensor(probs, [8, 3]), null);
    const tfBin = tfData(tf.metrics.binaryAccuracy(tf.tensor2d(labels, [8, 3]), tf.tensor2d(probs, [8, 3])).mean());
    expectClose(bin.result(), tfBin, { rtol: 1e-6 });

    const oneHot = new Float32Array(24);
    for (let r = 0; r < 8; r++) oneHot[r * 3 + (r % 3)] = 1;
    const cat = new CategoricalAccuracy();
    cat.update(new Tensor(oneHot, [8, 3]), new Tensor(probs, [8, 3]), null);
    expectClose(cat.result(), tfData(tf.metrics.categoricalAccuracy(tf.tensor2d(oneHot, [8, 3]), tf.tensor2d(probs, [8, 3])).mean()), { rtol: 1e-6 });

    for (const kind of ['precision', 'recall'] as const) {
      const m = new ConfusionRate(kind, kind);
      m.update(new Tensor(labels, [8, 3]), new Tensor(probs, [8, 3]), null);
      const want = tfData(tf.metrics[kind](tf.tensor2d(labels, [8, 3]), tf.tensor2d(probs, [8, 3]).greater(0.5).toFloat()));
      expectClose(m.result(), want, { rtol: 1e-6 });
    }
  });
});

describe('precision / recall', () => {
  it('hand counts over the whole epoch; 0 when nothing is predicted positive', () => {
    const p = new ConfusionRate('precision', 'precision');
    const r = new ConfusionRate('recall', 'recall');
    // Batch 1: TP, FP, FN. Batch 2: TP, TN.
    for (const m of [p, r]) {
      m.update(tensor([1, 0, 1]), tensor([0.9, 0.6, 0.2]), null);
      m.update(tensor([1, 0]), tensor([0.8, 0.1]), null);
    }
    expect(p.result()).toBe(2 / 3);
    expect(r.result()).toBe(2 / 3);
    const none = new ConfusionRate('precision', 'precision');
    none.update(tensor([1, 0]), tensor([0.1, 0.2]), null);
    expect(none.result()).toBe(0);
  });

  it('mse / mae metrics average per sample', () => {
    const m = new MeanError('mse', 'squared');
    m.update(tensor([[0, 0], [1, 1]]), tensor([[1, 1], [1, 3]]), null);
    expect(m.result()).toBe((1 + 2) / 2);
  });
});

/** Exact ROC AUC (Mann–Whitney): the fraction of (positive, negative) pairs ranked correctly, ties counting ½. */
function exactAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  let good = 0;
  let pairs = 0;
  for (let i = 0; i < scores.length; i++) {
    for (let j = 0; j < scores.length; j++) {
      if (labels[i] !== 1 || labels[j] !== 0) continue;
      pairs++;
      good += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0;
    }
  }
  return good / pairs;
}

describe('AUC', () => {
  it("Keras's documented example: 3 thresholds, [0, 0, 1, 1] vs [0, 0.5, 0.3, 0.9] → 0.75", () => {
    const m = new AUC({ numThresholds: 3 });
    m.update(tensor([0, 0, 1, 1]), tensor([0, 0.5, 0.3, 0.9]), null);
    expectClose(m.result(), 0.75, { rtol: 1e-7 });
  });

  it('hand-checked example with the default 200 thresholds: scores in separate buckets give the exact area', () => {
    // ROC points (FPR, TPR): (1,1) (0.5,1) (0.5,0.5) (0,0.5) (0,0) → area 0.5 + 0.25 = 0.75.
    const m = new AUC();
    m.update(tensor([0, 0]), tensor([0.1, 0.4]), null);
    m.update(tensor([1, 1]), tensor([0.35, 0.8]), null);
    expectClose(m.result(), 0.75, { rtol: 1e-7 });
  });

  it('a tie between a positive and a negative counts ½ (the trapezoid), perfect and inverted rankings give 1 and 0', () => {
    const tie = new AUC();
    tie.update(tensor([0, 1]), tensor([0.5, 0.5]), null);
    expectClose(tie.result(), 0.5);
    const perfect = new AUC();
    perfect.update(tensor([0, 0, 1, 1]), tensor([0.1, 0.2, 0.8, 0.9]), null);
    expectClose(perfect.result(), 1);
    const inverted = new AUC();
    inverted.update(tensor([1, 1, 0, 0]), tensor([0.1, 0.2, 0.8, 0.9]), null);
    expectClose(inverted.result(), 0, { atol: 1e-9 });
  });

  it('equals the exact AUC when each score has its own bucket, and is within 0.01 of it for random scores', () => {
    const labels = Float32Array.from(seededArray(60, 3, 0, 1), (v) => (v > 0.4 ? 1 : 0));
    // Bucket centres (k + 0.5)/199 for distinct k: no two samples share a threshold interval.
    const ks = Array.from({ length: 60 }, (_, i) => (i * 37) % 199);
    const centred = Float32Array.from(ks, (k) => (k + 0.5) / 199);
    const m = new AUC();
    m.update(new Tensor(labels, [60, 1]), new Tensor(centred, [60, 1]), null);
    expectClose(m.result(), exactAuc(centred, labels), { rtol: 1e-6 });

    const random = seededArray(60, 4, 0, 1);
    const r = new AUC();
    r.update(new Tensor(labels, [60]), new Tensor(random, [60]), null);
    expect(Math.abs(r.result() - exactAuc(random, labels))).toBeLessThan(0.01);
  });

  it('rejects a bad numThresholds', () => {
    expect(() => new AUC({ numThresholds: 1 })).toThrow(ValueError);
  });
});

describe('compile resolution and metric building', () => {
  const compiled = (loss: string, metrics: string[]) => resolveCompile({ optimizer: new Adam(), loss: loss as never, metrics: metrics as never });

  it("'accuracy' is binary for binary cross-entropy or one output unit, sparse for integer labels, categorical otherwise", () => {
    const pick = (loss: string, y: Tensor, out: number[]) => buildMetrics(compiled(loss, ['accuracy']), y, out, 'test')[0].constructor.name;
    expect(pick('binary_crossentropy', tensor([[1, 0]]), [1, 2])).toBe('BinaryAccuracy');
    expect(pick('mse', tensor([[1]]), [1, 1])).toBe('BinaryAccuracy');
    expect(pick('sparse_categorical_crossentropy', tensor([2]), [1, 3])).toBe('SparseCategoricalAccuracy');
    expect(pick('categorical_crossentropy', tensor([[0, 0, 1]]), [1, 3])).toBe('CategoricalAccuracy');
    expect(pick('mse', tensor([[1, 2]]), [1, 2])).toBe('CategoricalAccuracy');
  });

  it('history keys are the Keras names; camelCase ids map to snake_case keys', () => {
    const c = compiled('binary_crossentropy', ['accuracy', 'precision', 'recall', 'auc', 'binaryAccuracy', 'acc']);
    expect(c.metrics.map((m) => m.key)).toEqual(['accuracy', 'precision', 'recall', 'auc', 'binary_accuracy', 'acc']);
  });

  it('precision / recall / AUC read sparse labels one-hot', () => {
    const [p] = buildMetrics(compiled('sparse_categorical_crossentropy', ['precision']), tensor([0, 1]), [2, 2], 'test');
    p.update(tensor([0, 1]), tensor([[0.9, 0.1], [0.2, 0.8]]), null);
    expect(p.result()).toBe(1);
  });

  it('unknown ids and duplicates are ValueErrors listing the valid ids', () => {
    expect(() => compiled('mse', ['f1'])).toThrow(/Unknown metric: "f1"; expected one of 'accuracy', 'acc'/);
    expect(() => compiled('mse', ['accuracy', 'accuracy'])).toThrow(/appears twice/);
    expect(() => resolveCompile({ optimizer: 'adafactor' as never, loss: 'mse' })).toThrow(/'adam', 'sgd', 'rmsprop'/);
    expect(() => resolveCompile({ optimizer: 'adam', loss: 'hingle' as never })).toThrow(/Unknown loss/);
    expect(() => resolveCompile({ optimizer: 'adam' } as never)).toThrow(/a loss is required/);
  });

  it('a metric that cannot read the targets is a ShapeError at build time', () => {
    expect(() => buildMetrics(compiled('mse', ['precision']), tensor([[1, 0, 0]]), [1, 2], 'fit')).toThrow(ShapeError);
  });
});
