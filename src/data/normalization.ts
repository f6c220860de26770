import { Tensor } from '../tensor/tensor.js';
import { ShapeError, ValueError } from '../util/errors.js';
import { checkOptionKeys } from '../util/options.js';

/** Feature rows: `number[][]` (one row per sample) or a Tensor whose last axis holds the features. */
export type FeatureRows = readonly (readonly number[])[] | Tensor;

/** Keras's epsilon: the smallest standard deviation divided by. */
const EPSILON = 1e-7;

/** Flat values and the feature count (last axis), checking every row has it. */
function flatten(x: FeatureRows, what: string): { data: ArrayLike<number>; features: number; shape: readonly number[] } {
  if (x instanceof Tensor) {
    if (x.rank === 0) throw new ShapeError(`${what}: expected rows of features, received a scalar tensor`);
    return { data: x.data, features: x.shape[x.rank - 1], shape: x.shape };
  }
  if (!Array.isArray(x) || x.length === 0 || !Array.isArray(x[0])) {
    throw new ValueError(`${what}: expected a non-empty number[][] (rows of features) or a Tensor`);
  }
  const features = x[0].length;
  const data = new Float64Array(x.length * features);
  x.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== features) {
      throw new ShapeError(`${what}: row ${i} has ${Array.isArray(row) ? row.length : typeof row} values, expected ${features} like row 0`);
    }
    row.forEach((v, j) => (data[i * features + j] = v));
  });
  return { data, features, shape: [x.length, features] };
}

/**
 * Per-feature mean and population variance (float64 sums), over all samples.
 * @example featureStats([[1, 10], [3, 10]]); // { mean: [2, 10], variance: [1, 0] }
 */
export function featureStats(x: FeatureRows): { mean: number[]; variance: number[] } {
  const { data, features } = flatten(x, 'featureStats');
  const n = data.length / features;
  const mean = new Array<number>(features).fill(0);
  const variance = new Array<number>(features).fill(0);
  for (let i = 0; i < data.length; i++) mean[i % features] += data[i];
  for (let j = 0; j < features; j++) mean[j] /= n;
  for (let i = 0; i < data.length; i++) variance[i % features] += (data[i] - mean[i % features]) ** 2;
  for (let j = 0; j < features; j++) variance[j] /= n;
  return { mean, variance };
}

/** Options of `Normalization`: known statistics, or none to `adapt` them from data. */
export interface NormalizationOptions {
  /** Known per-feature means (with `variance`), instead of `adapt`. */
  mean?: readonly number[];
  /** Known per-feature variances (with `mean`). */
  variance?: readonly number[];
  /** Map z-scores back to the original scale instead (`x·σ + μ`). */
  invert?: boolean;
}

/**
 * Feature-wise standardization as Keras's `Normalization`: `adapt(x)` learns each feature's mean and
 * variance, `apply(x)` returns `(x − μ) / max(σ, 1e-7)` in the input's kind (array or Tensor).
 * @example const norm = new Normalization(); norm.adapt(xTrain); const z = norm.apply(xTest);
 */
export class Normalization {
  /** Per-feature means (empty before `adapt`). */
  mean: number[];
  /** Per-feature population variances. */
  variance: number[];
  /** Whether `apply` un-standardizes. */
  readonly invert: boolean;

  constructor(options: NormalizationOptions = {}) {
    checkOptionKeys(options, ['mean', 'variance', 'invert'], 'Normalization');
    const { mean, variance, invert = false } = options;
    if ((mean === undefined) !== (variance === undefined)) throw new ValueError('Normalization: give both mean and variance, or neither (then call adapt)');
    if (mean && variance && mean.length !== variance.length) {
      throw new ShapeError(`Normalization: mean has ${mean.length} values, variance ${variance.length}; expected one per feature in both`);
    }
    this.mean = mean ? [...mean] : [];
    this.variance = variance ? [...variance] : [];
    this.invert = invert;
  }

  /** Learns the statistics from `x` (training data only, so the test set stays unseen). */
  adapt(x: FeatureRows): this {
    const { mean, variance } = featureStats(x);
    this.mean = mean;
    this.variance = variance;
    return this;
  }

  /** Standardizes (or, with `invert`, restores) `x` with the learned statistics. */
  apply(x: readonly (readonly number[])[]): number[][];
  apply(x: Tensor): Tensor;
  apply(x: FeatureRows): number[][] | Tensor {
    const { data, features, shape } = flatten(x, 'Normalization.apply');
    if (this.mean.length === 0) throw new ValueError('Normalization.apply: no statistics yet; call adapt(x) first or pass mean and variance');
    if (features !== this.mean.length) throw new ShapeError(`Normalization.apply: expected ${this.mean.length} features (last axis), received ${features}`);
    const std = this.variance.map((v) => Math.max(Math.sqrt(v), EPSILON));
    const out = new Float64Array(data.length);
    for (let i = 0; i < data.length; i++) {
      const j = i % features;
      out[i] = this.invert ? data[i] * std[j] + this.mean[j] : (data[i] - this.mean[j]) / std[j];
    }
    if (x instanceof Tensor) return new Tensor(Float32Array.from(out), shape);
    return Array.from({ length: out.length / features }, (_, i) => Array.from(out.subarray(i * features, (i + 1) * features)));
  }
}

/**
 * z-scores of `x` per feature: with the given statistics, or with `x`'s own. Returns the values and the
 * statistics used (apply those to the test set).
 * @example const { values: xTrainZ, mean, variance } = standardize(xTrain); const xTestZ = standardize(xTest, { mean, variance }).values;
 */
export function standardize<T extends FeatureRows>(x: T, stats?: { mean: readonly number[]; variance: readonly number[] }): { values: T extends Tensor ? Tensor : number[][]; mean: number[]; variance: number[] } {
  const norm = stats ? new Normalization({ mean: stats.mean, variance: stats.variance }) : new Normalization().adapt(x);
  const values = (x instanceof Tensor ? norm.apply(x) : norm.apply(x as readonly (readonly number[])[])) as T extends Tensor ? Tensor : number[][];
  return { values, mean: norm.mean, variance: norm.variance };
}
