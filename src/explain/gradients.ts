import { Tensor } from '../tensor/tensor.js';
import { checkOptionKeys } from '../util/options.js';
import { ValueError } from '../util/errors.js';
import { makeRng, normal } from '../util/random.js';
import { checkInput, checkTarget, targetGradient } from './target.js';
import type { Forwardable, Target } from './target.js';

/** Options of `saliency` and `gradientTimesInput`. */
export interface SaliencyOptions {
  /** Class index of the first output, or a function of the outputs giving one value per sample. */
  target: Target;
  /** Keep the sign: default false (absolute values) for saliency and smoothGrad, true for gradientTimesInput. */
  signed?: boolean;
}

/** Options of `smoothGrad`. */
export interface SmoothGradOptions extends SaliencyOptions {
  /** Noise standard deviation as a fraction of each sample's value range (max − min); default 0.15. */
  noiseLevel?: number;
  /** Noisy copies averaged; default 25. */
  samples?: number;
  /** Seed of the noise. */
  seed?: number | string;
}

/** Reads a positive integer option. */
export function positiveInt(value: unknown, name: string, op: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new ValueError(`${op}: ${name} must be a positive integer, received ${String(value)}`);
  return value;
}

function maybeAbs(g: Float32Array, signed: boolean): Float32Array {
  if (!signed) for (let i = 0; i < g.length; i++) g[i] = Math.abs(g[i]);
  return g;
}

/**
 * Saliency map (Simonyan et al. 2014): ∂y/∂x per input value, its absolute value unless `signed`.
 * @example const map = explain.saliency(model, x, { target: 3 });
 */
export function saliency(model: Forwardable, x: Tensor, options: SaliencyOptions): Tensor {
  checkOptionKeys(options, ['target', 'signed'], 'saliency');
  checkInput(x, 'saliency');
  const { grad } = targetGradient(model, x, checkTarget(options.target, 'saliency'), 'saliency');
  return new Tensor(maybeAbs(new Float32Array(grad), options.signed === true), x.shape);
}

/**
 * Gradient × input (Shrikumar et al. 2016): x · ∂y/∂x, signed (absolute with `signed: false`).
 * @example const attributions = explain.gradientTimesInput(model, x, { target: 0 }); // same shape as x, signed
 */
export function gradientTimesInput(model: Forwardable, x: Tensor, options: SaliencyOptions): Tensor {
  checkOptionKeys(options, ['target', 'signed'], 'gradientTimesInput');
  checkInput(x, 'gradientTimesInput');
  const { grad } = targetGradient(model, x, checkTarget(options.target, 'gradientTimesInput'), 'gradientTimesInput');
  const out = new Float32Array(grad.length);
  for (let i = 0; i < out.length; i++) out[i] = grad[i] * x.data[i];
  return new Tensor(maybeAbs(out, options.signed !== false), x.shape);
}

/**
 * SmoothGrad (Smilkov et al. 2017): the mean gradient over `samples` copies of x with Gaussian noise of
 * standard deviation noiseLevel · (max − min) of each sample; absolute value of each gradient unless `signed`.
 * @example const map = explain.smoothGrad(model, x, { target: 0, samples: 10, noiseLevel: 0.1, seed: 1 }); // |∂y/∂x| averaged over noisy copies
 */
export function smoothGrad(model: Forwardable, x: Tensor, options: SmoothGradOptions): Tensor {
  checkOptionKeys(options, ['target', 'signed', 'noiseLevel', 'samples', 'seed'], 'smoothGrad');
  checkInput(x, 'smoothGrad');
  const target = checkTarget(options.target, 'smoothGrad');
  const samples = positiveInt(options.samples ?? 25, 'samples', 'smoothGrad');
  const noiseLevel = options.noiseLevel ?? 0.15;
  if (typeof noiseLevel !== 'number' || !(noiseLevel >= 0) || !Number.isFinite(noiseLevel)) {
    throw new ValueError(`smoothGrad: noiseLevel must be a finite number >= 0, received ${String(noiseLevel)}`);
  }
  const rng = makeRng(options.seed);
  const batch = x.shape[0];
  const per = x.size / batch;
  const sigma = new Float64Array(batch);
  for (let n = 0; n < batch; n++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = n * per; i < (n + 1) * per; i++) { lo = Math.min(lo, x.data[i]); hi = Math.max(hi, x.data[i]); }
    sigma[n] = noiseLevel * (hi - lo);
  }
  const acc = new Float64Array(x.size);
  const noisy = new Float32Array(x.size);
  for (let s = 0; s < samples; s++) {
    for (let i = 0; i < x.size; i++) noisy[i] = x.data[i] + sigma[Math.floor(i / per)] * normal(rng);
    const { grad } = targetGradient(model, new Tensor(noisy, x.shape), target, 'smoothGrad');
    for (let i = 0; i < acc.length; i++) acc[i] += options.signed === true ? grad[i] : Math.abs(grad[i]);
  }
  return new Tensor(Float32Array.from(acc, (v) => v / samples), x.shape);
}
