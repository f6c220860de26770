import { ShapeError, ValueError } from '../../util/errors.js';
import { formatShape } from '../../util/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { add, div, mul, sub } from '../../ops/arithmetic.js';
import { sqrt, square } from '../../ops/elementwise.js';
import { mean } from '../../ops/reduction.js';
import { reshape } from '../../ops/reshape.js';
import { checkInitializerSpec, InitializerSpec, serializeInitializer } from '../../initializers/serialization.js';
import { baseOptionsFromConfig, checkBoolean, LayerConfig, read, refuseUnsupported } from '../config.js';
import { ConstraintSpec, serializeConstraint } from '../../constraints/constraints.js';
import { RegularizerSpec, serializeRegularizer } from '../../regularizers/regularizers.js';
import { penaltiesFromConfig, penaltyOptionKeys, resolvePenalties, WeightPenalties, weightPenalty } from '../penalties.js';
import { Layer, LayerOptions, Shape } from '../layer.js';
import { checkLayerOptions } from '../option-keys.js';

/** Options of `LayerNormalization`. */
export interface LayerNormalizationOptions extends LayerOptions {
  /** Axis or axes normalized over, batch excluded (default −1, the features). */
  axis?: number | readonly number[];
  /** Added to the variance before the square root (default 1e-3, as Keras). */
  epsilon?: number;
  /** Whether to add the learned offset `beta` (default true). */
  center?: boolean;
  /** Whether to multiply by the learned scale `gamma` (default true). */
  scale?: boolean;
  /** Initializer of beta (default `'zeros'`). */
  betaInitializer?: InitializerSpec;
  /** Initializer of gamma (default `'ones'`). */
  gammaInitializer?: InitializerSpec;
  /** Penalty on beta added to the training loss (`l1`, `l2`, `l1l2`). */
  betaRegularizer?: RegularizerSpec | null;
  /** Penalty on gamma. */
  gammaRegularizer?: RegularizerSpec | null;
  /** Projection of beta after each optimizer step. */
  betaConstraint?: ConstraintSpec | null;
  /** Projection of gamma after each optimizer step. */
  gammaConstraint?: ConstraintSpec | null;
}

const WEIGHTS = ['beta', 'gamma'];
const OWN_OPTIONS = ['axis', 'epsilon', 'center', 'scale', 'betaInitializer', 'gammaInitializer', ...penaltyOptionKeys(WEIGHTS, { activity: false })];

/**
 * Normalizes each sample over `axis`: y = (x − μ) / √(σ² + ε) · gamma + beta, with μ and σ² the mean and
 * the (biased) variance over `axis`, as Keras; gamma and beta have the shape of those axes.
 * @example new LayerNormalization().apply(tensor([[1, 2, 3]])); // ≈ [[-1.22, 0, 1.22]]
 */
export class LayerNormalization extends Layer {
  readonly className = 'LayerNormalization';
  /** Axes as given (negative counts from the end). */
  readonly axis: number | number[];
  /** Variance offset. */
  readonly epsilon: number;
  /** Whether beta is added. */
  readonly center: boolean;
  /** Whether gamma multiplies. */
  readonly scale: boolean;
  /** Beta initializer spec. */
  readonly betaInitializer: InitializerSpec;
  /** Gamma initializer spec. */
  readonly gammaInitializer: InitializerSpec;
  private gamma: Tensor | null = null;
  private beta: Tensor | null = null;
  private readonly penalties: WeightPenalties;

  constructor(options: LayerNormalizationOptions = {}) {
    checkLayerOptions(options, OWN_OPTIONS, 'LayerNormalization');
    const { axis = -1, epsilon = 1e-3, center = true, scale = true, betaInitializer = 'zeros', gammaInitializer = 'ones', betaRegularizer, gammaRegularizer, betaConstraint, gammaConstraint, ...base } = options;
    super(base, 'LayerNormalization');
    const what = this.describe();
    this.penalties = resolvePenalties(WEIGHTS, { betaRegularizer, gammaRegularizer, betaConstraint, gammaConstraint }, what, { activity: false });
    const axes = typeof axis === 'number' ? [axis] : Array.isArray(axis) ? [...axis] : [];
    if (axes.length === 0 || !axes.every((a) => Number.isInteger(a) && a !== 0) || new Set(axes).size !== axes.length) {
      throw new ValueError(`${what}: expected axis to be a non-zero integer or a list of distinct ones (0 is the batch), received ${JSON.stringify(axis)}`);
    }
    if (typeof epsilon !== 'number' || !(epsilon > 0)) throw new ValueError(`${what}: expected a positive epsilon, received ${JSON.stringify(epsilon)}`);
    this.axis = typeof axis === 'number' ? axis : axes;
    this.epsilon = epsilon;
    this.center = checkBoolean(center, `${what} center`);
    this.scale = checkBoolean(scale, `${what} scale`);
    checkInitializerSpec(betaInitializer, `${what} betaInitializer`);
    checkInitializerSpec(gammaInitializer, `${what} gammaInitializer`);
    this.betaInitializer = betaInitializer;
    this.gammaInitializer = gammaInitializer;
    this.supportsMasking = true;
  }

