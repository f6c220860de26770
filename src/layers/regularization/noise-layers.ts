import { ShapeError, ValueError } from '../../util/errors.js';
import { formatShape, sizeOf } from '../../util/shape.js';
import { checkOptionKeys } from '../../util/options.js';
import { makeRng, normal, Rng } from '../../util/random.js';
import { Tensor } from '../../tensor/tensor.js';
import { add, mul } from '../../ops/arithmetic.js';
import { baseOptionsFromConfig, LayerConfig, read, required } from '../config.js';
import { CallContext, Layer, LayerOptions, Shape } from '../layer.js';
import { baseLayerOptions, layerOptionKeys } from '../option-keys.js';

/** Options of the noise layers besides their rate / stddev. */
export interface NoiseOptions extends LayerOptions {
  /** Seed of this layer's noise stream; without it the noise comes from the global generator (`setSeed`). */
  seed?: number | null;
}

/**
 * Shared body of the layers that act only in training (inference passes the input unchanged): a checked
 * rate in [0, 1) (or a stddev >= 0), a seeded stream, and `noise(x)` drawn from it.
 */
abstract class NoiseLayer extends Layer {
  readonly seed: number | null;
  private readonly seededRng: Rng | null;

  constructor(options: NoiseOptions, className: string) {
    checkOptionKeys(options, layerOptionKeys('seed'), className);
    super(baseLayerOptions({ ...options }), className);
    const seed = options.seed ?? null;
    if (seed !== null && !Number.isInteger(seed)) throw new ValueError(`${this.describe()}: expected an integer seed, received ${JSON.stringify(seed)}`);
    this.seed = seed;
    // A seeded layer owns one stream: successive calls draw successive noise, reproducibly.
    this.seededRng = seed === null ? null : makeRng(seed);
  }

  /** The generator of one call. */
  protected rng(): Rng {
    return this.seededRng ?? makeRng();
  }

  /** A rate in [0, 1), checked. */
  protected checkRate(rate: unknown): number {
    if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) throw new ValueError(`${this.describe()}: expected a rate in [0, 1), received ${JSON.stringify(rate)}`);
    return rate;
  }

  protected override checkInputShape(shape: Shape): void {
    void shape;
  }

  computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  /** The training-time transform. */
  protected abstract noise(x: Tensor): Tensor;

  call(x: Tensor, ctx: CallContext): Tensor {
    return ctx.training ? this.noise(x) : x;
  }

  override getConfig(): Record<string, unknown> {
    return { seed: this.seed, ...super.getConfig() };
  }
}

/** Shared body of SpatialDropout1D / 2D: one keep-or-drop per (sample, channel), scaled by 1 / (1 − rate). */
abstract class SpatialDropout extends NoiseLayer {
  readonly rate: number;
  protected abstract readonly rank: number;

  constructor(rate: number, options: NoiseOptions, className: string) {
    super(options, className);
    this.rate = this.checkRate(rate);
  }

  protected override checkInputShape(shape: Shape): void {
    if (shape.length !== this.rank) throw new ShapeError(`${this.describe()}: expected an input of rank ${this.rank} (channels last), received ${formatShape(shape)}`);
  }

  protected noise(x: Tensor): Tensor {
    if (this.rate === 0) return x;
    const shape = x.shape.map((d, i) => (i === 0 || i === x.rank - 1 ? d : 1));
    const rng = this.rng();
    const keep = 1 - this.rate;
    const mask = new Float32Array(sizeOf(shape));
    for (let i = 0; i < mask.length; i++) mask[i] = rng() < keep ? 1 / keep : 0;
    return mul(x, new Tensor(mask, shape));
  }

  override getConfig(): Record<string, unknown> {
    return { rate: this.rate, ...super.getConfig() };
  }
}

/**
 * Drops whole feature channels of `[batch, steps, channels]` sequences in training.
 * @example new SpatialDropout1D(0.5, { seed: 1 }).apply(ones([2, 5, 3]), { training: true });
 */
export class SpatialDropout1D extends SpatialDropout {
  readonly className = 'SpatialDropout1D';
  protected readonly rank = 3;
  constructor(rate: number, options: NoiseOptions = {}) {
    super(rate, options, 'SpatialDropout1D');
  }
  /** Builds a SpatialDropout1D from its model.json config. */
  static fromConfig(config: LayerConfig): SpatialDropout1D {
    return new SpatialDropout1D(required('SpatialDropout1D', config, 'rate'), { seed: read(config, 'seed', null), ...baseOptionsFromConfig('SpatialDropout1D', config) });
  }
}

/**
 * Drops whole channels of NHWC feature maps in training.
 * @example new SpatialDropout2D(0.2).apply(x, { training: true });
 */
