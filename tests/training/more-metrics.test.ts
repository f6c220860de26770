import { describe, expect, it } from 'vitest';
import { tensor } from '../../src/tensor/creation.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { Metric } from '../../src/training/metrics.js';
import { AUC } from '../../src/training/auc.js';
import { FalseNegatives, FalsePositives, Precision, PrecisionAtRecall, Recall, RecallAtPrecision, TrueNegatives, TruePositives } from '../../src/training/confusion-metrics.js';
import { F1Score, FBetaScore } from '../../src/training/fscore.js';
import { R2Score } from '../../src/training/regression-metrics.js';
import { Accuracy, SparseTopKCategoricalAccuracy, TopKCategoricalAccuracy } from '../../src/training/accuracy-metrics.js';
import { MeanIoU } from '../../src/training/mean-iou.js';
import { ValueError } from '../../src/util/errors.js';
import { expectClose } from '../helpers/close.js';

// Literal expectations from Keras 3's keras/src/metrics/*_test.py unless a comment derives them.

function value(m: Metric, yTrue: number[] | number[][], yPred: number[] | number[][], weights: number[] | null = null): number {
  m.reset();
  m.update(tensor(yTrue), tensor(yPred), weights === null ? null : Float32Array.from(weights));
  return m.result();
}

describe('confusion counts, precision, recall', () => {
  const yt = [[0, 1, 0, 1, 0], [0, 0, 1, 1, 1], [1, 1, 1, 1, 0], [0, 0, 0, 0, 1]];
  const yp = [[0, 0, 1, 1, 0], [1, 1, 1, 1, 1], [0, 1, 0, 1, 0], [1, 1, 1, 1, 1]];
  const w = [1, 1.5, 2, 2.5];

  it('FalsePositives weighted = 14 (Keras test_weighted); TP / TN / FN by hand on the same data', () => {
    expect(value(new FalsePositives(), yt, yp, w)).toBe(14);
    // TP: row0 1 (col 3), row1 3, row2 2, row3 1 → 1·1 + 3·1.5 + 2·2 + 1·2.5 = 12.
    expect(value(new TruePositives(), yt, yp, w)).toBe(12);
    // TN: row0 2, row1 0, row2 1, row3 0 → 2 + 2 = 4; FN: row0 1, row1 0, row2 2, row3 0 → 1 + 4 = 5.
    expect(value(new TrueNegatives(), yt, yp, w)).toBe(4);
    expect(value(new FalseNegatives(), yt, yp, w)).toBe(5);
  });

  it('Precision topK = 3 → 1/3; class 1 of a multiclass batch; division by zero → 0', () => {
    expectClose(value(new Precision({ topK: 3 }), [0, 1, 1, 0, 0], [0.2, 0.1, 0.5, 0, 0.2]), 1 / 3);
    expect(value(new Precision(), [0, 0, 0, 0], [0, 0, 0, 0])).toBe(0);
    const pred = [[0.1, 0.2, 0.7], [0.5, 0.3, 0.2], [0.2, 0.6, 0.2], [0.7, 0.2, 0.1], [0.1, 0.1, 0.8]];
    const truth = [[0, 0, 1], [1, 0, 0], [0, 1, 0], [1, 0, 0], [0, 0, 1]];
    // Class 1 column: predictions [0.2, 0.3, 0.6, 0.2, 0.1] > 0.5 only at row 2, which is a true 1.
    expect(value(new Precision({ classId: 1 }), truth, pred)).toBe(1);
    expect(value(new Recall({ classId: 1 }), truth, pred)).toBe(1);
    // Class 2 with top-1: rows 0 and 4 predict class 2 (both true) → precision 1, recall 1.
    expect(value(new Precision({ classId: 2, topK: 1 }), truth, pred)).toBe(1);
    expect(() => new Precision({ classId: 2 }).update(tensor([0, 1, 1, 0, 0]), tensor([0.2, 0.1, 0.6, 0, 0.2]), null)).toThrow(/classId 2 needs predictions/);
  });

  it('Recall with a threshold, weighted per sample (by hand)', () => {
    // Threshold 0.3: predicted positive at [0.9, 0.4] in sample 0 (w 2) and [0.35] in sample 1 (w 1).
    // Positives: sample 0 cols 0, 2 (w 2); sample 1 col 0 and 1 (w 1). TP = 2 (col 0 of s0) + 1 (col 0 of s1) = 3.
    // FN = 2 (col 2 of s0) + 1 (col 1 of s1) = 3 → recall 0.5.
    expectClose(value(new Recall({ thresholds: 0.3 }), [[1, 0, 1], [1, 1, 0]], [[0.9, 0.4, 0.1], [0.35, 0.2, 0.1]], [2, 1]), 0.5);
    expect(new Precision({ thresholds: [0.5, 0.7] }).vectorLength).toBe(2); // a list: one value per threshold (threshold-vector.test.ts)
  });

  it('PrecisionAtRecall 0.6 → 0.75, weighted 7/8 → 0.7, class 2 → 0.75; RecallAtPrecision by hand', () => {
    const preds = [0.0, 0.1, 0.2, 0.5, 0.6, 0.2, 0.5, 0.6, 0.8, 0.9];
    const labels = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1];
    expectClose(value(new PrecisionAtRecall(0.6), labels, preds), 0.75);
    expectClose(value(new PrecisionAtRecall(7 / 8), labels, preds, [2, 1, 2, 1, 2, 1, 2, 2, 1, 2]), 0.7);
    const onehot = labels.map((l) => [0, 0, l === 1 ? 1 : 0]);
    expectClose(value(new PrecisionAtRecall(0.6, { classId: 2 }), onehot, preds.map((p) => [p, p, p])), 0.75);
    // Precision >= 2/3: thresholds in (0.2, 0.5) give precision 4/6 (recall 0.8), in [0.5, 0.6) give 3/4 (recall 0.6): best recall 0.8.
    expectClose(value(new RecallAtPrecision(2 / 3), labels, preds), 0.8);
    expect(() => new PrecisionAtRecall(-1)).toThrow(ValueError);
  });
});

