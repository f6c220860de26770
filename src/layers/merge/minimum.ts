import { Tensor } from '../../tensor/tensor.js';
import { minimum } from '../../ops/arithmetic.js';
import { LayerConfig } from '../config.js';
import { LayerOptions } from '../layer.js';
import { Merge, mergeOptionsFromConfig } from './merge.js';

/**
 * The element-wise minimum of its inputs, as Keras's `Minimum`.
 * @example new Minimum().apply([a, b]);
 */
export class Minimum extends Merge {
  readonly className = 'Minimum';

  constructor(options: LayerOptions = {}) {
    super(options, 'Minimum');
  }

  /** Builds the layer from its model.json config. */
  static fromConfig(config: LayerConfig): Minimum {
    return new Minimum(mergeOptionsFromConfig('Minimum', config));
  }

  protected combine(a: Tensor, b: Tensor): Tensor {
    return minimum(a, b);
  }
}
