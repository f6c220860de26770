import { NeuriteError, ShapeError, ValueError } from '../util/errors.js';
import { formatShape, shapesEqual } from '../util/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { CallContext, Layer, uniqueName } from '../layers/layer.js';
import { withTraining } from '../layers/call-context.js';
import { CompileArgs, Compiled, resolveCompile } from '../training/compile.js';
import { fit } from '../training/fit.js';
import { evaluate, predict } from '../training/evaluate.js';
import { BatchOptions, FitOptions } from '../training/options.js';
import { History } from '../training/callbacks.js';
import { Optimizer } from '../optimizers/optimizer.js';
import { findLayers, LayerHolder } from './tracking.js';
import { loadModelWeights, saveModel, saveModelWeights, SaveOptions } from './persistence.js';
import { renderSummary, SummaryRow } from './summary.js';

/** True for a neurite `Model` (or a look-alike holding layers), used when tracking nested models. */
function isModel(value: unknown): value is LayerHolder {
  return value instanceof Model;
}

/**
 * A network: subclass it and override `call`, composing layers with `layer.apply`, exactly as in Keras.
 * Layers held in properties (also inside arrays, also nested models) are tracked automatically.
 * @example
 * class SimpleNN extends Model {
 *   dense = new Dense(1, { activation: 'sigmoid' });
 *   call(inputs: Tensor) { return this.dense.apply(inputs); }
 * }
 */
export class Model {
  /** The model's name (`model`, `model_1`, … unless given). */
  readonly name: string;
  /** Set by a callback (EarlyStopping …) to end `fit` after the current epoch. */
  stopTraining = false;
  /** What `compile` resolved (optimizer, loss, metrics); null before. */
  protected compiled: Compiled | null = null;

  constructor({ name }: { name?: string } = {}) {
    if (name !== undefined && (typeof name !== 'string' || name === '')) {
      throw new ValueError(`Model: expected a non-empty string name, received ${JSON.stringify(name)}`);
    }
    this.name = name ?? uniqueName(new.target === Model ? 'model' : defaultName(new.target.name));
  }

  /** The forward pass; subclasses override it. `ctx.training` is true inside `fit`. */
  call(inputs: Tensor, ctx?: CallContext): Tensor {
    void inputs;
    void ctx;
    throw new NeuriteError(`${this.name}: a Model subclass must override call(inputs, ctx) to compose its layers`);
  }

  /** The layers this model tracks, in declaration order (nested models contribute theirs). */
  get layers(): Layer[] {
    return findLayers(this, isModel);
  }

  /** Runs `call` with the training flag (what fit / evaluate / predict use). */
  forward(x: Tensor, training: boolean): Tensor {
    const y = withTraining(training, () => this.call(x, { training }));
    if (!(y instanceof Tensor)) {
      throw new NeuriteError(`${this.name}.call must return a Tensor, returned ${y === null ? 'null' : typeof y}`);
    }
    return y;
  }

  /**
   * Chooses the optimizer, loss and metrics for `fit` / `evaluate`. Ids in Keras snake_case or TF.js camelCase.
   * @example model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
   */
  compile(args: CompileArgs): void {
    this.compiled = resolveCompile(args);
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
   * Trains on (x, y) for `epochs`; x and y are Tensors, nested arrays or (labels) a `number[]`.
   * @example const history = await model.fit(X, y, { epochs: 100, batchSize: 32, validationSplit: 0.2 });
   */
  fit(x: unknown, y: unknown, options?: FitOptions): Promise<History> {
    return fit(this, this.compiled, x, y, options);
  }

  /** Loss and metrics on (x, y), computed over all samples: `{ loss, accuracy, … }`. */
  evaluate(x: unknown, y: unknown, options?: BatchOptions): { loss: number; [metric: string]: number } {
    return evaluate(this, this.compiled, x, y, options);
  }

  /** Outputs for x, in batches, without recording gradients. Needs no `compile`. */
  predict(x: unknown, options?: BatchOptions): Tensor {
    return predict(this, x, options);
  }

  /**
   * Saves a Sequential model in the TF.js Layers format (`dir/model.json` + `dir/weights.bin`), readable by
   * `loadModel` and by TF.js's `tf.loadLayersModel`. Written atomically: a failed save keeps the old files.
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

  /** Whether every tracked layer has its weights (after the first call). */
  get built(): boolean {
    const layers = this.layers;
    return layers.length > 0 && layers.every((l) => l.built);
  }

  /** The live trainable variables of all layers, in layer order. */
  get trainableWeights(): Tensor[] {
    return this.layers.flatMap((l) => l.trainableWeights);
  }

  /** Every layer's regularization penalties (weights now, activities of the last call), as Keras's `model.losses`. */
  regularizationLosses(): Tensor[] {
    return this.layers.flatMap((l) => l.regularizationLosses());
  }

  /** Projects every constrained weight (the training step calls it after each optimizer step). */
  applyConstraints(): void {
    for (const l of this.layers) l.applyConstraints();
  }

  /** The live variables no optimizer updates. */
  get nonTrainableWeights(): Tensor[] {
    return this.layers.flatMap((l) => l.nonTrainableWeights);
  }

  /** Copies of all weights, layer by layer in Keras order. */
  getWeights(): Tensor[] {
    return this.layers.flatMap((l) => l.getWeights());
  }

  /** Copies values into all weights; every count and shape is checked before anything is written. */
  setWeights(weights: readonly Tensor[]): void {
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
    live.forEach(({ w }, i) => w.value.data.set(weights[i].data));
  }

  /** Number of scalar weights in all layers (the model must be built). */
  countParams(): number {
    return this.layers.reduce((n, l) => n + l.countParams(), 0);
  }

  /** Rows of the summary table; Sequential overrides it to derive shapes before any data. */
  protected summaryRows(): SummaryRow[] {
    return this.layers.map((l) => ({
      name: l.name,
      className: l.className,
      outputShape: l.outputShape,
      params: l.built ? l.countParams() : 0,
    }));
  }

  /** A Keras-style table of the layers, output shapes and parameter counts. */
  summary(): string {
    const rows = this.summaryRows();
    const trainable = this.layers.reduce((n, l) => n + (l.built ? l.trainableWeights.reduce((s, w) => s + w.size, 0) : 0), 0);
    const total = rows.reduce((n, r) => n + r.params, 0);
    return renderSummary(this.name, rows, trainable, total - trainable);
  }

  /** Prints `summary()` to the console. */
  printSummary(): void {
    console.log(this.summary());
  }
}

/** Keras names a subclassed model after its class in snake_case (`SimpleNN` → `simple_nn`). */
function defaultName(className: string): string {
  return className
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
}
