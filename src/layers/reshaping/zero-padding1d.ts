import { ShapeError } from '../../util/errors.js';
import { formatShape } from '../../util/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { zeros } from '../../tensor/creation.js';
import { concat } from '../../ops/concat.js';
import { baseOptionsFromConfig, LayerConfig, read } from '../config.js';
import { Layer, LayerOptions, Shape } from '../layer.js';
import { checkLayerOptions } from '../option-keys.js';
import { sidesOf } from './pair-1d.js';

/** Options of `ZeroPadding1D`. */
export interface ZeroPadding1DOptions extends LayerOptions {
  /** Zero steps added before and after: one number for both, or `[before, after]` (default 1). */
  padding?: number | readonly [number, number];
}

/**
 * Adds steps of zeros at the start and end of `[batch, steps, channels]`.
 * @example new ZeroPadding1D({ padding: [1, 2] }).apply(ones([1, 3, 2])).shape; // [1, 6, 2]
 */
export class ZeroPadding1D extends Layer {
  readonly className = 'ZeroPadding1D';
  /** Steps added `[before, after]`. */
  readonly padding: [number, number];

  constructor(options: ZeroPadding1DOptions = {}) {
    checkLayerOptions(options, ['padding'], 'ZeroPadding1D');
    const { padding = 1, ...base } = options;
    super(base, 'ZeroPadding1D');
    this.padding = sidesOf(padding, `${this.describe()} padding`);
  }

  /** Builds a ZeroPadding1D from its model.json config. */
  static fromConfig(config: LayerConfig): ZeroPadding1D {
    return new ZeroPadding1D({ padding: read(config, 'padding', 1), ...baseOptionsFromConfig('ZeroPadding1D', config) });
  }

  /** Rank 3: `[batch, steps, channels]`. */
  protected override checkInputShape(shape: Shape): void {
    if (shape.length !== 3) throw new ShapeError(`${this.describe()}: expected an input of rank 3 [batch, steps, channels], received ${formatShape(shape)}`);
  }

  computeOutputShape(inputShape: Shape): Shape {
    const [batch, steps, channels] = inputShape;
    return [batch, steps === null ? null : steps + this.padding[0] + this.padding[1], channels];
  }

  call(x: Tensor): Tensor {
    const [batch, , channels] = x.shape;
    const [before, after] = this.padding;
    const parts = [before > 0 ? zeros([batch, before, channels]) : null, x, after > 0 ? zeros([batch, after, channels]) : null];
    return concat(parts.filter((p): p is Tensor => p !== null), 1);
  }

  override getConfig(): Record<string, unknown> {
    return { padding: [...this.padding], ...super.getConfig() };
  }
}