describe('AUC options (Keras AUCTest: 3 thresholds, weights [1, 2, 3, 4])', () => {
  const yt = [0, 0, 1, 1];
  const yp = [0, 0.5, 0.3, 0.9];
  const w = [1, 2, 3, 4];
  const auc = (o: ConstructorParameters<typeof AUC>[0]) => value(new AUC({ numThresholds: 3, ...o }), yt, yp, w);

  it('ROC interpolation / majoring / minoring', () => {
    expectClose(auc({}), 0.7855, { rtol: 1e-3 });
    expectClose(auc({ summationMethod: 'majoring' }), 1, { rtol: 1e-3 });
    expectClose(auc({ summationMethod: 'minoring' }), 0.571, { rtol: 1e-3 });
  });

  it('PR majoring / minoring / interpolation', () => {
    expectClose(auc({ curve: 'PR', summationMethod: 'majoring' }), 1, { rtol: 1e-3 });
    expectClose(auc({ curve: 'PR', summationMethod: 'minoring' }), 0.7 * 0.429, { rtol: 1e-3 });
    expectClose(auc({ curve: 'PR' }), 2.416 / 7 + 4 / 7, { rtol: 1e-3 });
  });

  it('fromLogits equals the probabilities; explicit thresholds [0.5] equal numThresholds 3; multiLabel is the mean of per-column AUCs', () => {
    const logits = yp.map((p) => -Math.log(1 / (p + 1e-12) - 1));
    expectClose(value(new AUC({ numThresholds: 3, fromLogits: true }), yt, logits, w), auc({}), { rtol: 1e-5 });
    expectClose(value(new AUC({ thresholds: [0.5] }), yt, yp, w), auc({}), { rtol: 1e-5 });
    const two = value(new AUC({ numThresholds: 3, multiLabel: true }), yt.map((t) => [t, 1 - t]), yp.map((p) => [p, 1 - p]), w);
    const flipped = value(new AUC({ numThresholds: 3 }), yt.map((t) => 1 - t), yp.map((p) => 1 - p), w);
    expectClose(two, (auc({}) + flipped) / 2, { rtol: 1e-6 });
  });
});

