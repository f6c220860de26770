import { ValueError } from '../../util/errors.js';
import { Rng } from '../../util/random.js';
import { baseOptionsFromConfig, LayerConfig, read, required } from '../config.js';
import { augmentOptionsFromConfig, RandomAffine, RandomAugmentOptions, readFactor, uniform } from './random-affine.js';

/**
 * Shifts each image by a random fraction of its size in training (Keras): `heightFactor` 0.1 moves up to
 * ±10 % of the height, a range [lo, hi] picks within it; positive values move the content down / right.
 * @example new RandomTranslation(0.1, 0.1, { seed: 1 }).apply(images, { training: true });
 */
export class RandomTranslation extends RandomAffine {
  readonly className = 'RandomTranslation';
  readonly heightFactor: [number, number];
  readonly widthFactor: [number, number];

  constructor(heightFactor: number | [number, number], widthFactor: number | [number, number], options: RandomAugmentOptions = {}) {
    super({ ...options }, 'RandomTranslation', []);
    this.heightFactor = readFactor(heightFactor, `${this.describe()} heightFactor`);
    this.widthFactor = readFactor(widthFactor, `${this.describe()} widthFactor`);
  }

  /** Builds a RandomTranslation from its model.json config. */
  static fromConfig(config: LayerConfig): RandomTranslation {
    return new RandomTranslation(required('RandomTranslation', config, 'height_factor'), required('RandomTranslation', config, 'width_factor'), {
      ...augmentOptionsFromConfig(config),
      ...baseOptionsFromConfig('RandomTranslation', config),
    });
  }

  protected transformFor(rng: Rng, height: number, width: number): number[] {
    const dy = uniform(rng, this.heightFactor) * height;
    const dx = uniform(rng, this.widthFactor) * width;
    return [1, 0, -dx, 0, 1, -dy];
  }

  override getConfig(): Record<string, unknown> {
    return { height_factor: [...this.heightFactor], width_factor: [...this.widthFactor], ...super.getConfig() };
  }
}

/**
 * Zooms each image about its center in training (Keras): the sampled region is 1 + f times the image,
 * f drawn from `heightFactor` (negative zooms in, positive out); `widthFactor` null keeps the aspect ratio.
 * @example new RandomZoom(0.2, null, { seed: 1 }).apply(images, { training: true });
 */
export class RandomZoom extends RandomAffine {
  readonly className = 'RandomZoom';
  readonly heightFactor: [number, number];
  readonly widthFactor: [number, number] | null;

  constructor(heightFactor: number | [number, number], widthFactor: number | [number, number] | null = null, options: RandomAugmentOptions = {}) {
    super({ ...options }, 'RandomZoom', []);
    this.heightFactor = readFactor(heightFactor, `${this.describe()} heightFactor`, { min: -1 });
    this.widthFactor = widthFactor === null ? null : readFactor(widthFactor, `${this.describe()} widthFactor`, { min: -1 });
  }

  /** Builds a RandomZoom from its model.json config. */
  static fromConfig(config: LayerConfig): RandomZoom {
    return new RandomZoom(required('RandomZoom', config, 'height_factor'), read(config, 'width_factor', null), {
      ...augmentOptionsFromConfig(config),
      ...baseOptionsFromConfig('RandomZoom', config),
    });
  }

  protected transformFor(rng: Rng, height: number, width: number): number[] {
    const zy = 1 + uniform(rng, this.heightFactor);
    const zx = this.widthFactor === null ? zy : 1 + uniform(rng, this.widthFactor);
    return [zx, 0, ((width - 1) / 2) * (1 - zx), 0, zy, ((height - 1) / 2) * (1 - zy)];
  }

  override getConfig(): Record<string, unknown> {
    return { height_factor: [...this.heightFactor], width_factor: this.widthFactor === null ? null : [...this.widthFactor], ...super.getConfig() };
  }
}

/**
 * Rotates each image about its center by a random fraction of a full turn in training (Keras):
 * `factor` 0.1 rotates within ±36°.
 * @example new RandomRotation(0.05, { seed: 1 }).apply(images, { training: true });
 */
export class RandomRotation extends RandomAffine {
  readonly className = 'RandomRotation';
  readonly factor: [number, number];

  constructor(factor: number | [number, number], options: RandomAugmentOptions = {}) {
    super({ ...options }, 'RandomRotation', []);
    this.factor = readFactor(factor, `${this.describe()} factor`);
  }

  /** Builds a RandomRotation from its model.json config. */
  static fromConfig(config: LayerConfig): RandomRotation {
    return new RandomRotation(required('RandomRotation', config, 'factor'), { ...augmentOptionsFromConfig(config), ...baseOptionsFromConfig('RandomRotation', config) });
  }

  protected transformFor(rng: Rng, height: number, width: number): number[] {
    const angle = uniform(rng, this.factor) * 2 * Math.PI;
    const cos = Math.cos(angle);
    const sin = Math.sin(angle);
    // Rotation about the center ((w − 1) / 2, (h − 1) / 2), as Keras's transform.
    const xOffset = (width - 1 - (cos * (width - 1) - sin * (height - 1))) / 2;
    const yOffset = (height - 1 - (sin * (width - 1) + cos * (height - 1))) / 2;
    return [cos, -sin, xOffset, sin, cos, yOffset];
  }

  override getConfig(): Record<string, unknown> {
    return { factor: [...this.factor], ...super.getConfig() };
  }
}

/** Flip directions of RandomFlip. */
export type FlipMode = 'horizontal' | 'vertical' | 'horizontal_and_vertical';

/**
 * Flips each image left-right and / or top-bottom with probability 1/2 each, in training (Keras).
 * @example new RandomFlip('horizontal', { seed: 1 }).apply(images, { training: true });
 */
export class RandomFlip extends RandomAffine {
  readonly className = 'RandomFlip';
  readonly mode: FlipMode;

  constructor(mode: FlipMode = 'horizontal_and_vertical', options: Pick<RandomAugmentOptions, 'seed' | 'name' | 'inputShape' | 'batchInputShape' | 'trainable'> = {}) {
    super({ ...options, interpolation: 'nearest' }, 'RandomFlip', [], ['seed', 'interpolation']);
    if (mode !== 'horizontal' && mode !== 'vertical' && mode !== 'horizontal_and_vertical') {
      throw new ValueError(`${this.describe()}: expected mode 'horizontal', 'vertical' or 'horizontal_and_vertical', received ${JSON.stringify(mode)}`);
    }
    this.mode = mode;
  }

  /** Builds a RandomFlip from its model.json config. */
  static fromConfig(config: LayerConfig): RandomFlip {
    return new RandomFlip(read(config, 'mode', 'horizontal_and_vertical'), { seed: read(config, 'seed', null), ...baseOptionsFromConfig('RandomFlip', config) });
  }

  protected transformFor(rng: Rng, height: number, width: number): number[] {
    const h = this.mode !== 'vertical' && rng() < 0.5;
    const v = this.mode !== 'horizontal' && rng() < 0.5;
    return [h ? -1 : 1, 0, h ? width - 1 : 0, 0, v ? -1 : 1, v ? height - 1 : 0];
  }

  override getConfig(): Record<string, unknown> {
    const { fill_mode: _f, interpolation: _i, fill_value: _v, ...rest } = super.getConfig();
    void [_f, _i, _v];
    return { mode: this.mode, ...rest };
  }
}
