import { NeuriteError, ShapeError, ValueError } from '../util/errors.js';
import { checkOptionKeys } from '../util/options.js';
import { formatShape, shapesEqual } from '../util/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { zeros } from '../tensor/creation.js';
import { noGrad } from '../autograd/record.js';
import { SymbolicTensor } from '../graph/symbolic-tensor.js';
import { CallContext, isShapeList, Layer, Shape, Shapes, toSnakeCase, uniqueName } from '../layers/layer.js';
import { InputLayer } from '../layers/input-layer.js';
import { withTraining } from '../layers/call-context.js';
import { CompileArgs, Compiled, resolveCompile } from '../training/compile.js';
import { fit } from '../training/fit.js';
import { evaluateAny, predictAny } from '../training/evaluate.js';
import { BatchOptions, FitOptions } from '../training/options.js';
import { EvaluateResult, FitHistory } from '../training/callbacks.js';
import { MetricKeys, MetricNamesOf, ValidationGiven, WithMetricNames } from '../training/history-keys.js';
import { OnBatchOptions, predictOnBatch, testOnBatch, trainOnBatch } from '../training/on-batch.js';
import { Optimizer } from '../optimizers/optimizer.js';
import { findLayers, LayerHolder } from './tracking.js';
import { loadModelWeights, saveModel, saveModelWeights, SaveOptions } from './persistence.js';
import { connectedTo, defaultLineLength, renderSummary, SummaryOptions, SummaryRow } from './summary.js';
import { FunctionalGraph } from './functional.js';
import { flattenInputs, ModelData, Predicted, restructure, SymbolicStructure } from './structure.js';
import { functionalConfig } from './functional-config.js';

/** True for a neurite `Model` (or a look-alike holding layers), used when tracking nested models. */
function isModel(value: unknown): value is LayerHolder {
  return value instanceof Model;
}

/** What `new Model(...)` takes: nothing (subclassing), or a graph's `inputs` and `outputs`. */
export interface ModelArgs<O extends SymbolicStructure = SymbolicTensor> {
  name?: string;
  /** The graph's inputs (`Input()` tensors): one, an array, or an object keyed by name. */
  inputs?: SymbolicStructure;
  /** The graph's outputs: one, an array, or an object keyed by name; `predict` returns the same form. */
  outputs?: O;
  trainable?: boolean;
}

/**
 * A network, built one of two ways, exactly as in Keras. Functional: `new Model({ inputs, outputs })`
 * over symbolic tensors from `Input()`. Subclassing: override `call`, composing layers with
 * `layer.apply`; layers held in properties (also in arrays, also nested models) are tracked.
 * A model is a layer, so it can be applied inside another graph.
 * @example
 * const x = Input({ shape: [4] });
 * const model = new Model({ inputs: x, outputs: new Dense(1).apply(new Dense(8, { activation: 'relu' }).apply(x)) });
 * model.predict(zeros([2, 4])).shape; // [2, 1]
 */
export class Model<O extends SymbolicStructure = SymbolicTensor> extends Layer {
  /** Set by a callback (EarlyStopping …) to end `fit` after the current epoch. */
  stopTraining = false;
  /**
   * The masks of the outputs of the last run (`[batch, steps]`, or null per output): the training loop
   * weights a sequence output's loss and metrics by them, so masked steps count for nothing (Keras).
   */
  outputMasks: (Tensor | null)[] = [];
  /** What `compile` resolved (optimizer, loss, metrics); null before. */
  protected compiled: Compiled | null = null;
  /** The graph of a functional model; null for subclassed models and Sequential. */
  protected readonly graph: FunctionalGraph | null = null;

  constructor(args: ModelArgs<O> = {}) {
    checkOptionKeys(args, ['name', 'inputs', 'outputs', 'trainable'], 'Model');
    const { name, inputs, outputs, trainable } = args;
    if (name !== undefined && (typeof name !== 'string' || name === '')) {
      throw new ValueError(`Model: expected a non-empty string name, received ${JSON.stringify(name)}`);
    }
    if ((inputs === undefined) !== (outputs === undefined)) {
      throw new ValueError(`Model: a functional model needs both 'inputs' and 'outputs', received only '${inputs === undefined ? 'outputs' : 'inputs'}'`);
    }
    const modelName = name ?? uniqueName(new.target === Model ? (inputs !== undefined ? 'functional' : 'model') : toSnakeCase(new.target.name));
    const graph = inputs !== undefined ? new FunctionalGraph(inputs, outputs, `Model '${modelName}'`) : null;
    super({ name: modelName, trainable }, 'Model');
    this.graph = graph;
  }

