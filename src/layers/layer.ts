import { currentTraining } from './call-context.js';
import { NeuriteError, ShapeError, ValueError } from '../util/errors.js';
import { formatShape, shapesEqual } from '../util/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { noGrad } from '../autograd/record.js';
import { InitializerSpec, resolveInitializer } from '../initializers/serialization.js';
import { Regularizer } from '../regularizers/regularizers.js';
import { Constraint } from '../constraints/constraints.js';

/** A shape as layers describe it: `null` for a dimension not known before data arrives (the batch). */
export type Shape = (number | null)[];

/** One shape, or one per input for layers that take several (merge layers, attention). */
export type Shapes = Shape | Shape[];

/** A mask as Keras passes it: one boolean-valued tensor (1 keep, 0 masked) per input, or null. */
export type Mask = Tensor | null;

/** Masks for a layer's inputs: one, or one per input. */
export type Masks = Mask | Mask[];

/** What `call` receives besides its input. */
export interface CallContext {
  /** True inside `fit` (dropout active), false for `predict` / `evaluate`. */
  training: boolean;
  /**
   * The mask of the input (`[batch, timesteps]`, 1 keep / 0 skip), as Keras's `mask` argument: set by the
   * graph executor from the producing layer's `computeMask`, or passed to `apply` explicitly.
   */
  mask?: Masks;
  /** Initial states for recurrent layers (Keras's `initial_state`). */
  initialState?: Tensor[];
}

/** Options of `layer.apply` on real tensors. */
export interface ApplyOptions {
  training?: boolean;
  mask?: Masks;
  initialState?: Tensor[];
}

/** Options every layer accepts. */
export interface LayerOptions {
  /** Unique name; defaults to the snake_case class name with a counter (`dense`, `dense_1`, …). */
  name?: string;
  /** Shape of one sample (no batch dimension), as Keras's `input_shape`. */
  inputShape?: readonly number[];
  /** Full input shape with the batch dimension (`null` = any), as Keras's `batch_input_shape`. */
  batchInputShape?: readonly (number | null)[];
  /** Whether the optimizer updates this layer's weights. Default true. */
  trainable?: boolean;
}

/** True when `shapes` holds one shape per input rather than one shape. */
export function isShapeList(shapes: Shapes): shapes is Shape[] {
  return shapes.length > 0 && Array.isArray(shapes[0]);
}

/** A weight a layer owns: its Keras name (`kernel`, `bias` …) and its live variable. */
export interface LayerWeight {
  readonly name: string;
  readonly value: Tensor;
  readonly trainable: boolean;
  /** Penalty added to the training loss (Keras's `regularizer`), or none. */
  readonly regularizer?: Regularizer | null;
  /** Projection applied after each optimizer step (Keras's `constraint`), or none. */
  readonly constraint?: Constraint | null;
}

const nameCounts = new Map<string, number>();

/** Keras's automatic layer names: `dense`, then `dense_1`, `dense_2` … per base name. */
export function uniqueName(base: string): string {
  const n = nameCounts.get(base) ?? 0;
  nameCounts.set(base, n + 1);
  return n === 0 ? base : `${base}_${n}`;
}

