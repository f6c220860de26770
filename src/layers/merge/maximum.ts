import { Tensor } from '../../tensor/tensor.js';
import { maximum } from '../../ops/arithmetic.js';
import { LayerConfig } from '../config.js';
import { LayerOptions } from '../layer.js';
import { Merge, mergeOptionsFromConfig } from './merge.js';

/**
 * The element-wise maximum of its inputs, as Keras's `Maximum`.
 * @example new Maximum().apply([a, b]);
 */
export class Maximum extends Merge {
  readonly className = 'Maximum';

  constructor(options: LayerOptions = {}) {
    super(options, 'Maximum');
  }

  /** Builds the layer from its model.json config. */
  static fromConfig(config: LayerConfig): Maximum {
    return new Maximum(mergeOptionsFromConfig('Maximum', config));
  }

  protected combine(a: Tensor, b: Tensor): Tensor {
    return maximum(a, b);
  }
}
