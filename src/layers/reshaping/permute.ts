import { ShapeError, ValueError } from '../../util/errors.js';
import { formatShape } from '../../util/shape.js';
import { checkOptionKeys } from '../../util/options.js';
import { Tensor } from '../../tensor/tensor.js';
import { transpose } from '../../ops/transpose.js';
import { baseOptionsFromConfig, LayerConfig, required } from '../config.js';
import { Layer, LayerOptions, Shape } from '../layer.js';
import { baseLayerOptions, layerOptionKeys } from '../option-keys.js';

/**
 * Permutes the non-batch axes: `dims` is a permutation of 1 … rank − 1 (1-based, as Keras).
 * @example new Permute([2, 1]).apply(zeros([4, 2, 3])).shape; // [4, 3, 2]
 */
export class Permute extends Layer {
  readonly className = 'Permute';
  /** Permutation of the axes 1 … n. */
  readonly dims: number[];

  constructor(dims: readonly number[], options: LayerOptions = {}) {
    checkOptionKeys(options, layerOptionKeys(), 'Permute');
    super(baseLayerOptions({ ...options }), 'Permute');
    const sorted = Array.isArray(dims) ? [...dims].sort((a, b) => a - b) : [];
    if (sorted.length === 0 || !sorted.every((d, i) => d === i + 1)) {
      throw new ValueError(`${this.describe()}: expected dims to be a permutation of 1 … n (the batch axis 0 stays), received ${JSON.stringify(dims)}`);
    }
    this.dims = [...dims];
  }

  /** Builds a Permute from its model.json config. */
  static fromConfig(config: LayerConfig): Permute {
    return new Permute(required('Permute', config, 'dims'), baseOptionsFromConfig('Permute', config));
  }

  protected override checkInputShape(shape: Shape): void {
    if (shape.length !== this.dims.length + 1) {
      throw new ShapeError(`${this.describe()}: dims ${formatShape(this.dims)} permute ${this.dims.length} axes; expected an input of rank ${this.dims.length + 1}, received ${formatShape(shape)}`);
    }
  }

  computeOutputShape(inputShape: Shape): Shape {
    return [inputShape[0], ...this.dims.map((d) => inputShape[d])];
  }

  call(x: Tensor): Tensor {
    return transpose(x, [0, ...this.dims]);
  }

  override getConfig(): Record<string, unknown> {
    return { dims: [...this.dims], ...super.getConfig() };
  }
}
