import { Tensor } from '../tensor/tensor.js';
import { ShapeError, ValueError } from '../util/errors.js';
import { checkOptionKeys } from '../util/options.js';
import { formatShape } from '../util/shape.js';
import { makeRng, normal } from '../util/random.js';
import { positiveInt } from './gradients.js';
import { predictRows } from './predict.js';
import type { Forwardable } from './target.js';

/** Options of `lime`. */
export interface LimeOptions {
  /** Rows [n, features] giving each feature's mean and standard deviation (the scale of perturbations). */
  trainingData: Tensor;
  /** Perturbed samples; default 5000 (as the lime package). */
  numSamples?: number;
  /** Width of the exponential kernel on scaled distance; default 0.75·√features (as the lime package). */
  kernelWidth?: number;
  /** Features kept in the explanation (largest |weight| of a first fit); default all. */
  numFeatures?: number;
  /** Ridge penalty of the surrogate; default 1 (the lime package's Ridge). */
  alpha?: number;
  /** Output column to explain; default 0. */
  target?: number;
  /** Seed of the perturbations. */
  seed?: number | string;
}

/** A local linear surrogate: weights on standardized features (0 for features not kept), its intercept and weighted R². */
export interface LimeResult {
  /** Weight per feature on (x_j − mean_j)/std_j; 0 for a feature not selected. */
  weights: number[];
  /** Indices of the selected features, largest |weight| first. */
  features: number[];
  /** Intercept of the surrogate. */
  intercept: number;
  /** Kernel-weighted R² of the surrogate on the perturbed samples. */
  score: number;
  /** The surrogate's prediction at x. */
  localPrediction: number;
}

/** Kernel-weighted ridge regression with an unpenalized intercept (centred by weighted means). */
function weightedRidge(x: Float64Array[], y: Float64Array, w: Float64Array, cols: number[], alpha: number): { coef: number[]; intercept: number; score: number } {
  const k = cols.length;
  const wsum = w.reduce((a, b) => a + b, 0);
  const mx = cols.map((c) => x.reduce((s, row, i) => s + w[i] * row[c], 0) / wsum);
  const my = y.reduce((s, v, i) => s + w[i] * v, 0) / wsum;
  const a = new Float64Array(k * k);
  const b = new Float64Array(k);
  x.forEach((row, i) => {
    for (let p = 0; p < k; p++) {
      const xp = row[cols[p]] - mx[p];
      b[p] += w[i] * xp * (y[i] - my);
      for (let q = 0; q < k; q++) a[p * k + q] += w[i] * xp * (row[cols[q]] - mx[q]);
    }
  });
  for (let p = 0; p < k; p++) a[p * k + p] += alpha;
  const coef = choleskySolve(a, b, k);
  const intercept = my - coef.reduce((s, c, p) => s + c * mx[p], 0);
  let ssRes = 0;
  let ssTot = 0;
  x.forEach((row, i) => {
    const pred = intercept + coef.reduce((s, c, p) => s + c * row[cols[p]], 0);
    ssRes += w[i] * (y[i] - pred) ** 2;
    ssTot += w[i] * (y[i] - my) ** 2;
  });
  return { coef, intercept, score: ssTot > 0 ? 1 - ssRes / ssTot : 1 };
}

/** Solves the symmetric positive definite a·x = b by Cholesky (a = LLᵀ). */
function choleskySolve(a: Float64Array, b: Float64Array, n: number): number[] {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      if (i === j) {
        if (!(s > 1e-12)) throw new ValueError('lime: the surrogate regression is singular (a feature does not vary); raise numSamples or alpha');
        l[i * n + i] = Math.sqrt(s);
      } else l[i * n + j] = s / l[j * n + j];
    }
  }
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) { let s = b[i]; for (let k = 0; k < i; k++) s -= l[i * n + k] * z[k]; z[i] = s / l[i * n + i]; }
  const out = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) { let s = z[i]; for (let k = i + 1; k < n; k++) s -= l[k * n + i] * out[k]; out[i] = s / l[i * n + i]; }
  return out;
}

