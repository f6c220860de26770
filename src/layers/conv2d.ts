import { NeuriteError, ShapeError } from '../util/errors.js';
import { formatShape } from '../util/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { conv2d, conv2dRelu } from '../ops/conv2d.js';
import { ActivationFn, ActivationId, ActivationName, canonicalActivation, getActivation } from '../activations/activations.js';
import { checkInitializerSpec, InitializerSpec, serializeInitializer } from '../initializers/serialization.js';
import {
  baseOptionsFromConfig,
  checkBoolean,
  checkDataFormat,
  checkPadding,
  checkPositiveInt,
  LayerConfig,
  Padding,
  pairOf,
  read,
  refuseUnsupported,
  required,
} from './config.js';
import { conv2dOutputShape, windowFits } from './conv-shape.js';
import { checkOptionKeys } from '../util/options.js';
import { ConstraintSpec, serializeConstraint } from '../constraints/constraints.js';
import { RegularizerSpec, serializeRegularizer } from '../regularizers/regularizers.js';
import { baseLayerOptions, layerOptionKeys } from './option-keys.js';
import { penaltiesFromConfig, penaltyOptionKeys, resolvePenalties, WeightPenalties, weightPenalty } from './penalties.js';
import { Layer, LayerOptions, Shape } from './layer.js';
import { describeValue } from '../util/describe.js';

/** Options of `Conv2D` besides `filters` and `kernelSize`. */
export interface Conv2DOptions extends LayerOptions {
  /** Step of the window, one number or `[h, w]` (default 1). */
  strides?: number | readonly [number, number];
  /** `'valid'` (no padding, default) or `'same'` (output size ceil(input / stride)). */
  padding?: Padding;
  /** Spacing between kernel taps, one number or `[h, w]` (default 1). */
  dilationRate?: number | readonly [number, number];
  /** Activation name (default `'linear'`). */
  activation?: ActivationName | null;
  /** Whether to add a bias (default true). */
  useBias?: boolean;
  /** Kernel initializer (default `'glorot_uniform'`). */
  kernelInitializer?: InitializerSpec;
  /** Bias initializer (default `'zeros'`). */
  biasInitializer?: InitializerSpec;
  /** Only `'channelsLast'` (NHWC); anything else is an error. */
  dataFormat?: 'channelsLast' | 'channels_last';
  /** Grouped convolution is not implemented: only 1 (the default) is accepted. */
  groups?: number;
  kernelRegularizer?: RegularizerSpec | null;
  biasRegularizer?: RegularizerSpec | null;
  activityRegularizer?: RegularizerSpec | null;
  kernelConstraint?: ConstraintSpec | null;
  biasConstraint?: ConstraintSpec | null;
}

const WEIGHTS = ['kernel', 'bias'];
const KEYS = layerOptionKeys(
  'strides', 'padding', 'dilationRate', 'activation', 'useBias', 'kernelInitializer', 'biasInitializer', 'dataFormat', 'groups',
  ...penaltyOptionKeys(WEIGHTS),
);

/**
 * 2-D convolution over NHWC images: kernel `[kh, kw, inChannels, filters]`, bias `[filters]`,
 * y = activation(conv(x, kernel) + bias).
 * @example new Conv2D(8, 3, { padding: 'same' }).apply(zeros([1, 28, 28, 1])).shape; // [1, 28, 28, 8]
 */
export class Conv2D extends Layer {
  readonly className = 'Conv2D';
  /** Number of output channels. */
  readonly filters: number;
  /** Window `[kh, kw]`. */
  readonly kernelSize: [number, number];
  /** Steps `[sh, sw]`. */
  readonly strides: [number, number];
  /** Padding mode. */
  readonly padding: Padding;
  /** Dilations `[dh, dw]`. */
  readonly dilationRate: [number, number];
  /** Canonical activation id. */
  readonly activation: ActivationId;
  /** Whether a bias is added. */
  readonly useBias: boolean;
  /** Kernel initializer spec. */
  readonly kernelInitializer: InitializerSpec;
  /** Bias initializer spec. */
  readonly biasInitializer: InitializerSpec;
  private readonly activationFn: ActivationFn;
  private readonly penalties: WeightPenalties;
  private kernel: Tensor | null = null;
  private bias: Tensor | null = null;

