import { avgPool2d } from '../ops/pool2d.js';
import { LayerConfig } from './config.js';
import { PoolFn, Pooling2D, Pooling2DOptions, poolingOptionsFromConfig } from './pooling2d.js';

/**
 * Mean over each `poolSize` window of an NHWC image, per channel; with 'same' padding the padded
 * positions are left out of the count, as Keras does (alias `AvgPool2D`).
 * @example new AveragePooling2D({ poolSize: 2 }).apply(zeros([1, 4, 4, 3])).shape; // [1, 2, 2, 3]
 */
export class AveragePooling2D extends Pooling2D {
  readonly className = 'AveragePooling2D';
  protected readonly pool: PoolFn = avgPool2d;

  constructor(options: Pooling2DOptions = {}) {
    super(options, 'AveragePooling2D');
  }

  /** Builds an AveragePooling2D from its model.json config. */
  static fromConfig(config: LayerConfig): AveragePooling2D {
    return new AveragePooling2D(poolingOptionsFromConfig('AveragePooling2D', config));
  }
}
