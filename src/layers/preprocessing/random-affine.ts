import { ValueError } from '../../util/errors.js';
import { checkOptionKeys } from '../../util/options.js';
import { makeRng, Rng } from '../../util/random.js';
import { affineTransform, FillModeId, fillModeIds } from '../../ops/affine-transform.js';
import { Tensor } from '../../tensor/tensor.js';
import { LayerConfig, read } from '../config.js';
import { CallContext, Layer, LayerOptions, Shape } from '../layer.js';
import { baseLayerOptions, layerOptionKeys } from '../option-keys.js';
import { checkImageShape } from '../reshaping/box2d.js';

export type { FillModeId } from '../../ops/affine-transform.js';

/** Options shared by the random image augmentation layers. */
export interface RandomAugmentOptions extends LayerOptions {
  /** Seed of this layer's stream; without it draws come from the global generator (`setSeed`). */
  seed?: number | null;
  /** How points outside the image are filled (default `'reflect'`, as Keras). */
  fillMode?: FillModeId;
  /** `'bilinear'` (default) or `'nearest'`. */
  interpolation?: 'bilinear' | 'nearest';
  /** The value of `'constant'` fill (default 0). */
  fillValue?: number;
}

/** A Keras factor: f means [−f, f], a pair [lo, hi] is the range; `what` names it. */
export function readFactor(value: unknown, what: string, { min = -Infinity } = {}): [number, number] {
  const range = typeof value === 'number' ? [-Math.abs(value), Math.abs(value)] : Array.isArray(value) && value.length === 2 ? [...value] : null;
  if (range === null || !range.every((v) => typeof v === 'number' && Number.isFinite(v) && v >= min) || range[0] > range[1]) {
    throw new ValueError(`${what}: expected a number or a range [lower, upper] (lower <= upper${min > -Infinity ? `, each >= ${min}` : ''}), received ${JSON.stringify(value)}`);
  }
  return [range[0], range[1]];
}

/** The shared option keys. */
export const AUGMENT_KEYS = ['seed', 'fillMode', 'interpolation', 'fillValue'];

/** The shared options read from a model.json config. */
export function augmentOptionsFromConfig(config: LayerConfig): RandomAugmentOptions {
  return {
    seed: read(config, 'seed', null),
    fillMode: read(config, 'fill_mode', 'reflect'),
    interpolation: read(config, 'interpolation', 'bilinear'),
    fillValue: read(config, 'fill_value', 0),
  };
}

/**
 * Shared body of RandomTranslation / RandomZoom / RandomRotation / RandomFlip: in training each image of the
 * batch gets its own random affine map (from `transformFor`), resampled with Keras's fill modes; in inference
 * the input passes unchanged. NOTE: the output is data, not a recorded op: gradients do not flow back
 * through augmentation (it sits at a model's input).
 */
export abstract class RandomAffine extends Layer {
  readonly seed: number | null;
  readonly fillMode: FillModeId;
  readonly interpolation: 'bilinear' | 'nearest';
  readonly fillValue: number;
  private readonly seededRng: Rng | null;

  constructor(options: RandomAugmentOptions, className: string, own: string[], shared = AUGMENT_KEYS) {
    checkOptionKeys(options, layerOptionKeys(...shared, ...own), className);
    super(baseLayerOptions({ ...options }), className);
    const what = this.describe();
    const seed = options.seed ?? null;
    if (seed !== null && !Number.isInteger(seed)) throw new ValueError(`${what}: expected an integer seed, received ${JSON.stringify(seed)}`);
    this.seed = seed;
    this.seededRng = seed === null ? null : makeRng(seed);
    const fillMode = options.fillMode ?? 'reflect';
    if (!fillModeIds.includes(fillMode)) {
      throw new ValueError(`${what}: expected fillMode one of ${fillModeIds.join(', ')}, received ${JSON.stringify(fillMode)}`);
    }
    this.fillMode = fillMode;
    const interpolation = options.interpolation ?? 'bilinear';
    if (interpolation !== 'bilinear' && interpolation !== 'nearest') {
      throw new ValueError(`${what}: expected interpolation 'bilinear' or 'nearest', received ${JSON.stringify(interpolation)}`);
    }
    this.interpolation = interpolation;
    const fillValue = options.fillValue ?? 0;
    if (typeof fillValue !== 'number' || !Number.isFinite(fillValue)) throw new ValueError(`${what}: expected a finite fillValue, received ${JSON.stringify(fillValue)}`);
    this.fillValue = fillValue;
  }

  /** The affine map [a0, a1, a2, b0, b1, b2] of one image (input x = a0·x + a1·y + a2, y = b0·x + b1·y + b2). */
  protected abstract transformFor(rng: Rng, height: number, width: number): number[];

  protected override checkInputShape(shape: Shape): void {
    checkImageShape(shape, this.describe());
  }

  computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  call(x: Tensor, ctx: CallContext): Tensor {
    if (!ctx.training) return x;
    const [batch, h, w] = x.shape;
    const rng = this.seededRng ?? makeRng();
    const transforms = Array.from({ length: batch }, () => this.transformFor(rng, h, w));
    return affineTransform(x, transforms, { fillMode: this.fillMode, fillValue: this.fillValue, interpolation: this.interpolation });
  }

  override getConfig(): Record<string, unknown> {
    return { seed: this.seed, fill_mode: this.fillMode, interpolation: this.interpolation, fill_value: this.fillValue, ...super.getConfig() };
  }
}

/** A uniform draw in [lo, hi]. */
export function uniform(rng: Rng, [lo, hi]: [number, number]): number {
  return lo + (hi - lo) * rng();
}