  /** `'Functional'` for graph models (as Keras 3 writes them), else the class's own name. */
  get className(): string {
    return this.graph !== null ? 'Functional' : this.constructor.name;
  }

  /** The forward pass. Functional models run their graph; subclasses override it. `ctx.training` is true inside `fit`. */
  call(inputs: Tensor | Tensor[] | Record<string, Tensor>, ctx?: CallContext): Tensor | Tensor[] {
    if (this.graph === null) {
      void inputs;
      throw new NeuriteError(`${this.name}: a Model subclass must override call(inputs, ctx) to compose its layers`);
    }
    const xs = flattenInputs(inputs, this.graph.inputNames, this.name);
    const masks = ctx?.mask === undefined || ctx.mask === null ? [] : Array.isArray(ctx.mask) ? ctx.mask : [ctx.mask];
    const ys = this.graph.run(xs, ctx?.training ?? false, masks).map((f) => f.value);
    return ys.length === 1 ? ys[0] : ys;
  }

  /** The layers: a graph's in Keras's order (InputLayers first); a subclass's in declaration order. */
  get layers(): Layer[] {
    if (this.graph !== null) return [...this.graph.layers];
    return findLayers(this, isModel);
  }

  protected override sublayers(): Layer[] {
    return this.layers;
  }

  /** The model's symbolic inputs (functional models and Sequential with a known input shape). */
  get inputs(): SymbolicTensor[] {
    return [...this.requireGraph('inputs').plan.inputs];
  }

  /** The model's symbolic outputs. */
  get outputs(): SymbolicTensor[] {
    return [...this.requireGraph('outputs').plan.outputs];
  }

  /** Names of the inputs, used to match an object of inputs in `fit` / `predict`. */
  get inputNames(): string[] {
    return this.graph?.inputNames ?? ['input_1'];
  }

  /** Names of the outputs, used for per-output losses and History keys (`<name>_loss`). */
  get outputNames(): string[] {
    return this.graph?.outputNames ?? [this.name];
  }

  /** The graph behind the model, or a clear error for a subclassed one. */
  protected requireGraph(what: string): FunctionalGraph {
    if (this.graph === null) {
      throw new ValueError(`${this.name}.${what}: a subclassed model has no symbolic ${what}; build it with new Model({ inputs, outputs }) to have them`);
    }
    return this.graph;
  }

  /**
   * A layer by name or by index in `layers` (Keras's `get_layer`).
   * @example const conv = model.getLayer('conv2'); new Model({ inputs: model.inputs, outputs: conv.output });
   */
  getLayer(nameOrIndex: string | number): Layer {
    const layers = this.layers;
    if (typeof nameOrIndex === 'number') {
      if (!Number.isInteger(nameOrIndex) || nameOrIndex < 0 || nameOrIndex >= layers.length) {
        throw new ValueError(`${this.name}.getLayer: expected an index in [0, ${layers.length}), received ${nameOrIndex}`);
      }
      return layers[nameOrIndex];
    }
    const found = layers.find((l) => l.name === nameOrIndex);
    if (found === undefined) {
      const names = layers.map((l) => `'${l.name}'`).slice(0, 50).join(', ');
      throw new ValueError(`${this.name}.getLayer: no layer named '${String(nameOrIndex).slice(0, 80)}'; the layers are ${names}`);
    }
    return found;
  }

  /** Runs the model with the training flag on one tensor per input; returns one tensor per output. */
  runModel(xs: readonly Tensor[], training: boolean): Tensor[] {
    this.outputMasks = [];
    const y = withTraining(training, () => {
      if (this.graph === null) return this.call(xs.length === 1 ? xs[0] : [...xs], { training });
      const flows = this.graph.run(xs, training);
      this.outputMasks = flows.map((f) => f.mask);
      return flows.map((f) => f.value);
    });
    const ys = Array.isArray(y) ? y : [y];
    ys.forEach((t, i) => {
      if (!(t instanceof Tensor)) throw new NeuriteError(`${this.name}.call must return a Tensor (or an array of them), returned ${t === null ? 'null' : typeof t} at output ${i}`);
    });
    this.built = true;
    return ys;
  }

  /** What fit / evaluate / predict call: the model on one tensor per input, with the training flag; one tensor per output. */
  forward(xs: Tensor[], training: boolean): Tensor[] {
    return this.runModel(xs, training);
  }

