import { Tensor } from '../../tensor/tensor.js';
import { add, mul } from '../../ops/arithmetic.js';
import { LayerConfig } from '../config.js';
import { LayerOptions } from '../layer.js';
import { Merge, mergeOptionsFromConfig } from './merge.js';

/**
 * The element-wise mean of its inputs (with broadcasting), as Keras's `Average`.
 * @example new Average().apply([a, b]); // (a + b) / 2
 */
export class Average extends Merge {
  readonly className = 'Average';

  constructor(options: LayerOptions = {}) {
    super(options, 'Average');
  }

  /** Builds the layer from its model.json config. */
  static fromConfig(config: LayerConfig): Average {
    return new Average(mergeOptionsFromConfig('Average', config));
  }

  protected combine(a: Tensor, b: Tensor): Tensor {
    return add(a, b);
  }

  override call(x: Tensor[]): Tensor {
    return mul(super.call(x), 1 / x.length);
  }
}
