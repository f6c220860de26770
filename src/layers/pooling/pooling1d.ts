import { ShapeError } from '../../util/errors.js';
import { formatShape } from '../../util/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { reshape } from '../../ops/reshape.js';
import { baseOptionsFromConfig, checkDataFormat, LayerConfig, Padding, read } from '../config.js';
import { convOutputLength, windowFits } from '../conv-shape.js';
import { Layer, LayerOptions, Shape } from '../layer.js';
import { checkLayerOptions } from '../option-keys.js';
import { checkPadding1D, singleOf } from '../conv/one-d.js';
import { PoolFn } from '../pooling2d.js';

/** Options of the 1-D pooling layers. */
export interface Pooling1DOptions extends LayerOptions {
  /** Window length (default 2). */
  poolSize?: number | readonly [number];
  /** Step of the window (default: the pool size). */
  strides?: number | readonly [number] | null;
  /** `'valid'` (default) or `'same'`. */
  padding?: Padding;
  /** Only `'channelsLast'` (`[batch, steps, channels]`). */
  dataFormat?: 'channelsLast' | 'channels_last';
}

const OWN_OPTIONS = ['poolSize', 'strides', 'padding', 'dataFormat'];

/** Reads the 1-D pooling options of a model.json config. */
export function pooling1DOptionsFromConfig(className: string, config: LayerConfig): Pooling1DOptions {
  return {
    poolSize: read(config, 'pool_size', 2),
    strides: read(config, 'strides', null),
    padding: read(config, 'padding', 'valid'),
    dataFormat: read(config, 'data_format', 'channelsLast'),
    ...baseOptionsFromConfig(className, config),
  };
}

/**
 * Shared body of MaxPooling1D and AveragePooling1D: `[batch, steps, channels]` pooled along the steps
 * by the 2-D pooling op on a unit-height image `[batch, 1, steps, channels]`.
 * @example new layers.MaxPooling1D({ poolSize: 2 }).apply(zeros([1, 6, 3])).shape; // [1, 3, 3]; MaxPooling1D is a Pooling1D
 */
export abstract class Pooling1D extends Layer {
  /** Window length. */
  readonly poolSize: number;
  /** Step of the window. */
  readonly strides: number;
  /** Padding mode. */
  readonly padding: Padding;
  protected abstract readonly pool: PoolFn;

  constructor(options: Pooling1DOptions, className: string) {
    checkLayerOptions(options, OWN_OPTIONS, className);
    const { poolSize = 2, strides = null, padding = 'valid', dataFormat = 'channelsLast', ...base } = options;
    super(base, className);
    const what = `${this.name} (${className})`;
    this.poolSize = singleOf(poolSize, `${what} poolSize`);
    this.strides = strides === null ? this.poolSize : singleOf(strides, `${what} strides`);
    this.padding = checkPadding1D(padding, `${what} padding`, false) as Padding;
    checkDataFormat(dataFormat, what);
    this.supportsMasking = false;
  }

  /** Rank 3 input in which a 'valid' window fits. */
  protected override checkInputShape(shape: Shape): void {
    if (shape.length !== 3) throw new ShapeError(`${this.describe()}: expected an input of rank 3 [batch, steps, channels], received ${formatShape(shape)}`);
    if (!windowFits(shape[1], this.poolSize, this.padding)) {
      throw new ShapeError(`${this.describe()}: pool size ${this.poolSize} is longer than the '${this.padding}'-padded input ${formatShape(shape)}`);
    }
  }

  computeOutputShape(inputShape: Shape): Shape {
    const [batch, steps, channels] = inputShape;
    return [batch, convOutputLength(steps, this.poolSize, this.padding, this.strides), channels];
  }

  call(x: Tensor): Tensor {
    const [batch, steps, channels] = x.shape;
    const y = this.pool(reshape(x, [batch, 1, steps, channels]), { poolSize: [1, this.poolSize], strides: [1, this.strides], padding: this.padding });
    return reshape(y, [batch, y.shape[2], channels]);
  }

  /** TF.js's 1-D pooling config (no data_format, unlike Keras; only channels-last exists here). */
  override getConfig(): Record<string, unknown> {
    return { pool_size: [this.poolSize], padding: this.padding, strides: [this.strides], ...super.getConfig() };
  }
}
