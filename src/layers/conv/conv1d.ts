import { NeuriteError, ShapeError } from '../../util/errors.js';
import { formatShape } from '../../util/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { conv2d } from '../../ops/conv2d.js';
import { reshape } from '../../ops/reshape.js';
import { concat } from '../../ops/concat.js';
import { zeros } from '../../tensor/creation.js';
import { ActivationFn, ActivationId, canonicalActivation, getActivation, serializeActivation } from '../../activations/activations.js';
import { checkInitializerSpec, InitializerSpec, serializeInitializer } from '../../initializers/serialization.js';
import { baseOptionsFromConfig, checkBoolean, checkDataFormat, checkPositiveInt, LayerConfig, read, refuseUnsupported, required } from '../config.js';
import type { ConstraintSpec } from '../../constraints/constraints.js';
import type { RegularizerSpec } from '../../regularizers/regularizers.js';
import { penaltiesConfig, penaltiesFromConfig, penaltyOptionKeys, resolvePenalties, WeightPenalties, weightPenalty } from '../penalties.js';
import { convOutputLength, windowFits } from '../conv-shape.js';
import { Layer, LayerOptions, Shape } from '../layer.js';
import { checkLayerOptions } from '../option-keys.js';
import { checkPadding1D, Padding1D, singleOf } from './one-d.js';

/** Options of `Conv1D` besides `filters` and `kernelSize`. */
export interface Conv1DOptions extends LayerOptions {
  /** Step of the window (default 1). */
  strides?: number | readonly [number];
  /** `'valid'` (default), `'same'`, or `'causal'` (left padding only: output t sees inputs <= t). */
  padding?: Padding1D;
  /** Spacing between kernel taps (default 1). */
  dilationRate?: number | readonly [number];
  /** Activation name (default `'linear'`). */
  activation?: ActivationId | string | null;
  /** Whether to add a bias (default true). */
  useBias?: boolean;
  /** Kernel initializer (default `'glorot_uniform'`). */
  kernelInitializer?: InitializerSpec;
  /** Bias initializer (default `'zeros'`). */
  biasInitializer?: InitializerSpec;
  /** Only `'channelsLast'` (`[batch, steps, channels]`). */
  dataFormat?: 'channelsLast' | 'channels_last';
  /** Penalty on the kernel added to the training loss (`l1`, `l2`, `l1l2`). */
  kernelRegularizer?: RegularizerSpec | null;
  /** Penalty on the bias. */
  biasRegularizer?: RegularizerSpec | null;
  /** Penalty on the output. */
  activityRegularizer?: RegularizerSpec | null;
  /** Projection of the kernel after each optimizer step. */
  kernelConstraint?: ConstraintSpec | null;
  /** Projection of the bias after each optimizer step. */
  biasConstraint?: ConstraintSpec | null;
}

const WEIGHTS = ['kernel', 'bias'];
const OWN_OPTIONS = ['strides', 'padding', 'dilationRate', 'activation', 'useBias', 'kernelInitializer', 'biasInitializer', 'dataFormat', ...penaltyOptionKeys(WEIGHTS)];

/**
 * 1-D convolution over `[batch, steps, channels]`: kernel `[kernelSize, inChannels, filters]`, bias
 * `[filters]`. Runs the 2-D convolution on a unit-height image `[batch, 1, steps, channels]`; `'causal'`
 * pads (kernelSize − 1)·dilation zeros on the left and then convolves 'valid', as Keras.
 * @example new Conv1D(4, 3, { padding: 'causal' }).apply(zeros([2, 10, 3])).shape; // [2, 10, 4]
 */
export class Conv1D extends Layer {
  readonly className = 'Conv1D';
  /** Number of output channels. */
  readonly filters: number;
  /** Window length. */
  readonly kernelSize: number;
  /** Step of the window. */
  readonly strides: number;
  /** Padding mode. */
  readonly padding: Padding1D;
  /** Spacing between taps. */
  readonly dilationRate: number;
  /** Canonical activation id. */
  readonly activation: ActivationId;
  /** Whether a bias is added. */
  readonly useBias: boolean;
  /** Kernel initializer spec. */
  readonly kernelInitializer: InitializerSpec;
  /** Bias initializer spec. */
  readonly biasInitializer: InitializerSpec;
  private readonly activationFn: ActivationFn;
  private kernel: Tensor | null = null;
  private bias: Tensor | null = null;
  private readonly penalties: WeightPenalties;

