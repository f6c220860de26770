import { avgPool2d } from '../../ops/pool2d.js';
import { LayerConfig } from '../config.js';
import { PoolFn } from '../pooling2d.js';
import { Pooling1D, Pooling1DOptions, pooling1DOptionsFromConfig } from './pooling1d.js';

/**
 * Mean over each `poolSize` window of the steps of `[batch, steps, channels]` (with 'same', a border
 * window averages only its real steps, as Keras); alias `AvgPool1D`.
 * @example new AveragePooling1D({ poolSize: 3, strides: 1 }).apply(zeros([1, 6, 2])).shape; // [1, 4, 2]
 */
export class AveragePooling1D extends Pooling1D {
  readonly className = 'AveragePooling1D';
  protected readonly pool: PoolFn = avgPool2d;

  constructor(options: Pooling1DOptions = {}) {
    super(options, 'AveragePooling1D');
  }

  /** Builds an AveragePooling1D from its model.json config. */
  static fromConfig(config: LayerConfig): AveragePooling1D {
    return new AveragePooling1D(pooling1DOptionsFromConfig('AveragePooling1D', config));
  }
}
