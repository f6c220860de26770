import { ValueError } from '../util/errors.js';
import { checkOptionKeys } from '../util/options.js';
import { Tensor } from '../tensor/tensor.js';
import { Metric, perSample } from './metrics.js';
import { checkSameSize, divideNoNan, evenThresholds, ThresholdConfusion } from './confusion.js';

/** Options of the confusion-count metrics (Keras names, camelCase). */
export interface ConfusionOptions {
  /**
   * A prediction is positive when > threshold. Default 0.5, or with `topK` −1e10 (every top-k value counts),
   * as Keras. A list of several gives one value per threshold (Keras's vector result): logs, History,
   * the progress bar and CSVLogger then hold one key per threshold, `<name>[i]` in the list's order.
   */
  thresholds?: number | number[];
  /** Only the k largest predictions of each row can be positive. */
  topK?: number;
  /** Only this class (index on the last axis) is counted. */
  classId?: number;
  name?: string;
}

function checkThreshold(owner: string, t: unknown): number {
  if (typeof t !== 'number' || !(t >= 0 && t <= 1)) throw new ValueError(`${owner}: expected thresholds in [0, 1], received ${String(t)}`);
  return t;
}

function checkThresholds(owner: string, t: unknown): number[] {
  if (!Array.isArray(t)) return [checkThreshold(owner, t)];
  if (t.length === 0) throw new ValueError(`${owner}: expected at least one threshold, received an empty list`);
  return t.map((v) => checkThreshold(owner, v));
}

function checkIndex(owner: string, what: string, v: unknown, min: number): number | null {
  if (v === undefined || v === null) return null;
  if (!Number.isInteger(v) || (v as number) < min) throw new ValueError(`${owner}: expected ${what} to be an integer >= ${min}, received ${String(v)}`);
  return v as number;
}

/**
 * Calls `add(t, p, w)` for each counted value: with `topK`, predictions outside a row's k largest become
 * −1e10 (Keras's NEG_INF); with `classId`, only that column of each row. Sample weights per sample.
 */
export function eachValue(name: string, yTrue: Tensor, yPred: Tensor, sampleWeight: Float32Array | null, topK: number | null, classId: number | null, add: (t: number, p: number, w: number) => void): void {
  checkSameSize(name, yTrue, yPred);
  const k = perSample(yPred);
  const classes = yPred.shape[yPred.rank - 1];
  if (classId !== null && (yPred.rank < 2 || classId >= classes)) {
    throw new ValueError(`metric '${name}': classId ${classId} needs predictions with at least ${classId + 1} classes on the last axis, received shape [${yPred.shape.join(', ')}]`);
  }
  const rowLength = topK !== null || classId !== null ? classes : 1;
  const p = topK === null ? yPred.data : keepTopK(yPred.data, rowLength, topK);
  for (let j = 0; j < yPred.size; j++) {
    if (classId !== null && j % rowLength !== classId) continue;
    add(yTrue.data[j], p[j], sampleWeight === null ? 1 : sampleWeight[Math.floor(j / k)]);
  }
}

/** A copy of `p` where each row keeps its k largest values and the rest are −1e10 (ties: the first ones). */
function keepTopK(p: Float32Array, rowLength: number, topK: number): Float32Array {
  const out = new Float32Array(p.length).fill(-1e10);
  const order = new Array<number>(rowLength);
  for (let start = 0; start < p.length; start += rowLength) {
    for (let j = 0; j < rowLength; j++) order[j] = j;
    order.sort((a, b) => p[start + b] - p[start + a] || a - b);
    for (let r = 0; r < Math.min(topK, rowLength); r++) out[start + order[r]] = p[start + order[r]];
  }
  return out;
}

type Count = 'tp' | 'fp' | 'tn' | 'fn' | 'precision' | 'recall';

