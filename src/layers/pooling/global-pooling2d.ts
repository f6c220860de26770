import { checkOptionKeys } from '../../util/options.js';
import { Tensor } from '../../tensor/tensor.js';
import { max, mean } from '../../ops/reduction.js';
import { baseOptionsFromConfig, checkBoolean, checkDataFormat, LayerConfig, read } from '../config.js';
import { Layer, LayerOptions, Shape } from '../layer.js';
import { baseLayerOptions, layerOptionKeys } from '../option-keys.js';
import { checkImageShape } from '../reshaping/box2d.js';

/** Options of the global 2-D pooling layers. */
export interface GlobalPooling2DOptions extends LayerOptions {
  /** Keep the spatial axes as size 1: `[batch, 1, 1, channels]` (default false: `[batch, channels]`). */
  keepdims?: boolean;
  /** Only `'channelsLast'` (NHWC). */
  dataFormat?: 'channelsLast' | 'channels_last';
}

/** Shared body: reduce over height and width with `reduce`. */
abstract class GlobalPooling2D extends Layer {
  /** Whether the spatial axes stay as size 1. */
  readonly keepdims: boolean;
  protected abstract reduce(x: Tensor, keepdims: boolean): Tensor;

  constructor(options: GlobalPooling2DOptions, className: string) {
    checkOptionKeys(options, layerOptionKeys('keepdims', 'dataFormat'), className);
    super(baseLayerOptions({ ...options }), className);
    this.keepdims = checkBoolean(options.keepdims ?? false, `${this.describe()} keepdims`);
    checkDataFormat(options.dataFormat, this.describe());
  }

  protected override checkInputShape(shape: Shape): void {
    checkImageShape(shape, this.describe());
  }

  computeOutputShape(inputShape: Shape): Shape {
    return this.keepdims ? [inputShape[0], 1, 1, inputShape[3]] : [inputShape[0], inputShape[3]];
  }

  call(x: Tensor): Tensor {
    return this.reduce(x, this.keepdims);
  }

  override getConfig(): Record<string, unknown> {
    return { data_format: 'channels_last', keepdims: this.keepdims, ...super.getConfig() };
  }
}

/** Reads the options of a global pooling config. */
function optionsFromConfig(className: string, config: LayerConfig): GlobalPooling2DOptions {
  return { keepdims: read(config, 'keepdims', false), dataFormat: read(config, 'data_format', 'channelsLast'), ...baseOptionsFromConfig(className, config) };
}

/**
 * Mean over height and width of NHWC images, per channel.
 * @example new GlobalAveragePooling2D().apply(zeros([2, 4, 4, 3])).shape; // [2, 3]
 */
export class GlobalAveragePooling2D extends GlobalPooling2D {
  readonly className = 'GlobalAveragePooling2D';
  constructor(options: GlobalPooling2DOptions = {}) {
    super(options, 'GlobalAveragePooling2D');
  }
  /** Builds a GlobalAveragePooling2D from its model.json config. */
  static fromConfig(config: LayerConfig): GlobalAveragePooling2D {
    return new GlobalAveragePooling2D(optionsFromConfig('GlobalAveragePooling2D', config));
  }
  protected reduce(x: Tensor, keepdims: boolean): Tensor {
    return mean(x, [1, 2], keepdims);
  }
}

/**
 * Maximum over height and width of NHWC images, per channel.
 * @example new GlobalMaxPooling2D({ keepdims: true }).apply(zeros([2, 4, 4, 3])).shape; // [2, 1, 1, 3]
 */
export class GlobalMaxPooling2D extends GlobalPooling2D {
  readonly className = 'GlobalMaxPooling2D';
  constructor(options: GlobalPooling2DOptions = {}) {
    super(options, 'GlobalMaxPooling2D');
  }
  /** Builds a GlobalMaxPooling2D from its model.json config. */
  static fromConfig(config: LayerConfig): GlobalMaxPooling2D {
    return new GlobalMaxPooling2D(optionsFromConfig('GlobalMaxPooling2D', config));
  }
  protected reduce(x: Tensor, keepdims: boolean): Tensor {
    return max(x, [1, 2], keepdims);
  }
}
