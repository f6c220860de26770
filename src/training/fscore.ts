import { ValueError } from '../util/errors.js';
import { checkOptionKeys } from '../util/options.js';
import { Tensor } from '../tensor/tensor.js';
import { Metric } from './metrics.js';
import { checkSameSize } from './confusion.js';

/** Options of `FBetaScore` / `F1Score` (Keras names). */
export interface FBetaOptions {
  /**
   * `'micro'` (global counts), `'macro'` (mean of per-class scores), `'weighted'` (per-class scores weighted by
   * each class's weighted count of true labels). Default `'macro'`: Keras's default (none) gives one score per
   * class, which a history entry cannot hold; `perClass()` returns those.
   */
  average?: 'micro' | 'macro' | 'weighted';
  /** Weight of recall against precision. Default 1. */
  beta?: number;
  /** A prediction is 1 when > threshold; default none: the row's maximum (if non-zero) is 1, the rest 0. */
  threshold?: number | null;
  name?: string;
}

const EPSILON = 1e-7;

/**
 * F-beta score over the epoch (Keras `FBetaScore`): per class TP, FP, FN (sample-weighted) of predictions
 * made 0/1 by `threshold`; precision p = TP/(TP + FP + ε), recall r = TP/(TP + FN + ε),
 * F = (1 + β²)·p·r / (β²·p + r + ε), then averaged per `average`. Inputs are [samples, classes].
 * @example new FBetaScore({ beta: 2, average: 'micro', threshold: 0.5 });
 */
export class FBetaScore implements Metric {
  readonly name: string;
  readonly average: 'micro' | 'macro' | 'weighted';
  readonly beta: number;
  readonly threshold: number | null;
  private tp: Float64Array = new Float64Array(0);
  private fp: Float64Array = new Float64Array(0);
  private fn: Float64Array = new Float64Array(0);
  private support: Float64Array = new Float64Array(0);

  constructor(options: FBetaOptions = {}) {
    const isF1 = new.target === F1Score;
    const owner = isF1 ? 'F1Score' : 'FBetaScore';
    checkOptionKeys(options, isF1 ? ['average', 'threshold', 'name'] : ['average', 'beta', 'threshold', 'name'], owner);
    const { average = 'macro', beta = 1, threshold = null } = options;
    if (!['micro', 'macro', 'weighted'].includes(average)) throw new ValueError(`${owner}: expected average 'micro', 'macro' or 'weighted', received ${JSON.stringify(average)}`);
    if (typeof beta !== 'number' || !(beta > 0) || !Number.isFinite(beta)) throw new ValueError(`${owner}: expected beta > 0, received ${String(beta)}`);
    if (threshold !== null && (typeof threshold !== 'number' || !(threshold > 0 && threshold <= 1))) {
      throw new ValueError(`${owner}: expected threshold in (0, 1] or null, received ${String(threshold)}`);
    }
    this.average = average;
    this.beta = beta;
    this.threshold = threshold;
    this.name = options.name ?? (isF1 ? 'f1_score' : 'fbeta_score');
  }

  reset(): void {
    for (const a of [this.tp, this.fp, this.fn, this.support]) a.fill(0);
  }

  update(yTrue: Tensor, yPred: Tensor, sampleWeight: Float32Array | null = null): void {
    checkSameSize(this.name, yTrue, yPred);
    if (yPred.rank !== 2) throw new ValueError(`metric '${this.name}': expected predictions of shape [samples, classes], received [${yPred.shape.join(', ')}]`);
    const [n, classes] = yPred.shape;
    if (this.tp.length === 0) [this.tp, this.fp, this.fn, this.support] = [0, 0, 0, 0].map(() => new Float64Array(classes));
    if (this.tp.length !== classes) throw new ValueError(`metric '${this.name}': built for ${this.tp.length} classes, received ${classes}`);
    for (let s = 0; s < n; s++) {
      const w = sampleWeight === null ? 1 : sampleWeight[s];
      let rowMax = -Infinity;
      for (let c = 0; c < classes; c++) rowMax = Math.max(rowMax, yPred.data[s * classes + c]);
      for (let c = 0; c < classes; c++) {
        const p = yPred.data[s * classes + c];
        const predicted = this.threshold === null ? p >= rowMax && Math.abs(p) > 1e-9 : p > this.threshold;
        const t = yTrue.data[s * classes + c];
        const y = predicted ? 1 : 0;
        this.tp[c] += w * y * t;
        this.fp[c] += w * y * (1 - t);
        this.fn[c] += w * (1 - y) * t;
        this.support[c] += w * t;
      }
    }
  }

  /** The score of each class (Keras's `average=None`). */
  perClass(): number[] {
    return Array.from(this.tp, (tp, c) => this.score(tp, this.fp[c], this.fn[c]));
  }

  result(): number {
    if (this.tp.length === 0) return 0;
    if (this.average === 'micro') {
      const sum = (a: Float64Array) => a.reduce((x, y) => x + y, 0);
      return this.score(sum(this.tp), sum(this.fp), sum(this.fn));
    }
    const scores = this.perClass();
    if (this.average === 'macro') return scores.reduce((a, b) => a + b, 0) / scores.length;
    const total = this.support.reduce((a, b) => a + b, 0) + EPSILON;
    return scores.reduce((s, f, c) => s + (f * this.support[c]) / total, 0);
  }

  private score(tp: number, fp: number, fn: number): number {
    const p = tp / (tp + fp + EPSILON);
    const r = tp / (tp + fn + EPSILON);
    const b2 = this.beta * this.beta;
    return ((p * r) / (b2 * p + r + EPSILON)) * (1 + b2);
  }
}

/**
 * F1 score over the epoch (Keras `F1Score`): `FBetaScore` with β = 1.
 * @example
 * const f1 = new F1Score({ threshold: 0.5 });
 * f1.update(tensor([[1], [0], [1]]), tensor([[0.9], [0.2], [0.3]]));
 * f1.result(); // 2·1·0.5 / (1 + 0.5) ≈ 0.667
 */
export class F1Score extends FBetaScore {
  constructor(options: Omit<FBetaOptions, 'beta'> = {}) {
    super(options);
  }
}
