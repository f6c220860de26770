import { ShapeError } from '../util/errors.js';
import { formatShape } from '../util/shape.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * A metric accumulated over a whole epoch (counts and sums, not a mean of per-batch values).
 * `update` sees each batch's targets and predictions; `result` is the value so far.
 */
export interface Metric {
  /** The history key (`accuracy`; `val_accuracy` for validation). */
  readonly name: string;
  /** Forgets everything (start of an epoch or of an evaluation). */
  reset(): void;
  /** Adds one batch. `sampleWeight` (optional) has one weight per sample (first axis of `yPred`); null or absent: all 1. */
  update(yTrue: Tensor, yPred: Tensor, sampleWeight?: Float32Array | null): void;
  /** The value over every batch since `reset`. */
  result(): number;
  /** Set on a metric with several values (Keras's vector result, e.g. Precision at several thresholds): how many. */
  readonly vectorLength?: number;
  /** With `vectorLength`: all the values; logs hold them as `<name>[0]`, `<name>[1]`, …. */
  resultVector?(): number[];
}

/** The log keys of a metric named `name`: the name, or `name[i]` for each value of a vector metric. */
export function metricLogKeys(name: string, metric: Pick<Metric, 'vectorLength'>): string[] {
  const n = metric.vectorLength;
  return n === undefined ? [name] : Array.from({ length: n }, (_, i) => `${name}[${i}]`);
}

/** Writes a metric's value(s) into `logs` under `metricLogKeys`. */
export function logMetric(logs: Record<string, number>, metric: Metric): void {
  if (metric.vectorLength === undefined || metric.resultVector === undefined) {
    logs[metric.name] = metric.result();
    return;
  }
  metric.resultVector().forEach((v, i) => (logs[`${metric.name}[${i}]`] = v));
}

/** Elements of `yPred` per sample (1 for a rank-1 prediction). */
export function perSample(yPred: Tensor): number {
  return yPred.shape[0] === 0 ? 0 : yPred.size / yPred.shape[0];
}

function checkSameSize(name: string, yTrue: Tensor, yPred: Tensor): void {
  if (yTrue.size !== yPred.size) {
    throw new ShapeError(`metric '${name}': targets ${formatShape(yTrue.shape)} and predictions ${formatShape(yPred.shape)} must have the same number of values`);
  }
}

/** Base of metrics that are a weighted mean of one value per row (per sample or per row of the last axis). */
export abstract class MeanMetric implements Metric {
  private total = 0;
  private count = 0;
  constructor(readonly name: string) {}

  reset(): void {
    this.total = 0;
    this.count = 0;
  }

  result(): number {
    return this.count === 0 ? 0 : this.total / this.count;
  }

  /** Adds `value` with weight `weight`. */
  protected add(value: number, weight: number): void {
    this.total += value * weight;
    this.count += weight;
  }

  abstract update(yTrue: Tensor, yPred: Tensor, sampleWeight?: Float32Array | null): void;
}

/**
 * Fraction of elements where (prediction > threshold) equals the target, per sample then averaged (Keras
 * `binary_accuracy`; the prediction is compared as 0/1 with the target as given).
 * @example
 * const m = new BinaryAccuracy();
 * m.update(tensor([[1], [0]]), tensor([[0.8], [0.6]]));
 * m.result(); // 0.5 (0.6 > 0.5 counts as 1)
 */
export class BinaryAccuracy extends MeanMetric {
  constructor(name = 'binary_accuracy', readonly threshold = 0.5) {
    super(name);
  }

  update(yTrue: Tensor, yPred: Tensor, sampleWeight: Float32Array | null = null): void {
    checkSameSize(this.name, yTrue, yPred);
    const k = perSample(yPred);
    const t = yTrue.data;
    const p = yPred.data;
    for (let s = 0; s < yPred.shape[0]; s++) {
      let hits = 0;
      for (let j = s * k; j < (s + 1) * k; j++) if ((p[j] > this.threshold ? 1 : 0) === t[j]) hits++;
      this.add(hits / k, sampleWeight === null ? 1 : sampleWeight[s]);
    }
  }
}

/** Index of the largest of `data[start .. start + n)`, the first on ties (as argmax). */
function argMaxRow(data: Float32Array, start: number, n: number): number {
  let best = 0;
  for (let j = 1; j < n; j++) if (data[start + j] > data[start + best]) best = j;
  return best;
}

/** Rows of the last axis per sample, and classes per row. */
function rowsOf(yPred: Tensor): { rowsPerSample: number; classes: number } {
  const classes = yPred.shape[yPred.rank - 1];
  return { classes, rowsPerSample: classes === 0 ? 0 : perSample(yPred) / classes };
}

