import { ActivationFn, ActivationId, ActivationName, canonicalActivation, getActivation, serializeActivation } from '../activations/activations.js';
import { Tensor } from '../tensor/tensor.js';
import { baseOptionsFromConfig, LayerConfig, required } from './config.js';
import { Layer, LayerOptions, Shape } from './layer.js';

/**
 * Applies an activation function by name (softmax over the last axis).
 * @example new Activation('relu').apply(tensor([[-1, 2]])); // [[0, 2]]
 */
export class Activation extends Layer {
  readonly className = 'Activation';
  /** Passes the input's mask on, as Keras 3 does. */
  override supportsMasking = true;
  /** Canonical activation id. */
  readonly activation: ActivationId;
  private readonly activationFn: ActivationFn;

  constructor(activation: ActivationName, options: LayerOptions = {}) {
    super(options, 'Activation');
    this.activation = canonicalActivation(activation);
    this.activationFn = getActivation(this.activation);
  }

  /** Builds an Activation from its model.json config. */
  static fromConfig(config: LayerConfig): Activation {
    return new Activation(required('Activation', config, 'activation'), baseOptionsFromConfig('Activation', config));
  }

  /** Any shape: the function is applied elementwise (softmax along the last axis). */
  protected override checkInputShape(shape: Shape): void {
    void shape;
  }

  computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  call(x: Tensor): Tensor {
    return this.activationFn(x);
  }

  override getConfig(): Record<string, unknown> {
    return { activation: serializeActivation(this.activation), ...super.getConfig() };
  }
}
