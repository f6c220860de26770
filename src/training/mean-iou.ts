import { ValueError } from '../util/errors.js';
import { checkOptionKeys } from '../util/options.js';
import { Tensor } from '../tensor/tensor.js';
import { Metric } from './metrics.js';

/** Options of `MeanIoU` (Keras names). */
export interface MeanIoUOptions {
  /** A class left out of the confusion matrix (e.g. a "void" label). */
  ignoreClass?: number | null;
  /** Targets are class indices (default true); false: one-hot / scores on the last axis, argmax taken. */
  sparseYTrue?: boolean;
  /** Predictions are class indices (default true, as Keras); false: scores on the last axis, argmax taken. */
  sparseYPred?: boolean;
  name?: string;
}

/**
 * Mean intersection-over-union over the epoch (Keras `MeanIoU`): a sample-weighted confusion matrix of
 * target class × predicted class, then per class TP / (row sum + column sum − TP), averaged over the
 * classes that occur (non-zero denominator).
 * @example new MeanIoU(3, { sparseYTrue: true, sparseYPred: false });
 */
export class MeanIoU implements Metric {
  readonly name: string;
  readonly ignoreClass: number | null;
  readonly sparseYTrue: boolean;
  readonly sparseYPred: boolean;
  private readonly matrix: Float64Array;

  constructor(readonly numClasses: number, options: MeanIoUOptions = {}) {
    checkOptionKeys(options, ['ignoreClass', 'sparseYTrue', 'sparseYPred', 'name'], 'MeanIoU');
    if (!Number.isInteger(numClasses) || numClasses < 2) throw new ValueError(`MeanIoU: expected numClasses to be an integer >= 2, received ${String(numClasses)}`);
    this.ignoreClass = options.ignoreClass ?? null;
    this.sparseYTrue = options.sparseYTrue ?? true;
    // NOTE: Keras's default for sparse_y_pred is True; predictions from a softmax layer need false.
    this.sparseYPred = options.sparseYPred ?? true;
    this.name = options.name ?? 'mean_iou';
    this.matrix = new Float64Array(numClasses * numClasses);
  }

  reset(): void {
    this.matrix.fill(0);
  }

  update(yTrue: Tensor, yPred: Tensor, sampleWeight: Float32Array | null = null): void {
    const t = this.sparseYTrue ? Array.from(yTrue.data) : argmaxRows(yTrue);
    const p = this.sparseYPred ? Array.from(yPred.data) : argmaxRows(yPred);
    if (t.length !== p.length) throw new ValueError(`metric '${this.name}': ${t.length} target classes and ${p.length} predicted classes; check sparseYTrue / sparseYPred`);
    const perSample = yPred.shape[0] === 0 ? 1 : t.length / yPred.shape[0];
    for (let i = 0; i < t.length; i++) {
      if (this.ignoreClass !== null && t[i] === this.ignoreClass) continue;
      const [a, b] = [t[i], p[i]];
      if (!Number.isInteger(a) || !Number.isInteger(b) || a < 0 || b < 0 || a >= this.numClasses || b >= this.numClasses) {
        throw new ValueError(`metric '${this.name}': class indices must be integers in [0, ${this.numClasses - 1}], received target ${a} and prediction ${b}`);
      }
      this.matrix[a * this.numClasses + b] += sampleWeight === null ? 1 : sampleWeight[Math.floor(i / perSample)];
    }
  }

  result(): number {
    const n = this.numClasses;
    let sum = 0;
    let valid = 0;
    for (let c = 0; c < n; c++) {
      let row = 0;
      let col = 0;
      for (let j = 0; j < n; j++) {
        row += this.matrix[c * n + j];
        col += this.matrix[j * n + c];
      }
      const tp = this.matrix[c * n + c];
      const denominator = row + col - tp;
      if (denominator > 0) {
        sum += tp / denominator;
        valid++;
      }
    }
    return valid === 0 ? 0 : sum / valid;
  }
}

function argmaxRows(x: Tensor): number[] {
  const classes = x.shape[x.rank - 1];
  const out: number[] = [];
  for (let start = 0; start < x.size; start += classes) {
    let best = 0;
    for (let j = 1; j < classes; j++) if (x.data[start + j] > x.data[start + best]) best = j;
    out.push(best);
  }
  return out;
}
