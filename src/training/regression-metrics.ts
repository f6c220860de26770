import { ValueError } from '../util/errors.js';
import { checkOptionKeys } from '../util/options.js';
import { Tensor } from '../tensor/tensor.js';
import { Metric, perSample } from './metrics.js';
import { checkSameSize } from './confusion.js';

/** Options of `R2Score` (Keras names). */
export interface R2Options {
  /** `'uniform_average'` (default) or `'variance_weighted_average'` over the outputs. */
  classAggregation?: 'uniform_average' | 'variance_weighted_average';
  /** Number of regressors p for the adjusted R² 1 − (1 − R²)(n − 1)/(n − p − 1). Default 0. */
  numRegressors?: number;
  name?: string;
}

/**
 * Coefficient of determination over the epoch (Keras `R2Score`), per output column: 1 − SS_res / SS_tot
 * with sample-weighted sums, SS_tot = Σw·y² − (Σw·y)²/Σw; then averaged over the outputs.
 * @example new R2Score({ classAggregation: 'variance_weighted_average' });
 */
export class R2Score implements Metric {
  readonly name: string;
  readonly classAggregation: 'uniform_average' | 'variance_weighted_average';
  readonly numRegressors: number;
  private sum = new Float64Array(0);
  private squaredSum = new Float64Array(0);
  private residual = new Float64Array(0);
  private count = new Float64Array(0);
  private samples = 0;

  constructor(options: R2Options = {}) {
    checkOptionKeys(options, ['classAggregation', 'numRegressors', 'name'], 'R2Score');
    const { classAggregation = 'uniform_average', numRegressors = 0 } = options;
    if (classAggregation !== 'uniform_average' && classAggregation !== 'variance_weighted_average') {
      throw new ValueError(`R2Score: expected classAggregation 'uniform_average' or 'variance_weighted_average', received ${JSON.stringify(classAggregation)}`);
    }
    if (!Number.isInteger(numRegressors) || numRegressors < 0) throw new ValueError(`R2Score: expected numRegressors to be an integer >= 0, received ${String(numRegressors)}`);
    this.classAggregation = classAggregation;
    this.numRegressors = numRegressors;
    this.name = options.name ?? 'r2_score';
  }

  reset(): void {
    for (const a of [this.sum, this.squaredSum, this.residual, this.count]) a.fill(0);
    this.samples = 0;
  }

  update(yTrue: Tensor, yPred: Tensor, sampleWeight: Float32Array | null = null): void {
    checkSameSize(this.name, yTrue, yPred);
    const k = perSample(yPred);
    if (this.sum.length === 0) [this.sum, this.squaredSum, this.residual, this.count] = [0, 0, 0, 0].map(() => new Float64Array(k));
    if (this.sum.length !== k) throw new ValueError(`metric '${this.name}': built for ${this.sum.length} outputs, received ${k}`);
    const n = yPred.shape[0];
    for (let s = 0; s < n; s++) {
      const w = sampleWeight === null ? 1 : sampleWeight[s];
      for (let c = 0; c < k; c++) {
        const y = yTrue.data[s * k + c];
        const d = y - yPred.data[s * k + c];
        this.sum[c] += w * y;
        this.squaredSum[c] += w * y * y;
        this.residual[c] += w * d * d;
        this.count[c] += w;
      }
    }
    this.samples += n;
  }

  result(): number {
    const k = this.sum.length;
    if (k === 0) return 0;
    let scoreSum = 0;
    let weighted = 0;
    let totalSum = 0;
    for (let c = 0; c < k; c++) {
      const mean = this.sum[c] / this.count[c];
      const total = this.squaredSum[c] - this.sum[c] * mean;
      let raw = 1 - this.residual[c] / total;
      if (!Number.isFinite(raw)) raw = 0; // Keras: an infinite score (constant targets) counts as 0.
      scoreSum += raw;
      weighted += raw * total;
      totalSum += total;
    }
    let r2 = this.classAggregation === 'uniform_average' ? scoreSum / k : weighted / totalSum;
    const n = this.samples;
    const p = this.numRegressors;
    // Keras applies the adjustment only when it is defined (p < n − 1).
    if (p !== 0 && p < n - 1) r2 = 1 - ((1 - r2) * (n - 1)) / (n - p - 1);
    return r2;
  }
}
