import { ShapeError } from '../../util/errors.js';
import { formatShape } from '../../util/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { gather } from '../../ops/gather.js';
import { baseOptionsFromConfig, checkPositiveInt, LayerConfig, read } from '../config.js';
import { Layer, LayerOptions, Shape } from '../layer.js';
import { checkLayerOptions } from '../option-keys.js';

/** Options of `UpSampling1D`. */
export interface UpSampling1DOptions extends LayerOptions {
  /** How many times each step is repeated (default 2). */
  size?: number;
}

/**
 * Repeats each step `size` times along the steps of `[batch, steps, channels]` (Keras's
 * repeat along axis 1: s0 s0 s1 s1 …); the gradient sums the copies back into their step.
 * @example new UpSampling1D({ size: 3 }).apply(ones([1, 2, 4])).shape; // [1, 6, 4]
 */
export class UpSampling1D extends Layer {
  readonly className = 'UpSampling1D';
  /** Repeat count. */
  readonly size: number;

  constructor(options: UpSampling1DOptions = {}) {
    checkLayerOptions(options, ['size'], 'UpSampling1D');
    const { size = 2, ...base } = options;
    super(base, 'UpSampling1D');
    this.size = checkPositiveInt(size, `${this.describe()} size`);
  }

  /** Builds an UpSampling1D from its model.json config. */
  static fromConfig(config: LayerConfig): UpSampling1D {
    return new UpSampling1D({ size: read(config, 'size', 2), ...baseOptionsFromConfig('UpSampling1D', config) });
  }

  /** Rank 3: `[batch, steps, channels]`. */
  protected override checkInputShape(shape: Shape): void {
    if (shape.length !== 3) throw new ShapeError(`${this.describe()}: expected an input of rank 3 [batch, steps, channels], received ${formatShape(shape)}`);
  }

  computeOutputShape(inputShape: Shape): Shape {
    const [batch, steps, channels] = inputShape;
    return [batch, steps === null ? null : steps * this.size, channels];
  }

  call(x: Tensor): Tensor {
    const indices = Array.from({ length: x.shape[1] * this.size }, (_, i) => Math.floor(i / this.size));
    return gather(x, indices, 1);
  }

  override getConfig(): Record<string, unknown> {
    return { size: this.size, ...super.getConfig() };
  }
}
