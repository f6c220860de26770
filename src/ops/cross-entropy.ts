import { ShapeError } from '../util/errors.js';
import { formatShape, shapesEqual } from '../util/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { record } from '../autograd/record.js';
import { asTensor, Operand } from './operand.js';

function checkSameShape(op: string, labels: Tensor, logits: Tensor): void {
  if (!shapesEqual(labels.shape, logits.shape)) {
    throw new ShapeError(`${op}: labels and logits must have the same shape, received labels ${formatShape(labels.shape)} and logits ${formatShape(logits.shape)}`);
  }
}

/**
 * Elementwise sigmoid cross-entropy of `labels` z against `logits` x:
 * −z·log σ(x) − (1 − z)·log(1 − σ(x)) = max(x, 0) − x·z + log1p(exp(−|x|)).
 * NOTE: fused for stability: the right-hand form never takes exp of a positive number nor log of 0,
 * so it is exact for |x| in the thousands where the composed form gives Infinity or NaN.
 * Gradients: d/dx = σ(x) − z, d/dz = −x.
 * @example sigmoidCrossEntropyWithLogits(tensor([1, 0]), tensor([2, -1]));
 */
export function sigmoidCrossEntropyWithLogits(labels: Operand, logits: Operand): Tensor {
  const z = asTensor(labels, 'sigmoidCrossEntropyWithLogits', 'labels');
  const x = asTensor(logits, 'sigmoidCrossEntropyWithLogits', 'logits');
  checkSameShape('sigmoidCrossEntropyWithLogits', z, x);
  const out = new Float32Array(x.size);
  sigmoidCrossEntropyForward(z.data, x.data, out);
  return record(new Tensor(out, x.shape), 'sigmoidCrossEntropyWithLogits', [z, x], (dy) => {
    const dz = z.requiresGrad ? new Float32Array(dy.length) : null;
    const dx = x.requiresGrad ? new Float32Array(dy.length) : null;
    sigmoidCrossEntropyBackward(z.data, x.data, dy, dz, dx);
    return [dz, dx];
  });
}

/**
 * Softmax cross-entropy over the last axis: for each row, −Σ_j z_j·log softmax(x)_j = lse(x)·Σz − Σ z·x,
 * with lse the max-shifted log-sum-exp. The result has the shape of `logits` without its last axis.
 * NOTE: fused for stability (never forms softmax(x) = 0 and then its log). Gradients per row:
 * d/dx_j = softmax(x)_j·Σz − z_j (softmax − z for one-hot labels), d/dz_j = lse − x_j.
 * @example softmaxCrossEntropyWithLogits(tensor([[0, 1, 0]]), tensor([[1, 2, 3]]));
 */
export function softmaxCrossEntropyWithLogits(labels: Operand, logits: Operand): Tensor {
  const z = asTensor(labels, 'softmaxCrossEntropyWithLogits', 'labels');
  const x = asTensor(logits, 'softmaxCrossEntropyWithLogits', 'logits');
  checkSameShape('softmaxCrossEntropyWithLogits', z, x);
  if (x.rank < 1) {
    throw new ShapeError(`softmaxCrossEntropyWithLogits: expected logits of rank >= 1 (classes on the last axis), received shape ${formatShape(x.shape)}`);
  }
  const classes = x.shape[x.rank - 1];
  const rows = classes === 0 ? 0 : x.size / classes;
  const lse = new Float32Array(rows);
  const out = new Float32Array(x.shape.slice(0, -1).reduce((n, d) => n * d, 1));
  softmaxCrossEntropyForward(z.data, x.data, rows, classes, lse, out);
  return record(new Tensor(out, x.shape.slice(0, -1)), 'softmaxCrossEntropyWithLogits', [z, x], (dy) => {
    const dz = z.requiresGrad ? new Float32Array(x.size) : null;
    const dx = x.requiresGrad ? new Float32Array(x.size) : null;
    softmaxCrossEntropyBackward(z.data, x.data, rows, classes, lse, dy, dz, dx);
    return [dz, dx];
  });
}

function sigmoidCrossEntropyForward(z: Float32Array, x: Float32Array, out: Float32Array): void {
  for (let i = 0; i < out.length; i++) {
    const xi = x[i];
    out[i] = (xi > 0 ? xi : 0) - xi * z[i] + Math.log1p(Math.exp(-Math.abs(xi)));
  }
}

function sigmoidCrossEntropyBackward(z: Float32Array, x: Float32Array, dy: Float32Array, dz: Float32Array | null, dx: Float32Array | null): void {
  for (let i = 0; i < dy.length; i++) {
    const xi = x[i];
    if (dx !== null) {
      // σ(x) without overflow: exp of a non-positive number only.
      const e = Math.exp(-Math.abs(xi));
      const s = xi >= 0 ? 1 / (1 + e) : e / (1 + e);
      dx[i] = dy[i] * (s - z[i]);
    }
    if (dz !== null) dz[i] = -dy[i] * xi;
  }
}

function softmaxCrossEntropyForward(z: Float32Array, x: Float32Array, rows: number, classes: number, lse: Float32Array, out: Float32Array): void {
  for (let r = 0; r < rows; r++) {
    const base = r * classes;
    let max = -Infinity;
    for (let j = 0; j < classes; j++) if (x[base + j] > max) max = x[base + j];
    let sumExp = 0;
    for (let j = 0; j < classes; j++) sumExp += Math.exp(x[base + j] - max);
    const l = max + Math.log(sumExp);
    lse[r] = l;
    // lse·Σz − Σ z·x, written as Σ z·(lse − x) so a large lse cancels per term, not after summing.
    let loss = 0;
    for (let j = 0; j < classes; j++) loss += z[base + j] * (l - x[base + j]);
    out[r] = loss;
  }
}

function softmaxCrossEntropyBackward(
  z: Float32Array,
  x: Float32Array,
  rows: number,
  classes: number,
  lse: Float32Array,
  dy: Float32Array,
  dz: Float32Array | null,
  dx: Float32Array | null,
): void {
  for (let r = 0; r < rows; r++) {
    const base = r * classes;
    const l = lse[r];
    const g = dy[r];
    let sumZ = 0;
    for (let j = 0; j < classes; j++) sumZ += z[base + j];
    for (let j = 0; j < classes; j++) {
      const k = base + j;
      if (dx !== null) dx[k] = g * (Math.exp(x[k] - l) * sumZ - z[k]);
      if (dz !== null) dz[k] = g * (l - x[k]);
    }
  }
}
