import { ShapeError } from '../../util/errors.js';
import { formatShape } from '../../util/shape.js';
import { baseOptionsFromConfig, checkBoolean, checkDataFormat, LayerConfig, read } from '../config.js';
import { Layer, LayerOptions, Shape } from '../layer.js';
import { checkLayerOptions } from '../option-keys.js';

/** Options of the global 1-D pooling layers. */
export interface GlobalPooling1DOptions extends LayerOptions {
  /** Keep the steps axis with length 1 (`[batch, 1, channels]`) instead of dropping it (default false). */
  keepdims?: boolean;
  /** Only `'channelsLast'` (`[batch, steps, channels]`). */
  dataFormat?: 'channelsLast' | 'channels_last';
}

/** Reads the global pooling options of a model.json config. */
export function globalPooling1DOptionsFromConfig(className: string, config: LayerConfig): GlobalPooling1DOptions {
  return { keepdims: read(config, 'keepdims', false), dataFormat: read(config, 'data_format', 'channelsLast'), ...baseOptionsFromConfig(className, config) };
}

/**
 * Shared body of GlobalAveragePooling1D and GlobalMaxPooling1D: `[batch, steps, channels]` reduced over the steps.
 * @example new layers.GlobalAveragePooling1D().apply(zeros([2, 6, 3])).shape; // [2, 3]; a GlobalPooling1D
 */
export abstract class GlobalPooling1D extends Layer {
  /** Whether the steps axis is kept with length 1. */
  readonly keepdims: boolean;

  constructor(options: GlobalPooling1DOptions, className: string) {
    checkLayerOptions(options, ['keepdims', 'dataFormat'], className);
    const { keepdims = false, dataFormat = 'channelsLast', ...base } = options;
    super(base, className);
    this.keepdims = checkBoolean(keepdims, `${this.describe()} keepdims`);
    checkDataFormat(dataFormat, this.describe());
  }

  /** Rank 3: `[batch, steps, channels]`. */
  protected override checkInputShape(shape: Shape): void {
    if (shape.length !== 3) throw new ShapeError(`${this.describe()}: expected an input of rank 3 [batch, steps, channels], received ${formatShape(shape)}`);
  }

  computeOutputShape(inputShape: Shape): Shape {
    const [batch, , channels] = inputShape;
    return this.keepdims ? [batch, 1, channels] : [batch, channels];
  }

  /** TF.js's config plus Keras's `keepdims` (TF.js writes no data_format; only channels-last exists here). */
  override getConfig(): Record<string, unknown> {
    return { keepdims: this.keepdims, ...super.getConfig() };
  }
}
