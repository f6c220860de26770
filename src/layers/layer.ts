import { currentTraining } from './call-context.js';
import { NeuriteError, ShapeError, ValueError } from '../util/errors.js';
import { assertValidShape, formatShape, shapesEqual } from '../util/shape.js';
import { checkOptionKeys } from '../util/options.js';
import { Tensor } from '../tensor/tensor.js';
import { noGrad } from '../autograd/record.js';
import { InitializerSpec, resolveInitializer } from '../initializers/serialization.js';
import { GraphNode } from '../graph/node.js';
import { SymbolicDType, SymbolicTensor } from '../graph/symbolic-tensor.js';
import { isShapeList } from './shape-list.js';
import { initializersSkipped } from './weight-init-mode.js';
import { callSymbolic, symbolicInputs } from './symbolic-call.js';

export { isShapeList };
import { zeros } from '../tensor/creation.js';
import { claimLoadedWeight } from './load-budget.js';
import { describeValue } from '../util/describe.js';
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
  /** Overrides the training flag of the enclosing model call. */
  training?: boolean;
  /** The input's mask (real tensors only; in a graph, masks flow by themselves). */
  mask?: Masks;
  /** Initial states of a recurrent layer (real tensors, or symbolic ones when building a graph). */
  initialState?: Tensor[];
}

/** Options of `layer.apply` on symbolic tensors. */
export interface SymbolicApplyOptions {
  /** Initial states of a recurrent layer, as extra inputs of the node (Keras's `initial_state`). */
  initialState?: SymbolicTensor[];
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

/** The options every layer shares (`LayerOptions`). */
export const BASE_OPTION_KEYS: readonly string[] = ['name', 'inputShape', 'batchInputShape', 'trainable'];

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
  private isTrainable = true;
  private isBuilt = false;
  /** Full input shape with the batch dimension, when declared via `inputShape` / `batchInputShape`. */
  readonly batchInputShape: Shape | null;
  /** The input shape (batch included, `null` where unknown) the layer was built for. */
  protected builtInputShape: Shapes | null = null;
  private readonly ownWeights: LayerWeight[] = [];
  /** The calls of this layer on symbolic tensors, in order (Keras's `inbound_nodes`). */
  readonly inboundNodes: GraphNode[] = [];
  /** The class name given to the constructor, for messages raised before a subclass's fields exist. */
  private readonly givenClassName: string | undefined;
  /** Penalty on this layer's output (Keras's `activity_regularizer`), recorded on every call. */
  protected activityRegularizer: Regularizer | null = null;
  private activityLosses: Tensor[] = [];