describe('FBetaScore / F1Score (Keras test_fbeta_random_score_none and weighted variants)', () => {
  const yt = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0], [1, 0, 0], [0, 0, 1]];
  const yp = [[0.9, 0.1, 0], [0.2, 0.6, 0.2], [0, 0, 1], [0.4, 0.3, 0.3], [0, 0.9, 0.1], [0, 0, 1]];
  const cases: ['micro' | 'macro' | 'weighted', number, number[] | null, number][] = [
    ['micro', 0.5, null, 0.833334], ['macro', 0.5, null, 0.821549], ['macro', 1, null, 0.822222], ['macro', 2, null, 0.849206],
    ['weighted', 0.5, null, 0.880471], ['weighted', 1, null, 0.844445], ['weighted', 2, null, 0.829365],
    ['micro', 1, [0.5, 1, 1, 1, 0.5, 1], 0.9], ['macro', 2, [0.5, 1, 1, 1, 0.5, 1], 0.899522], ['weighted', 1, [0.5, 1, 1, 1, 0.5, 1], 0.902857],
    ['macro', 1, [1, 0, 1, 1, 0, 1], 0.666667],
  ];
  for (const [average, beta, weights, want] of cases) {
    it(`${average}, β ${beta}${weights ? ', weighted' : ''} → ${want}`, () => expectClose(value(new FBetaScore({ average, beta }), yt, yp, weights), want, { rtol: 1e-5 }));
  }

  it('threshold 0.66 (Keras test_fbeta_random_score) and per-class scores; F1 = FBeta(1)', () => {
    const t = [[0, 0, 1], [1, 1, 0], [1, 1, 1]];
    const p = [[0.7, 0.7, 0.7], [1, 0, 0], [0.9, 0.8, 0]];
    expectClose(value(new FBetaScore({ average: 'macro', beta: 0.5, threshold: 0.66 }), t, p), 0.6825397, { rtol: 1e-5 });
    const f1 = new F1Score({ threshold: 0.66 });
    value(f1, t, p);
    expectClose(f1.perClass(), [0.8, 0.5, 0.6666667], { rtol: 1e-5 });
    expect(() => new FBetaScore({ beta: 0 })).toThrow(/beta > 0/);
    expect(() => new F1Score({ beta: 2 } as never)).toThrow(/F1Score: unknown option 'beta'/);
  });
});

describe('R2Score (Keras test_r2_sklearn_comparison / test_r2_tfa_comparison)', () => {
  it('uniform and variance weighted, with sample weights and regressors', () => {
    expectClose(value(new R2Score(), [[0, 0, 1], [0, 1, 0], [1, 0, 0]], [[0.4, 0.5, 0.6], [0.1, 0.2, 0.3], [0.5, 0.8, 0.2]]), -0.12, { rtol: 0, atol: 1e-6 });
    const yt = [[0, 0, 1], [0, 1, 0], [1, 0, 0]];
    const yp = [[0.4, 0.9, 1.6], [0.1, 1.2, 0.6], [1.5, 0.8, 0.6]];
    const w = [0.8, 0.1, 0.4];
    expectClose(value(new R2Score(), yt, yp, w), -3.0615367889404297, { rtol: 1e-6 });
    expectClose(value(new R2Score({ numRegressors: 1 }), yt, yp, w), -7.123073577880859, { rtol: 1e-6 });
    expectClose(value(new R2Score({ numRegressors: 2 }), yt, yp, w), -3.0615367889404297, { rtol: 1e-6 });
    expectClose(value(new R2Score({ classAggregation: 'variance_weighted_average' }), yt, yp, w), -1.3710224628448486, { rtol: 1e-6 });
  });
});

