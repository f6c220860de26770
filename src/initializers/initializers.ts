import { ValueError } from '../util/errors.js';
import { makeRng, normal, Rng } from '../util/random.js';
import { sizeOf } from '../util/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { describeValue } from '../util/describe.js';

/** Makes the initial values of a weight of `shape`. */
export type Initializer = (shape: readonly number[]) => Tensor;

/** Keras string ids of the built-in initializers (snake_case; camelCase also accepted). */
export type InitializerId =
  | 'zeros'
  | 'ones'
  | 'glorot_uniform'
  | 'glorot_normal'
  | 'he_uniform'
  | 'he_normal'
  | 'lecun_uniform'
  | 'lecun_normal'
  | 'orthogonal'
  | 'random_normal'
  | 'random_uniform'
  | 'truncated_normal'
  | 'identity';

/** Which fan variance scaling divides by. */
export type FanMode = 'fan_in' | 'fan_out' | 'fan_avg';

/** Variance scaling's distributions, Keras 3 names. */
export type Distribution = 'uniform' | 'truncated_normal' | 'untruncated_normal';

/** A per-initializer seed: `null`/`undefined` draws from the global stream (`setSeed`). */
export type Seed = number | null | undefined;

/**
 * Keras's fan computation: for a kernel `[..receptive, in, out]` (Dense `[in, out]`,
 * Conv2D `[kh, kw, in, out]`) fanIn = receptive·in and fanOut = receptive·out.
 * @example initializers.computeFans([3, 3, 16, 32]); // { fanIn: 144, fanOut: 288 }
 */
export function computeFans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0], fanOut: shape[0] };
  if (shape.length === 2) return { fanIn: shape[0], fanOut: shape[1] };
  const receptive = sizeOf(shape.slice(0, -2));
  return { fanIn: receptive * shape[shape.length - 2], fanOut: receptive * shape[shape.length - 1] };
}

function filled(shape: readonly number[], draw: () => number): Tensor {
  const data = new Float32Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = draw();
  return new Tensor(data, shape);
}

function rngFor(seed: Seed): Rng {
  return makeRng(seed ?? undefined);
}

/** Unit normal truncated to [−2, 2] by redrawing, as Keras's truncated normal. */
function truncated(rng: Rng): number {
  for (;;) {
    const z = normal(rng);
    if (Math.abs(z) <= 2) return z;
  }
}

/**
 * Every element equal to `value` (Keras `Constant`).
 * @example new Dense(4, { biasInitializer: initializers.constantInitializer(0.1) });
 */
export function constantInitializer(value: number): Initializer {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ValueError(`Constant initializer: expected a finite number value, received ${describeValue(value)}`);
  }
  return (shape) => filled(shape, () => value);
}

/**
 * Normal samples N(mean, stddev²) (Keras `RandomNormal`, defaults 0 and 0.05).
 * @example new Dense(4, { kernelInitializer: initializers.randomNormalInitializer({ stddev: 0.02, seed: 1 }) });
 */
export function randomNormalInitializer({ mean = 0, stddev = 0.05, seed }: { mean?: number; stddev?: number; seed?: Seed } = {}): Initializer {
  return (shape) => {
    const rng = rngFor(seed);
    return filled(shape, () => mean + stddev * normal(rng));
  };
}

/**
 * Uniform samples in [minval, maxval) (Keras `RandomUniform`, defaults ±0.05).
 * @example initializers.randomUniformInitializer({ minval: -0.1, maxval: 0.1, seed: 1 })([2, 2]).shape; // [2, 2]
 */
export function randomUniformInitializer({ minval = -0.05, maxval = 0.05, seed }: { minval?: number; maxval?: number; seed?: Seed } = {}): Initializer {
  if (!(maxval >= minval)) throw new ValueError(`RandomUniform initializer: expected minval <= maxval, received minval=${minval}, maxval=${maxval}`);
  return (shape) => {
    const rng = rngFor(seed);
    return filled(shape, () => minval + (maxval - minval) * rng());
  };
}

/**
 * Normal samples redrawn when further than two standard deviations from the mean (Keras `TruncatedNormal`).
 * @example initializers.truncatedNormalInitializer({ stddev: 0.1, seed: 3 })([100]); // every value within ±0.2
 */
export function truncatedNormalInitializer({ mean = 0, stddev = 0.05, seed }: { mean?: number; stddev?: number; seed?: Seed } = {}): Initializer {
  return (shape) => {
    const rng = rngFor(seed);
    return filled(shape, () => mean + stddev * truncated(rng));
  };
}

/**
 * Variance scaling (Keras): variance = scale / n with n = fanIn, fanOut or their mean; uniform on
 * ±sqrt(3·variance) (the variance of U(−a, a) is a²/3); an untruncated normal of σ = sqrt(variance); or a
 * normal truncated at 2σ whose σ is divided by 0.87962566103423978, the standard deviation of a unit
 * normal truncated to [−2, 2], so the result still has the requested variance.
 * @example new Dense(4, { kernelInitializer: initializers.varianceScaling(2, 'fan_in', 'truncated_normal', 7) }); // He normal
 */
