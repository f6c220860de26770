import { ValueError } from '../util/errors.js';
import { checkOptionKeys } from '../util/options.js';
import { Tensor } from '../tensor/tensor.js';
import { Metric, perSample } from './metrics.js';
import { checkSameSize, divideNoNan, evenThresholds, ThresholdConfusion } from './confusion.js';

/** Options of `AUC` (Keras names and defaults, camelCase). */
export interface AUCOptions {
  name?: string;
  /** Evenly spaced thresholds −ε, 1/(n−1), …, 1 + ε. Default 200. */
  numThresholds?: number;
  /** `'ROC'` (default) or `'PR'` (precision–recall). */
  curve?: 'ROC' | 'PR';
  /** `'interpolation'` (default: trapezoids; PR uses Davis & Goadrich's interpolation), `'minoring'`, `'majoring'`. */
  summationMethod?: 'interpolation' | 'minoring' | 'majoring';
  /** Explicit thresholds in [0, 1] (−ε and 1 + ε are added), instead of `numThresholds`. */
  thresholds?: number[];
  /** One curve per column of the last axis, then their mean (or `labelWeights`-weighted mean). Default false. */
  multiLabel?: boolean;
  /** With `multiLabel`: a weight per label for the mean. */
  labelWeights?: number[];
  /** Predictions are logits: the sigmoid is applied first. Default false. */
  fromLogits?: boolean;
}

/**
 * Area under the ROC or PR curve, as Keras's `AUC`: TP/FP/TN/FN of "prediction > threshold" at each
 * threshold, accumulated over the epoch as histograms (linear in the batch); then a Riemann sum over the
 * curve's points, or for PR with interpolation Davis & Goadrich's formula. With evenly spaced thresholds a
 * target counts as positive with weight y and negative with 1 − y (soft labels) and predictions are clipped
 * to [0, 1]; with explicit thresholds a target is positive when non-zero (Keras's two code paths).
 * @example
 * const auc = new AUC({ curve: 'PR', numThresholds: 100 });
 * auc.update(tensor([[0], [1], [1]]), tensor([[0.1], [0.8], [0.6]]));
 * auc.result(); // area under the precision-recall curve
 */
export class AUC<N extends string = 'auc'> implements Metric {
  /** The history key; its literal type (`'auc'`, or the `name` given) types History keys. */
  readonly name: NoInfer<N>;
  readonly numThresholds: number;
  readonly curve: 'ROC' | 'PR';
  readonly summationMethod: 'interpolation' | 'minoring' | 'majoring';
  readonly multiLabel: boolean;
  readonly fromLogits: boolean;
  private readonly thresholds: number[];
  private readonly evenly: boolean;
  private readonly labelWeights: number[] | null;
  private counts: ThresholdConfusion | null = null;

  constructor(options: AUCOptions & { name?: N } = {}) {
    checkOptionKeys(options, ['name', 'numThresholds', 'curve', 'summationMethod', 'thresholds', 'multiLabel', 'labelWeights', 'fromLogits'], 'AUC');
    const { name = 'auc', numThresholds = 200, curve = 'ROC', summationMethod = 'interpolation', thresholds, multiLabel = false, labelWeights, fromLogits = false } = options;
    if (curve !== 'ROC' && curve !== 'PR') throw new ValueError(`AUC: expected curve 'ROC' or 'PR', received ${JSON.stringify(curve)}`);
    if (!['interpolation', 'minoring', 'majoring'].includes(summationMethod)) {
      throw new ValueError(`AUC: expected summationMethod 'interpolation', 'minoring' or 'majoring', received ${JSON.stringify(summationMethod)}`);
    }
    if (thresholds !== undefined) {
      if (!Array.isArray(thresholds) || thresholds.some((t) => typeof t !== 'number' || !(t >= 0 && t <= 1))) {
        throw new ValueError(`AUC: expected thresholds to be a list of numbers in [0, 1], received ${JSON.stringify(thresholds)?.slice(0, 80)}`);
      }
      this.thresholds = [-1e-7, ...[...thresholds].sort((a, b) => a - b), 1 + 1e-7];
      this.evenly = false;
    } else {
      if (!Number.isInteger(numThresholds) || numThresholds < 2) throw new ValueError(`AUC: expected numThresholds to be an integer >= 2, received ${numThresholds}`);
      this.thresholds = evenThresholds(numThresholds, true);
      this.evenly = true;
    }
    if (labelWeights !== undefined && (!multiLabel || !Array.isArray(labelWeights) || labelWeights.some((w) => !(w >= 0)))) {
      throw new ValueError('AUC: labelWeights needs multiLabel: true and one weight >= 0 per label');
    }
    this.name = name as N;
    this.numThresholds = this.thresholds.length;
    this.curve = curve;
    this.summationMethod = summationMethod;
    this.multiLabel = multiLabel;
    this.fromLogits = fromLogits;
    this.labelWeights = labelWeights ?? null;
    if (!multiLabel) this.counts = new ThresholdConfusion(this.thresholds, 1, this.evenly);
  }