describe('accuracy metrics and MeanIoU', () => {
  it('Accuracy: exact matches, weighted per sample', () => {
    expectClose(value(new Accuracy(), [[1], [2], [3], [4]], [[0], [2], [3], [4]]), 0.75);
    expectClose(value(new Accuracy(), [[1], [2], [3], [4]], [[0], [2], [3], [4]], [0.5, 0.2, 0.2, 0.1]), 0.5);
  });

  it('top-k: Keras test values (k = 1 and 2) and sparse labels', () => {
    const yt = [[0, 0, 1], [0, 1, 0]];
    const yp = [[0.1, 0.9, 0.8], [0.05, 0.95, 0]];
    expectClose(value(new TopKCategoricalAccuracy({ k: 1 }), yt, yp), 0.5);
    expectClose(value(new TopKCategoricalAccuracy({ k: 2 }), yt, yp), 1);
    expectClose(value(new SparseTopKCategoricalAccuracy({ k: 1 }), [2, 1], yp), 0.5);
    expectClose(value(new SparseTopKCategoricalAccuracy({ k: 1 }), [2, 1], yp, [0.7, 0.3]), 0.3);
    expect(() => new TopKCategoricalAccuracy({ k: 0 })).toThrow(/k to be an integer/);
  });

  it('MeanIoU: Keras test_unweighted and test_weighted', () => {
    // Confusion [[1, 1], [1, 1]] → IoU 1/3 per class.
    expectClose(value(new MeanIoU(2), [0, 0, 1, 1], [0, 1, 0, 1]), 1 / 3);
    // Weights [0.2, 0.3, 0.4, 0.1]: rows [0.5, 0.5], cols [0.6, 0.4], diag [0.2, 0.1] → (0.2/0.9 + 0.1/0.8)/2.
    expectClose(value(new MeanIoU(2), [0, 0, 1, 1], [0, 1, 0, 1], [0.2, 0.3, 0.4, 0.1]), (0.2 / 0.9 + 0.1 / 0.8) / 2);
    expectClose(value(new MeanIoU(2, { sparseYPred: false }), [0, 0, 1, 1], [[0.9, 0.1], [0.3, 0.7], [0.6, 0.4], [0.2, 0.8]]), 1 / 3);
    expectClose(value(new MeanIoU(3, { ignoreClass: 2 }), [0, 0, 1, 2], [0, 1, 1, 0]), (1 / 2 + 1 / 2) / 2);
  });
});

void Tensor;

describe('metric ids in compile', () => {
  it('f1_score, r2_score, top-k ids and the confusion counts build the right metrics (sparse labels read one-hot)', async () => {
    const { resolveCompile, buildMetrics } = await import('../../src/training/compile.js');
    const { Adam } = await import('../../src/optimizers/adam.js');
    const compiled = resolveCompile({ optimizer: new Adam(), loss: 'sparse_categorical_crossentropy', metrics: ['f1_score', 'sparse_top_k_categorical_accuracy', 'true_positives', 'topKCategoricalAccuracy'] });
    const ms = buildMetrics(compiled, tensor([0, 2]), [2, 3], 'test');
    expect(ms.map((m) => m.name)).toEqual(['f1_score', 'sparse_top_k_categorical_accuracy', 'true_positives', 'top_k_categorical_accuracy']);
    ms.forEach((m) => m.update(tensor([0, 2]), tensor([[0.7, 0.2, 0.1], [0.5, 0.1, 0.4]]), null));
    // Row 0 predicts class 0 (right), row 1 class 0 (wrong): per-class F1 [2/3, 0, 0] → macro 2/9.
    expectClose(ms[0].result(), 2 / 9, { rtol: 1e-5 });
    expect(ms[1].result()).toBe(1);
    expect(ms[2].result()).toBe(1); // only 0.7 > 0.5 on a true 1
    expect(ms[3].result()).toBe(1);
    const r2 = buildMetrics(resolveCompile({ optimizer: new Adam(), loss: 'mse', metrics: ['r2_score'] }), tensor([[1], [2], [3]]), [3, 1], 'test')[0];
    r2.update(tensor([[1], [2], [3]]), tensor([[1], [2], [4]]), null);
    expectClose(r2.result(), 1 - 1 / 2);
  });
});
