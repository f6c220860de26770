import { ShapeError, ValueError } from '../../util/errors.js';
import { formatShape } from '../../util/shape.js';
import { checkOptionKeys } from '../../util/options.js';
import { Tensor } from '../../tensor/tensor.js';
import { add, minimum, mul, sub } from '../../ops/arithmetic.js';
import { elu, relu } from '../../ops/activations.js';
import { softmax } from '../../ops/softmax.js';
import { baseOptionsFromConfig, LayerConfig, read } from '../config.js';
import { Layer, LayerOptions, Shape } from '../layer.js';
import { baseLayerOptions, layerOptionKeys } from '../option-keys.js';

/** A finite number option (`what` names it), or the fallback when absent. */
function num(value: unknown, fallback: number, what: string, { min = -Infinity } = {}): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min) {
    throw new ValueError(`${what}: expected a finite number${min > -Infinity ? ` >= ${min}` : ''}, received ${JSON.stringify(value)}`);
  }
  return v;
}

/** A constant 1/0 mask of `x`: 1 where `keep(v)`. Gradients flow through the products it enters, not through it. */
function mask(x: Tensor, keep: (v: number) => boolean): Tensor {
  return new Tensor(Float32Array.from(x.data, (v) => (keep(v) ? 1 : 0)), x.shape);
}

/** Shared body: elementwise layers of any input shape, with their options checked. */
abstract class ElementwiseLayer extends Layer {
  constructor(options: Record<string, unknown>, className: string, own: string[]) {
    checkOptionKeys(options, layerOptionKeys(...own), className);
    super(baseLayerOptions(options), className);
  }
  protected override checkInputShape(shape: Shape): void {
    void shape;
  }
  computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }
}

/** Options of `ReLU` (Keras 3). */
export interface ReLUOptions extends LayerOptions {
  /** Upper bound of the output (default none). */
  maxValue?: number | null;
  /** Slope below the threshold (default 0). */
  negativeSlope?: number;
  /** Inputs below it are mapped by the negative slope (default 0). */
  threshold?: number;
}

/**
 * Keras 3's ReLU: y = min(x, maxValue) for x >= threshold, negativeSlope · (x − threshold) below.
 * @example new ReLU({ maxValue: 6 }).apply(tensor([-1, 3, 9])); // [0, 3, 6]
 */
export class ReLU extends ElementwiseLayer {
  readonly className = 'ReLU';
  readonly maxValue: number | null;
  readonly negativeSlope: number;
  readonly threshold: number;

  constructor(options: ReLUOptions = {}) {
    super({ ...options }, 'ReLU', ['maxValue', 'negativeSlope', 'threshold']);
    this.maxValue = options.maxValue === null || options.maxValue === undefined ? null : num(options.maxValue, 0, `${this.describe()} maxValue`, { min: 0 });
    this.negativeSlope = num(options.negativeSlope, 0, `${this.describe()} negativeSlope`, { min: 0 });
    this.threshold = num(options.threshold, 0, `${this.describe()} threshold`);
  }

  /** Builds a ReLU from its model.json config (TF.js writes only `max_value`). */
  static fromConfig(config: LayerConfig): ReLU {
    return new ReLU({
      maxValue: read(config, 'max_value', null),
      negativeSlope: read(config, 'negative_slope', 0),
      threshold: read(config, 'threshold', 0),
      ...baseOptionsFromConfig('ReLU', config),
    });
  }

  call(x: Tensor): Tensor {
    // The common cases run on the fused relu op.
    if (this.threshold === 0 && this.negativeSlope === 0) return this.maxValue === null ? relu(x) : minimum(relu(x), this.maxValue);
    const above = mask(x, (v) => v >= this.threshold);
    let y = mul(x, above);
    if (this.negativeSlope !== 0) y = add(y, mul(sub(x, this.threshold), mul(sub(1, above), this.negativeSlope)));
    return this.maxValue === null ? y : minimum(y, this.maxValue);
  }

  override getConfig(): Record<string, unknown> {
    return { max_value: this.maxValue, negative_slope: this.negativeSlope, threshold: this.threshold, ...super.getConfig() };
  }
}

/** Options of `LeakyReLU`. */
export interface LeakyReLUOptions extends LayerOptions {
  /** Slope for x < 0 (Keras 3's name; default 0.3). */
  negativeSlope?: number;
  /** TF.js's name for the same slope. */
  alpha?: number;
}

/**
 * x for x >= 0, negativeSlope · x below (default 0.3, as Keras 3 and TF.js). Written as TF.js's `alpha`,
 * which Keras 3 also reads.
 * @example new LeakyReLU().apply(tensor([-1, 2])); // [-0.3, 2]
 */
export class LeakyReLU extends ElementwiseLayer {
  readonly className = 'LeakyReLU';
  readonly negativeSlope: number;