/** Base of TP / FP / TN / FN / Precision / Recall at one threshold (Keras: labels positive when non-zero). */
abstract class ConfusionMetric<N extends string = string> implements Metric {
  /** The history key; its literal type (`'precision'`, or the `name` given) types History keys. */
  readonly name: NoInfer<N>;
  /** The first (or only) threshold. */
  readonly threshold: number;
  /** Every threshold, in the order given. */
  readonly thresholds: readonly number[];
  readonly topK: number | null;
  readonly classId: number | null;
  /** With several thresholds: how many values `resultVector` gives (Keras: a scalar for one threshold). */
  readonly vectorLength: number | undefined;
  private readonly counts: ThresholdConfusion;
  /** Where each given threshold sits among the sorted ones the counts use. */
  private readonly sortedAt: number[];

  protected constructor(owner: string, defaultName: string, private readonly what: Count, options: ConfusionOptions) {
    checkOptionKeys(options, ['thresholds', 'topK', 'classId', 'name'], owner);
    this.topK = checkIndex(owner, 'topK', options.topK, 1);
    this.thresholds = options.thresholds === undefined && this.topK !== null ? [-1e10] : checkThresholds(owner, options.thresholds ?? 0.5);
    this.threshold = this.thresholds[0];
    this.vectorLength = this.thresholds.length > 1 ? this.thresholds.length : undefined;
    this.classId = checkIndex(owner, 'classId', options.classId, 0);
    this.name = (options.name ?? defaultName) as N;
    this.counts = new ThresholdConfusion(this.thresholds, 1, false);
    const sorted = Array.from(this.counts.thresholds);
    this.sortedAt = this.thresholds.map((t) => sorted.indexOf(t));
  }

  reset(): void {
    this.counts.reset();
  }

  update(yTrue: Tensor, yPred: Tensor, sampleWeight: Float32Array | null = null): void {
    eachValue(this.name, yTrue, yPred, sampleWeight, this.topK, this.classId, (t, p, w) => this.counts.add(t, p, w, 0));
  }

  /** The value at the first threshold (all of them: `resultVector`). */
  result(): number {
    return this.resultVector()[0];
  }

  /** One value per threshold, in the order given. */
  resultVector(): number[] {
    const { tp, fp, tn, fn } = this.counts.counts();
    return this.sortedAt.map((i) => {
      switch (this.what) {
        case 'tp': return tp[i];
        case 'fp': return fp[i];
        case 'tn': return tn[i];
        case 'fn': return fn[i];
        case 'precision': return divideNoNan(tp[i], tp[i] + fp[i]);
        default: return divideNoNan(tp[i], tp[i] + fn[i]);
      }
    });
  }
}

/**
 * Weighted count of true positives (Keras `TruePositives`).
 * @example
 * const tp = new TruePositives({ thresholds: 0.5 });
 * tp.update(tensor([[1], [1], [0]]), tensor([[0.9], [0.2], [0.7]]));
 * tp.result(); // 1
 */
export class TruePositives extends ConfusionMetric {
  constructor(options: Omit<ConfusionOptions, 'topK' | 'classId'> = {}) {
    super('TruePositives', 'true_positives', 'tp', options);
  }
}

/**
 * Weighted count of false positives (Keras `FalsePositives`).
 * @example
 * const fp = new FalsePositives();
 * fp.update(tensor([[1], [0], [0]]), tensor([[0.9], [0.7], [0.1]]));
 * fp.result(); // 1
 */
export class FalsePositives extends ConfusionMetric {
  constructor(options: Omit<ConfusionOptions, 'topK' | 'classId'> = {}) {
    super('FalsePositives', 'false_positives', 'fp', options);
  }
}

/**
 * Weighted count of true negatives (Keras `TrueNegatives`).
 * @example
 * const tn = new TrueNegatives();
 * tn.update(tensor([[1], [0], [0]]), tensor([[0.9], [0.7], [0.1]]));
 * tn.result(); // 1
 */
export class TrueNegatives extends ConfusionMetric {
  constructor(options: Omit<ConfusionOptions, 'topK' | 'classId'> = {}) {
    super('TrueNegatives', 'true_negatives', 'tn', options);
  }
}

/**
 * Weighted count of false negatives (Keras `FalseNegatives`).
 * @example
 * const fn = new FalseNegatives();
 * fn.update(tensor([[1], [1], [0]]), tensor([[0.9], [0.2], [0.1]]));
 * fn.result(); // 1
 */