  constructor(options: LayerOptions = {}, className?: string) {
    if (options === null || typeof options !== 'object') {
      throw new ValueError(`${className ?? 'Layer'}: expected an options object, received ${describeValue(options)}`);
    }
    // Layers take their own options out first and pass the rest here, so anything left that is not a
    // shared option is unknown: refused, never silently ignored (a misspelt `dropuot` stays visible).
    const op = className ?? new.target.name;
    checkOptionKeys(options, BASE_OPTION_KEYS, op, `it is not one of ${op}'s own options (see ${op}Options) nor one every layer takes:`);
    if (options.name !== undefined && (typeof options.name !== 'string' || options.name === '')) {
      throw new ValueError(`${className ?? 'Layer'}: expected a non-empty string name, received ${describeValue(options.name)}`);
    }
    this.givenClassName = className;
    this.name = options.name ?? uniqueName(toSnakeCase(className ?? new.target.name));
    // Set directly: the setter walks sublayers, which subclasses have not created yet.
    this.isTrainable = options.trainable ?? true;
    if (typeof this.isTrainable !== 'boolean') {
      throw new ValueError(`${this.name}: expected trainable to be a boolean, received ${describeValue(options.trainable)}`);
    }
    const declared = options.batchInputShape ?? (options.inputShape !== undefined ? [null, ...options.inputShape] : null);
    if (declared !== null && (!Array.isArray(declared) || declared.slice(1).some((d) => d !== null && (!Number.isInteger(d) || d <= 0)))) {
      throw new ValueError(
        `${this.name}: expected ${options.batchInputShape !== undefined ? 'batchInputShape' : 'inputShape'} of positive integers, ` +
          `received ${describeValue(options.batchInputShape ?? options.inputShape)}`,
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

  /** Whether `build` has run (models: whether every layer has its weights). */
  get built(): boolean {
    return this.isBuilt;
  }

  set built(value: boolean) {
    this.isBuilt = value;
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
   * Builds on first use, validates the input, then runs `call`. On symbolic tensors (from `Input`) it
   * records a node instead and returns a symbolic tensor, which is how graph models are built. For a
   * layer with several outputs (an RNN with `returnState`) use `applyMulti`.
   * @example const y = new Dense(2).apply(Input({ shape: [4] })); // SymbolicTensor [null, 2]
   */
  apply(x: SymbolicTensor | SymbolicTensor[], options?: SymbolicApplyOptions): SymbolicTensor;
  apply(x: Tensor | Tensor[], options?: ApplyOptions): Tensor;
  apply(x: Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[], options: ApplyOptions | SymbolicApplyOptions = {}): Tensor | SymbolicTensor {
    const ys = this.applyMulti(x as Tensor, options as ApplyOptions) as (Tensor | SymbolicTensor)[];
    if (ys.length !== 1) {
      throw new ValueError(`${this.describe()}: this layer returns ${ys.length} outputs; use applyMulti() to receive them as an array`);
    }
    return ys[0];
  }

  /** As `apply`, for layers with several outputs (Keras's `out, h, c = lstm(x)`): always an array. */
  applyMulti(x: SymbolicTensor | SymbolicTensor[], options?: SymbolicApplyOptions): SymbolicTensor[];
  applyMulti(x: Tensor | Tensor[], options?: ApplyOptions): Tensor[];
  applyMulti(x: Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[], options: ApplyOptions | SymbolicApplyOptions = {}): (Tensor | SymbolicTensor)[] {
    if (options === null || typeof options !== 'object') {
      throw new ValueError(`${this.describe()}.apply: expected an options object, received ${options === null ? 'null' : typeof options}`);
    }
    const states = options.initialState;
    if (symbolicInputs(this.describe(), x, states).symbolic) {
      if ('mask' in options && options.mask !== undefined) {
        throw new ValueError(`${this.describe()}: 'mask' cannot be given with symbolic inputs; masks flow through the graph from Embedding / Masking`);
      }
      if ('training' in options && options.training !== undefined) {
        throw new ValueError(`${this.describe()}: 'training' cannot be fixed on a symbolic call; fit, evaluate and predict set it for the whole graph`);
      }
      checkOptionKeys(options, ['initialState'], `${this.describe()}.apply`);
      return callSymbolic(this, x as SymbolicTensor | SymbolicTensor[], (states ?? []) as SymbolicTensor[]);
    }
    checkOptionKeys(options, ['training', 'mask', 'initialState'], `${this.describe()}.apply`);
    const y = this.applyAny(x as Tensor | Tensor[], options as ApplyOptions);
    return Array.isArray(y) ? y : [y];
  }

  /** The dtype of this layer's symbolic outputs given its inputs'; float32 except where a layer says otherwise. */
  outputDType(inputDTypes: SymbolicDType[]): SymbolicDType {
    void inputDTypes;
    return 'float32';
  }

  /** The input of a layer called once on symbolic tensors (Keras's `layer.input`). */
  get input(): SymbolicTensor | SymbolicTensor[] {
    const node = this.onlyNode('input');
    const inputs = node.inputs.slice(0, node.inputs.length - node.args.initialStates);
    return node.args.inputIsList ? [...inputs] : inputs[0];
  }

  /** The output of a layer called once on symbolic tensors (Keras's `layer.output`); an array for several outputs. */
  get output(): SymbolicTensor | SymbolicTensor[] {
    const node = this.onlyNode('output');
    return node.outputs.length === 1 ? node.outputs[0] : [...node.outputs];
  }

  private onlyNode(what: string): GraphNode {
    if (this.inboundNodes.length === 0) {
      throw new ValueError(`${this.describe()}.${what}: the layer has not been called on symbolic tensors (Input()), so it has no ${what} yet`);
    }
    if (this.inboundNodes.length > 1) {
      throw new ValueError(
        `${this.describe()}.${what}: the layer is called at ${this.inboundNodes.length} places in a graph, so '${what}' is ambiguous; ` +
          `use layer.inboundNodes[i].${what === 'input' ? 'inputs' : 'outputs'}`,
      );
    }
    return this.inboundNodes[0];
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

  /** Whether the optimizer updates this layer's weights. */
  get trainable(): boolean {
    return this.isTrainable;
  }

  /**
   * Freezes or unfreezes the layer (between or during fit calls). A frozen layer's weights stop recording
   * gradients and drop any they hold, so unfreezing later starts from fresh gradients, not stale sums.
   */
  set trainable(value: boolean) {
    if (typeof value !== 'boolean') throw new ValueError(`${this.name}: expected trainable to be a boolean, received ${JSON.stringify(value)}`);
    this.isTrainable = value;
    for (const w of this.namedWeights()) {
      w.value.requiresGrad = value && w.trainable;
      if (!value) w.value.grad = null;
    }
  }

  /** Creates a weight (a live variable) named `name`, initialized from a Keras id or function. */
  protected addWeight(
    name: string,
    shape: readonly number[],
    initializer: InitializerSpec,
    { trainable = true, regularizer = null, constraint = null }: { trainable?: boolean; regularizer?: Regularizer | null; constraint?: Constraint | null } = {},
  ): Tensor {
    assertValidShape(shape, `${this.describe()}: weight '${name}'`);
    const init = resolveInitializer(initializer);
    // From a file (the load budget claims the weight, or initializers are off), the values come later: zeros now.
    const fromFile = claimLoadedWeight(this.describe(), name, shape) || initializersSkipped();
    const value = fromFile ? zeros(shape) : init(shape);
    if (!shapesEqual(value.shape, shape)) {
      throw new ShapeError(`${this.name}: initializer for '${name}' returned shape ${formatShape(value.shape)}, expected ${formatShape(shape)}`);
    }
    value.requiresGrad = trainable && this.trainable;
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
    const own = this.ownWeights.filter((w) => w.trainable).map((w) => w.value);
    return [...own, ...this.sublayers().flatMap((l) => l.trainableWeights)];
  }

  /** The live variables the optimizer does not update (all of them when the layer is frozen). */
  get nonTrainableWeights(): Tensor[] {
    if (!this.trainable) return this.namedWeights().map((w) => w.value);
    const own = this.ownWeights.filter((w) => !w.trainable).map((w) => w.value);
    return [...own, ...this.sublayers().flatMap((l) => l.nonTrainableWeights)];
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