  constructor(filters: number, kernelSize: number | readonly [number, number], allOptions: Conv2DOptions = {}) {
    checkOptionKeys(allOptions, KEYS, 'Conv2D');
    const {
      strides = 1,
      padding = 'valid',
      dilationRate = 1,
      activation = 'linear',
      useBias = true,
      kernelInitializer = 'glorot_uniform',
      biasInitializer = 'zeros',
      dataFormat = 'channelsLast',
      groups = 1,
    } = allOptions;
    super(baseLayerOptions({ ...allOptions }), 'Conv2D');
    const what = this.describe();
    if (groups !== 1) throw new NeuriteError(`${what}: grouped convolution is not supported (only groups = 1), received groups ${JSON.stringify(groups)}`);
    this.penalties = resolvePenalties(WEIGHTS, { ...allOptions }, what);
    this.activityRegularizer = this.penalties.activity;
    this.filters = checkPositiveInt(filters, `${what} filters`);
    this.kernelSize = pairOf(kernelSize, `${what} kernelSize`);
    this.strides = pairOf(strides, `${what} strides`);
    this.padding = checkPadding(padding, `${what} padding`);
    this.dilationRate = pairOf(dilationRate, `${what} dilationRate`);
    checkDataFormat(dataFormat, what);
    if (this.strides.some((s) => s > 1) && this.dilationRate.some((d) => d > 1)) {
      throw new NeuriteError(
        `${what}: strides > 1 together with dilationRate > 1 is not supported (as in Keras and TF.js), ` +
          `received strides ${describeValue(this.strides)} and dilationRate ${describeValue(this.dilationRate)}`,
      );
    }
    this.activation = canonicalActivation(activation);
    this.activationFn = getActivation(this.activation);
    this.useBias = checkBoolean(useBias, `${what} useBias`);
    checkInitializerSpec(kernelInitializer, `${what} kernelInitializer`);
    checkInitializerSpec(biasInitializer, `${what} biasInitializer`);
    this.kernelInitializer = kernelInitializer;
    this.biasInitializer = biasInitializer;
  }

  /** Builds a Conv2D from its model.json config. */
  static fromConfig(config: LayerConfig): Conv2D {
    const options = baseOptionsFromConfig('Conv2D', config);
    refuseUnsupported('Conv2D', config, { groups: 1 });
    return new Conv2D(required('Conv2D', config, 'filters'), required('Conv2D', config, 'kernel_size'), {
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

  /** NHWC input whose (dilated) kernel fits in the padded image; once built, the channel count is fixed. */
  protected override checkInputShape(shape: Shape): void {
    if (shape.length !== 4 || shape[3] === null) {
      throw new ShapeError(`${this.describe()}: expected an NHWC input of rank 4 [batch, height, width, channels], received ${formatShape(shape)}`);
    }
    const [, h, w] = shape;
    const [kh, kw] = this.kernelSize;
    const [dh, dw] = this.dilationRate;
    if (!windowFits(h, kh, this.padding, dh) || !windowFits(w, kw, this.padding, dw)) {
      throw new ShapeError(
        `${this.describe()}: kernel ${formatShape(this.kernelSize)} (dilation ${formatShape(this.dilationRate)}) is larger than the ` +
          `'${this.padding}'-padded input ${formatShape(shape)}`,
      );
    }
    if (this.kernel !== null && shape[3] !== this.kernel.shape[2]) {
      throw new ShapeError(
        `${this.describe()}: built for ${this.kernel.shape[2]} input channels (kernel ${formatShape(this.kernel.shape)}), ` +
          `received input of shape ${formatShape(shape)}`,
      );
    }
  }

  override build(inputShape: Shape): void {
    const channels = inputShape[3] as number;
    this.kernel = this.addWeight('kernel', [...this.kernelSize, channels, this.filters], this.kernelInitializer, weightPenalty(this.penalties, 'kernel'));
    if (this.useBias) this.bias = this.addWeight('bias', [this.filters], this.biasInitializer, weightPenalty(this.penalties, 'bias'));
  }

  computeOutputShape(inputShape: Shape): Shape {
    return conv2dOutputShape(inputShape, this);
  }

  call(x: Tensor): Tensor {
    const options = { strides: this.strides, padding: this.padding, dilations: this.dilationRate, bias: this.bias ?? undefined };
    // ReLU fuses into the convolution's store (one op, one pass over y); other activations follow it.
    if (this.activation === 'relu') return conv2dRelu(x, this.kernel!, options);
    return this.activationFn(conv2d(x, this.kernel!, options));
  }

  override getConfig(): Record<string, unknown> {
    return {
      filters: this.filters,
      kernel_initializer: serializeInitializer(this.kernelInitializer),
      kernel_regularizer: serializeRegularizer(this.penalties.regularizers.kernel),
      kernel_constraint: serializeConstraint(this.penalties.constraints.kernel),
      kernel_size: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      data_format: 'channels_last',
      dilation_rate: [...this.dilationRate],
      activation: this.activation,
      use_bias: this.useBias,
      bias_initializer: serializeInitializer(this.biasInitializer),
      bias_regularizer: serializeRegularizer(this.penalties.regularizers.bias),
      activity_regularizer: serializeRegularizer(this.penalties.activity),
      bias_constraint: serializeConstraint(this.penalties.constraints.bias),
      ...super.getConfig(),
    };
  }
}