/**
 * Fraction of rows where argmax(target) = argmax(prediction) over the last axis (Keras `categorical_accuracy`).
 * @example
 * const m = new CategoricalAccuracy();
 * m.update(tensor([[0, 1], [1, 0]]), tensor([[0.2, 0.8], [0.3, 0.7]]));
 * m.result(); // 0.5
 */
export class CategoricalAccuracy extends MeanMetric {
  constructor(name = 'categorical_accuracy') {
    super(name);
  }

  update(yTrue: Tensor, yPred: Tensor, sampleWeight: Float32Array | null = null): void {
    checkSameSize(this.name, yTrue, yPred);
    const { classes, rowsPerSample } = rowsOf(yPred);
    for (let s = 0; s < yPred.shape[0]; s++) {
      const w = sampleWeight === null ? 1 : sampleWeight[s];
      for (let r = 0; r < rowsPerSample; r++) {
        const start = (s * rowsPerSample + r) * classes;
        this.add(argMaxRow(yTrue.data, start, classes) === argMaxRow(yPred.data, start, classes) ? 1 : 0, w);
      }
    }
  }
}

/**
 * Fraction of rows whose integer label equals argmax(prediction) over the last axis (Keras `sparse_categorical_accuracy`).
 * @example
 * const m = new SparseCategoricalAccuracy();
 * m.update(tensor([[1], [0]]), tensor([[0.2, 0.8], [0.3, 0.7]]));
 * m.result(); // 0.5
 */
export class SparseCategoricalAccuracy extends MeanMetric {
  constructor(name = 'sparse_categorical_accuracy') {
    super(name);
  }

  update(yTrue: Tensor, yPred: Tensor, sampleWeight: Float32Array | null = null): void {
    const { classes, rowsPerSample } = rowsOf(yPred);
    if (yTrue.size * classes !== yPred.size) {
      throw new ShapeError(`metric '${this.name}': expected one label per row of predictions ${formatShape(yPred.shape)}, received labels ${formatShape(yTrue.shape)}`);
    }
    for (let s = 0; s < yPred.shape[0]; s++) {
      const w = sampleWeight === null ? 1 : sampleWeight[s];
      for (let r = 0; r < rowsPerSample; r++) {
        const row = s * rowsPerSample + r;
        this.add(argMaxRow(yPred.data, row * classes, classes) === yTrue.data[row] ? 1 : 0, w);
      }
    }
  }
}

/**
 * Mean over the epoch of a per-element error, averaged per sample first (Keras `mse` / `mae` metrics).
 * @example
 * const mse = new MeanError('mse', 'squared');
 * mse.update(tensor([[1, 2]]), tensor([[1, 4]]));
 * mse.result(); // 2
 */
export class MeanError extends MeanMetric {
  constructor(name: string, readonly kind: 'squared' | 'absolute') {
    super(name);
  }

  update(yTrue: Tensor, yPred: Tensor, sampleWeight: Float32Array | null = null): void {
    checkSameSize(this.name, yTrue, yPred);
    const k = perSample(yPred);
    for (let s = 0; s < yPred.shape[0]; s++) {
      let sum = 0;
      for (let j = s * k; j < (s + 1) * k; j++) {
        const d = yPred.data[j] - yTrue.data[j];
        sum += this.kind === 'squared' ? d * d : Math.abs(d);
      }
      this.add(sum / k, sampleWeight === null ? 1 : sampleWeight[s]);
    }
  }
}

/**
 * Precision TP / (TP + FP) or recall TP / (TP + FN) over every element of the epoch, a prediction being
 * positive when > threshold and a target when non-zero (Keras); 0 when the denominator is 0.
 * @example
 * const precision = new ConfusionRate('precision', 'precision');
 * precision.update(tensor([[1], [0]]), tensor([[0.9], [0.7]]));
 * precision.result(); // 0.5: two predicted positives, one right
 */
export class ConfusionRate implements Metric {
  private tp = 0;
  private fp = 0;
  private fn = 0;
  constructor(readonly name: string, readonly kind: 'precision' | 'recall', readonly threshold = 0.5) {}

  reset(): void {
    this.tp = 0;
    this.fp = 0;
    this.fn = 0;
  }

  update(yTrue: Tensor, yPred: Tensor, sampleWeight: Float32Array | null = null): void {
    checkSameSize(this.name, yTrue, yPred);
    const k = perSample(yPred);
    for (let s = 0; s < yPred.shape[0]; s++) {
      const w = sampleWeight === null ? 1 : sampleWeight[s];
      for (let j = s * k; j < (s + 1) * k; j++) {
        const predicted = yPred.data[j] > this.threshold;
        const actual = yTrue.data[j] !== 0;
        if (predicted && actual) this.tp += w;
        else if (predicted) this.fp += w;
        else if (actual) this.fn += w;
      }
    }
  }

  result(): number {
    const denominator = this.kind === 'precision' ? this.tp + this.fp : this.tp + this.fn;
    return denominator === 0 ? 0 : this.tp / denominator;
  }
}
