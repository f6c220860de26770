import { ValueError } from '../../util/errors.js';
import { checkOptionKeys } from '../../util/options.js';
import { Tensor } from '../../tensor/tensor.js';
import { Interpolation, resize } from '../../ops/resize.js';
import { baseOptionsFromConfig, checkDataFormat, LayerConfig, pairOf, read } from '../config.js';
import { Layer, LayerOptions, Shape } from '../layer.js';
import { baseLayerOptions, layerOptionKeys } from '../option-keys.js';
import { checkImageShape } from './box2d.js';

/** Options of `UpSampling2D`. */
export interface UpSampling2DOptions extends LayerOptions {
  /** Factor for rows and columns, one number or `[h, w]` (default 2). */
  size?: number | readonly [number, number];
  /** `'nearest'` (default, each pixel repeated) or `'bilinear'`. */
  interpolation?: Interpolation;
  /** Only `'channelsLast'` (NHWC). */
  dataFormat?: 'channelsLast' | 'channels_last';
}

/**
 * Enlarges NHWC images by integer factors. `'bilinear'` follows Keras 3 (`tf.image.resize`, half-pixel
 * centers); NOTE: TF.js's own UpSampling2D uses the legacy grid, so a TF.js model with bilinear
 * up-sampling predicts slightly differently here, by design.
 * @example new UpSampling2D({ size: 2 }).apply(zeros([1, 2, 3, 1])).shape; // [1, 4, 6, 1]
 */
export class UpSampling2D extends Layer {
  readonly className = 'UpSampling2D';
  /** `[h, w]` factors. */
  readonly size: [number, number];
  readonly interpolation: Interpolation;

  constructor(options: UpSampling2DOptions = {}) {
    checkOptionKeys(options, layerOptionKeys('size', 'interpolation', 'dataFormat'), 'UpSampling2D');
    super(baseLayerOptions({ ...options }), 'UpSampling2D');
    this.size = pairOf(options.size ?? 2, `${this.describe()} size`);
    const interpolation = options.interpolation ?? 'nearest';
    if (interpolation !== 'nearest' && interpolation !== 'bilinear') {
      throw new ValueError(`${this.describe()}: expected interpolation 'nearest' or 'bilinear', received ${JSON.stringify(interpolation)}`);
    }
    this.interpolation = interpolation;
    checkDataFormat(options.dataFormat, this.describe());
  }

  /** Builds an UpSampling2D from its model.json config. */
  static fromConfig(config: LayerConfig): UpSampling2D {
    return new UpSampling2D({
      size: read(config, 'size', 2),
      interpolation: read(config, 'interpolation', 'nearest'),
      dataFormat: read(config, 'data_format', 'channelsLast'),
      ...baseOptionsFromConfig('UpSampling2D', config),
    });
  }

  protected override checkInputShape(shape: Shape): void {
    checkImageShape(shape, this.describe());
  }

  computeOutputShape(inputShape: Shape): Shape {
    const [b, h, w, c] = inputShape;
    return [b, h === null ? null : h * this.size[0], w === null ? null : w * this.size[1], c];
  }

  call(x: Tensor): Tensor {
    return resize(x, [x.shape[1] * this.size[0], x.shape[2] * this.size[1]], { interpolation: this.interpolation });
  }

  override getConfig(): Record<string, unknown> {
    return { size: [...this.size], data_format: 'channels_last', interpolation: this.interpolation, ...super.getConfig() };
  }
}
