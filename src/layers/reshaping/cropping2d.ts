import { ShapeError } from '../../util/errors.js';
import { formatShape } from '../../util/shape.js';
import { checkOptionKeys } from '../../util/options.js';
import { Tensor } from '../../tensor/tensor.js';
import { slice } from '../../ops/slice.js';
import { baseOptionsFromConfig, checkDataFormat, LayerConfig, read } from '../config.js';
import { Layer, LayerOptions, Shape } from '../layer.js';
import { baseLayerOptions, layerOptionKeys } from '../option-keys.js';
import { Box2D, Box2DSpec, checkImageShape, readBox2D } from './box2d.js';

/** Options of `Cropping2D`. */
export interface Cropping2DOptions extends LayerOptions {
  /** Rows and columns to remove: one number, `[h, w]`, or `[[top, bottom], [left, right]]` (default 0). */
  cropping?: Box2DSpec;
  /** Only `'channelsLast'` (NHWC). */
  dataFormat?: 'channelsLast' | 'channels_last';
}

/**
 * Removes rows and columns at the borders of NHWC images.
 * @example new Cropping2D({ cropping: [[1, 0], [0, 2]] }).apply(zeros([1, 4, 4, 1])).shape; // [1, 3, 2, 1]
 */
export class Cropping2D extends Layer {
  readonly className = 'Cropping2D';
  /** `[[top, bottom], [left, right]]`. */
  readonly cropping: Box2D;

  constructor(options: Cropping2DOptions = {}) {
    checkOptionKeys(options, layerOptionKeys('cropping', 'dataFormat'), 'Cropping2D');
    super(baseLayerOptions({ ...options }), 'Cropping2D');
    this.cropping = readBox2D(options.cropping ?? 0, `${this.describe()} cropping`);
    checkDataFormat(options.dataFormat, this.describe());
  }

  /** Builds a Cropping2D from its model.json config. */
  static fromConfig(config: LayerConfig): Cropping2D {
    return new Cropping2D({ cropping: read(config, 'cropping', 0), dataFormat: read(config, 'data_format', 'channelsLast'), ...baseOptionsFromConfig('Cropping2D', config) });
  }

  /** NHWC, with something left after cropping. */
  protected override checkInputShape(shape: Shape): void {
    checkImageShape(shape, this.describe());
    const [, h, w] = shape;
    const [[t, b], [l, r]] = this.cropping;
    if ((h !== null && t + b >= h) || (w !== null && l + r >= w)) {
      throw new ShapeError(`${this.describe()}: cropping ${JSON.stringify(this.cropping)} leaves nothing of an input of shape ${formatShape(shape)}`);
    }
  }

  computeOutputShape(inputShape: Shape): Shape {
    const [b, h, w, c] = inputShape;
    const [[t, bo], [l, r]] = this.cropping;
    return [b, h === null ? null : h - t - bo, w === null ? null : w - l - r, c];
  }

  call(x: Tensor): Tensor {
    const [[t, b], [l, r]] = this.cropping;
    return slice(x, [0, t, l, 0], [-1, x.shape[1] - t - b, x.shape[2] - l - r, -1]);
  }

  override getConfig(): Record<string, unknown> {
    return { cropping: this.cropping.map((p) => [...p]), data_format: 'channels_last', ...super.getConfig() };
  }
}
