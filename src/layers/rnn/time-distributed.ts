import { NeuriteError, ShapeError, ValueError } from '../../util/errors.js';
import { checkOptionKeys } from '../../util/options.js';
import { formatShape } from '../../util/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { reshape } from '../../ops/reshape.js';
import { baseOptionsFromConfig, LayerConfig } from '../config.js';
import { CallContext, Layer, LayerOptions, Shape } from '../layer.js';
import { layerFromConfig } from '../serialization.js';
import { layerOptionKeys } from './cell.js';

/**
 * Applies a layer to every timestep of `[batch, steps, ...]` (Keras's `TimeDistributed`): the steps
 * are folded into the batch (`[batch·steps, ...]`), the layer runs once, and the result is unfolded.
 * The wrapped layer's weights are this layer's, under this layer's name (as TF.js saves them).
 * @example new TimeDistributed(new Dense(2)).apply(zeros([4, 5, 3])).shape; // [4, 5, 2]
 */
export class TimeDistributed extends Layer {
  readonly className = 'TimeDistributed';
  /** The layer applied at each step. */
  readonly layer: Layer;
  override supportsMasking = true;

  constructor(layer: Layer, options: LayerOptions = {}) {
    checkOptionKeys(options, layerOptionKeys, 'TimeDistributed');
    super(options, 'TimeDistributed');
    if (!(layer instanceof Layer)) throw new ValueError(`${this.describe()}: expected a layer to wrap, received ${String(layer)}`);
    this.layer = layer;
  }

  /** Builds a TimeDistributed from its model.json config (`layer: { class_name, config }`). */
  static fromConfig(config: LayerConfig): TimeDistributed {
    const spec = config.layer as { class_name?: string; config?: LayerConfig } | undefined | null;
    if (spec === undefined || spec === null || typeof spec.class_name !== 'string') {
      throw new NeuriteError(`TimeDistributed.fromConfig: expected a 'layer' entry { class_name, config }, received ${JSON.stringify(spec)}`);
    }
    return new TimeDistributed(layerFromConfig(spec.class_name, spec.config ?? {}), baseOptionsFromConfig('TimeDistributed', config));
  }

  protected override sublayers(): Layer[] {
    return [this.layer];
  }

  /** The shape one call of the wrapped layer sees: steps folded into the batch. */
  private innerShape(shape: Shape): Shape {
    const [batch, steps, ...rest] = shape;
    return [batch === null || steps === null ? null : batch * steps, ...rest];
  }

  protected override checkInputShape(shape: Shape): void {
    if (shape.length < 3) throw new ShapeError(`${this.describe()}: expected an input of rank >= 3 [batch, steps, ...], received ${formatShape(shape)}`);
  }

  override build(inputShape: Shape): void {
    this.layer.ensureBuilt(this.innerShape(inputShape));
  }

  computeOutputShape(inputShape: Shape): Shape {
    const inner = this.layer.computeOutputShape(this.innerShape(inputShape));
    if (inner.length > 0 && Array.isArray(inner[0])) throw new NeuriteError(`${this.describe()}: the wrapped layer ${this.layer.name} has several outputs`);
    return [inputShape[0], inputShape[1], ...(inner as Shape).slice(1)];
  }

  call(x: Tensor, ctx: CallContext): Tensor {
    const [batch, steps, ...rest] = x.shape;
    const y = this.layer.apply(reshape(x, [batch * steps, ...rest]), { training: ctx.training });
    return reshape(y, [batch, steps, ...y.shape.slice(1)]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), layer: { class_name: this.layer.className, config: this.layer.getConfig() } };
  }
}
