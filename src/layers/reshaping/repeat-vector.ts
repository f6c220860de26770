import { ShapeError } from '../../util/errors.js';
import { formatShape } from '../../util/shape.js';
import { checkOptionKeys } from '../../util/options.js';
import { Tensor } from '../../tensor/tensor.js';
import { broadcastTo } from '../../ops/broadcast-to.js';
import { expandDims } from '../../ops/reshape.js';
import { baseOptionsFromConfig, checkPositiveInt, LayerConfig, required } from '../config.js';
import { Layer, LayerOptions, Shape } from '../layer.js';
import { baseLayerOptions, layerOptionKeys } from '../option-keys.js';

/**
 * Repeats each `[batch, features]` sample `n` times: `[batch, n, features]`.
 * @example new RepeatVector(3).apply(zeros([2, 4])).shape; // [2, 3, 4]
 */
export class RepeatVector extends Layer {
  readonly className = 'RepeatVector';
  /** Number of repetitions. */
  readonly n: number;

  constructor(n: number, options: LayerOptions = {}) {
    checkOptionKeys(options, layerOptionKeys(), 'RepeatVector');
    super(baseLayerOptions({ ...options }), 'RepeatVector');
    this.n = checkPositiveInt(n, `${this.describe()} n`);
  }

  /** Builds a RepeatVector from its model.json config. */
  static fromConfig(config: LayerConfig): RepeatVector {
    return new RepeatVector(required('RepeatVector', config, 'n'), baseOptionsFromConfig('RepeatVector', config));
  }

  protected override checkInputShape(shape: Shape): void {
    if (shape.length !== 2) throw new ShapeError(`${this.describe()}: expected an input of rank 2 [batch, features], received ${formatShape(shape)}`);
  }

  computeOutputShape(inputShape: Shape): Shape {
    return [inputShape[0], this.n, inputShape[1]];
  }

  call(x: Tensor): Tensor {
    return broadcastTo(expandDims(x, 1), [x.shape[0], this.n, x.shape[1]]);
  }

  override getConfig(): Record<string, unknown> {
    return { n: this.n, ...super.getConfig() };
  }
}
