import { ShapeError } from '../../util/errors.js';
import { formatShape } from '../../util/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { slice } from '../../ops/slice.js';
import { baseOptionsFromConfig, LayerConfig, read } from '../config.js';
import { Layer, LayerOptions, Shape } from '../layer.js';
import { checkLayerOptions } from '../option-keys.js';
import { sidesOf } from './pair-1d.js';

/** Options of `Cropping1D`. */
export interface Cropping1DOptions extends LayerOptions {
  /** Steps removed at the start and end: one number for both, or `[start, end]` (default `[1, 1]`). */
  cropping?: number | readonly [number, number];
}

/**
 * Removes steps at the start and end of `[batch, steps, channels]`.
 * @example new Cropping1D({ cropping: [1, 2] }).apply(ones([1, 6, 2])).shape; // [1, 3, 2]
 */
export class Cropping1D extends Layer {
  readonly className = 'Cropping1D';
  /** Steps removed `[start, end]`. */
  readonly cropping: [number, number];

  constructor(options: Cropping1DOptions = {}) {
    checkLayerOptions(options, ['cropping'], 'Cropping1D');
    const { cropping = [1, 1], ...base } = options;
    super(base, 'Cropping1D');
    this.cropping = sidesOf(cropping, `${this.describe()} cropping`);
  }

  /** Builds a Cropping1D from its model.json config. */
  static fromConfig(config: LayerConfig): Cropping1D {
    return new Cropping1D({ cropping: read(config, 'cropping', [1, 1]), ...baseOptionsFromConfig('Cropping1D', config) });
  }

  /** Rank 3 with more steps than are cropped (at least one step must remain, as Keras). */
  protected override checkInputShape(shape: Shape): void {
    if (shape.length !== 3) throw new ShapeError(`${this.describe()}: expected an input of rank 3 [batch, steps, channels], received ${formatShape(shape)}`);
    const steps = shape[1];
    if (steps !== null && steps - this.cropping[0] - this.cropping[1] <= 0) {
      throw new ShapeError(`${this.describe()}: cropping ${formatShape(this.cropping)} leaves no steps of the input ${formatShape(shape)}`);
    }
  }

  computeOutputShape(inputShape: Shape): Shape {
    const [batch, steps, channels] = inputShape;
    return [batch, steps === null ? null : steps - this.cropping[0] - this.cropping[1], channels];
  }

  call(x: Tensor): Tensor {
    const [batch, steps, channels] = x.shape;
    return slice(x, [0, this.cropping[0], 0], [batch, steps - this.cropping[0] - this.cropping[1], channels]);
  }

  override getConfig(): Record<string, unknown> {
    return { cropping: [...this.cropping], ...super.getConfig() };
  }
}
