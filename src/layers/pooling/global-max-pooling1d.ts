import { Tensor } from '../../tensor/tensor.js';
import { max } from '../../ops/reduction.js';
import { LayerConfig } from '../config.js';
import { GlobalPooling1D, GlobalPooling1DOptions, globalPooling1DOptionsFromConfig } from './global-pooling1d.js';

/**
 * Maximum over the steps of `[batch, steps, channels]`, per channel (alias `GlobalMaxPool1D`). As in
 * Keras, a mask is not applied (masked steps of zeros can win the max).
 * @example new GlobalMaxPooling1D({ keepdims: true }).apply(ones([2, 5, 3])).shape; // [2, 1, 3]
 */
export class GlobalMaxPooling1D extends GlobalPooling1D {
  readonly className = 'GlobalMaxPooling1D';

  constructor(options: GlobalPooling1DOptions = {}) {
    super(options, 'GlobalMaxPooling1D');
  }

  /** Builds a GlobalMaxPooling1D from its model.json config. */
  static fromConfig(config: LayerConfig): GlobalMaxPooling1D {
    return new GlobalMaxPooling1D(globalPooling1DOptionsFromConfig('GlobalMaxPooling1D', config));
  }

  call(x: Tensor): Tensor {
    return max(x, 1, this.keepdims);
  }
}