/** `MaxPooling2D` → `max_pooling2d`, `SimpleRNN` → `simple_rnn` (Keras's default-name rule). */
export function toSnakeCase(className: string): string {
  return className
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/**
 * Base of every layer. The constructor validates and stores config; `build(inputShape)` creates
 * weights with `addWeight`; `call(x, ctx)` is the math; `computeOutputShape` is pure;
 * `apply(x)` builds on first use, checks the input, then calls.
 * @example const d = new Dense(3); const y = d.apply(tensor([[1, 2]])); // y.shape [1, 3]
 */
export abstract class Layer {
  /** The Keras class name, as written in saved models (`'Dense'`). */
  abstract readonly className: string;
  /** Unique layer name. */
  readonly name: string;
  /** Whether the optimizer updates this layer's weights. */
  trainable: boolean;
  /** Whether `build` has run. */
  built = false;
  /** Full input shape with the batch dimension, when declared via `inputShape` / `batchInputShape`. */
  readonly batchInputShape: Shape | null;
  /** The input shape (batch included, `null` where unknown) the layer was built for. */
  protected builtInputShape: Shapes | null = null;
  private readonly ownWeights: LayerWeight[] = [];
  /** The class name given to the constructor, for messages raised before a subclass's fields exist. */
  private readonly givenClassName: string | undefined;
  /** Penalty on this layer's output (Keras's `activity_regularizer`), recorded on every call. */
  protected activityRegularizer: Regularizer | null = null;
  private activityLosses: Tensor[] = [];

  constructor(options: LayerOptions = {}, className?: string) {
    if (options === null || typeof options !== 'object') {
      throw new ValueError(`${className ?? 'Layer'}: expected an options object, received ${JSON.stringify(options)}`);
    }
    if (options.name !== undefined && (typeof options.name !== 'string' || options.name === '')) {
      throw new ValueError(`${className ?? 'Layer'}: expected a non-empty string name, received ${JSON.stringify(options.name)}`);
    }
    this.givenClassName = className;
    this.name = options.name ?? uniqueName(toSnakeCase(className ?? new.target.name));
    this.trainable = options.trainable ?? true;
    if (typeof this.trainable !== 'boolean') {
      throw new ValueError(`${this.name}: expected trainable to be a boolean, received ${JSON.stringify(options.trainable)}`);
    }
    const declared = options.batchInputShape ?? (options.inputShape !== undefined ? [null, ...options.inputShape] : null);
    if (declared !== null && (!Array.isArray(declared) || declared.slice(1).some((d) => d !== null && (!Number.isInteger(d) || d <= 0)))) {
      throw new ValueError(
        `${this.name}: expected ${options.batchInputShape !== undefined ? 'batchInputShape' : 'inputShape'} of positive integers, ` +
          `received ${JSON.stringify(options.batchInputShape ?? options.inputShape)}`,
      );
    }
    this.batchInputShape = declared === null ? null : [...declared];
  }

  /**
   * Whether the layer passes its input's mask on unchanged (Keras's `supports_masking`). Layers that
   * make or change a mask (Embedding, Masking, RNNs without `returnSequences`) override `computeMask`.
   */
  supportsMasking = false;

  /** Creates the weights for inputs of `inputShape` (batch included, maybe `null`). Layers without weights keep this no-op. */
  build(inputShape: Shapes): void {
    void inputShape;
  }

  /**
   * The layer's math on a built layer. Single-input layers narrow `x` to `Tensor`; layers taking
   * several inputs (merge layers, attention) receive an array.
   */
  abstract call(x: Tensor | Tensor[], ctx: CallContext): Tensor | Tensor[];

  /** Output shape for an input shape (batch included; `null` passes through). Pure. */
  abstract computeOutputShape(inputShape: Shapes): Shapes;

  /**
   * The mask of the output, given the input and its mask (Keras's `compute_mask`). The default passes a
   * single mask through when `supportsMasking`, and drops it otherwise.
   */
  computeMask(inputs: Tensor | Tensor[], mask: Masks | undefined): Masks {
    void inputs;
    if (!this.supportsMasking || mask === undefined) return null;
    return mask;
  }

  /** The input shape (batch `null`) the layer was built for; `null` before it is built. */
  get inputShapeBuilt(): Shapes | null {
    const built = this.builtInputShape;
    if (built === null) return null;
    return isShapeList(built) ? built.map((s) => [null, ...s.slice(1)]) : [null, ...built.slice(1)];
  }

  /** Output shape (batch `null`) for the input shape the layer was built for; `null` before it is built. */
  get outputShape(): Shapes | null {
    const inputShape = this.inputShapeBuilt;
    return inputShape === null ? null : this.computeOutputShape(inputShape);
  }

  /** Keras config of this layer, snake_case keys as in TF.js `model.json` (`units`, `activation` …). */
  getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = { name: this.name, trainable: this.trainable };
    // As TF.js: the dtype is written only alongside a declared input shape.
    if (this.batchInputShape !== null) {
      config.batch_input_shape = [...this.batchInputShape];
      config.dtype = 'float32';
    }
    return config;
  }

  /** `layer (Class)`, the prefix of every message about this layer. */
  protected describe(): string {
    return `${this.name} (${this.className ?? this.givenClassName})`;
  }

  /**
   * Checks an input shape against what the layer needs, before building or calling. Subclasses
   * override it to add their own rule (calling super); the message names the layer and both shapes.
   * The default: once built, the rank and the last (feature) dimension must match.
   */
  protected checkInputShape(shape: Shapes): void {
    const built = this.builtInputShape;
    if (built === null || isShapeList(shape) || isShapeList(built)) return;
    if (shape.length !== built.length || shape[shape.length - 1] !== built[built.length - 1]) {
      throw new ShapeError(`${this.describe()}: built for inputs of shape ${formatShape([null, ...built.slice(1)])}, received ${formatShape(shape)}`);
    }
  }

  /**
   * Builds the layer for inputs of `inputShape` (batch included, `null` where unknown) unless it is
   * built already; checks the shape either way. Models call it to build from a declared input shape.
   */
  ensureBuilt(inputShape: Shapes): void {
    if (this.batchInputShape !== null && !isShapeList(inputShape)) this.checkDeclaredShape(inputShape);
    this.checkInputShape(inputShape);
    if (this.built) return;
    this.build(inputShape);
    this.builtInputShape = isShapeList(inputShape) ? inputShape.map((s) => [...s]) : [...inputShape];
    this.built = true;
  }

  /**
   * Builds on first use, validates the input, then runs `call`. For a layer with several outputs
   * (an RNN with `returnState`) use `applyMulti`, which returns them all.
   */
  apply(x: Tensor | Tensor[], options: ApplyOptions = {}): Tensor {
    const y = this.applyAny(x, options);
    if (Array.isArray(y)) {
      throw new ValueError(`${this.describe()}: this layer returns ${y.length} outputs; use applyMulti() to receive them as an array`);
    }
    return y;
  }

  /** As `apply`, for layers with several outputs (Keras's `out, h, c = lstm(x)`): always an array. */
  applyMulti(x: Tensor | Tensor[], options: ApplyOptions = {}): Tensor[] {
    const y = this.applyAny(x, options);
    return Array.isArray(y) ? y : [y];
  }

  /** Builds on first use, validates the input, then runs `call`; one output or several. */
  protected applyAny(x: Tensor | Tensor[], options: ApplyOptions): Tensor | Tensor[] {
    const inputs = Array.isArray(x) ? x : [x];
    const bad = inputs.findIndex((t) => !(t instanceof Tensor));
    if (bad >= 0 || inputs.length === 0) {
      const got = inputs.length === 0 ? 'an empty array' : inputs[bad] === null ? 'null' : typeof inputs[bad];
      throw new ValueError(`${this.describe()}: expected a Tensor input (or an array of them), received ${got}`);
    }
    this.ensureBuilt(Array.isArray(x) ? x.map((t) => t.shape as Shape) : (x.shape as Shape));
    const ctx: CallContext = { training: options.training ?? currentTraining() };
    if (options.mask !== undefined) ctx.mask = options.mask;
    if (options.initialState !== undefined) ctx.initialState = options.initialState;
    const y = this.call(x, ctx);
    if (this.activityRegularizer !== null) {
      const r = this.activityRegularizer;
      this.activityLosses = (Array.isArray(y) ? y : [y]).map((t) => r.penalty(t));
    }
    return y;
  }

  /**
   * The penalties of the last call's outputs and of the current trainable weights (Keras's `losses`),
   * this layer's and its sublayers', as scalars recorded so their gradients reach the weights.
   */
  regularizationLosses(): Tensor[] {
    const own = this.trainable ? this.ownWeights.filter((w) => w.trainable && w.regularizer) : [];
    return [...this.activityLosses, ...own.map((w) => w.regularizer!.penalty(w.value)), ...this.sublayers().flatMap((l) => l.regularizationLosses())];
  }

  /** Projects every trainable weight that has a constraint (run after each optimizer step). */
  applyConstraints(): void {
    if (!this.trainable) return;
    for (const w of this.ownWeights) {
      const c = w.constraint;
      if (w.trainable && c) w.value.data.set(noGrad(() => c.project(w.value)).data);
    }
    for (const l of this.sublayers()) l.applyConstraints();
  }

  private checkDeclaredShape(shape: Shape): void {
    const declared = this.batchInputShape!;
    const ok = declared.length === shape.length && declared.every((d, i) => d === null || shape[i] === null || d === shape[i]);
    if (!ok) {
      throw new ShapeError(`${this.describe()}: expected input of shape ${formatShape(declared)}, received ${formatShape(shape)}`);
    }
  }

  /** Creates a weight (a live variable) named `name`, initialized from a Keras id or function. */
  protected addWeight(
    name: string,
    shape: readonly number[],
    initializer: InitializerSpec,
    { trainable = true, regularizer = null, constraint = null }: { trainable?: boolean; regularizer?: Regularizer | null; constraint?: Constraint | null } = {},
  ): Tensor {
    const value = resolveInitializer(initializer)(shape);
    if (!shapesEqual(value.shape, shape)) {
      throw new ShapeError(`${this.name}: initializer for '${name}' returned shape ${formatShape(value.shape)}, expected ${formatShape(shape)}`);
    }
    value.requiresGrad = trainable;
    this.ownWeights.push({ name, value, trainable, regularizer, constraint });
    return value;
  }

  /** Layers this one contains (an RNN's cell …), whose weights follow its own. */
  protected sublayers(): Layer[] {
    return [];
  }

  /** All weights with their names, in Keras order (own weights, then sublayers'). */
  namedWeights(): LayerWeight[] {
    return [...this.ownWeights, ...this.sublayers().flatMap((l) => l.namedWeights())];
  }

  /** The live variables the optimizer updates (none when `trainable` is false), in Keras order. */
  get trainableWeights(): Tensor[] {
    if (!this.trainable) return [];
    return this.namedWeights().filter((w) => w.trainable).map((w) => w.value);
  }

  /** The live variables the optimizer does not update. */
  get nonTrainableWeights(): Tensor[] {
    return this.namedWeights().filter((w) => !w.trainable || !this.trainable).map((w) => w.value);
  }

  /** Copies of all weights in Keras order (kernel, recurrent kernel, bias …). */
  getWeights(): Tensor[] {
    return this.namedWeights().map((w) => new Tensor(new Float32Array(w.value.data), w.value.shape));
  }

  /** Copies values into the weights; every shape is checked before anything is written. */
  setWeights(weights: readonly Tensor[]): void {
    const own = this.namedWeights();
    if (!this.built) {
      throw new NeuriteError(`${this.describe()}.setWeights: the layer is not built yet; call it on data or ensureBuilt(inputShape) first`);
    }
    if (!Array.isArray(weights) || weights.length !== own.length) {
      throw new ValueError(
        `${this.describe()}.setWeights: expected ${own.length} tensors ` +
          `(${own.map((w) => `${w.name} ${formatShape(w.value.shape)}`).join(', ')}), received ${Array.isArray(weights) ? weights.length : typeof weights}`,
      );
    }
    own.forEach((w, i) => {
      const given = weights[i];
      if (!(given instanceof Tensor) || !shapesEqual(given.shape, w.value.shape)) {
        throw new ShapeError(
          `${this.describe()}.setWeights: weight ${i} '${w.name}' expected shape ${formatShape(w.value.shape)}, ` +
            `received ${given instanceof Tensor ? formatShape(given.shape) : typeof given}`,
        );
      }
    });
    own.forEach((w, i) => w.value.data.set(weights[i].data));
  }

  /** Number of scalar weights. */
  countParams(): number {
    if (!this.built) {
      throw new NeuriteError(`${this.describe()}.countParams: the layer is not built yet; call it on data or ensureBuilt(inputShape) first`);
    }
    return this.namedWeights().reduce((n, w) => n + w.value.size, 0);
  }
}
