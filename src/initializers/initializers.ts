import { ValueError } from '../util/errors.js';
import { makeRng, normal, Rng } from '../util/random.js';
import { sizeOf } from '../util/shape.js';
import { Tensor } from '../tensor/tensor.js';

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
  | 'truncated_normal';

/**
 * Keras's fan computation: for a kernel `[..receptive, in, out]` (Dense `[in, out]`,
 * Conv2D `[kh, kw, in, out]`) fanIn = receptive·in and fanOut = receptive·out.
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

/** Normal truncated to two standard deviations by redrawing, as Keras's truncated normal. */
function truncated(rng: Rng, stddev: number): number {
  for (;;) {
    const z = normal(rng);
    if (Math.abs(z) <= 2) return z * stddev;
  }
}

/**
 * Variance scaling (Keras): variance = scale / n with n = fanIn, fanOut or their mean; uniform on
 * ±sqrt(3·variance), or a normal truncated at 2σ whose σ is corrected by 0.87962566103423978
 * (the standard deviation of a unit normal truncated to [−2, 2]).
 */
export function varianceScaling(
  scale: number,
  mode: 'fan_in' | 'fan_out' | 'fan_avg',
  distribution: 'uniform' | 'truncated_normal',
  seed?: number,
): Initializer {
  return (shape) => {
    const { fanIn, fanOut } = computeFans(shape);
    const n = mode === 'fan_in' ? fanIn : mode === 'fan_out' ? fanOut : (fanIn + fanOut) / 2;
    const variance = scale / Math.max(1, n);
    const rng = makeRng(seed);
    if (distribution === 'uniform') {
      const limit = Math.sqrt(3 * variance);
      return filled(shape, () => (2 * rng() - 1) * limit);
    }
    const stddev = Math.sqrt(variance) / 0.87962566103423978;
    return filled(shape, () => truncated(rng, stddev));
  };
}

/**
 * Orthogonal matrix (Keras): QR of a normal matrix of shape [rows, cols] = [prod(shape[:-1]), shape[-1]]
 * (transposed when rows < cols), with Q's columns sign-corrected by diag(R), times `gain`.
 */
export function orthogonal(gain = 1, seed?: number): Initializer {
  return (shape) => {
    if (shape.length < 2) throw new ValueError(`orthogonal: expected a shape of rank >= 2, received rank ${shape.length}`);
    const cols = shape[shape.length - 1];
    const rows = sizeOf(shape) / cols;
    const [r, c] = rows < cols ? [cols, rows] : [rows, cols];
    const rng = makeRng(seed);
    // Modified Gram–Schmidt on the columns of an r×c normal matrix (r >= c), in float64.
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

const builtIns: Record<InitializerId, () => Initializer> = {
  zeros: () => (shape) => filled(shape, () => 0),
  ones: () => (shape) => filled(shape, () => 1),
  glorot_uniform: () => varianceScaling(1, 'fan_avg', 'uniform'),
  glorot_normal: () => varianceScaling(1, 'fan_avg', 'truncated_normal'),
  he_uniform: () => varianceScaling(2, 'fan_in', 'uniform'),
  he_normal: () => varianceScaling(2, 'fan_in', 'truncated_normal'),
  lecun_uniform: () => varianceScaling(1, 'fan_in', 'uniform'),
  lecun_normal: () => varianceScaling(1, 'fan_in', 'truncated_normal'),
  orthogonal: () => orthogonal(),
  // Keras defaults: RandomNormal(0, 0.05), RandomUniform(-0.05, 0.05), TruncatedNormal(0, 0.05).
  random_normal: () => (shape) => {
    const rng = makeRng();
    return filled(shape, () => 0.05 * normal(rng));
  },
  random_uniform: () => (shape) => {
    const rng = makeRng();
    return filled(shape, () => -0.05 + 0.1 * rng());
  },
  truncated_normal: () => (shape) => {
    const rng = makeRng();
    return filled(shape, () => truncated(rng, 0.05));
  },
};

/** snake_case form of a Keras id written in camelCase (`glorotUniform` → `glorot_uniform`). */
export function snakeCase(id: string): string {
  return id.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** The ids `getInitializer` accepts. */
export const initializerIds = Object.keys(builtIns) as InitializerId[];

/**
 * Resolves a Keras initializer id (`'glorot_uniform'`, `'glorotUniform'`) or passes a function through.
 * @example getInitializer('he_normal')([3, 4]);
 */
export function getInitializer(id: InitializerId | string | Initializer): Initializer {
  if (typeof id === 'function') return id;
  const key = snakeCase(String(id)) as InitializerId;
  const make = builtIns[key];
  if (make === undefined) {
    throw new ValueError(`Unknown initializer '${id}'; expected one of: ${initializerIds.join(', ')} (or a function)`);
  }
  return make();
}