  /** Whether every layer has its weights (functional models: always; subclassed: after the first call). */
  override get built(): boolean {
    if (this.graph !== null) return true;
    const layers = this.layers;
    return layers.length > 0 && layers.every((l) => l.built);
  }

  override set built(value: boolean) {
    void value;
  }

  /** A graph model checks every known dimension of each input against its Input's shape. */
  protected override checkInputShape(shape: Shapes): void {
    if (this.graph === null) return;
    const shapes = isShapeList(shape) ? shape : [shape];
    const expected = this.graph.plan.inputs;
    if (shapes.length !== expected.length) {
      throw new ValueError(`${this.describe()}: expected ${expected.length} input(s) (${this.graph.inputNames.join(', ')}), received ${shapes.length}`);
    }
    shapes.forEach((s, i) => {
      const e = expected[i].shape;
      if (s.length !== e.length || !s.every((d, j) => d === null || e[j] === null || d === e[j])) {
        throw new ShapeError(`${this.describe()}: input '${this.graph!.inputNames[i]}' expected shape ${formatShape(e)}, received ${formatShape(s)}`);
      }
    });
  }

  /** Output shape(s) for inputs of `inputShape`: a graph's output shapes with the batch passed on; a subclass is probed on zeros. */
  computeOutputShape(inputShape: Shapes): Shapes {
    const first = isShapeList(inputShape) ? inputShape[0] : inputShape;
    const batch = first[0] ?? null;
    let shapes: Shape[];
    if (this.graph !== null) {
      shapes = this.graph.outputShapes;
    } else {
      const list = isShapeList(inputShape) ? inputShape : [inputShape];
      if (list.some((s) => s.slice(1).some((d) => d === null))) {
        throw new ShapeError(`${this.describe()}: a subclassed model's output shape for ${list.map(formatShape).join(', ')} is unknown (free dimensions)`);
      }
      const probe = noGrad(() => this.runModel(list.map((s) => zeros([1, ...(s.slice(1) as number[])])), false));
      shapes = probe.map((t) => [...t.shape]);
    }
    const withBatch = shapes.map((s) => [batch, ...s.slice(1)]);
    return withBatch.length === 1 ? withBatch[0] : withBatch;
  }

  /**
   * Chooses the optimizer, loss and metrics for `fit` / `evaluate`. Ids in Keras snake_case or TF.js camelCase.
   * Returns the model itself, typed with its metric names: `fit` on the returned value types
   * `history.history.accuracy` (and `val_accuracy` with validation) as `number[]`. TypeScript cannot narrow
   * a variable by a method call here (`asserts this` needs an explicit annotation), so the statement form
   * `model.compile(...)` leaves `model` typed as before: `loss` known, other keys `number[] | undefined`.
   * @example
   * const model = new Sequential([new Dense(1, { activation: 'sigmoid', inputShape: [2] })]);
   * const compiled = model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
   * const history = await compiled.fit([[0, 1], [1, 0]], [1, 0], { epochs: 2, verbose: 0, validationSplit: 0.5 });
   * history.history.val_accuracy; // number[]
   */
  compile<const A extends CompileArgs>(args: A): this & WithMetricNames<MetricKeys<A, OutputNamesOf<O>>> {
    this.compiled = resolveCompile(args, this.outputNames);
    return this as this & WithMetricNames<MetricKeys<A, OutputNamesOf<O>>>;
  }

  /** The optimizer chosen by `compile` (its state lives there), or null before `compile`. */
  get optimizer(): Optimizer | null {
    return this.compiled?.optimizer ?? null;
  }

  /** The compile configuration, or null before `compile`. */
  get compileConfig(): Compiled | null {
    return this.compiled;
  }

  /**
   * Trains on (x, y) for `epochs`; x and y are Tensors, nested arrays or (labels) a `number[]`. The History's
   * keys are typed from the metric names of the model `compile` returned and from the validation options.
   * @example const history = await model.fit(X, y, { epochs: 100, batchSize: 32, validationSplit: 0.2 });
   */
  fit<const S extends number = never, D = never>(x: ModelData, y: ModelData, options?: FitOptions & { validationSplit?: S; validationData?: D }): Promise<FitHistory<MetricNamesOf<this>, ValidationGiven<S, D>>>;
  fit<const S extends number = never, D = never>(dataset: AsyncIterable<unknown> | Iterable<unknown>, options?: FitOptions & { validationSplit?: S; validationData?: D }): Promise<FitHistory<MetricNamesOf<this>, ValidationGiven<S, D>>>;
  fit(x: unknown, y?: unknown, options?: FitOptions): Promise<FitHistory<MetricNamesOf<this>, 'maybe'>> {
    return fit(this, this.compiled, x, y, options) as Promise<never>;
  }

