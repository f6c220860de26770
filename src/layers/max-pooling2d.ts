import { maxPool2d } from '../ops/pool2d.js';
import { LayerConfig } from './config.js';
import { PoolFn, Pooling2D, Pooling2DOptions, poolingOptionsFromConfig } from './pooling2d.js';

/**
 * Maximum over each `poolSize` window of an NHWC image, per channel (alias `MaxPool2D`).
 * @example new MaxPooling2D({ poolSize: 2 }).apply(zeros([1, 4, 4, 3])).shape; // [1, 2, 2, 3]
 */
export class MaxPooling2D extends Pooling2D {
  readonly className = 'MaxPooling2D';
  protected readonly pool: PoolFn = maxPool2d;

  constructor(options: Pooling2DOptions = {}) {
    super(options, 'MaxPooling2D');
  }

  /** Builds a MaxPooling2D from its model.json config. */
  static fromConfig(config: LayerConfig): MaxPooling2D {
    return new MaxPooling2D(poolingOptionsFromConfig('MaxPooling2D', config));
  }
}
