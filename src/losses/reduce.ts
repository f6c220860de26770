import { ShapeError, ValueError } from '../util/errors.js';
import { formatShape, shapesEqual } from '../util/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { div, mul } from '../ops/arithmetic.js';
import { mean, sum } from '../ops/reduction.js';
import { reshape } from '../ops/reshape.js';

/** One weight per sample (first axis), e.g. from `classWeight`. */
export type SampleWeight = Tensor | Float32Array | readonly number[];

/** How per-sample losses become the result (Keras): their weighted mean over the batch, their sum, or each one. */
export type Reduction = 'sum_over_batch_size' | 'sum' | 'none';

/** The valid reductions, for messages. */
export const REDUCTIONS: readonly Reduction[] = ['sum_over_batch_size', 'sum', 'none'];

/** Options every loss function accepts. */
export interface LossOptions {
  /** Scales each sample's loss; the sum is still divided by the number of values (Keras's `sum_over_batch_size`). */
  sampleWeight?: SampleWeight | null;
  /** Default `'sum_over_batch_size'` (a scalar); `'sum'` (a scalar); `'none'` (one weighted value per sample). */
  reduction?: Reduction;
}

/** Checks that both arguments are tensors; `name` is the loss, for the message. */
export function checkTensors(name: string, yTrue: unknown, yPred: unknown): void {
  for (const [what, v] of [['yTrue', yTrue], ['yPred', yPred]] as const) {
    if (!(v instanceof Tensor)) throw new ValueError(`${name}: expected ${what} to be a Tensor, received ${v === null ? 'null' : typeof v}`);
  }
}

/**
 * `yTrue` in `yPred`'s shape. As Keras, a missing or extra trailing dimension of 1 on the targets is
 * fixed (labels `[n]` against predictions `[n, 1]`); any other difference is a ShapeError.
 */
export function matchTargetShape(name: string, yTrue: Tensor, yPred: Tensor): Tensor {
  if (shapesEqual(yTrue.shape, yPred.shape)) return yTrue;
  const last = (t: Tensor) => t.shape[t.rank - 1];
  const expand = yTrue.rank === yPred.rank - 1 && last(yPred) === 1 && shapesEqual(yTrue.shape, yPred.shape.slice(0, -1));
  const squeeze = yTrue.rank === yPred.rank + 1 && last(yTrue) === 1 && shapesEqual(yTrue.shape.slice(0, -1), yPred.shape);
  if (expand || squeeze) return reshape(yTrue, yPred.shape);
  throw new ShapeError(
    `${name}: expected yTrue of shape ${formatShape(yPred.shape)} like yPred (a trailing dimension of 1 may be left out), ` +
      `received yTrue ${formatShape(yTrue.shape)} and yPred ${formatShape(yPred.shape)}`,
  );
}

/**
 * The loss value from per-sample (or per-element) losses `values` of shape [n, …], as Keras's reductions:
 * `sum_over_batch_size` Σ values·w / size (w broadcast along the sample axis; the mean without weights),
 * `sum` Σ values·w, `none` values·w.
 */
export function reduceLoss(name: string, values: Tensor, sampleWeight: SampleWeight | null | undefined, reduction: Reduction = 'sum_over_batch_size'): Tensor {
  if (!REDUCTIONS.includes(reduction)) {
    throw new ValueError(`${name}: expected reduction to be one of ${REDUCTIONS.map((r) => `'${r}'`).join(', ')}, received ${JSON.stringify(reduction)}`);
  }
  if (sampleWeight === null || sampleWeight === undefined) {
    if (reduction === 'none') return values;
    return reduction === 'sum' ? sum(values) : mean(values);
  }
  const w = sampleWeight instanceof Tensor ? sampleWeight : new Tensor(Float32Array.from(sampleWeight), [sampleWeight.length]);
  const n = values.rank === 0 ? 1 : values.shape[0];
  if (w.size !== n) {
    throw new ShapeError(`${name}: expected one sample weight per sample (${n}), received sampleWeight of shape ${formatShape(w.shape)}`);
  }
  const perSampleShape = [n, ...new Array<number>(Math.max(values.rank - 1, 0)).fill(1)];
  const weighted = mul(values, reshape(w, values.rank === 0 ? [] : perSampleShape));
  if (reduction === 'none') return weighted;
  return reduction === 'sum' ? sum(weighted) : div(sum(weighted), Math.max(values.size, 1));
}
