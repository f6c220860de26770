import { ShapeError, ValueError } from '../util/errors.js';
import { formatShape } from '../util/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkFinite, sliceSamples } from './data.js';
import { toSampleWeights } from './sources.js';
import { mapWeights, SampleWeights } from './step.js';
import { toTensorList } from './structure.js';
import { Trainable } from './trainable.js';

/** In-memory inputs, targets and weights, checked against each other. */
export interface ArrayData {
  xs: Tensor[];
  ys: Tensor[];
  sampleWeight: SampleWeights;
}

/**
 * x (one per model input), y (one per output) and optional sample weights, converted and checked:
 * names and counts, same number of samples everywhere, finite values, weights >= 0. `what` is `'fit'`.
 */
export function checkedArrays(model: Trainable, x: unknown, y: unknown, sampleWeight: unknown, what: string): ArrayData {
  if (x === undefined) throw new ValueError(`${what}: x is required`);
  if (y === undefined) throw new ValueError(`${what}: y (the targets) is required`);
  const xs = toTensorList(x, model.inputNames, `${what}: x`);
  const ys = toTensorList(y, model.outputNames, `${what}: y`);
  const n = xs[0].shape[0];
  if (ys[0].shape[0] !== n) {
    throw new ShapeError(
      `${what}: x and y must have the same number of samples, received x with ${n} (shape ${formatShape(xs[0].shape)}) ` +
        `and y with ${ys[0].shape[0]} (shape ${formatShape(ys[0].shape)})`,
    );
  }
  xs.forEach((t) => checkFinite(t, `${what}: x`));
  ys.forEach((t) => checkFinite(t, `${what}: y`));
  const sw = toSampleWeights(sampleWeight, model.outputNames, n, `${what}: sampleWeight`);
  return { xs, ys, sampleWeight: sw };
}

/** Keras's validationSplit: the last fraction of the samples, before any shuffling. */
export function splitArrays(data: ArrayData, fraction: number, what: string): [ArrayData, ArrayData] {
  const n = data.xs[0].shape[0];
  const splitAt = Math.floor(n * (1 - fraction));
  if (splitAt === 0 || splitAt === n) {
    throw new ValueError(`${what}: validationSplit ${fraction} of ${n} samples leaves ${splitAt} for training and ${n - splitAt} for validation; both need at least one`);
  }
  const part = (start: number, end: number): ArrayData => ({
    xs: data.xs.map((t) => sliceSamples(t, start, end)),
    ys: data.ys.map((t) => sliceSamples(t, start, end)),
    sampleWeight: mapWeights(data.sampleWeight, (t) => sliceSamples(t, start, end)),
  });
  return [part(0, splitAt), part(splitAt, n)];
}

/** The first `batchSize` samples of every input (a probe batch). */
export function firstBatch(xs: readonly Tensor[], batchSize: number): Tensor[] {
  return xs.map((t) => sliceSamples(t, 0, Math.min(batchSize, t.shape[0])));
}