export class SpatialDropout2D extends SpatialDropout {
  readonly className = 'SpatialDropout2D';
  protected readonly rank = 4;
  constructor(rate: number, options: NoiseOptions = {}) {
    super(rate, options, 'SpatialDropout2D');
  }
  /** Builds a SpatialDropout2D from its model.json config. */
  static fromConfig(config: LayerConfig): SpatialDropout2D {
    return new SpatialDropout2D(required('SpatialDropout2D', config, 'rate'), { seed: read(config, 'seed', null), ...baseOptionsFromConfig('SpatialDropout2D', config) });
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), data_format: 'channels_last' };
  }
}

/** Normal deviates N(mean, stddev²) of `shape`, from `rng`. */
function normals(shape: readonly number[], rng: Rng, mean: number, stddev: number): Tensor {
  const out = new Float32Array(sizeOf(shape));
  for (let i = 0; i < out.length; i++) out[i] = mean + stddev * normal(rng);
  return new Tensor(out, shape);
}

/**
 * Adds N(0, stddev²) noise in training.
 * @example new GaussianNoise(0.1).apply(x, { training: true });
 */
export class GaussianNoise extends NoiseLayer {
  readonly className = 'GaussianNoise';
  readonly stddev: number;
  constructor(stddev: number, options: NoiseOptions = {}) {
    super(options, 'GaussianNoise');
    if (typeof stddev !== 'number' || !Number.isFinite(stddev) || stddev < 0) {
      throw new ValueError(`${this.describe()}: expected a stddev >= 0, received ${JSON.stringify(stddev)}`);
    }
    this.stddev = stddev;
  }
  /** Builds a GaussianNoise from its model.json config. */
  static fromConfig(config: LayerConfig): GaussianNoise {
    return new GaussianNoise(required('GaussianNoise', config, 'stddev'), { seed: read(config, 'seed', null), ...baseOptionsFromConfig('GaussianNoise', config) });
  }
  protected noise(x: Tensor): Tensor {
    return add(x, normals(x.shape, this.rng(), 0, this.stddev));
  }
  override getConfig(): Record<string, unknown> {
    return { stddev: this.stddev, ...super.getConfig() };
  }
}

/**
 * Multiplies by N(1, rate / (1 − rate)) noise in training (mean-preserving, as Keras).
 * @example new GaussianDropout(0.2).apply(x, { training: true });
 */
export class GaussianDropout extends NoiseLayer {
  readonly className = 'GaussianDropout';
  readonly rate: number;
  constructor(rate: number, options: NoiseOptions = {}) {
    super(options, 'GaussianDropout');
    this.rate = this.checkRate(rate);
  }
  /** Builds a GaussianDropout from its model.json config. */
  static fromConfig(config: LayerConfig): GaussianDropout {
    return new GaussianDropout(required('GaussianDropout', config, 'rate'), { seed: read(config, 'seed', null), ...baseOptionsFromConfig('GaussianDropout', config) });
  }
  protected noise(x: Tensor): Tensor {
    if (this.rate === 0) return x;
    return mul(x, normals(x.shape, this.rng(), 1, Math.sqrt(this.rate / (1 - this.rate))));
  }
  override getConfig(): Record<string, unknown> {
    return { rate: this.rate, ...super.getConfig() };
  }
}

/** SELU's constants: the negative saturation value is −scale·alpha. */
const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/**
 * Dropout for self-normalizing (SELU) networks (Keras): dropped values are set to α' = −scale·alpha, then
 * y = a·x + b with a = ((1 − rate)(1 + rate·α'²))^(−1/2), b = −a·α'·rate, keeping mean and variance.
 * @example new AlphaDropout(0.1).apply(x, { training: true });
 */
export class AlphaDropout extends NoiseLayer {
  readonly className = 'AlphaDropout';
  readonly rate: number;
  constructor(rate: number, options: NoiseOptions = {}) {
    super(options, 'AlphaDropout');
    this.rate = this.checkRate(rate);
  }
  /** Builds an AlphaDropout from its model.json config. */
  static fromConfig(config: LayerConfig): AlphaDropout {
    return new AlphaDropout(required('AlphaDropout', config, 'rate'), { seed: read(config, 'seed', null), ...baseOptionsFromConfig('AlphaDropout', config) });
  }
  protected noise(x: Tensor): Tensor {
    if (this.rate === 0) return x;
    const alphaP = -SELU_ALPHA * SELU_SCALE;
    const a = ((1 - this.rate) * (1 + this.rate * alphaP * alphaP)) ** -0.5;
    const b = -a * alphaP * this.rate;
    const rng = this.rng();
    const scale = new Float32Array(x.size);
    const offset = new Float32Array(x.size);
    for (let i = 0; i < x.size; i++) {
      const kept = rng() >= this.rate;
      scale[i] = kept ? a : 0;
      offset[i] = kept ? b : a * alphaP + b;
    }
    return add(mul(x, new Tensor(scale, x.shape)), new Tensor(offset, x.shape));
  }
  override getConfig(): Record<string, unknown> {
    return { rate: this.rate, ...super.getConfig() };
  }
}