/**
 * LIME for tabular data (Ribeiro et al. 2016; the lime package without discretization): Gaussian
 * perturbations around x scaled by each feature's std, exponential kernel √exp(−d²/width²) on the
 * standardized distance, weighted ridge surrogate on standardized features. x is one instance [1, features].
 * @example const { weights, score } = explain.lime(model, slice(x, 0, 1), { trainingData: xTrain, numFeatures: 5, seed: 0 });
 */
export function lime(model: Forwardable, x: Tensor, options: LimeOptions): LimeResult {
  const op = 'lime';
  checkOptionKeys(options, ['trainingData', 'numSamples', 'kernelWidth', 'numFeatures', 'alpha', 'target', 'seed'], op);
  if (!(x instanceof Tensor) || x.rank !== 2 || x.shape[0] !== 1) throw new ShapeError(`${op}: expected one instance x of shape [1, features], received ${x instanceof Tensor ? formatShape(x.shape) : typeof x}`);
  const m = x.shape[1];
  const train = options.trainingData;
  if (!(train instanceof Tensor) || train.rank !== 2 || train.shape[1] !== m || train.shape[0] < 2) {
    throw new ShapeError(`${op}: expected trainingData of shape [rows >= 2, ${m}], received ${train instanceof Tensor ? formatShape(train.shape) : typeof train}`);
  }
  const numSamples = positiveInt(options.numSamples ?? 5000, 'numSamples', op);
  const numFeatures = positiveInt(options.numFeatures ?? m, 'numFeatures', op);
  const width = options.kernelWidth ?? 0.75 * Math.sqrt(m);
  const alpha = options.alpha ?? 1;
  if (!(width > 0) || !(alpha >= 0)) throw new ValueError(`${op}: kernelWidth must be > 0 and alpha >= 0, received ${width} and ${alpha}`);
  const rows = train.shape[0];
  const mean = Array.from({ length: m }, (_, j) => { let s = 0; for (let r = 0; r < rows; r++) s += train.data[r * m + j]; return s / rows; });
  // A constant feature gets scale 1 (as sklearn's StandardScaler), so it still perturbs.
  const std = mean.map((mu, j) => { let s = 0; for (let r = 0; r < rows; r++) s += (train.data[r * m + j] - mu) ** 2; return Math.sqrt(s / rows) || 1; });
  const rng = makeRng(options.seed);
  const samples = new Float32Array(numSamples * m);
  const scaled: Float64Array[] = [];
  const kernel = new Float64Array(numSamples);
  for (let i = 0; i < numSamples; i++) {
    const row = new Float64Array(m);
    let d2 = 0;
    for (let j = 0; j < m; j++) {
      const e = i === 0 ? 0 : normal(rng); // the first sample is the instance itself
      samples[i * m + j] = x.data[j] + e * std[j];
      row[j] = (samples[i * m + j] - mean[j]) / std[j];
      d2 += e * e;
    }
    scaled.push(row);
    kernel[i] = Math.sqrt(Math.exp(-d2 / (width * width)));
  }
  const pred = predictRows(model, samples, [m]);
  const target = options.target ?? 0;
  if (!Number.isInteger(target) || target < 0 || target >= pred.width) throw new ValueError(`${op}: target must be an output column in [0, ${pred.width}), received ${String(target)}`);
  const y = Float64Array.from({ length: numSamples }, (_, i) => pred.data[i * pred.width + target]);
  const all = Array.from({ length: m }, (_, j) => j);
  const first = weightedRidge(scaled, y, kernel, all, alpha);
  const features = all.sort((a, b) => Math.abs(first.coef[b]) - Math.abs(first.coef[a]) || a - b).slice(0, Math.min(numFeatures, m));
  const fit = numFeatures >= m ? { ...first, coef: features.map((j) => first.coef[j]) } : weightedRidge(scaled, y, kernel, features, alpha);
  const weights = new Array<number>(m).fill(0);
  features.forEach((j, p) => { weights[j] = fit.coef[p]; });
  const localPrediction = fit.intercept + features.reduce((s, j, p) => s + fit.coef[p] * scaled[0][j], 0);
  return { weights, features, intercept: fit.intercept, score: fit.score, localPrediction };
}
