import { Tensor } from '../tensor/tensor.js';
import { ShapeError, ValueError } from '../util/errors.js';
import { checkOptionKeys } from '../util/options.js';
import { formatShape } from '../util/shape.js';
import { makeRng } from '../util/random.js';
import type { Rng } from '../util/random.js';
import { positiveInt } from './gradients.js';
import { predictRows } from './predict.js';
import type { Forwardable } from './target.js';

/** A built-in metric, or a score function (yTrue, yPred) → number (higher is better unless `greaterIsBetter: false`). */
export type ImportanceMetric = 'mse' | 'mae' | 'accuracy' | ((yTrue: Tensor, yPred: Tensor) => number);

/** Options of `permutationImportance`. */
export interface PermutationImportanceOptions {
  /** Default 'mse' for one output column, 'accuracy' for several. */
  metric?: ImportanceMetric;
  /** For a metric function: whether a larger value is better (default true). */
  greaterIsBetter?: boolean;
  /** Shuffles per feature; default 5. */
  repeats?: number;
  /** Seed of the shuffles. */
  seed?: number | string;
}

/** Per feature: mean and standard deviation (population) over the repeats of the drop in score, and each drop. */
export interface PermutationImportanceResult {
  /** Mean drop in score per feature. */
  importancesMean: number[];
  /** Population standard deviation of the drops per feature. */
  importancesStd: number[];
  /** Every drop, [features][repeats]. */
  importances: number[][];
  /** The metric on unshuffled data. */
  baselineScore: number;
}

/** Mean squared / absolute error or accuracy of predictions `p` [n, width] against `y`. */
function builtIn(name: string, y: Float32Array, p: Float32Array, n: number, width: number): number {
  let s = 0;
  if (name === 'accuracy') {
    const sparse = y.length === n;
    for (let i = 0; i < n; i++) {
      const pred = width === 1 ? (p[i] >= 0.5 ? 1 : 0) : argMax(p, i * width, width);
      const truth = sparse ? Math.round(y[i]) : width === 1 ? (y[i] >= 0.5 ? 1 : 0) : argMax(y, i * width, width);
      if (pred === truth) s++;
    }
    return s / n;
  }
  for (let i = 0; i < p.length; i++) s += name === 'mse' ? (p[i] - y[i]) ** 2 : Math.abs(p[i] - y[i]);
  return s / p.length;
}

function argMax(a: Float32Array, start: number, width: number): number {
  let best = 0;
  for (let k = 1; k < width; k++) if (a[start + k] > a[start + best]) best = k;
  return best;
}

/** Fisher–Yates shuffle of 0..n-1. */
function permutation(n: number, rng: Rng): Int32Array {
  const p = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = p[i]; p[i] = p[j]; p[j] = t;
  }
  return p;
}

/**
 * Permutation feature importance (Breiman 2001; sklearn's definition): the score on (x, y) minus the score
 * with feature j's column shuffled across samples, `repeats` times per feature. Needs only predictions.
 * @example const { importancesMean } = explain.permutationImportance(model, x, y, { repeats: 10, seed: 1 });
 */
export function permutationImportance(model: Forwardable, x: Tensor, y: Tensor, options: PermutationImportanceOptions = {}): PermutationImportanceResult {
  const op = 'permutationImportance';
  checkOptionKeys(options, ['metric', 'greaterIsBetter', 'repeats', 'seed'], op);
  if (!(x instanceof Tensor) || x.rank !== 2) throw new ShapeError(`${op}: expected x of shape [samples, features], received ${x instanceof Tensor ? formatShape(x.shape) : typeof x}`);
  if (!(y instanceof Tensor) || y.shape[0] !== x.shape[0]) throw new ShapeError(`${op}: expected y with ${x.shape[0]} samples like x, received ${y instanceof Tensor ? formatShape(y.shape) : typeof y}`);
  const repeats = positiveInt(options.repeats ?? 5, 'repeats', op);
  const [n, features] = x.shape;
  const base = predictRows(model, x.data, [features]);
  const metric = options.metric ?? (base.width === 1 ? 'mse' : 'accuracy');
  if (typeof metric !== 'function' && !['mse', 'mae', 'accuracy'].includes(metric)) {
    throw new ValueError(`${op}: metric must be 'mse', 'mae', 'accuracy' or a function (yTrue, yPred) => number, received ${String(metric)}`);
  }
  const sign = typeof metric === 'function' ? (options.greaterIsBetter === false ? -1 : 1) : metric === 'accuracy' ? 1 : -1;
  const score = (p: Float32Array): number => {
    const v = typeof metric === 'function' ? metric(y, new Tensor(p, [n, base.width])) : builtIn(metric, y.data, p, n, base.width);
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValueError(`${op}: the metric returned ${String(v)}, expected a finite number`);
    return sign * v;
  };
  const baselineScore = score(base.data);
  const rng = makeRng(options.seed);
  const importances: number[][] = [];
  const shuffled = new Float32Array(x.size);
  for (let j = 0; j < features; j++) {
    const drops: number[] = [];
    for (let r = 0; r < repeats; r++) {
      shuffled.set(x.data);
      const perm = permutation(n, rng);
      for (let i = 0; i < n; i++) shuffled[i * features + j] = x.data[perm[i] * features + j];
      drops.push(baselineScore - score(predictRows(model, shuffled, [features]).data));
    }
    importances.push(drops);
  }
  const importancesMean = importances.map((d) => d.reduce((a, b) => a + b, 0) / repeats);
  const importancesStd = importances.map((d, j) => Math.sqrt(d.reduce((a, b) => a + (b - importancesMean[j]) ** 2, 0) / repeats));
  return { importancesMean, importancesStd, importances, baselineScore: sign * baselineScore };
}
