import { maxPool2d } from '../../ops/pool2d.js';
import { LayerConfig } from '../config.js';
import { PoolFn } from '../pooling2d.js';
import { Pooling1D, Pooling1DOptions, pooling1DOptionsFromConfig } from './pooling1d.js';

/**
 * Maximum over each `poolSize` window of the steps of `[batch, steps, channels]`, per channel (alias `MaxPool1D`).
 * @example new MaxPooling1D({ poolSize: 2 }).apply(zeros([1, 6, 3])).shape; // [1, 3, 3]
 */
export class MaxPooling1D extends Pooling1D {
  readonly className = 'MaxPooling1D';
  protected readonly pool: PoolFn = maxPool2d;

  constructor(options: Pooling1DOptions = {}) {
    super(options, 'MaxPooling1D');
  }

  /** Builds a MaxPooling1D from its model.json config. */
  static fromConfig(config: LayerConfig): MaxPooling1D {
    return new MaxPooling1D(pooling1DOptionsFromConfig('MaxPooling1D', config));
  }
}