  /** Builds a LayerNormalization from its model.json config. */
  static fromConfig(config: LayerConfig): LayerNormalization {
    const options = baseOptionsFromConfig('LayerNormalization', config);
    refuseUnsupported('LayerNormalization', config, { activity_regularizer: null, rms_scaling: false });
    return new LayerNormalization({
      axis: read(config, 'axis', -1),
      epsilon: read(config, 'epsilon', 1e-3),
      center: read(config, 'center', true),
      scale: read(config, 'scale', true),
      betaInitializer: read(config, 'beta_initializer', 'zeros'),
      gammaInitializer: read(config, 'gamma_initializer', 'ones'),
      ...penaltiesFromConfig(WEIGHTS, config, { activity: false }),
      ...options,
    });
  }

  /** The normalized axes as non-negative indices into a shape of `rank` (batch = 0 excluded). */
  private axesFor(rank: number): number[] {
    const list = typeof this.axis === 'number' ? [this.axis] : this.axis;
    return list.map((a) => (a < 0 ? a + rank : a)).sort((a, b) => a - b);
  }

  /** Every normalized axis must exist (not the batch) and be known; once built, their sizes are fixed. */
  protected override checkInputShape(shape: Shape): void {
    const axes = this.axesFor(shape.length);
    if (axes.some((a) => a < 1 || a >= shape.length || shape[a] === null)) {
      throw new ShapeError(`${this.describe()}: axis ${JSON.stringify(this.axis)} needs known, non-batch axes of the input, received shape ${formatShape(shape)}`);
    }
    const weight = this.gamma ?? this.beta;
    if (weight !== null && axes.some((a, i) => shape[a] !== weight.shape[i])) {
      throw new ShapeError(`${this.describe()}: built for axes of sizes ${formatShape(weight.shape)}, received input of shape ${formatShape(shape)}`);
    }
  }

  override build(inputShape: Shape): void {
    const shape = this.axesFor(inputShape.length).map((a) => inputShape[a] as number);
    if (this.scale) this.gamma = this.addWeight('gamma', shape, this.gammaInitializer, weightPenalty(this.penalties, 'gamma'));
    if (this.center) this.beta = this.addWeight('beta', shape, this.betaInitializer, weightPenalty(this.penalties, 'beta'));
  }

  computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  call(x: Tensor): Tensor {
    const axes = this.axesFor(x.rank);
    const mu = mean(x, axes, true);
    const centered = sub(x, mu);
    const variance = mean(square(centered), axes, true);
    let y = div(centered, sqrt(add(variance, this.epsilon)));
    // gamma and beta cover the normalized axes; 1 elsewhere so they broadcast over the rest.
    const broadcast = x.shape.map((d, a) => (axes.includes(a) ? d : 1));
    if (this.gamma !== null) y = mul(y, reshape(this.gamma, broadcast));
    if (this.beta !== null) y = add(y, reshape(this.beta, broadcast));
    return y;
  }

  override getConfig(): Record<string, unknown> {
    return {
      axis: typeof this.axis === 'number' ? this.axis : [...this.axis],
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      beta_initializer: serializeInitializer(this.betaInitializer),
      gamma_initializer: serializeInitializer(this.gammaInitializer),
      beta_regularizer: serializeRegularizer(this.penalties.regularizers.beta),
      gamma_regularizer: serializeRegularizer(this.penalties.regularizers.gamma),
      // TF.js's LayerNormalization has no constraints: written only when set, so its files stay as TF.js writes them.
      ...constraintEntries(this.penalties),
      ...super.getConfig(),
    };
  }
}

/** The `beta_constraint` / `gamma_constraint` entries that are set (Keras 3 has them, TF.js does not). */
function constraintEntries(penalties: WeightPenalties): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const w of WEIGHTS) if (penalties.constraints[w] !== null) out[`${w}_constraint`] = serializeConstraint(penalties.constraints[w]);
  return out;
}
