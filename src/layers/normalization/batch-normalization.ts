import { ShapeError, ValueError } from '../../util/errors.js';
import { formatShape } from '../../util/shape.js';
import { checkOptionKeys } from '../../util/options.js';
import { Tensor } from '../../tensor/tensor.js';
import { batchNorm } from '../../ops/batch-norm.js';
import { checkInitializerSpec, InitializerSpec, serializeInitializer } from '../../initializers/serialization.js';
import { ConstraintSpec } from '../../constraints/constraints.js';
import { RegularizerSpec } from '../../regularizers/regularizers.js';
import { baseOptionsFromConfig, checkBoolean, LayerConfig, read } from '../config.js';
import { CallContext, Layer, LayerOptions, Shape } from '../layer.js';
import { baseLayerOptions, layerOptionKeys } from '../option-keys.js';
import { penaltiesConfig, penaltiesFromConfig, penaltyOptionKeys, resolvePenalties, WeightPenalties, weightPenalty } from '../penalties.js';

const WEIGHTS = ['beta', 'gamma'];
const KEYS = layerOptionKeys(
  'axis', 'momentum', 'epsilon', 'center', 'scale',
  'betaInitializer', 'gammaInitializer', 'movingMeanInitializer', 'movingVarianceInitializer',
  ...penaltyOptionKeys(WEIGHTS, { activity: false }),
);

/** Options of `BatchNormalization` (Keras 3 defaults). */
export interface BatchNormalizationOptions extends LayerOptions {
  /** The feature axis that keeps its own statistics (default −1, channels last). */
  axis?: number;
  /** Weight of the old value in the moving averages (default 0.99). */
  momentum?: number;
  /** Added to the variance before the square root (default 1e-3). */
  epsilon?: number;
  /** Whether to add the learned offset `beta` (default true). */
  center?: boolean;
  /** Whether to multiply by the learned scale `gamma` (default true). */
  scale?: boolean;
  betaInitializer?: InitializerSpec;
  gammaInitializer?: InitializerSpec;
  movingMeanInitializer?: InitializerSpec;
  movingVarianceInitializer?: InitializerSpec;
  betaRegularizer?: RegularizerSpec | null;
  gammaRegularizer?: RegularizerSpec | null;
  betaConstraint?: ConstraintSpec | null;
  gammaConstraint?: ConstraintSpec | null;
}

