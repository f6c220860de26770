import { ShapeError } from '../util/errors.js';
import { formatShape } from '../util/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { reshape } from '../ops/reshape.js';
import { baseOptionsFromConfig, LayerConfig } from './config.js';
import { Layer, LayerOptions, Shape } from './layer.js';

/**
 * Flattens every sample to one axis: `[batch, d1, d2, …]` → `[batch, d1·d2·…]` (row-major, so
 * channels-last images keep each pixel's channels together, as Keras does).
 * @example new Flatten().apply(zeros([2, 3, 4])).shape; // [2, 12]
 */
export class Flatten extends Layer {
  readonly className = 'Flatten';

  constructor(options: LayerOptions = {}) {
    super(options, 'Flatten');
  }

  /** Builds a Flatten from its model.json config. */
  static fromConfig(config: LayerConfig): Flatten {
    return new Flatten(baseOptionsFromConfig('Flatten', config));
  }

  /** Any input with a batch axis. */
  protected override checkInputShape(shape: Shape): void {
    if (shape.length < 1) throw new ShapeError(`${this.describe()}: expected an input with a batch axis, received ${formatShape(shape)}`);
  }

  computeOutputShape(inputShape: Shape): Shape {
    const rest = inputShape.slice(1);
    // An unknown non-batch dimension makes the flat size unknown.
    const size = rest.some((d) => d === null) ? null : rest.reduce<number>((n, d) => n * (d as number), 1);
    return [inputShape[0], size];
  }

  call(x: Tensor): Tensor {
    return reshape(x, [x.shape[0], x.shape.slice(1).reduce((n, d) => n * d, 1)]);
  }
}