  constructor(options: LeakyReLUOptions = {}) {
    super({ ...options }, 'LeakyReLU', ['negativeSlope', 'alpha']);
    if (options.alpha !== undefined && options.negativeSlope !== undefined && options.alpha !== options.negativeSlope) {
      throw new ValueError(`${this.describe()}: alpha (${options.alpha}) and negativeSlope (${options.negativeSlope}) name the same slope; give one`);
    }
    this.negativeSlope = num(options.negativeSlope ?? options.alpha, 0.3, `${this.describe()} negativeSlope`, { min: 0 });
  }

  /** Builds a LeakyReLU from its model.json config (`alpha` from TF.js, `negative_slope` from Keras 3). */
  static fromConfig(config: LayerConfig): LeakyReLU {
    return new LeakyReLU({ negativeSlope: read(config, 'negative_slope', read(config, 'alpha', 0.3)), ...baseOptionsFromConfig('LeakyReLU', config) });
  }

  call(x: Tensor): Tensor {
    return mul(x, new Tensor(Float32Array.from(x.data, (v) => (v >= 0 ? 1 : this.negativeSlope)), x.shape));
  }

  override getConfig(): Record<string, unknown> {
    return { alpha: this.negativeSlope, ...super.getConfig() };
  }
}

/**
 * x for x > 0, alpha · (eˣ − 1) below (default alpha 1).
 * @example new ELU().apply(tensor([-1, 2])); // [-0.632…, 2]
 */
export class ELU extends ElementwiseLayer {
  readonly className = 'ELU';
  readonly alpha: number;

  constructor(options: LayerOptions & { alpha?: number } = {}) {
    super({ ...options }, 'ELU', ['alpha']);
    this.alpha = num(options.alpha, 1, `${this.describe()} alpha`);
  }

  /** Builds an ELU from its model.json config. */
  static fromConfig(config: LayerConfig): ELU {
    return new ELU({ alpha: read(config, 'alpha', 1), ...baseOptionsFromConfig('ELU', config) });
  }

  call(x: Tensor): Tensor {
    return elu(x, this.alpha);
  }

  override getConfig(): Record<string, unknown> {
    return { alpha: this.alpha, ...super.getConfig() };
  }
}

/**
 * x where x > theta, 0 elsewhere (default theta 1), as TF.js's ThresholdedReLU.
 * @example new ThresholdedReLU({ theta: 0.5 }).apply(tensor([0.2, 0.7])); // [0, 0.7]
 */
export class ThresholdedReLU extends ElementwiseLayer {
  readonly className = 'ThresholdedReLU';
  readonly theta: number;

  constructor(options: LayerOptions & { theta?: number } = {}) {
    super({ ...options }, 'ThresholdedReLU', ['theta']);
    this.theta = num(options.theta, 1, `${this.describe()} theta`, { min: 0 });
  }

  /** Builds a ThresholdedReLU from its model.json config. */
  static fromConfig(config: LayerConfig): ThresholdedReLU {
    return new ThresholdedReLU({ theta: read(config, 'theta', 1), ...baseOptionsFromConfig('ThresholdedReLU', config) });
  }

  call(x: Tensor): Tensor {
    return mul(x, mask(x, (v) => v > this.theta));
  }

  override getConfig(): Record<string, unknown> {
    return { theta: this.theta, ...super.getConfig() };
  }
}

/**
 * Softmax along `axis` (default −1).
 * @example new Softmax({ axis: 1 }).apply(zeros([2, 3, 4])); // each column sums to 1
 */
export class Softmax extends ElementwiseLayer {
  readonly className = 'Softmax';
  readonly axis: number;

  constructor(options: LayerOptions & { axis?: number } = {}) {
    super({ ...options }, 'Softmax', ['axis']);
    const axis = options.axis ?? -1;
    if (!Number.isInteger(axis)) throw new ValueError(`${this.describe()}: expected an integer axis, received ${JSON.stringify(options.axis)}`);
    this.axis = axis;
  }

  /** Builds a Softmax from its model.json config (Keras may write the axis as a one-element list). */
  static fromConfig(config: LayerConfig): Softmax {
    const axis = read<unknown>(config, 'axis', -1);
    return new Softmax({ axis: (Array.isArray(axis) && axis.length === 1 ? axis[0] : axis) as number, ...baseOptionsFromConfig('Softmax', config) });
  }

  protected override checkInputShape(shape: Shape): void {
    if (this.axis < -shape.length || this.axis >= shape.length) {
      throw new ShapeError(`${this.describe()}: axis ${this.axis} does not exist in an input of shape ${formatShape(shape)}`);
    }
  }

  call(x: Tensor): Tensor {
    return softmax(x, this.axis);
  }

  override getConfig(): Record<string, unknown> {
    return { axis: this.axis, ...super.getConfig() };
  }
}