function checkFraction(value: unknown, what: string, { open = false } = {}): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (open ? value <= 0 : value > 1)) {
    throw new ValueError(`${what}: expected ${open ? 'a number > 0' : 'a number in [0, 1]'}, received ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * Batch normalization (Keras 3): y = gamma · (x − μ) / √(σ² + ε) + beta per feature of `axis`. In
 * training μ, σ² are the batch's (biased) mean and variance over every other axis, and the moving
 * statistics move toward them, m ← momentum·m + (1 − momentum)·batch, once per training call; in
 * inference, and always when the layer is frozen (`trainable = false`), the moving statistics are used.
 * Weights: gamma, beta (trainable), moving_mean, moving_variance (not trainable), in that order.
 * @example new BatchNormalization().apply(x, { training: true });
 */
export class BatchNormalization extends Layer {
  readonly className = 'BatchNormalization';
  /** The feature axis as given (negative counts from the end). */
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: InitializerSpec;
  readonly gammaInitializer: InitializerSpec;
  readonly movingMeanInitializer: InitializerSpec;
  readonly movingVarianceInitializer: InitializerSpec;
  private readonly penalties: WeightPenalties;
  private gamma: Tensor | null = null;
  private beta: Tensor | null = null;
  private movingMean: Tensor | null = null;
  private movingVariance: Tensor | null = null;

  constructor(options: BatchNormalizationOptions = {}) {
    checkOptionKeys(options, KEYS, 'BatchNormalization');
    super(baseLayerOptions({ ...options }), 'BatchNormalization');
    const what = this.describe();
    const {
      axis = -1, momentum = 0.99, epsilon = 1e-3, center = true, scale = true,
      betaInitializer = 'zeros', gammaInitializer = 'ones', movingMeanInitializer = 'zeros', movingVarianceInitializer = 'ones',
    } = options;
    if (!Number.isInteger(axis)) throw new ValueError(`${what}: expected an integer axis, received ${JSON.stringify(axis)}`);
    this.axis = axis;
    this.momentum = checkFraction(momentum, `${what} momentum`);
    this.epsilon = checkFraction(epsilon, `${what} epsilon`, { open: true });
    this.center = checkBoolean(center, `${what} center`);
    this.scale = checkBoolean(scale, `${what} scale`);
    const inits = { betaInitializer, gammaInitializer, movingMeanInitializer, movingVarianceInitializer };
    for (const [key, spec] of Object.entries(inits)) checkInitializerSpec(spec, `${what} ${key}`);
    this.betaInitializer = betaInitializer;
    this.gammaInitializer = gammaInitializer;
    this.movingMeanInitializer = movingMeanInitializer;
    this.movingVarianceInitializer = movingVarianceInitializer;
    this.penalties = resolvePenalties(WEIGHTS, { ...options }, what, { activity: false });
  }

  /** Builds a BatchNormalization from its model.json config (TF.js writes `axis` as a number, Keras 3 too). */
  static fromConfig(config: LayerConfig): BatchNormalization {
    const axis = read<unknown>(config, 'axis', -1);
    const single = Array.isArray(axis) && axis.length === 1 ? axis[0] : axis;
    return new BatchNormalization({
      axis: single as number,
      momentum: read(config, 'momentum', 0.99),
      epsilon: read(config, 'epsilon', 1e-3),
      center: read(config, 'center', true),
      scale: read(config, 'scale', true),
      betaInitializer: read(config, 'beta_initializer', 'zeros'),
      gammaInitializer: read(config, 'gamma_initializer', 'ones'),
      movingMeanInitializer: read(config, 'moving_mean_initializer', 'zeros'),
      movingVarianceInitializer: read(config, 'moving_variance_initializer', 'ones'),
      ...penaltiesFromConfig(WEIGHTS, config, { activity: false }),
      ...baseOptionsFromConfig('BatchNormalization', config),
    });
  }

  /** The axis resolved against a rank, or a ShapeError naming the layer, the axis and the shape. */
  private featureAxis(shape: Shape): number {
    const rank = shape.length;
    if (rank < 2 || this.axis < -rank || this.axis >= rank || this.axis === 0 || this.axis === -rank) {
      throw new ShapeError(`${this.describe()}: axis ${this.axis} is not a feature axis of an input of shape ${formatShape(shape)} (expected one of 1 … ${rank - 1} or −1 … −${rank - 1})`);
    }
    return this.axis < 0 ? this.axis + rank : this.axis;
  }

  /** The feature axis must exist and be known; once built, its size and the rank are fixed. */
  protected override checkInputShape(shape: Shape): void {
    const ax = this.featureAxis(shape);
    if (shape[ax] === null) throw new ShapeError(`${this.describe()}: the feature axis ${this.axis} of input ${formatShape(shape)} must be known`);
    const built = this.builtInputShape as Shape | null;
    if (built !== null && (built.length !== shape.length || built[ax] !== shape[ax])) {
      throw new ShapeError(`${this.describe()}: built for inputs of shape ${formatShape([null, ...built.slice(1)])}, received ${formatShape(shape)}`);
    }
  }

  override build(inputShape: Shape): void {
    const features = [inputShape[this.featureAxis(inputShape)] as number];
    if (this.scale) this.gamma = this.addWeight('gamma', features, this.gammaInitializer, weightPenalty(this.penalties, 'gamma'));
    if (this.center) this.beta = this.addWeight('beta', features, this.betaInitializer, weightPenalty(this.penalties, 'beta'));
    this.movingMean = this.addWeight('moving_mean', features, this.movingMeanInitializer, { trainable: false });
    this.movingVariance = this.addWeight('moving_variance', features, this.movingVarianceInitializer, { trainable: false });
  }

  computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  call(x: Tensor, ctx: CallContext): Tensor {
    const batchStats = ctx.training && this.trainable;
    const { y, mean, variance } = batchNorm(x, {
      axis: this.featureAxis(x.shape as Shape),
      epsilon: this.epsilon,
      gamma: this.gamma,
      beta: this.beta,
      statistics: batchStats ? null : { mean: this.movingMean!, variance: this.movingVariance! },
    });
    if (batchStats) this.updateMovingStatistics(mean, variance);
    return y;
  }

  /** m ← m − (1 − momentum)·(m − batch), in place and outside the graph (never an optimizer's business). */
  private updateMovingStatistics(mu: Float64Array, variance: Float64Array): void {
    const decay = 1 - this.momentum;
    for (const [moving, batch] of [[this.movingMean!.data, mu], [this.movingVariance!.data, variance]] as const) {
      for (let i = 0; i < moving.length; i++) moving[i] -= (moving[i] - batch[i]) * decay;
    }
  }

  override getConfig(): Record<string, unknown> {
    return {
      axis: this.axis,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      beta_initializer: serializeInitializer(this.betaInitializer),
      gamma_initializer: serializeInitializer(this.gammaInitializer),
      moving_mean_initializer: serializeInitializer(this.movingMeanInitializer),
      moving_variance_initializer: serializeInitializer(this.movingVarianceInitializer),
      ...penaltiesConfig(WEIGHTS, this.penalties, { activity: false }),
      ...super.getConfig(),
    };
  }
}
