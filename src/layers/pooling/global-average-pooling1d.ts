import { ShapeError } from '../../util/errors.js';
import { formatShape } from '../../util/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { div, mul } from '../../ops/arithmetic.js';
import { mean, sum } from '../../ops/reduction.js';
import { reshape } from '../../ops/reshape.js';
import { LayerConfig } from '../config.js';
import { CallContext, Mask, Masks } from '../layer.js';
import { GlobalPooling1D, GlobalPooling1DOptions, globalPooling1DOptionsFromConfig } from './global-pooling1d.js';

/**
 * Mean over the steps of `[batch, steps, channels]`. With a mask `[batch, steps]` (from Embedding's
 * maskZero or Masking) it averages the unmasked steps only: Σ_t m_t·x_t / Σ_t m_t, as Keras; the
 * mask stops here (alias `GlobalAvgPool1D`).
 * @example new GlobalAveragePooling1D().apply(ones([2, 5, 3])).shape; // [2, 3]
 */
export class GlobalAveragePooling1D extends GlobalPooling1D {
  readonly className = 'GlobalAveragePooling1D';

  constructor(options: GlobalPooling1DOptions = {}) {
    super(options, 'GlobalAveragePooling1D');
    this.supportsMasking = true;
  }

  /** Builds a GlobalAveragePooling1D from its model.json config. */
  static fromConfig(config: LayerConfig): GlobalAveragePooling1D {
    return new GlobalAveragePooling1D(globalPooling1DOptionsFromConfig('GlobalAveragePooling1D', config));
  }

  call(x: Tensor, ctx: CallContext): Tensor {
    const mask = Array.isArray(ctx.mask) ? ctx.mask[0] : ctx.mask;
    if (mask === undefined || mask === null) return mean(x, 1, this.keepdims);
    const [batch, steps] = x.shape;
    if (!(mask instanceof Tensor) || mask.rank !== 2 || mask.shape[0] !== batch || mask.shape[1] !== steps) {
      const got = mask instanceof Tensor ? formatShape(mask.shape) : typeof mask;
      throw new ShapeError(`${this.describe()}: expected a mask of shape [${batch}, ${steps}] for the input ${formatShape(x.shape)}, received ${got}`);
    }
    const m = reshape(mask, [batch, steps, 1]);
    return div(sum(mul(x, m), 1, this.keepdims), sum(m, 1, this.keepdims));
  }

  /** The steps are averaged away, so no mask follows (Keras returns None). */
  override computeMask(inputs: Tensor | Tensor[], mask?: Masks): Mask {
    void inputs;
    void mask;
    return null;
  }
}
