import { ShapeError } from '../util/errors.js';
import { formatShape } from '../util/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { dense } from '../ops/dense.js';
import { ActivationFn, ActivationId, ActivationName, canonicalActivation, getActivation, serializeActivation } from '../activations/activations.js';
import { checkInitializerSpec, InitializerSpec, serializeInitializer } from '../initializers/serialization.js';
import { ConstraintSpec } from '../constraints/constraints.js';
import { RegularizerSpec } from '../regularizers/regularizers.js';
import { checkOptionKeys } from '../util/options.js';
import { baseOptionsFromConfig, checkBoolean, checkPositiveInt, LayerConfig, read, required } from './config.js';
import { Layer, LayerOptions, Shape } from './layer.js';
import { baseLayerOptions, layerOptionKeys } from './option-keys.js';
import { penaltiesConfig, penaltiesFromConfig, penaltyOptionKeys, resolvePenalties, WeightPenalties, weightPenalty } from './penalties.js';

const WEIGHTS = ['kernel', 'bias'];
const KEYS = layerOptionKeys('activation', 'useBias', 'kernelInitializer', 'biasInitializer', ...penaltyOptionKeys(WEIGHTS));

/** Options of `Dense` besides `units`. */
export interface DenseOptions extends LayerOptions {
  /** Activation name (default `'linear'`). */
  activation?: ActivationName | null;
  /** Whether to add a bias (default true). */
  useBias?: boolean;
  /** Kernel initializer (default `'glorot_uniform'`, as Keras). */
  kernelInitializer?: InitializerSpec;
  /** Bias initializer (default `'zeros'`). */
  biasInitializer?: InitializerSpec;
  /** Penalty on the kernel added to the training loss (`l1`, `l2`, `l1l2`). */
  kernelRegularizer?: RegularizerSpec | null;
  /** Penalty on the bias. */
  biasRegularizer?: RegularizerSpec | null;
  /** Penalty on the output. */
  activityRegularizer?: RegularizerSpec | null;
  /** Projection of the kernel after each optimizer step (`maxNorm`, `nonNeg` …). */
  kernelConstraint?: ConstraintSpec | null;
  /** Projection of the bias after each optimizer step. */
  biasConstraint?: ConstraintSpec | null;
}

/**
 * Fully connected layer: y = activation(x·kernel + bias) on the last axis, for inputs of any rank >= 2
 * (`[batch, …, in]` → `[batch, …, units]`); kernel `[in, units]`, bias `[units]`.
 * @example new Dense(3, { activation: 'relu' }).apply(tensor([[1, 2]])).shape; // [1, 3]
 */
export class Dense extends Layer {
  readonly className = 'Dense';
  /** Passes the input's mask on, as Keras 3 does. */
  override supportsMasking = true;
  /** Output size. */
  readonly units: number;
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

  constructor(units: number, allOptions: DenseOptions = {}) {
    checkOptionKeys(allOptions, KEYS, 'Dense');
    const { activation = 'linear', useBias = true, kernelInitializer = 'glorot_uniform', biasInitializer = 'zeros' } = allOptions;
    super(baseLayerOptions({ ...allOptions }), 'Dense');
    this.penalties = resolvePenalties(WEIGHTS, { ...allOptions }, this.describe());
    this.activityRegularizer = this.penalties.activity;
    this.units = checkPositiveInt(units, `${this.describe()} units`);
    this.activation = canonicalActivation(activation);
    this.activationFn = getActivation(this.activation);
    this.useBias = checkBoolean(useBias, `${this.describe()} useBias`);
    checkInitializerSpec(kernelInitializer, `${this.describe()} kernelInitializer`);
    checkInitializerSpec(biasInitializer, `${this.describe()} biasInitializer`);
    this.kernelInitializer = kernelInitializer;
    this.biasInitializer = biasInitializer;
  }

  /** Builds a Dense from its model.json config. */
  static fromConfig(config: LayerConfig): Dense {
    const options = baseOptionsFromConfig('Dense', config);
    return new Dense(required('Dense', config, 'units'), {
      activation: read(config, 'activation', 'linear'),
      useBias: read(config, 'use_bias', true),
      kernelInitializer: read(config, 'kernel_initializer', 'glorot_uniform'),
      biasInitializer: read(config, 'bias_initializer', 'zeros'),
      ...penaltiesFromConfig(WEIGHTS, config),
      ...options,
    });
  }

  /** Inputs need rank >= 2 and a known feature size; once built, the feature size is fixed (rank is free). */
  protected override checkInputShape(shape: Shape): void {
    const features = shape[shape.length - 1];
    if (shape.length < 2 || features === null) {
      throw new ShapeError(`${this.describe()}: expected an input of rank >= 2 with a known last dimension, received ${formatShape(shape)}`);
    }
    if (this.kernel !== null && features !== this.kernel.shape[0]) {
      throw new ShapeError(
        `${this.describe()}: built for inputs with ${this.kernel.shape[0]} features (kernel ${formatShape(this.kernel.shape)}), ` +
          `received input of shape ${formatShape(shape)}`,
      );
    }
  }

  override build(inputShape: Shape): void {
    const features = inputShape[inputShape.length - 1] as number;
    this.kernel = this.addWeight('kernel', [features, this.units], this.kernelInitializer, weightPenalty(this.penalties, 'kernel'));
    if (this.useBias) this.bias = this.addWeight('bias', [this.units], this.biasInitializer, weightPenalty(this.penalties, 'bias'));
  }

  computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape.slice(0, -1), this.units];
  }

  call(x: Tensor): Tensor {
    return this.activationFn(dense(x, this.kernel!, this.bias ?? undefined));
  }

  override getConfig(): Record<string, unknown> {
    return {
      units: this.units,
      activation: serializeActivation(this.activation),
      use_bias: this.useBias,
      kernel_initializer: serializeInitializer(this.kernelInitializer),
      bias_initializer: serializeInitializer(this.biasInitializer),
      ...penaltiesConfig(WEIGHTS, this.penalties),
      ...super.getConfig(),
    };
  }
}
