import { ShapeError, ValueError } from '../../util/errors.js';
import { formatShape } from '../../util/shape.js';
import { checkOptionKeys } from '../../util/options.js';
import { Tensor } from '../../tensor/tensor.js';
import { reshape } from '../../ops/reshape.js';
import { baseOptionsFromConfig, LayerConfig, required } from '../config.js';
import { Layer, LayerOptions, Shape } from '../layer.js';
import { baseLayerOptions, layerOptionKeys } from '../option-keys.js';

/**
 * Reshapes every sample to `targetShape` (batch axis kept); one entry may be −1, inferred from the size.
 * @example new Reshape([2, -1]).apply(zeros([5, 6])).shape; // [5, 2, 3]
 */
export class Reshape extends Layer {
  readonly className = 'Reshape';
  /** The per-sample shape, with at most one −1. */
  readonly targetShape: number[];

  constructor(targetShape: readonly number[], options: LayerOptions = {}) {
    checkOptionKeys(options, layerOptionKeys(), 'Reshape');
    super(baseLayerOptions({ ...options }), 'Reshape');
    const ok = Array.isArray(targetShape) && targetShape.every((d) => d === -1 || (Number.isInteger(d) && d > 0));
    if (!ok) throw new ValueError(`${this.describe()}: expected targetShape of positive integers (one may be -1), received ${JSON.stringify(targetShape)}`);
    if (targetShape.filter((d) => d === -1).length > 1) {
      throw new ValueError(`${this.describe()}: targetShape ${formatShape(targetShape)} has more than one -1; at most one dimension can be inferred`);
    }
    this.targetShape = [...targetShape];
  }

  /** Builds a Reshape from its model.json config (`target_shape`; Keras writes null for −1). */
  static fromConfig(config: LayerConfig): Reshape {
    const target = required<(number | null)[]>('Reshape', config, 'target_shape');
    return new Reshape(Array.isArray(target) ? target.map((d) => (d === null ? -1 : d)) : target, baseOptionsFromConfig('Reshape', config));
  }

  /** The per-sample output shape for a sample shape, or null when unknown; throws when the sizes disagree. */
  private resolve(sample: (number | null)[], shape: Shape): (number | null)[] {
    if (sample.some((d) => d === null)) return this.targetShape.map((d) => (d === -1 ? null : d));
    const size = (sample as number[]).reduce((n, d) => n * d, 1);
    const known = this.targetShape.filter((d) => d !== -1).reduce((n, d) => n * d, 1);
    const inferred = this.targetShape.includes(-1);
    if (inferred ? size % known !== 0 : size !== known) {
      throw new ShapeError(
        `${this.describe()}: cannot reshape an input of shape ${formatShape(shape)} (${size} values per sample) to ${formatShape(this.targetShape)}` +
          (inferred ? ` (${size} is not a multiple of ${known})` : ` (${known} values)`),
      );
    }
    return this.targetShape.map((d) => (d === -1 ? size / known : d));
  }

  protected override checkInputShape(shape: Shape): void {
    if (shape.length < 1) throw new ShapeError(`${this.describe()}: expected an input with a batch axis, received ${formatShape(shape)}`);
    this.resolve(shape.slice(1), shape);
  }

  computeOutputShape(inputShape: Shape): Shape {
    return [inputShape[0], ...this.resolve(inputShape.slice(1), inputShape)];
  }

  call(x: Tensor): Tensor {
    return reshape(x, [x.shape[0], ...(this.resolve(x.shape.slice(1), x.shape as Shape) as number[])]);
  }

  override getConfig(): Record<string, unknown> {
    return { target_shape: [...this.targetShape], ...super.getConfig() };
  }
}
