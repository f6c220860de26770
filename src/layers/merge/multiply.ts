import { Tensor } from '../../tensor/tensor.js';
import { mul } from '../../ops/arithmetic.js';
import { LayerConfig } from '../config.js';
import { LayerOptions } from '../layer.js';
import { Merge, mergeOptionsFromConfig } from './merge.js';

/**
 * Multiplies its inputs element-wise (with broadcasting), as Keras's `Multiply`.
 * @example new Multiply().apply([a, b]);
 */
export class Multiply extends Merge {
  readonly className = 'Multiply';

  constructor(options: LayerOptions = {}) {
    super(options, 'Multiply');
  }

  /** Builds the layer from its model.json config. */
  static fromConfig(config: LayerConfig): Multiply {
    return new Multiply(mergeOptionsFromConfig('Multiply', config));
  }

  protected combine(a: Tensor, b: Tensor): Tensor {
    return mul(a, b);
  }
}
