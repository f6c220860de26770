import { ShapeError, ValueError } from '../util/errors.js';
import { formatShape, normalizeAxis } from '../util/shape.js';
import { batchNormForward, batchNormGradInput, batchNormParamGrads, featureMoments } from '../kernels/batch-norm.js';
import { Tensor } from '../tensor/tensor.js';
import { record } from '../autograd/record.js';

/** Options of `batchNorm`. */
export interface BatchNormOptions {
  /** The feature axis (default −1). */
  axis?: number;
  /** Added to the variance (default 1e-3, Keras's). */
  epsilon?: number;
  /** Scale per feature, or null for 1. */
  gamma?: Tensor | null;
  /** Offset per feature, or null for 0. */
  beta?: Tensor | null;
  /** Fixed statistics (moving mean and variance); null normalizes with the batch's own. */
  statistics?: { mean: Tensor; variance: Tensor } | null;
}

/**
 * Batch normalization y = γ (x − μ) / √(σ² + ε) + β per feature of `axis`, with the batch's (biased)
 * statistics over every other axis, or with given fixed ones. Returns y and the statistics used
 * (float64), so a layer can update its moving averages. NOTE: fused for speed: one pass each way in
 * float64, with the closed-form gradient through the batch statistics.
 * @example batchNorm(x, { gamma, beta }).y;
 */
export function batchNorm(x: Tensor, { axis = -1, epsilon = 1e-3, gamma = null, beta = null, statistics = null }: BatchNormOptions = {}): { y: Tensor; mean: Float64Array; variance: Float64Array } {
  if (!(x instanceof Tensor) || x.rank < 1) throw new ValueError('batchNorm: expected x to be a Tensor of rank >= 1');
  const ax = normalizeAxis(axis, x.rank, 'batchNorm');
  const C = x.shape[ax];
  const inner = x.shape.slice(ax + 1).reduce((n, d) => n * d, 1);
  const outer = x.size / Math.max(C * inner, 1);
  for (const [name, t] of [['gamma', gamma], ['beta', beta], ['mean', statistics?.mean], ['variance', statistics?.variance]] as const) {
    if (t !== null && t !== undefined && (!(t instanceof Tensor) || t.size !== C)) {
      throw new ShapeError(`batchNorm: expected ${name} of ${C} values (axis ${axis} of x shape ${formatShape(x.shape)}), received ${t instanceof Tensor ? formatShape(t.shape) : typeof t}`);
    }
  }
  const mean = new Float64Array(C);
  const variance = new Float64Array(C);
  if (statistics === null) featureMoments(x.data, outer, C, inner, mean, variance);
  else {
    mean.set(statistics.mean.data);
    variance.set(statistics.variance.data);
  }
  const invStd = Float64Array.from(variance, (v) => 1 / Math.sqrt(v + epsilon));
  const y = new Float32Array(x.size);
  const g = gamma === null ? null : gamma.data;
  batchNormForward(x.data, outer, C, inner, mean, invStd, g, beta === null ? null : beta.data, y);
  const inputs = [x, ...(gamma === null ? [] : [gamma]), ...(beta === null ? [] : [beta])];
  const out = record(new Tensor(y, x.shape), 'batchNorm', inputs, (dy) => {
    const dBeta = new Float64Array(C);
    const dGamma = new Float64Array(C);
    batchNormParamGrads(x.data, dy, outer, C, inner, mean, invStd, dBeta, dGamma);
    let dx: Float32Array | null = null;
    if (x.requiresGrad) batchNormGradInput(x.data, dy, outer, C, inner, mean, invStd, g, dBeta, dGamma, statistics === null, (dx = new Float32Array(x.size)));
    const grads: (Float32Array | null)[] = [dx];
    if (gamma !== null) grads.push(Float32Array.from(dGamma));
    if (beta !== null) grads.push(Float32Array.from(dBeta));
    return grads;
  });
  return { y: out, mean, variance };
}