  /**
   * Trains on a dataset of `{ xs, ys, sampleWeight? }` batches (TF.js's `fitDataset`).
   * @example const history = await model.fitDataset(data.fromArrays(X, y).batch(32), { epochs: 5 });
   */
  fitDataset<const S extends number = never, D = never>(dataset: AsyncIterable<unknown> | Iterable<unknown>, options?: FitOptions & { validationSplit?: S; validationData?: D }): Promise<FitHistory<MetricNamesOf<this>, ValidationGiven<S, D>>> {
    return fit(this, this.compiled, dataset, options) as Promise<never>;
  }

  /**
   * Loss and metrics on (x, y), computed over all samples: `{ loss, accuracy, … }`; a promise for a dataset.
   * @example const { loss, accuracy } = compiled.evaluate(X, y); // compiled = model.compile({ …, metrics: ['accuracy'] })
   */
  evaluate(x: ModelData, y: ModelData, options?: BatchOptions): EvaluateResult<MetricNamesOf<this>>;
  evaluate(dataset: AsyncIterable<unknown> | Iterable<unknown>, options?: BatchOptions): Promise<EvaluateResult<MetricNamesOf<this>>>;
  evaluate(x: unknown, y?: unknown, options?: BatchOptions): EvaluateResult<MetricNamesOf<this>> | Promise<EvaluateResult<MetricNamesOf<this>>> {
    return evaluateAny(this, this.compiled, x, y, options) as never;
  }

  /**
   * Outputs for x, in batches, without recording gradients. Needs no `compile`. The result has the form
   * the outputs were given in: a Tensor for one output, an array or an object for several. A promise for a dataset.
   */
  predict(x: ModelData, options?: BatchOptions): Predicted<O>;
  predict(dataset: AsyncIterable<unknown> | Iterable<unknown>, options?: BatchOptions): Promise<Predicted<O>>;
  predict(x: unknown, options?: BatchOptions): Predicted<O> | Promise<Predicted<O>> {
    const out = predictAny(this, x, options);
    return Array.isArray(out) ? (this.structureOutputs(out) as Predicted<O>) : out.then((o) => this.structureOutputs(o) as Predicted<O>);
  }

  /** One gradient step on exactly this batch; its loss and metrics (before the step). */
  trainOnBatch(x: ModelData, y: ModelData, options?: OnBatchOptions): EvaluateResult<MetricNamesOf<this>> {
    return trainOnBatch(this, this.compiled, x, y, options) as never;
  }

  /** Loss and metrics on exactly this batch. */
  testOnBatch(x: ModelData, y: ModelData, options?: OnBatchOptions): EvaluateResult<MetricNamesOf<this>> {
    return testOnBatch(this, this.compiled, x, y, options) as never;
  }

  /** Outputs on exactly this batch, in the form the outputs were given in. */
  predictOnBatch(x: ModelData): Predicted<O> {
    return this.structureOutputs(predictOnBatch(this, x)) as Predicted<O>;
  }

  /**
   * Saves the model in the TF.js Layers format (`dir/model.json` + weights), readable by `loadModel` and by
   * TF.js's `tf.loadLayersModel`: Sequential and functional models. Written atomically: a failed save keeps the old files.
   * @example await model.save('./my-model'); const again = await loadModel('./my-model');
   */
  save(dir: string, options?: SaveOptions): Promise<void> {
    return saveModel(this, dir, options);
  }

  /** Saves the weights of any model (also subclassed) to one file, matched by layer and weight name on load. */
  saveWeights(path: string): Promise<void> {
    return saveModelWeights(this, path);
  }

  /** Loads weights written by `saveWeights`; any missing, extra or mis-shaped weight fails before anything changes. */
  loadWeights(path: string): Promise<void> {
    return loadModelWeights(this, path);
  }

  /** The Keras config: for a functional model its layers, their inbound nodes, and the input and output layers. */
  override getConfig(): Record<string, unknown> {
    if (this.graph === null) return super.getConfig();
    return functionalConfig(this.name, this.graph);
  }

  /** Every layer's regularization penalties (weights now, activities of the last call), as Keras's `model.losses`. */
  override regularizationLosses(): Tensor[] {
    return this.layers.flatMap((l) => l.regularizationLosses());
  }