export class FalseNegatives extends ConfusionMetric {
  constructor(options: Omit<ConfusionOptions, 'topK' | 'classId'> = {}) {
    super('FalseNegatives', 'false_negatives', 'fn', options);
  }
}

/**
 * TP / (TP + FP) over the epoch (Keras `Precision`), with `thresholds`, `topK`, `classId`.
 * With a list of `thresholds` it logs one value per threshold (`precision[0]`, `precision[1]`, …).
 * @example new Precision({ topK: 1, classId: 2 }); new Precision({ thresholds: [0.3, 0.5, 0.7] });
 */
export class Precision<N extends string = 'precision'> extends ConfusionMetric<N> {
  constructor(options: ConfusionOptions & { name?: N } = {}) {
    super('Precision', 'precision', 'precision', options);
  }
}

/**
 * TP / (TP + FN) over the epoch (Keras `Recall`), with `thresholds`, `topK`, `classId`.
 * @example new Recall({ thresholds: 0.3 });
 */
export class Recall<N extends string = 'recall'> extends ConfusionMetric<N> {
  constructor(options: ConfusionOptions & { name?: N } = {}) {
    super('Recall', 'recall', 'recall', options);
  }
}

/** Options of `PrecisionAtRecall` / `RecallAtPrecision`. */
export interface AtOptions {
  /** Thresholds 0, 1/(n−1), …, 1. Default 200. */
  numThresholds?: number;
  classId?: number;
  name?: string;
}

/** Base of the "best X where Y >= target" metrics over Keras's evenly spaced thresholds (soft labels). */
abstract class AtMetric implements Metric {
  readonly name: string;
  readonly classId: number | null;
  private readonly counts: ThresholdConfusion;

  protected constructor(owner: string, readonly target: number, private readonly maximize: 'precision' | 'recall', options: AtOptions, defaultName: string) {
    checkOptionKeys(options, ['numThresholds', 'classId', 'name'], owner);
    if (typeof target !== 'number' || !(target >= 0 && target <= 1)) throw new ValueError(`${owner}: expected a target in [0, 1], received ${String(target)}`);
    const n = options.numThresholds ?? 200;
    if (!Number.isInteger(n) || n < 1) throw new ValueError(`${owner}: expected numThresholds to be an integer > 0, received ${String(n)}`);
    this.classId = checkIndex(owner, 'classId', options.classId, 0);
    this.name = options.name ?? defaultName;
    this.counts = n === 1 ? new ThresholdConfusion([0.5], 1, false) : new ThresholdConfusion(evenThresholds(n, false), 1, true);
  }

  reset(): void {
    this.counts.reset();
  }

  update(yTrue: Tensor, yPred: Tensor, sampleWeight: Float32Array | null = null): void {
    eachValue(this.name, yTrue, yPred, sampleWeight, null, this.classId, (t, p, w) => this.counts.add(t, p, w, 0));
  }

  result(): number {
    const { tp, fp, fn } = this.counts.counts();
    let best = 0;
    for (let i = 0; i < tp.length; i++) {
      const recall = divideNoNan(tp[i], tp[i] + fn[i]);
      const precision = divideNoNan(tp[i], tp[i] + fp[i]);
      const [constrained, dependent] = this.maximize === 'precision' ? [recall, precision] : [precision, recall];
      if (constrained >= this.target && dependent > best) best = dependent;
    }
    return best;
  }
}

/**
 * The best precision among thresholds whose recall is >= `recall` (Keras `PrecisionAtRecall`).
 * @example model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: [new PrecisionAtRecall(0.8)] }); // logged as precision_at_recall
 */
export class PrecisionAtRecall extends AtMetric {
  constructor(recall: number, options: AtOptions = {}) {
    super('PrecisionAtRecall', recall, 'precision', options, 'precision_at_recall');
  }
}

/**
 * The best recall among thresholds whose precision is >= `precision` (Keras `RecallAtPrecision`).
 * @example model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: [new RecallAtPrecision(0.9)] }); // logged as recall_at_precision
 */
export class RecallAtPrecision extends AtMetric {
  constructor(precision: number, options: AtOptions = {}) {
    super('RecallAtPrecision', precision, 'recall', options, 'recall_at_precision');
  }
}
