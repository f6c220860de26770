import { ShapeError, ValueError } from '../util/errors.js';
import { checkOptionKeys } from '../util/options.js';
import { formatShape } from '../util/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { MeanMetric as WeightedMean, Metric, perSample } from './metrics.js';
import { checkSameSize } from './confusion.js';

/**
 * Fraction of values where the prediction equals the target exactly (Keras `Accuracy`), every value weighted by its sample's weight.
 * @example
 * const acc = new Accuracy();
 * acc.update(tensor([[1], [2], [3]]), tensor([[1], [2], [0]]));
 * acc.result(); // 2 / 3
 */
export class Accuracy extends WeightedMean {
  constructor(options: { name?: string } = {}) {
    checkOptionKeys(options, ['name'], 'Accuracy');
    super(options.name ?? 'accuracy');
  }

  update(yTrue: Tensor, yPred: Tensor, sampleWeight: Float32Array | null = null): void {
    checkSameSize(this.name, yTrue, yPred);
    const k = perSample(yPred);
    for (let j = 0; j < yPred.size; j++) this.add(yTrue.data[j] === yPred.data[j] ? 1 : 0, sampleWeight === null ? 1 : sampleWeight[Math.floor(j / k)]);
  }
}

/** Whether the score at `target` is among the k largest of the row (ties count as inside, as TF's in_top_k). */
function inTopK(p: Float32Array, start: number, classes: number, target: number, k: number): boolean {
  const v = p[start + target];
  let above = 0;
  for (let j = 0; j < classes; j++) if (p[start + j] > v) above++;
  return above < k;
}

function checkK(owner: string, k: unknown): number {
  if (!Number.isInteger(k) || (k as number) < 1) throw new ValueError(`${owner}: expected k to be an integer >= 1, received ${String(k)}`);
  return k as number;
}

/**
 * Fraction of rows whose target class (argmax of the one-hot row) is among the k top predictions (Keras `TopKCategoricalAccuracy`, k = 5).
 * @example
 * const top2 = new TopKCategoricalAccuracy({ k: 2 });
 * top2.update(tensor([[0, 0, 1]]), tensor([[0.5, 0.2, 0.3]]));
 * top2.result(); // 1: class 2 is second best
 */
export class TopKCategoricalAccuracy extends WeightedMean {
  readonly k: number;
  constructor(options: { k?: number; name?: string } = {}) {
    checkOptionKeys(options, ['k', 'name'], 'TopKCategoricalAccuracy');
    super(options.name ?? 'top_k_categorical_accuracy');
    this.k = checkK('TopKCategoricalAccuracy', options.k ?? 5);
  }

  update(yTrue: Tensor, yPred: Tensor, sampleWeight: Float32Array | null = null): void {
    checkSameSize(this.name, yTrue, yPred);
    const classes = yPred.shape[yPred.rank - 1];
    const rowsPerSample = perSample(yPred) / classes;
    for (let row = 0; row * classes < yPred.size; row++) {
      let target = 0;
      for (let j = 1; j < classes; j++) if (yTrue.data[row * classes + j] > yTrue.data[row * classes + target]) target = j;
      this.add(inTopK(yPred.data, row * classes, classes, target, this.k) ? 1 : 0, sampleWeight === null ? 1 : sampleWeight[Math.floor(row / rowsPerSample)]);
    }
  }
}

/**
 * Fraction of rows whose integer label is among the k top predictions (Keras `SparseTopKCategoricalAccuracy`, k = 5).
 * @example
 * const top2 = new SparseTopKCategoricalAccuracy({ k: 2 });
 * top2.update(tensor([[2]]), tensor([[0.5, 0.2, 0.3]]));
 * top2.result(); // 1
 */
export class SparseTopKCategoricalAccuracy extends WeightedMean {
  readonly k: number;
  constructor(options: { k?: number; name?: string } = {}) {
    checkOptionKeys(options, ['k', 'name'], 'SparseTopKCategoricalAccuracy');
    super(options.name ?? 'sparse_top_k_categorical_accuracy');
    this.k = checkK('SparseTopKCategoricalAccuracy', options.k ?? 5);
  }

  update(yTrue: Tensor, yPred: Tensor, sampleWeight: Float32Array | null = null): void {
    const classes = yPred.shape[yPred.rank - 1];
    if (yTrue.size * classes !== yPred.size) {
      throw new ShapeError(`metric '${this.name}': expected one label per row of predictions ${formatShape(yPred.shape)}, received labels ${formatShape(yTrue.shape)}`);
    }
    const rowsPerSample = perSample(yPred) / classes;
    for (let row = 0; row < yTrue.size; row++) {
      const label = yTrue.data[row];
      const hit = Number.isInteger(label) && label >= 0 && label < classes && inTopK(yPred.data, row * classes, classes, label, this.k);
      this.add(hit ? 1 : 0, sampleWeight === null ? 1 : sampleWeight[Math.floor(row / rowsPerSample)]);
    }
  }
}
