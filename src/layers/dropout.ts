import { ShapeError, ValueError } from '../util/errors.js';
import { formatShape, sizeOf } from '../util/shape.js';
import { makeRng, Rng } from '../util/random.js';
import { Tensor } from '../tensor/tensor.js';
import { mul } from '../ops/arithmetic.js';
import { baseOptionsFromConfig, LayerConfig, read, required } from './config.js';
import { CallContext, Layer, LayerOptions, Shape } from './layer.js';
import { describeValue } from '../util/describe.js';

/** Options of `Dropout` besides the rate. */
export interface DropoutOptions extends LayerOptions {
  /** Seed of this layer's mask stream; without it masks come from the global generator (`setSeed`). */
  seed?: number | null;
  /** Shape of the mask, broadcast over the input (`null` entries take the input's size), as Keras's `noise_shape`. */
  noiseShape?: readonly (number | null)[] | null;
}

/**
 * Inverted dropout: with `training: true` each value is zeroed with probability `rate` and the
 * survivors scaled by 1/(1 − rate), so the expected output equals the input and inference needs no
 * rescaling; otherwise the input passes unchanged.
 * @example new Dropout(0.5, { seed: 1 }).apply(ones([2, 4]), { training: true });
 */
export class Dropout extends Layer {
  readonly className = 'Dropout';
  /** Passes the input's mask on, as Keras 3 does. */
  override supportsMasking = true;
  /** Probability of dropping each value. */
  readonly rate: number;
  /** Seed of the mask stream, or null. */
  readonly seed: number | null;
  /** Mask shape (with `null` for "as the input"), or null for the input's shape. */
  readonly noiseShape: (number | null)[] | null;
  private readonly seededRng: Rng | null;

  constructor(rate: number, { seed = null, noiseShape = null, ...options }: DropoutOptions = {}) {
    super(options, 'Dropout');
    if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) {
      throw new ValueError(`${this.describe()}: expected a rate in [0, 1), received ${describeValue(rate)}`);
    }
    if (seed !== null && !Number.isInteger(seed)) throw new ValueError(`${this.describe()}: expected an integer seed, received ${describeValue(seed)}`);
    if (noiseShape !== null && (!Array.isArray(noiseShape) || noiseShape.some((d) => d !== null && (!Number.isInteger(d) || d <= 0)))) {
      throw new ValueError(`${this.describe()}: expected noiseShape of positive integers or nulls, received ${describeValue(noiseShape)}`);
    }
    this.rate = rate;
    this.seed = seed;
    this.noiseShape = noiseShape === null ? null : [...noiseShape];
    // A seeded layer owns one stream: successive calls draw successive masks, reproducibly.
    this.seededRng = seed === null ? null : makeRng(seed);
  }

  /** Builds a Dropout from its model.json config. */
  static fromConfig(config: LayerConfig): Dropout {
    return new Dropout(required('Dropout', config, 'rate'), {
      seed: read(config, 'seed', null),
      noiseShape: read(config, 'noise_shape', null),
      ...baseOptionsFromConfig('Dropout', config),
    });
  }

  computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  /** Any shape, as long as `noiseShape` (when given) broadcasts to it. */
  protected override checkInputShape(shape: Shape): void {
    if (this.noiseShape !== null) this.maskShape(shape);
  }

  /** The mask's shape for an input: `noiseShape` with nulls filled in; each entry must be 1 or the input's size. */
  private maskShape(shape: Shape): (number | null)[] {
    const noise = this.noiseShape ?? shape;
    const resolved = noise.map((d, i) => (d === null ? shape[i] : d));
    const fits = noise.length === shape.length && resolved.every((d, i) => d === 1 || shape[i] === null || d === shape[i]);
    if (!fits) {
      throw new ShapeError(`${this.describe()}: noiseShape ${formatShape(noise)} does not broadcast to the input shape ${formatShape(shape)}`);
    }
    return resolved;
  }

  call(x: Tensor, ctx: CallContext): Tensor {
    if (!ctx.training || this.rate === 0) return x;
    const shape = this.maskShape(x.shape as Shape) as number[];
    const rng = this.seededRng ?? makeRng();
    const keep = 1 - this.rate;
    const mask = new Float32Array(sizeOf(shape));
    for (let i = 0; i < mask.length; i++) mask[i] = rng() < keep ? 1 / keep : 0;
    return mul(x, new Tensor(mask, shape));
  }

  override getConfig(): Record<string, unknown> {
    return { rate: this.rate, noise_shape: this.noiseShape, seed: this.seed, ...super.getConfig() };
  }
}
