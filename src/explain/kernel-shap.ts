import { Tensor } from '../tensor/tensor.js';
import { ShapeError, ValueError } from '../util/errors.js';
import { checkOptionKeys } from '../util/options.js';
import { formatShape } from '../util/shape.js';
import { makeRng } from '../util/random.js';
import { positiveInt } from './gradients.js';
import { predictRows } from './predict.js';
import { allCoalitions, sampledCoalitions } from './coalitions.js';
import type { Coalitions } from './coalitions.js';
import type { Forwardable } from './target.js';

/** Options of `kernelShap`. */
export interface KernelShapOptions {
  /** Coalitions evaluated per instance; all 2^M − 2 are used when that is not more. Default 2M + 2048 (as the shap package). */
  nsamples?: number;
  /** Seed of the coalition sampling. */
  seed?: number | string;
  /** Column of the model's first output to explain; default 0. */
  target?: number;
}

/** SHAP values [instances, features], E f(background), and f(x) per instance; each row sums to f(x) − E f(background). */
export interface KernelShapResult {
  /** Shapley values [instances, features]. */
  shapValues: Tensor;
  /** E f(background) for the target column. */
  expectedValue: number;
  /** f(x) for the target column, per instance. */
  fx: number[];
}

/** Solves the symmetric system a·φ = b (n × n, row-major) by Gaussian elimination with partial pivoting. */
function solve(a: Float64Array, b: Float64Array, n: number): Float64Array {
  let scale = 1e-300;
  for (let i = 0; i < a.length; i++) scale = Math.max(scale, Math.abs(a[i]));
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r * n + col]) > Math.abs(a[piv * n + col])) piv = r;
    if (Math.abs(a[piv * n + col]) < 1e-12 * scale) {
      throw new ValueError('kernelShap: the sampled coalitions do not determine every feature; raise nsamples');
    }
    for (let k = 0; k < n; k++) { const t = a[col * n + k]; a[col * n + k] = a[piv * n + k]; a[piv * n + k] = t; }
    const tb = b[col]; b[col] = b[piv]; b[piv] = tb;
    for (let r = col + 1; r < n; r++) {
      const f = a[r * n + col] / a[col * n + col];
      for (let k = col; k < n; k++) a[r * n + k] -= f * a[col * n + k];
      b[r] -= f * b[col];
    }
  }
  const x = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r];
    for (let k = r + 1; k < n; k++) s -= a[r * n + k] * x[k];
    x[r] = s / a[r * n + r];
  }
  return x;
}

/** v(S) = mean over background rows of f with the coalition's features from x and the rest from the row. */
export function coalitionValues(model: Forwardable, xi: Float32Array, bg: Tensor, c: Coalitions, target: number): Float64Array {
  const [rows, m] = bg.shape;
  const data = new Float32Array(c.masks.length * rows * m);
  c.masks.forEach((z, k) => {
    for (let r = 0; r < rows; r++) for (let j = 0; j < m; j++) data[(k * rows + r) * m + j] = z[j] === 1 ? xi[j] : bg.data[r * m + j];
  });
  const { data: y, width } = predictRows(model, data, [m]);
  const v = new Float64Array(c.masks.length);
  for (let k = 0; k < c.masks.length; k++) {
    let s = 0;
    for (let r = 0; r < rows; r++) s += y[(k * rows + r) * width + target];
    v[k] = s / rows;
  }
  return v;
}

/**
 * Weighted least squares Σ_S w_S (v(S) − E f − Σ_j z_j φ_j)² subject to Σφ = f(x) − E f, the constraint
 * enforced exactly by eliminating the last feature: φ_last = Δ − Σ_{j<last} φ_j.
 */
function constrainedFit(c: Coalitions, v: Float64Array, ef: number, delta: number, m: number): Float64Array {
  const phi = new Float64Array(m);
  if (m === 1) { phi[0] = delta; return phi; }
  const n = m - 1;
  const ata = new Float64Array(n * n);
  const atb = new Float64Array(n);
  const row = new Float64Array(n);
  c.masks.forEach((z, k) => {
    const last = z[m - 1];
    for (let j = 0; j < n; j++) row[j] = z[j] - last;
    const t = v[k] - ef - last * delta;
    const w = c.weights[k];
    for (let i = 0; i < n; i++) {
      atb[i] += w * row[i] * t;
      for (let j = 0; j < n; j++) ata[i * n + j] += w * row[i] * row[j];
    }
  });
  const head = solve(ata, atb, n);
  let s = 0;
  for (let j = 0; j < n; j++) { phi[j] = head[j]; s += head[j]; }
  phi[n] = delta - s;
  return phi;
}

/**
 * Kernel SHAP (Lundberg & Lee 2017): Shapley values of each feature for each row of x, with absent
 * features filled from the background rows (interventional expectation), from Shapley-kernel-weighted
 * regression over coalitions (all of them when nsamples allows, else paired samples). Needs only predictions.
 * @example const { shapValues, expectedValue } = explain.kernelShap(model, slice(x, 0, 1), background, { seed: 0 });
 */
export function kernelShap(model: Forwardable, x: Tensor, background: Tensor, options: KernelShapOptions = {}): KernelShapResult {
  const op = 'kernelShap';
  checkOptionKeys(options, ['nsamples', 'seed', 'target'], op);
  if (!(x instanceof Tensor) || x.rank !== 2) throw new ShapeError(`${op}: expected x of shape [instances, features], received ${x instanceof Tensor ? formatShape(x.shape) : typeof x}`);
  const m = x.shape[1];
  if (!(background instanceof Tensor) || background.rank !== 2 || background.shape[1] !== m || background.shape[0] < 1) {
    throw new ShapeError(`${op}: expected background of shape [rows, ${m}] (the features of x), received ${background instanceof Tensor ? formatShape(background.shape) : typeof background}`);
  }
  const nsamples = positiveInt(options.nsamples ?? 2 * m + 2048, 'nsamples', op);
  const bgPred = predictRows(model, background.data, [m]);
  const target = options.target ?? 0;
  if (!Number.isInteger(target) || target < 0 || target >= bgPred.width) {
    throw new ValueError(`${op}: target must be an output column in [0, ${bgPred.width}), received ${String(target)}`);
  }
  let ef = 0;
  for (let r = 0; r < background.shape[0]; r++) ef += bgPred.data[r * bgPred.width + target];
  ef /= background.shape[0];
  const fxPred = predictRows(model, x.data, [m]);
  const rng = makeRng(options.seed);
  const exhaustive = m <= 30 && 2 ** m - 2 <= nsamples;
  const out = new Float32Array(x.size);
  const fx: number[] = [];
  for (let i = 0; i < x.shape[0]; i++) {
    const f = fxPred.data[i * fxPred.width + target];
    fx.push(f);
    const c = exhaustive ? allCoalitions(m) : sampledCoalitions(m, Math.max(1, Math.floor(nsamples / 2)), rng);
    const v = coalitionValues(model, x.data.subarray(i * m, (i + 1) * m), background, c, target);
    constrainedFit(c, v, ef, f - ef, m).forEach((p, j) => { out[i * m + j] = p; });
  }
  return { shapValues: new Tensor(out, x.shape), expectedValue: ef, fx };
}
