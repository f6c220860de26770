import { ShapeError } from '../util/errors.js';
import { formatShape } from '../util/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { baseOptionsFromConfig, checkDataFormat, checkPadding, LayerConfig, Padding, pairOf, read } from './config.js';
import { convOutputLength, windowFits } from './conv-shape.js';
import { Layer, LayerOptions, Shape } from './layer.js';

/** Options of the 2-D pooling layers. */
export interface Pooling2DOptions extends LayerOptions {
  /** Window, one number or `[h, w]` (default 2). */
  poolSize?: number | readonly [number, number];
  /** Step of the window (default: the pool size). */
  strides?: number | readonly [number, number] | null;
  /** `'valid'` (default) or `'same'`. */
  padding?: Padding;
  /** Only `'channelsLast'` (NHWC). */
  dataFormat?: 'channelsLast' | 'channels_last';
}

/** The pooling op a subclass runs. */
export type PoolFn = (x: Tensor, args: { poolSize: [number, number]; strides: [number, number]; padding: Padding }) => Tensor;

/** Reads the pooling options of a model.json config. */
export function poolingOptionsFromConfig(className: string, config: LayerConfig): Pooling2DOptions {
  return {
    poolSize: read(config, 'pool_size', 2),
    strides: read(config, 'strides', null),
    padding: read(config, 'padding', 'valid'),
    dataFormat: read(config, 'data_format', 'channelsLast'),
    ...baseOptionsFromConfig(className, config),
  };
}

/**
 * Shared body of MaxPooling2D and AveragePooling2D: config, shape rules, and the op call.
 * @example new layers.MaxPooling2D({ poolSize: 2 }) instanceof layers.Pooling2D; // true
 */
export abstract class Pooling2D extends Layer {
  /** Window `[h, w]`. */
  readonly poolSize: [number, number];
  /** Steps `[sh, sw]`. */
  readonly strides: [number, number];
  /** Padding mode. */
  readonly padding: Padding;
  protected abstract readonly pool: PoolFn;

  constructor({ poolSize = 2, strides = null, padding = 'valid', dataFormat = 'channelsLast', ...options }: Pooling2DOptions, className: string) {
    super(options, className);
    const what = `${this.name} (${className})`;
    this.poolSize = pairOf(poolSize, `${what} poolSize`);
    this.strides = strides === null ? [...this.poolSize] : pairOf(strides, `${what} strides`);
    this.padding = checkPadding(padding, `${what} padding`);
    checkDataFormat(dataFormat, what);
  }

  /** NHWC input in which a 'valid' window fits. */
  protected override checkInputShape(shape: Shape): void {
    if (shape.length !== 4) {
      throw new ShapeError(`${this.describe()}: expected an NHWC input of rank 4 [batch, height, width, channels], received ${formatShape(shape)}`);
    }
    if (!windowFits(shape[1], this.poolSize[0], this.padding) || !windowFits(shape[2], this.poolSize[1], this.padding)) {
      throw new ShapeError(
        `${this.describe()}: pool size ${formatShape(this.poolSize)} is larger than the '${this.padding}'-padded input ${formatShape(shape)}`,
      );
    }
  }

  computeOutputShape(inputShape: Shape): Shape {
    const [batch, h, w, c] = inputShape;
    return [
      batch,
      convOutputLength(h, this.poolSize[0], this.padding, this.strides[0]),
      convOutputLength(w, this.poolSize[1], this.padding, this.strides[1]),
      c,
    ];
  }

  call(x: Tensor): Tensor {
    return this.pool(x, { poolSize: this.poolSize, strides: this.strides, padding: this.padding });
  }

  override getConfig(): Record<string, unknown> {
    return {
      pool_size: [...this.poolSize],
      padding: this.padding,
      strides: [...this.strides],
      data_format: 'channels_last',
      ...super.getConfig(),
    };
  }
}