  constructor(filters: number, kernelSize: number | readonly [number], options: Conv1DOptions = {}) {
    checkLayerOptions(options, OWN_OPTIONS, 'Conv1D');
    const { strides = 1, padding = 'valid', dilationRate = 1, activation = 'linear', useBias = true, kernelInitializer = 'glorot_uniform', biasInitializer = 'zeros', dataFormat = 'channelsLast',
      kernelRegularizer, biasRegularizer, activityRegularizer, kernelConstraint, biasConstraint, ...base } = options;
    super(base, 'Conv1D');
    this.penalties = resolvePenalties(WEIGHTS, { kernelRegularizer, biasRegularizer, activityRegularizer, kernelConstraint, biasConstraint }, this.describe());
    this.activityRegularizer = this.penalties.activity;
    const what = this.describe();
    this.filters = checkPositiveInt(filters, `${what} filters`);
    this.kernelSize = singleOf(kernelSize, `${what} kernelSize`);
    this.strides = singleOf(strides, `${what} strides`);
    this.padding = checkPadding1D(padding, `${what} padding`, true);
    this.dilationRate = singleOf(dilationRate, `${what} dilationRate`);
    checkDataFormat(dataFormat, what);
    if (this.strides > 1 && this.dilationRate > 1) {
      throw new NeuriteError(`${what}: strides > 1 together with dilationRate > 1 is not supported (as in Keras), received strides ${this.strides} and dilationRate ${this.dilationRate}`);
    }
    if (this.padding === 'causal' && this.strides > 1) {
      throw new NeuriteError(`${what}: padding 'causal' needs strides 1 (as Keras refuses otherwise), received strides ${this.strides}`);
    }
    this.activation = canonicalActivation(activation);
    this.activationFn = getActivation(this.activation);
    this.useBias = checkBoolean(useBias, `${what} useBias`);
    checkInitializerSpec(kernelInitializer, `${what} kernelInitializer`);
    checkInitializerSpec(biasInitializer, `${what} biasInitializer`);
    this.kernelInitializer = kernelInitializer;
    this.biasInitializer = biasInitializer;
  }

  /** Builds a Conv1D from its model.json config. */
  static fromConfig(config: LayerConfig): Conv1D {
    const options = baseOptionsFromConfig('Conv1D', config);
    refuseUnsupported('Conv1D', config, { groups: 1 });
    return new Conv1D(required('Conv1D', config, 'filters'), required('Conv1D', config, 'kernel_size'), {
      strides: read(config, 'strides', 1),
      padding: read(config, 'padding', 'valid'),
      dilationRate: read(config, 'dilation_rate', 1),
      activation: read(config, 'activation', 'linear'),
      useBias: read(config, 'use_bias', true),
      kernelInitializer: read(config, 'kernel_initializer', 'glorot_uniform'),
      biasInitializer: read(config, 'bias_initializer', 'zeros'),
      dataFormat: read(config, 'data_format', 'channelsLast'),
      ...penaltiesFromConfig(WEIGHTS, config),
      ...options,
    });
  }

  /** `[batch, steps, channels]` in which the (dilated) kernel fits; once built, the channel count is fixed. */
  protected override checkInputShape(shape: Shape): void {
    if (shape.length !== 3 || shape[2] === null) {
      throw new ShapeError(`${this.describe()}: expected an input of rank 3 [batch, steps, channels], received ${formatShape(shape)}`);
    }
    if (this.padding === 'valid' && !windowFits(shape[1], this.kernelSize, 'valid', this.dilationRate)) {
      throw new ShapeError(`${this.describe()}: kernel ${this.kernelSize} (dilation ${this.dilationRate}) is longer than the 'valid'-padded input ${formatShape(shape)}`);
    }
    if (this.kernel !== null && shape[2] !== this.kernel.shape[1]) {
      throw new ShapeError(`${this.describe()}: built for ${this.kernel.shape[1]} input channels (kernel ${formatShape(this.kernel.shape)}), received input of shape ${formatShape(shape)}`);
    }
  }

  override build(inputShape: Shape): void {
    this.kernel = this.addWeight('kernel', [this.kernelSize, inputShape[2] as number, this.filters], this.kernelInitializer, weightPenalty(this.penalties, 'kernel'));
    if (this.useBias) this.bias = this.addWeight('bias', [this.filters], this.biasInitializer, weightPenalty(this.penalties, 'bias'));
  }

  computeOutputShape(inputShape: Shape): Shape {
    const [batch, steps] = inputShape;
    // Causal padding keeps the length (strides are 1): (k − 1)·d zeros in front, then 'valid'.
    const padding = this.padding === 'causal' ? 'same' : this.padding;
    return [batch, convOutputLength(steps, this.kernelSize, padding, this.strides, this.dilationRate), this.filters];
  }

  call(x: Tensor): Tensor {
    const [batch, steps, channels] = x.shape;
    let image = reshape(x, [batch, 1, steps, channels]);
    const front = (this.kernelSize - 1) * this.dilationRate;
    if (this.padding === 'causal' && front > 0) image = concat([zeros([batch, 1, front, channels]), image], 2);
    const kernel = reshape(this.kernel!, [1, this.kernelSize, channels, this.filters]);
    const y = conv2d(image, kernel, {
      strides: [1, this.strides],
      padding: this.padding === 'same' ? 'same' : 'valid',
      dilations: [1, this.dilationRate],
      bias: this.bias ?? undefined,
    });
    return this.activationFn(reshape(y, [batch, y.shape[2], this.filters]));
  }

  /** TF.js's Conv1D config (which, unlike Keras's, has no data_format; only channels-last exists here). */
  override getConfig(): Record<string, unknown> {
    return {
      filters: this.filters,
      kernel_initializer: serializeInitializer(this.kernelInitializer),
      kernel_size: [this.kernelSize],
      strides: [this.strides],
      padding: this.padding,
      dilation_rate: [this.dilationRate],
      activation: serializeActivation(this.activation),
      use_bias: this.useBias,
      bias_initializer: serializeInitializer(this.biasInitializer),
      ...penaltiesConfig(WEIGHTS, this.penalties),
      ...super.getConfig(),
    };
  }
}