export function varianceScaling(scale: number, mode: FanMode, distribution: Distribution, seed?: Seed): Initializer {
  if (!(scale > 0)) throw new ValueError(`VarianceScaling initializer: expected a positive scale, received ${scale}`);
  return (shape) => {
    const { fanIn, fanOut } = computeFans(shape);
    const n = mode === 'fan_in' ? fanIn : mode === 'fan_out' ? fanOut : (fanIn + fanOut) / 2;
    const variance = scale / Math.max(1, n);
    const rng = rngFor(seed);
    if (distribution === 'uniform') {
      const limit = Math.sqrt(3 * variance);
      return filled(shape, () => (2 * rng() - 1) * limit);
    }
    if (distribution === 'untruncated_normal') {
      const stddev = Math.sqrt(variance);
      return filled(shape, () => stddev * normal(rng));
    }
    const stddev = Math.sqrt(variance) / 0.87962566103423978;
    return filled(shape, () => stddev * truncated(rng));
  };
}

/**
 * Orthogonal matrix (Keras): QR of a normal matrix of shape [rows, cols] = [prod(shape[:-1]), shape[-1]]
 * (transposed when rows < cols), with Q's columns sign-corrected by diag(R), times `gain`.
 * @example
 * const q = initializers.orthogonal(1, 5)([3, 3]);
 * matmul(q, q, { transposeA: true }); // ≈ the identity
 */
export function orthogonal(gain = 1, seed?: Seed): Initializer {
  return (shape) => {
    if (shape.length < 2) throw new ValueError(`Orthogonal initializer: expected a shape of rank >= 2, received rank ${shape.length}`);
    const cols = shape[shape.length - 1];
    const rows = sizeOf(shape) / cols;
    const [r, c] = rows < cols ? [cols, rows] : [rows, cols];
    const rng = rngFor(seed);
    // Modified Gram–Schmidt on the columns of an r×c normal matrix (r >= c), in float64. Its Q already has
    // diag(R) > 0 (each norm is positive), which is the sign correction Keras applies after its QR.
    const m = Array.from({ length: c }, () => Float64Array.from({ length: r }, () => normal(rng)));
    for (let j = 0; j < c; j++) {
      for (let p = 0; p < j; p++) {
        let dot = 0;
        for (let i = 0; i < r; i++) dot += m[p][i] * m[j][i];
        for (let i = 0; i < r; i++) m[j][i] -= dot * m[p][i];
      }
      let norm = 0;
      for (let i = 0; i < r; i++) norm += m[j][i] * m[j][i];
      norm = Math.sqrt(norm) || 1;
      for (let i = 0; i < r; i++) m[j][i] /= norm;
    }
    const data = new Float32Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) data[i * cols + j] = gain * (rows < cols ? m[i][j] : m[j][i]);
    }
    return new Tensor(data, shape);
  };
}

/**
 * `gain` times the identity matrix (Keras `Identity`); only for rank-2 shapes, square or not.
 * @example initializers.identityInitializer(2)([2, 2]).toArray(); // [[2, 0], [0, 2]]
 */
export function identityInitializer(gain = 1): Initializer {
  return (shape) => {
    if (shape.length !== 2) throw new ValueError(`Identity initializer: expected a rank-2 shape, received ${describeValue(shape)}`);
    const [rows, cols] = shape;
    const data = new Float32Array(rows * cols);
    for (let i = 0; i < Math.min(rows, cols); i++) data[i * cols + i] = gain;
    return new Tensor(data, shape);
  };
}

const builtIns: Record<InitializerId, () => Initializer> = {
  zeros: () => constantInitializer(0),
  ones: () => constantInitializer(1),
  glorot_uniform: () => varianceScaling(1, 'fan_avg', 'uniform'),
  glorot_normal: () => varianceScaling(1, 'fan_avg', 'truncated_normal'),
  he_uniform: () => varianceScaling(2, 'fan_in', 'uniform'),
  he_normal: () => varianceScaling(2, 'fan_in', 'truncated_normal'),
  lecun_uniform: () => varianceScaling(1, 'fan_in', 'uniform'),
  lecun_normal: () => varianceScaling(1, 'fan_in', 'truncated_normal'),
  orthogonal: () => orthogonal(),
  random_normal: () => randomNormalInitializer(),
  random_uniform: () => randomUniformInitializer(),
  truncated_normal: () => truncatedNormalInitializer(),
  identity: () => identityInitializer(),
};

/**
 * snake_case form of a Keras id written in camelCase (`glorotUniform` → `glorot_uniform`, `leCunNormal` → `lecun_normal`).
 * @example initializers.snakeCase('glorotUniform'); // 'glorot_uniform'
 */
export function snakeCase(id: string): string {
  return id
    .replace(/^leCun/, 'lecun')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** The ids `getInitializer` accepts. */
export const initializerIds = Object.keys(builtIns) as InitializerId[];

/**
 * The canonical snake_case id of `id`, or undefined when it names no built-in initializer.
 * @example
 * initializers.canonicalInitializerId('heNormal'); // 'he_normal'
 * initializers.canonicalInitializerId('nope'); // undefined
 */
export function canonicalInitializerId(id: string): InitializerId | undefined {
  const key = snakeCase(id);
  return Object.prototype.hasOwnProperty.call(builtIns, key) ? (key as InitializerId) : undefined;
}

/**
 * Resolves a Keras initializer id (`'glorot_uniform'`, `'glorotUniform'`) or passes a function through.
 * @example getInitializer('he_normal')([3, 4]);
 */
export function getInitializer(id: InitializerId | string | Initializer): Initializer {
  if (typeof id === 'function') return id;
  const key = typeof id === 'string' ? canonicalInitializerId(id) : undefined;
  if (key === undefined) {
    throw new ValueError(`Unknown initializer ${describeValue(id)}; expected one of: ${initializerIds.join(', ')} (or a function)`);
  }
  return builtIns[key]();
}
