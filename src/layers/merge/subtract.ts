import { Tensor } from '../../tensor/tensor.js';
import { sub } from '../../ops/arithmetic.js';
import { LayerConfig } from '../config.js';
import { LayerOptions } from '../layer.js';
import { Merge, mergeOptionsFromConfig } from './merge.js';

/**
 * The first input minus the second, element-wise (with broadcasting), as Keras's `Subtract`: exactly two inputs.
 * @example new Subtract().apply([a, b]);
 */
export class Subtract extends Merge {
  readonly className = 'Subtract';

  constructor(options: LayerOptions = {}) {
    super(options, 'Subtract');
  }

  /** Builds the layer from its model.json config. */
  static fromConfig(config: LayerConfig): Subtract {
    return new Subtract(mergeOptionsFromConfig('Subtract', config));
  }

  protected override arity(): [number, number] {
    return [2, 2];
  }

  protected combine(a: Tensor, b: Tensor): Tensor {
    return sub(a, b);
  }
}
