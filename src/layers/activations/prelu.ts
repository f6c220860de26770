import { ShapeError, ValueError } from '../../util/errors.js';
import { formatShape } from '../../util/shape.js';
import { checkOptionKeys } from '../../util/options.js';
import { Tensor } from '../../tensor/tensor.js';
import { mul, sub } from '../../ops/arithmetic.js';
import { neg } from '../../ops/elementwise.js';
import { relu } from '../../ops/activations.js';
import { checkInitializerSpec, InitializerSpec, serializeInitializer } from '../../initializers/serialization.js';
import { ConstraintSpec } from '../../constraints/constraints.js';
import { RegularizerSpec } from '../../regularizers/regularizers.js';
import { baseOptionsFromConfig, LayerConfig, read } from '../config.js';
import { Layer, LayerOptions, Shape } from '../layer.js';
import { baseLayerOptions, layerOptionKeys } from '../option-keys.js';
import { penaltiesConfig, penaltiesFromConfig, penaltyOptionKeys, resolvePenalties, WeightPenalties, weightPenalty } from '../penalties.js';

const WEIGHTS = ['alpha'];

/** Options of `PReLU`. */
export interface PReLUOptions extends LayerOptions {
  /** Initializer of the slopes (default `'zeros'`). */
  alphaInitializer?: InitializerSpec;
  alphaRegularizer?: RegularizerSpec | null;
  alphaConstraint?: ConstraintSpec | null;
  /** Input axes (1-based, the batch is 0) along which one slope is shared, e.g. `[1, 2]` for images. */
  sharedAxes?: number | readonly number[] | null;
}

/**
 * Parametric ReLU: y = relu(x) − alpha · relu(−x), with a learned slope per input position (weight
 * `alpha` of the input's shape without the batch, size 1 along `sharedAxes`).
 * @example new PReLU({ sharedAxes: [1, 2] }).apply(zeros([1, 4, 4, 3])); // alpha [1, 1, 3]
 */
export class PReLU extends Layer {
  readonly className = 'PReLU';
  readonly alphaInitializer: InitializerSpec;
  /** Shared axes (1-based), sorted. */
  readonly sharedAxes: number[];
  private readonly penalties: WeightPenalties;
  private alpha: Tensor | null = null;

  constructor(options: PReLUOptions = {}) {
    checkOptionKeys(options, layerOptionKeys('alphaInitializer', 'sharedAxes', ...penaltyOptionKeys(WEIGHTS, { activity: false })), 'PReLU');
    super(baseLayerOptions({ ...options }), 'PReLU');
    const what = this.describe();
    this.alphaInitializer = options.alphaInitializer ?? 'zeros';
    checkInitializerSpec(this.alphaInitializer, `${what} alphaInitializer`);
    const shared = options.sharedAxes ?? [];
    const list = typeof shared === 'number' ? [shared] : Array.isArray(shared) ? [...shared] : null;
    if (list === null || !list.every((a) => Number.isInteger(a) && a >= 1)) {
      throw new ValueError(`${what}: expected sharedAxes to be input axes >= 1 (the batch axis 0 is always shared), received ${JSON.stringify(options.sharedAxes)}`);
    }
    this.sharedAxes = [...new Set(list)].sort((a, b) => a - b);
    this.penalties = resolvePenalties(WEIGHTS, { ...options }, what, { activity: false });
  }

  /** Builds a PReLU from its model.json config. */
  static fromConfig(config: LayerConfig): PReLU {
    return new PReLU({
      alphaInitializer: read(config, 'alpha_initializer', 'zeros'),
      sharedAxes: read(config, 'shared_axes', null),
      ...penaltiesFromConfig(WEIGHTS, config, { activity: false }),
      ...baseOptionsFromConfig('PReLU', config),
    });
  }

  /** Every non-batch axis known, shared axes inside the rank; once built, the shape is fixed. */
  protected override checkInputShape(shape: Shape): void {
    const bad = this.sharedAxes.find((a) => a >= shape.length);
    if (bad !== undefined) {
      throw new ShapeError(`${this.describe()}: shared axis ${bad} is out of range for an input of shape ${formatShape(shape)} (axes 1 … ${shape.length - 1})`);
    }
    if (shape.length < 2 || shape.slice(1).some((d) => d === null)) {
      throw new ShapeError(`${this.describe()}: expected an input of rank >= 2 with known non-batch dimensions, received ${formatShape(shape)}`);
    }
    if (this.alpha !== null && this.alphaShape(shape).some((d, i) => d !== this.alpha!.shape[i])) {
      throw new ShapeError(`${this.describe()}: built for alpha ${formatShape(this.alpha.shape)}, which does not fit an input of shape ${formatShape(shape)}`);
    }
  }

  private alphaShape(shape: Shape): number[] {
    return shape.slice(1).map((d, i) => (this.sharedAxes.includes(i + 1) ? 1 : (d as number)));
  }

  override build(inputShape: Shape): void {
    this.alpha = this.addWeight('alpha', this.alphaShape(inputShape), this.alphaInitializer, weightPenalty(this.penalties, 'alpha'));
  }

  computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  call(x: Tensor): Tensor {
    return sub(relu(x), mul(this.alpha!, relu(neg(x))));
  }

  override getConfig(): Record<string, unknown> {
    return {
      alpha_initializer: serializeInitializer(this.alphaInitializer),
      ...penaltiesConfig(WEIGHTS, this.penalties, { activity: false }),
      shared_axes: this.sharedAxes.length === 0 ? null : [...this.sharedAxes],
      ...super.getConfig(),
    };
  }
}
