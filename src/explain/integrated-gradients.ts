import { Tensor } from '../tensor/tensor.js';
import { checkOptionKeys } from '../util/options.js';
import { ShapeError } from '../util/errors.js';
import { formatShape } from '../util/shape.js';
import { positiveInt } from './gradients.js';
import { quadrature } from './quadrature.js';
import type { IntegrationMethod } from './quadrature.js';
import { checkInput, checkTarget, targetGradient, targetValues } from './target.js';
import type { Forwardable, Target } from './target.js';

/** Options of `integratedGradients`. */
export interface IntegratedGradientsOptions {
  /** Class index of the first output, or a function of the outputs giving one value per sample. */
  target: Target;
  /** Reference input, shaped like x or like one sample (shared); default zeros. */
  baseline?: Tensor;
  /** Intervals of the trapezoid rule, or nodes of the Gauss–Legendre rule; default 50. */
  steps?: number;
  /** Integration rule; default 'gauss_legendre'. */
  method?: IntegrationMethod;
  /** Path points run through the model at once; default 64. */
  batchSize?: number;
}

/** Attributions and, per sample, Σ attributions − (f(x) − f(baseline)): near 0 when `steps` sufficed. */
export interface IntegratedGradientsResult {
  /** Attribution of every input value, shaped like x. */
  attributions: Tensor;
  /** Per sample: Σ attributions − (f(x) − f(baseline)). */
  completenessError: number[];
}

/** The baseline expanded to one row per sample of x. */
function expandBaseline(x: Tensor, baseline: Tensor | undefined): Float32Array {
  if (baseline === undefined) return new Float32Array(x.size);
  const one = x.shape.slice(1);
  const same = (s: readonly number[], t: readonly number[]): boolean => s.length === t.length && s.every((d, i) => d === t[i]);
  if (!(baseline instanceof Tensor) || !(same(baseline.shape, x.shape) || same(baseline.shape, one))) {
    const got = baseline instanceof Tensor ? formatShape(baseline.shape) : typeof baseline;
    throw new ShapeError(`integratedGradients: baseline must have the shape of x ${formatShape(x.shape)} or of one sample ${formatShape(one)}, received ${got}`);
  }
  if (baseline.size === x.size) return baseline.data;
  const out = new Float32Array(x.size);
  for (let n = 0; n < x.shape[0]; n++) out.set(baseline.data, n * baseline.size);
  return out;
}

/**
 * Integrated gradients (Sundararajan et al. 2017): (x − b) · ∫₀¹ ∂f(b + α(x − b))/∂x dα, the integral by
 * the chosen rule, with path points batched through the model.
 * @example const { attributions, completenessError } = explain.integratedGradients(model, x, { target: 0, steps: 32 });
 */
export function integratedGradients(model: Forwardable, x: Tensor, options: IntegratedGradientsOptions): IntegratedGradientsResult {
  const op = 'integratedGradients';
  checkOptionKeys(options, ['target', 'baseline', 'steps', 'method', 'batchSize'], op);
  checkInput(x, op);
  const target = checkTarget(options.target, op);
  const steps = positiveInt(options.steps ?? 50, 'steps', op);
  const batchSize = positiveInt(options.batchSize ?? 64, 'batchSize', op);
  const base = expandBaseline(x, options.baseline);
  const { alphas, weights } = quadrature(options.method ?? 'gauss_legendre', steps);
  const batch = x.shape[0];
  const per = x.size / batch;
  // Path point j = (sample n, node k), n-major; run in chunks of batchSize rows.
  const total = batch * alphas.length;
  const avgGrad = new Float64Array(x.size);
  for (let start = 0; start < total; start += batchSize) {
    const rows = Math.min(batchSize, total - start);
    const points = new Float32Array(rows * per);
    for (let r = 0; r < rows; r++) {
      const n = Math.floor((start + r) / alphas.length);
      const a = alphas[(start + r) % alphas.length];
      for (let i = 0; i < per; i++) points[r * per + i] = base[n * per + i] + a * (x.data[n * per + i] - base[n * per + i]);
    }
    const { grad } = targetGradient(model, new Tensor(points, [rows, ...x.shape.slice(1)]), target, op);
    for (let r = 0; r < rows; r++) {
      const n = Math.floor((start + r) / alphas.length);
      const w = weights[(start + r) % alphas.length];
      for (let i = 0; i < per; i++) avgGrad[n * per + i] += w * grad[r * per + i];
    }
  }
  const attributions = new Float32Array(x.size);
  const sums = new Float64Array(batch);
  for (let j = 0; j < x.size; j++) {
    const a = (x.data[j] - base[j]) * avgGrad[j];
    attributions[j] = a;
    sums[Math.floor(j / per)] += a;
  }
  const fx = targetValues(model, x, target, op);
  const fb = targetValues(model, new Tensor(Float32Array.from(base), x.shape), target, op);
  const completenessError = Array.from(sums, (s, n) => s - (fx[n] - fb[n]));
  return { attributions: new Tensor(attributions, x.shape), completenessError };
}
