import { ShapeError } from '../util/errors.js';
import { formatShape } from '../util/shape.js';
import { Tensor } from '../tensor/tensor.js';

/** Keras's fuzz factor, used to put the end thresholds just outside [0, 1]. */
const EPSILON = 1e-7;

/** Keras's `num_thresholds` evenly spaced thresholds: (edge0), 1/(n−1), …, (n−2)/(n−1), (edge1). */
export function evenThresholds(n: number, outside: boolean): number[] {
  const inner = Array.from({ length: n - 2 }, (_, i) => (i + 1) / (n - 1));
  return outside ? [-EPSILON, ...inner, 1 + EPSILON] : [0, ...inner, 1];
}

/**
 * TP / FP / TN / FN at each of a sorted list of thresholds, "prediction > threshold" being positive (Keras's
 * `update_confusion_matrix_variables`), accumulated in float64 over batches, one set per label with
 * `labels` > 1 (AUC's `multiLabel`). Each element lands in one histogram bucket (a binary search for the
 * number of thresholds below it), so an update is O(n log T). A target counts as positive with weight t and
 * negative with 1 − t when `soft` (Keras's path for evenly spaced thresholds), else positive when non-zero.
 */
export class ThresholdConfusion {
  readonly thresholds: Float64Array;
  private readonly posHist: Float64Array;
  private readonly negHist: Float64Array;

  constructor(thresholds: readonly number[], readonly labels: number, readonly soft: boolean) {
    this.thresholds = Float64Array.from([...thresholds].sort((a, b) => a - b));
    this.posHist = new Float64Array(labels * (thresholds.length + 1));
    this.negHist = new Float64Array(labels * (thresholds.length + 1));
  }

  reset(): void {
    this.posHist.fill(0);
    this.negHist.fill(0);
  }

  /** Adds one value pair: target `t`, prediction `p`, weight `w`, for `label`. */
  add(t: number, p: number, w: number, label: number): void {
    const th = this.thresholds;
    let lo = 0;
    let hi = th.length;
    // k = number of thresholds strictly below p: the element is positive at thresholds 0 … k−1.
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (th[mid] < p) lo = mid + 1;
      else hi = mid;
    }
    const at = label * (th.length + 1) + lo;
    const pos = this.soft ? t : t !== 0 ? 1 : 0;
    this.posHist[at] += w * pos;
    this.negHist[at] += w * (1 - pos);
  }

  /** TP, FP, TN, FN per threshold for `label` (arrays of the threshold count). */
  counts(label = 0): { tp: Float64Array; fp: Float64Array; tn: Float64Array; fn: Float64Array } {
    const n = this.thresholds.length;
    const base = label * (n + 1);
    const tp = new Float64Array(n);
    const fp = new Float64Array(n);
    let pos = 0;
    let neg = 0;
    // Above threshold i: buckets i+1 … n (bucket k means "k thresholds below").
    for (let i = n - 1; i >= 0; i--) {
      pos += this.posHist[base + i + 1];
      neg += this.negHist[base + i + 1];
      tp[i] = pos;
      fp[i] = neg;
    }
    const totalPos = pos + this.posHist[base];
    const totalNeg = neg + this.negHist[base];
    return { tp, fp, tn: fp.map((v) => totalNeg - v), fn: tp.map((v) => totalPos - v) };
  }
}

/** Checks that targets and predictions have the same number of values; `name` is the metric. */
export function checkSameSize(name: string, yTrue: Tensor, yPred: Tensor): void {
  if (yTrue.size !== yPred.size) {
    throw new ShapeError(`metric '${name}': targets ${formatShape(yTrue.shape)} and predictions ${formatShape(yPred.shape)} must have the same number of values`);
  }
}

/** The sample weight of element `j` with `k` elements per sample (1 without weights). */
export function weightOf(sampleWeight: Float32Array | null, j: number, k: number): number {
  return sampleWeight === null ? 1 : sampleWeight[Math.floor(j / k)];
}

/** a / b, 0 when b is 0 (Keras `divide_no_nan`). */
export function divideNoNan(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}
