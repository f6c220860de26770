import { ShapeError, ValueError } from '../util/errors.js';
import { formatShape, shapesEqual } from '../util/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { LossId } from '../losses/registry.js';

/**
 * `y` checked against the model's output shape `outShape` (batch first, from a probe batch) for the loss,
 * in the shape the loss and metrics use (same data, no copy):
 * - sparse categorical: integer labels in [0, classes), shape = output without its class axis (a trailing 1 allowed);
 * - other built-in losses: the output's per-sample shape, a trailing 1 added or dropped as Keras does
 *   (labels `[n]` for outputs `[n, 1]`); binary cross-entropy also needs every label in [0, 1];
 * - a user loss function: `y` as given.
 */
export function prepareTargets(lossId: LossId | null, y: Tensor, outShape: readonly number[], what: string): Tensor {
  if (lossId === null) return y;
  const n = y.shape[0];
  const out = [n, ...outShape.slice(1)];
  if (lossId === 'sparse_categorical_crossentropy') return sparseLabels(y, out, what);
  const yPer = y.shape.slice(1);
  const outPer = out.slice(1);
  const last = (s: readonly number[]) => s[s.length - 1];
  let shape: number[] | null = null;
  if (shapesEqual(yPer, outPer)) shape = out;
  else if (yPer.length === outPer.length - 1 && last(outPer) === 1 && shapesEqual(yPer, outPer.slice(0, -1))) shape = out;
  else if (yPer.length === outPer.length + 1 && last(yPer) === 1 && shapesEqual(yPer.slice(0, -1), outPer)) shape = out;
  if (shape === null) {
    const hint =
      lossId === 'categorical_crossentropy' && y.rank === 1
        ? `; integer class labels need loss 'sparse_categorical_crossentropy' (or one-hot rows of ${last(outPer)} values)`
        : '';
    throw new ShapeError(
      `${what}: loss '${lossId}' needs targets shaped like the model output ${formatShape(out)}` +
        `${last(outPer) === 1 ? ` (or ${formatShape(out.slice(0, -1))})` : ''}, received y of shape ${formatShape(y.shape)}${hint}`,
    );
  }
  if (lossId === 'binary_crossentropy') checkProbabilities(y, what);
  return shapesEqual(shape, y.shape) ? y : new Tensor(y.data, shape);
}

function sparseLabels(y: Tensor, out: readonly number[], what: string): Tensor {
  const rows = out.slice(0, -1);
  const classes = out[out.length - 1];
  const ok = shapesEqual(y.shape, rows) || (y.rank === rows.length + 1 && y.shape[y.rank - 1] === 1 && shapesEqual(y.shape.slice(0, -1), rows));
  if (!ok || out.length < 2) {
    throw new ShapeError(
      `${what}: loss 'sparse_categorical_crossentropy' needs integer class labels of shape ${formatShape(rows)} ` +
        `for the model output ${formatShape(out)}, received y of shape ${formatShape(y.shape)}`,
    );
  }
  for (let i = 0; i < y.size; i++) {
    const v = y.data[i];
    if (!Number.isInteger(v) || v < 0 || v >= classes) {
      throw new ValueError(
        `${what}: loss 'sparse_categorical_crossentropy' needs integer labels in [0, ${classes - 1}] (the model outputs ${classes} classes), ` +
          `received ${v} at position ${i}`,
      );
    }
  }
  return shapesEqual(y.shape, rows) ? y : new Tensor(y.data, rows);
}

function checkProbabilities(y: Tensor, what: string): void {
  for (let i = 0; i < y.size; i++) {
    const v = y.data[i];
    if (!(v >= 0 && v <= 1)) {
      throw new ValueError(`${what}: loss 'binary_crossentropy' needs labels in [0, 1], received ${v} at position ${i}`);
    }
  }
}

/** `{ classIndex: weight }`, as Keras's `class_weight` (TF.js `classWeight`). */
export type ClassWeight = Record<number, number>;

/** Checks a classWeight map: integer keys >= 0, finite non-negative weights. */
export function checkClassWeight(classWeight: unknown, what: string): ClassWeight {
  if (classWeight === null || typeof classWeight !== 'object' || Array.isArray(classWeight)) {
    throw new ValueError(`${what}: expected classWeight to be an object { classIndex: weight }, received ${Array.isArray(classWeight) ? 'an array' : String(classWeight)}`);
  }
  for (const [key, weight] of Object.entries(classWeight)) {
    if (!/^\d+$/.test(key)) throw new ValueError(`${what}: classWeight keys must be class indices (integers >= 0), received '${key}'`);
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) {
      throw new ValueError(`${what}: classWeight[${key}] must be a finite number >= 0, received ${String(weight)}`);
    }
  }
  return classWeight as ClassWeight;
}

/**
 * One weight per sample from `classWeight` (Keras): the class of a sample is the argmax of its target row
 * when it has several values, else its single value rounded; classes not listed weigh 1.
 */
export function classWeightsToSampleWeights(classWeight: ClassWeight, y: Tensor, what: string): Float32Array {
  const n = y.shape[0];
  const per = y.size / n;
  if (y.rank > 2) {
    throw new ShapeError(`${what}: classWeight needs one class per sample (targets of rank 1 or 2), received y of shape ${formatShape(y.shape)}`);
  }
  const weights = new Float32Array(n);
  for (let s = 0; s < n; s++) {
    let cls = 0;
    if (per === 1) {
      cls = Math.round(y.data[s]);
    } else {
      for (let j = 1; j < per; j++) if (y.data[s * per + j] > y.data[s * per + cls]) cls = j;
    }
    weights[s] = classWeight[cls] ?? 1;
  }
  return weights;
}
