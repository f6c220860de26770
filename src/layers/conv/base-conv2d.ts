import { NeuriteError, ShapeError } from '../../util/errors.js';
import { formatShape } from '../../util/shape.js';
import { checkOptionKeys } from '../../util/options.js';
import { Tensor } from '../../tensor/tensor.js';
import { add } from '../../ops/arithmetic.js';
import { ActivationFn, ActivationId, canonicalActivation, getActivation, serializeActivation } from '../../activations/activations.js';
import { checkInitializerSpec, InitializerSpec, serializeInitializer } from '../../initializers/serialization.js';
import { ConstraintSpec } from '../../constraints/constraints.js';
import { RegularizerSpec } from '../../regularizers/regularizers.js';
import { baseOptionsFromConfig, checkBoolean, checkDataFormat, checkPadding, LayerConfig, Padding, pairOf, read } from '../config.js';
import { Layer, LayerOptions, Shape } from '../layer.js';
import { baseLayerOptions, layerOptionKeys } from '../option-keys.js';
import { penaltiesConfig, penaltiesFromConfig, penaltyOptionKeys, resolvePenalties, WeightPenalties, weightPenalty } from '../penalties.js';

/** Options shared by Conv2DTranspose, DepthwiseConv2D and SeparableConv2D. */
export interface BaseConv2DOptions extends LayerOptions {
  /** Step of the window, one number or `[h, w]` (default 1). */
  strides?: number | readonly [number, number];
  /** `'valid'` (default) or `'same'`. */
  padding?: Padding;
  /** Spacing between kernel taps, one number or `[h, w]` (default 1). */
  dilationRate?: number | readonly [number, number];
  /** Activation name (default `'linear'`). */
  activation?: ActivationId | string | null;
  /** Whether to add a bias (default true). */
  useBias?: boolean;
  /** Bias initializer (default `'zeros'`). */
  biasInitializer?: InitializerSpec;
  biasRegularizer?: RegularizerSpec | null;
  biasConstraint?: ConstraintSpec | null;
  activityRegularizer?: RegularizerSpec | null;
  /** Only `'channelsLast'` (NHWC). */
  dataFormat?: 'channelsLast' | 'channels_last';
}

const SHARED = ['strides', 'padding', 'dilationRate', 'activation', 'useBias', 'biasInitializer', 'dataFormat'];

/** Reads the shared options of a model.json config; `kernels` are the weight prefixes with initializers. */
export function convOptionsFromConfig(className: string, config: LayerConfig, kernels: readonly string[]): Record<string, unknown> {
  const options: Record<string, unknown> = {
    strides: read(config, 'strides', 1),
    padding: read(config, 'padding', 'valid'),
    dilationRate: read(config, 'dilation_rate', 1),
    activation: read(config, 'activation', 'linear'),
    useBias: read(config, 'use_bias', true),
    biasInitializer: read(config, 'bias_initializer', 'zeros'),
    dataFormat: read(config, 'data_format', 'channelsLast'),
    ...penaltiesFromConfig([...kernels, 'bias'], config),
    ...baseOptionsFromConfig(className, config),
  };
  for (const k of kernels) options[`${k}Initializer`] = read(config, `${k.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase()}_initializer`, 'glorot_uniform');
  return options;
}

/**
 * Shared body of the 2-D convolution variants: option checks, the NHWC input rule, bias and activation,
 * penalties and config. `kernels` names the subclass's kernel weights (`kernel`, `depthwiseKernel` …).
 */
export abstract class BaseConv2D extends Layer {
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: Padding;
  readonly dilationRate: [number, number];
  readonly activation: ActivationId;
  readonly useBias: boolean;
  readonly biasInitializer: InitializerSpec;
  /** Initializer per kernel prefix. */
  protected readonly initializers: Record<string, InitializerSpec> = {};
  protected readonly penalties: WeightPenalties;
  private readonly activationFn: ActivationFn;
  protected bias: Tensor | null = null;