  reset(): void {
    this.counts?.reset();
  }

  update(yTrue: Tensor, yPred: Tensor, sampleWeight: Float32Array | null = null): void {
    checkSameSize(this.name, yTrue, yPred);
    const labels = this.multiLabel ? yPred.shape[yPred.rank - 1] : 1;
    if (this.counts === null) {
      if (this.labelWeights !== null && this.labelWeights.length !== labels) {
        throw new ValueError(`metric '${this.name}': ${this.labelWeights.length} labelWeights for predictions with ${labels} labels`);
      }
      this.counts = new ThresholdConfusion(this.thresholds, labels, this.evenly);
    } else if (this.counts.labels !== labels) {
      throw new ValueError(`metric '${this.name}': built for ${this.counts.labels} labels, received predictions with ${labels} on the last axis`);
    }
    const k = perSample(yPred);
    for (let j = 0; j < yPred.size; j++) {
      let p = yPred.data[j];
      // In float32, as the model's own sigmoid would give it (a logit of 4e-12 is then exactly 0.5).
      if (this.fromLogits) p = Math.fround(1 / (1 + Math.exp(-p)));
      if (this.evenly) p = Math.min(1, Math.max(0, p));
      this.counts.add(yTrue.data[j], p, sampleWeight === null ? 1 : sampleWeight[Math.floor(j / k)], j % labels);
    }
  }

  result(): number {
    if (this.counts === null) return 0;
    const areas = Array.from({ length: this.counts.labels }, (_, l) => this.area(l));
    if (!this.multiLabel) return areas[0];
    if (this.labelWeights === null) return areas.reduce((a, b) => a + b, 0) / areas.length;
    const total = this.labelWeights.reduce((a, b) => a + b, 0);
    return divideNoNan(areas.reduce((s, a, i) => s + a * this.labelWeights![i], 0), total);
  }

  private area(label: number): number {
    const { tp, fp, tn, fn } = this.counts!.counts(label);
    const n = tp.length;
    if (this.curve === 'PR' && this.summationMethod === 'interpolation') return interpolatePr(tp, fp, fn);
    const recall = tp.map((v, i) => divideNoNan(v, v + fn[i]));
    const x = this.curve === 'ROC' ? fp.map((v, i) => divideNoNan(v, v + tn[i])) : recall;
    const y = this.curve === 'ROC' ? recall : tp.map((v, i) => divideNoNan(v, v + fp[i]));
    let sum = 0;
    for (let i = 0; i < n - 1; i++) {
      const h = this.summationMethod === 'interpolation' ? (y[i] + y[i + 1]) / 2 : this.summationMethod === 'minoring' ? Math.min(y[i], y[i + 1]) : Math.max(y[i], y[i + 1]);
      sum += (x[i] - x[i + 1]) * h;
    }
    return sum;
  }
}

/**
 * PR AUC by Davis & Goadrich's interpolation, as Keras: between thresholds i and i+1 precision is taken
 * as linear in TP over P = TP + FP, which integrates to slope·(ΔTP + intercept·log(P_i / P_{i+1})) / (TP + FN).
 */
function interpolatePr(tp: Float64Array, fp: Float64Array, fn: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < tp.length - 1; i++) {
    const dtp = tp[i] - tp[i + 1];
    const p0 = tp[i] + fp[i];
    const p1 = tp[i + 1] + fp[i + 1];
    const slope = divideNoNan(dtp, Math.max(p0 - p1, 0));
    const intercept = tp[i + 1] - slope * p1;
    const ratio = p0 > 0 && p1 > 0 ? divideNoNan(p0, Math.max(p1, 0)) : 1;
    sum += divideNoNan(slope * (dtp + intercept * Math.log(ratio)), Math.max(tp[i + 1] + fn[i + 1], 0));
  }
  return sum;
}
