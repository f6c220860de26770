import { ShapeError, ValueError } from '../util/errors.js';
import { formatShape } from '../util/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { Metric, perSample } from './metrics.js';

/**
 * Area under the ROC curve, as Keras's `AUC()` defaults: `numThresholds` (200) thresholds
 * −ε, 1/(n−1), …, (n−2)/(n−1), 1 + ε; at each, TP/FP/TN/FN of "prediction > threshold"; then the
 * trapezoid rule over the (FPR, TPR) points ("interpolation" summation). Accumulated over the epoch as
 * two histograms, so each update is linear in the batch. Predictions are clipped to [0, 1]; a target
 * counts as positive with weight y and negative with weight 1 − y (Keras's weighting of soft labels).
 * With distinct scores and enough thresholds it approaches the exact (Mann–Whitney) ROC AUC.
 */
export class AUC implements Metric {
  readonly name: string;
  readonly numThresholds: number;
  private readonly positives: Float64Array;
  private readonly negatives: Float64Array;

  constructor({ name = 'auc', numThresholds = 200 }: { name?: string; numThresholds?: number } = {}) {
    if (!Number.isInteger(numThresholds) || numThresholds < 2) {
      throw new ValueError(`AUC: expected numThresholds to be an integer >= 2, received ${numThresholds}`);
    }
    this.name = name;
    this.numThresholds = numThresholds;
    this.positives = new Float64Array(numThresholds);
    this.negatives = new Float64Array(numThresholds);
  }

  reset(): void {
    this.positives.fill(0);
    this.negatives.fill(0);
  }

  update(yTrue: Tensor, yPred: Tensor, sampleWeight: Float32Array | null): void {
    if (yTrue.size !== yPred.size) {
      throw new ShapeError(`metric '${this.name}': targets ${formatShape(yTrue.shape)} and predictions ${formatShape(yPred.shape)} must have the same number of values`);
    }
    const k = perSample(yPred);
    const last = this.numThresholds - 1;
    for (let s = 0; s < yPred.shape[0]; s++) {
      const w = sampleWeight === null ? 1 : sampleWeight[s];
      for (let j = s * k; j < (s + 1) * k; j++) {
        const p = Math.min(1, Math.max(0, yPred.data[j]));
        // The highest threshold index i with threshold_i < p: thresholds i/(n−1) for 1 <= i <= n−2 and
        // −ε at 0, so i = ceil(p·(n−1)) − 1, at least 0 (p = 0 still beats −ε); p = 1 gives n−2 (not 1 + ε).
        const bucket = Math.max(0, Math.ceil(p * last) - 1);
        this.positives[bucket] += w * yTrue.data[j];
        this.negatives[bucket] += w * (1 - yTrue.data[j]);
      }
    }
  }

  result(): number {
    const n = this.numThresholds;
    // Counts above threshold i are the suffix sums of the histograms from bucket i.
    let totalPos = 0;
    let totalNeg = 0;
    for (let i = 0; i < n; i++) {
      totalPos += this.positives[i];
      totalNeg += this.negatives[i];
    }
    let area = 0;
    let tp = totalPos;
    let fp = totalNeg;
    let prevTpr = totalPos > 0 ? 1 : 0;
    let prevFpr = totalNeg > 0 ? 1 : 0;
    for (let i = 1; i < n; i++) {
      tp -= this.positives[i - 1];
      fp -= this.negatives[i - 1];
      const tpr = totalPos > 0 ? tp / totalPos : 0;
      const fpr = totalNeg > 0 ? fp / totalNeg : 0;
      area += (prevFpr - fpr) * ((prevTpr + tpr) / 2);
      prevTpr = tpr;
      prevFpr = fpr;
    }
    return area;
  }
}