  constructor(className: string, kernelSize: unknown, options: Record<string, unknown>, kernels: readonly string[], own: readonly string[]) {
    checkOptionKeys(options, layerOptionKeys(...SHARED, ...own, ...kernels.map((k) => `${k}Initializer`), ...penaltyOptionKeys([...kernels, 'bias'])), className);
    super(baseLayerOptions(options), className);
    const what = this.describe();
    this.kernelSize = pairOf(kernelSize, `${what} kernelSize`);
    this.strides = pairOf(options.strides ?? 1, `${what} strides`);
    this.padding = checkPadding(options.padding ?? 'valid', `${what} padding`);
    this.dilationRate = pairOf(options.dilationRate ?? 1, `${what} dilationRate`);
    checkDataFormat(options.dataFormat, what);
    if (this.strides.some((s) => s > 1) && this.dilationRate.some((d) => d > 1)) {
      throw new NeuriteError(`${what}: strides > 1 together with dilationRate > 1 is not supported (as in Keras and TF.js), received strides ${JSON.stringify(this.strides)} and dilationRate ${JSON.stringify(this.dilationRate)}`);
    }
    this.activation = canonicalActivation(options.activation as string | null | undefined);
    this.activationFn = getActivation(this.activation);
    this.useBias = checkBoolean(options.useBias ?? true, `${what} useBias`);
    this.biasInitializer = (options.biasInitializer as InitializerSpec | undefined) ?? 'zeros';
    checkInitializerSpec(this.biasInitializer, `${what} biasInitializer`);
    for (const k of kernels) {
      const spec = (options[`${k}Initializer`] as InitializerSpec | undefined) ?? 'glorot_uniform';
      checkInitializerSpec(spec, `${what} ${k}Initializer`);
      this.initializers[k] = spec;
    }
    this.penalties = resolvePenalties([...kernels, 'bias'], options, what);
    this.activityRegularizer = this.penalties.activity;
  }

  /** NHWC input with known channels; once built, the channel count is fixed. */
  protected override checkInputShape(shape: Shape): void {
    if (shape.length !== 4 || shape[3] === null) {
      throw new ShapeError(`${this.describe()}: expected an NHWC input of rank 4 [batch, height, width, channels], received ${formatShape(shape)}`);
    }
    const built = this.builtInputShape as Shape | null;
    if (built !== null && built[3] !== shape[3]) {
      throw new ShapeError(`${this.describe()}: built for ${built[3]} input channels, received input of shape ${formatShape(shape)}`);
    }
  }

  /** Creates a kernel weight `name` (snake_case) for the prefix `prefix`. */
  protected addKernel(name: string, prefix: string, shape: number[]): Tensor {
    return this.addWeight(name, shape, this.initializers[prefix], weightPenalty(this.penalties, prefix));
  }

  /** Creates the bias `[n]` when `useBias`. */
  protected addBias(n: number): void {
    if (this.useBias) this.bias = this.addWeight('bias', [n], this.biasInitializer, weightPenalty(this.penalties, 'bias'));
  }

  /** activation(y + bias). */
  protected finish(y: Tensor): Tensor {
    return this.activationFn(this.bias === null ? y : add(y, this.bias));
  }

  /** The shared config keys, plus each kernel's initializer and the penalties. */
  protected convConfig(kernels: readonly string[]): Record<string, unknown> {
    const config: Record<string, unknown> = {
      kernel_size: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      data_format: 'channels_last',
      dilation_rate: [...this.dilationRate],
      activation: serializeActivation(this.activation),
      use_bias: this.useBias,
      bias_initializer: serializeInitializer(this.biasInitializer),
      ...penaltiesConfig([...kernels, 'bias'], this.penalties),
    };
    for (const k of kernels) config[`${k.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase()}_initializer`] = serializeInitializer(this.initializers[k]);
    return config;
  }
}