  /** Projects every constrained weight (the training step calls it after each optimizer step). */
  override applyConstraints(): void {
    for (const l of this.layers) l.applyConstraints();
  }

  /** Copies values into all weights; every count and shape is checked before anything is written. */
  override setWeights(weights: readonly Tensor[]): void {
    const live = this.layers.flatMap((l) => l.namedWeights().map((w) => ({ layer: l, w })));
    if (!Array.isArray(weights) || weights.length !== live.length) {
      throw new ValueError(
        `${this.name}.setWeights: expected ${live.length} tensors, received ${Array.isArray(weights) ? weights.length : typeof weights}` +
          (live.length === 0 ? ' (the model has no weights yet: call it on data first)' : ''),
      );
    }
    live.forEach(({ layer, w }, i) => {
      const given = weights[i];
      if (!(given instanceof Tensor) || !shapesEqual(given.shape, w.value.shape)) {
        throw new ShapeError(
          `${this.name}.setWeights: weight ${i} (${layer.name}/${w.name}) expected shape ${formatShape(w.value.shape)}, ` +
            `received ${given instanceof Tensor ? formatShape(given.shape) : typeof given}`,
        );
      }
    });
    // Each layer receives its own slice through its setWeights (a quantized layer stores them its own way).
    let offset = 0;
    for (const layer of this.layers) {
      const count = layer.namedWeights().length;
      if (count > 0) layer.setWeights(weights.slice(offset, offset + count));
      offset += count;
    }
  }

  /** Number of scalar weights in all layers (the model must be built). */
  override countParams(): number {
    return this.layers.reduce((n, l) => n + l.countParams(), 0);
  }

  /** Rows of the summary table; Sequential overrides it to derive shapes before any data. */
  protected summaryRows(): SummaryRow[] {
    return this.layers.map((l) => ({
      name: l.name,
      className: l.className,
      outputShape: l instanceof InputLayer ? l.inputBatchShape : graphOutputShape(l) ?? l.outputShape,
      params: l.built ? l.countParams() : 0,
      built: l.built,
      connectedTo: this.graph !== null ? connectedTo(l, this.graph.plan.nodes) : undefined,
    }));
  }

  /**
   * Prints Keras 3's summary table (layers, output shapes, parameter counts, "Connected to" for graphs,
   * trainable / non-trainable totals with their size) and returns it. `lineLength` defaults to Keras's
   * (88, or 116 for graphs), or the terminal's width − 4 when narrower.
   * @example model.summary(); const text = model.summary({ lineLength: 76 });
   */
  summary(options: SummaryOptions = {}): string {
    const rows = this.summaryRows();
    const trainable = this.layers.reduce((n, l) => n + (l.built ? l.trainableWeights.reduce((s, w) => s + w.size, 0) : 0), 0);
    const total = rows.reduce((n, r) => n + r.params, 0);
    const graph = rows.some((r) => r.connectedTo !== undefined);
    const columns = process.stdout.isTTY ? process.stdout.columns : undefined;
    const lineLength = options.lineLength ?? (graph ? Math.min(116, columns === undefined ? 116 : columns - 4) : defaultLineLength(columns));
    const text = renderSummary(this.name, rows, trainable, total - trainable, { lineLength });
    console.log(text);
    return text;
  }

  /** Alias of `summary()` (prints the table). */
  printSummary(options: SummaryOptions = {}): void {
    this.summary(options);
  }

  /** Rebuilds the structure the outputs were given in around flat values. */
  protected structureOutputs<T>(values: readonly T[]): T | T[] | Record<string, T> {
    return this.graph === null ? (values.length === 1 ? values[0] : [...values]) : restructure(values, this.graph.outputStructure);
  }
}

/** The output shape of a layer's first node in a graph, when it has one. */
function graphOutputShape(layer: Layer): Shapes | null {
  const node = layer.inboundNodes[0];
  if (node === undefined) return null;
  return node.outputs.length === 1 ? node.outputs[0].shape : node.outputs.map((t) => t.shape);
}

/**
 * The output names the types know for outputs `O`: `null` for one output, the keys of an object of outputs,
 * `string` (unknown) for an array (its names come from the layers at run time).
 */
type OutputNamesOf<O> = O extends readonly unknown[] ? string : O extends SymbolicTensor ? null : O extends Record<string, SymbolicTensor> ? keyof O & string : null;

/** Keras names a subclassed model after its class in snake_case (`SimpleNN` → `simple_nn`). */
function defaultName(className: string): string {
  return className
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
}
