import { Tensor } from '../../tensor/tensor.js';
import { add } from '../../ops/arithmetic.js';
import { LayerConfig } from '../config.js';
import { LayerOptions } from '../layer.js';
import { Merge, mergeOptionsFromConfig } from './merge.js';

/**
 * Sums its inputs element-wise (with broadcasting), as Keras's `Add`: the residual connection.
 * @example new Add().apply([a, b]);
 */
export class Add extends Merge {
  readonly className = 'Add';

  constructor(options: LayerOptions = {}) {
    super(options, 'Add');
  }

  /** Builds the layer from its model.json config. */
  static fromConfig(config: LayerConfig): Add {
    return new Add(mergeOptionsFromConfig('Add', config));
  }

  protected combine(a: Tensor, b: Tensor): Tensor {
    return add(a, b);
  }
}
