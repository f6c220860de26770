import { ShapeError, ValueError } from '../util/errors.js';
import { checkOptionKeys } from '../util/options.js';
import { formatShape } from '../util/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { CustomLoss, getLoss, LossId, LossName, ResolvedLoss } from '../losses/registry.js';
import { Loss } from '../losses/loss.js';
import { Optimizer } from '../optimizers/optimizer.js';
import { getOptimizer, OptimizerName } from '../optimizers/registry.js';
import { BinaryAccuracy, CategoricalAccuracy, ConfusionRate, MeanError, Metric, SparseCategoricalAccuracy } from './metrics.js';
import { AUC } from './auc.js';
import { describeValue } from '../util/describe.js';
import { F1Score } from './fscore.js';
import { R2Score } from './regression-metrics.js';
import { SparseTopKCategoricalAccuracy, TopKCategoricalAccuracy } from './accuracy-metrics.js';
import { FalseNegatives, FalsePositives, TrueNegatives, TruePositives } from './confusion-metrics.js';

/** What a metric id means; `accuracy` picks binary / categorical / sparse from the loss and shapes. */
type MetricKind =
  | 'accuracy' | 'binary_accuracy' | 'categorical_accuracy' | 'sparse_categorical_accuracy' | 'precision' | 'recall' | 'auc' | 'mse' | 'mae'
  | 'top_k_categorical_accuracy' | 'sparse_top_k_categorical_accuracy' | 'f1_score' | 'r2_score' | 'true_positives' | 'false_positives'
  | 'true_negatives' | 'false_negatives';

/** Built-in metric ids: Keras snake_case (also the history key) and TF.js camelCase. */
export type MetricId =
  | 'accuracy' | 'acc' | 'binary_accuracy' | 'binaryAccuracy' | 'categorical_accuracy' | 'categoricalAccuracy'
  | 'sparse_categorical_accuracy' | 'sparseCategoricalAccuracy' | 'precision' | 'recall' | 'auc' | 'AUC'
  | 'mse' | 'mean_squared_error' | 'meanSquaredError' | 'mae' | 'mean_absolute_error' | 'meanAbsoluteError'
  | 'top_k_categorical_accuracy' | 'topKCategoricalAccuracy' | 'sparse_top_k_categorical_accuracy' | 'sparseTopKCategoricalAccuracy'
  | 'f1_score' | 'f1Score' | 'r2_score' | 'r2Score' | 'true_positives' | 'truePositives' | 'false_positives' | 'falsePositives'
  | 'true_negatives' | 'trueNegatives' | 'false_negatives' | 'falseNegatives';

/** id → [history key, kind]. */
const METRICS = {
  accuracy: ['accuracy', 'accuracy'],
  acc: ['acc', 'accuracy'],
  binary_accuracy: ['binary_accuracy', 'binary_accuracy'],
  binaryAccuracy: ['binary_accuracy', 'binary_accuracy'],
  categorical_accuracy: ['categorical_accuracy', 'categorical_accuracy'],
  categoricalAccuracy: ['categorical_accuracy', 'categorical_accuracy'],
  sparse_categorical_accuracy: ['sparse_categorical_accuracy', 'sparse_categorical_accuracy'],
  sparseCategoricalAccuracy: ['sparse_categorical_accuracy', 'sparse_categorical_accuracy'],
  precision: ['precision', 'precision'],
  recall: ['recall', 'recall'],
  auc: ['auc', 'auc'],
  AUC: ['auc', 'auc'],
  mse: ['mse', 'mse'],
  mean_squared_error: ['mean_squared_error', 'mse'],
  meanSquaredError: ['mean_squared_error', 'mse'],
  mae: ['mae', 'mae'],
  mean_absolute_error: ['mean_absolute_error', 'mae'],
  meanAbsoluteError: ['mean_absolute_error', 'mae'],
  top_k_categorical_accuracy: ['top_k_categorical_accuracy', 'top_k_categorical_accuracy'],
  topKCategoricalAccuracy: ['top_k_categorical_accuracy', 'top_k_categorical_accuracy'],
  sparse_top_k_categorical_accuracy: ['sparse_top_k_categorical_accuracy', 'sparse_top_k_categorical_accuracy'],
  sparseTopKCategoricalAccuracy: ['sparse_top_k_categorical_accuracy', 'sparse_top_k_categorical_accuracy'],
  f1_score: ['f1_score', 'f1_score'],
  f1Score: ['f1_score', 'f1_score'],
  r2_score: ['r2_score', 'r2_score'],
  r2Score: ['r2_score', 'r2_score'],
  true_positives: ['true_positives', 'true_positives'],
  truePositives: ['true_positives', 'true_positives'],
  false_positives: ['false_positives', 'false_positives'],
  falsePositives: ['false_positives', 'false_positives'],
  true_negatives: ['true_negatives', 'true_negatives'],
  trueNegatives: ['true_negatives', 'true_negatives'],
  false_negatives: ['false_negatives', 'false_negatives'],
  falseNegatives: ['false_negatives', 'false_negatives'],
} as const satisfies Record<MetricId, readonly [string, MetricKind]>;

/** The History key a built-in metric id gives (Keras snake_case: `'AUC'` → `'auc'`). */
export type MetricKeyOf<Id extends MetricId> = (typeof METRICS)[Id][0];

/** The valid metric ids, for messages. */
export const METRIC_IDS: readonly string[] = Object.keys(METRICS);

/** One output's loss: an id or a function. */
export type LossSpec = LossName | CustomLoss | Loss;
/** One output's metrics. */
export type MetricSpecs = (MetricId | Metric)[];

/**
 * `compile`'s argument (Keras / TF.js): ids or instances. With several outputs, `loss` is one for all, an
 * array (one per output) or an object keyed by output name; `lossWeights` likewise scale each output's loss
 * in the total; `metrics` is one list for every output, an array of lists, or an object keyed by output name.
 */
export interface CompileArgs {
  /** Default `'rmsprop'`, as Keras. */
  optimizer?: OptimizerName | Optimizer;
  loss: LossSpec | LossSpec[] | Record<string, LossSpec>;
  lossWeights?: number[] | Record<string, number>;
  metrics?: MetricSpecs | MetricSpecs[] | Record<string, MetricSpecs | MetricId | Metric>;
}

/** A requested metric: its history key, and either a kind to build per run or the user's instance. */
export interface MetricSpec {
  readonly key: string;
  readonly kind: MetricKind | null;
  readonly instance: Metric | null;
}

/** One output's part of a validated `compile`. */
export interface CompiledOutput {
  /** The output's name (prefix of its history keys when the model has several outputs). */
  readonly name: string;
  readonly loss: ResolvedLoss;
  /** Its factor in the total loss. */
  readonly weight: number;
  readonly metrics: readonly MetricSpec[];
}

/** A validated `compile`: what fit / evaluate use. `loss` and `metrics` are the first output's. */
export interface Compiled {
  readonly optimizer: Optimizer;
  readonly outputs: readonly CompiledOutput[];
  readonly loss: ResolvedLoss;
  readonly metrics: readonly MetricSpec[];
}

function isMetric(value: unknown): value is Metric {
  const m = value as Metric;
  return m !== null && typeof m === 'object' && typeof m.name === 'string' && typeof m.update === 'function' && typeof m.result === 'function' && typeof m.reset === 'function';
}

const quoted = (names: readonly string[]) => names.map((n) => `'${n}'`).join(', ');

/**
 * One value per output from `value`: the same for all (when `single(value)`), an array of one per output,
 * or an object keyed by output name (missing names get `fallback`, or are an error without one).
 */
function perOutput<T>(value: unknown, names: readonly string[], what: string, single: (v: unknown) => boolean, fallback?: T): T[] {
  if (single(value)) return names.map(() => value as T);
  if (Array.isArray(value)) {
    if (value.length !== names.length) throw new ValueError(`compile: expected ${what} to have one entry per output (${names.length}: ${quoted(names)}), received ${value.length}`);
    return value as T[];
  }
  if (value !== null && typeof value === 'object') {
    const rec = value as Record<string, T>;
    const unknown = Object.keys(rec).filter((k) => !names.includes(k));
    if (unknown.length > 0) throw new ValueError(`compile: ${what} names unknown output${unknown.length > 1 ? 's' : ''} ${quoted(unknown)}; the outputs are ${quoted(names)}`);
    return names.map((n) => {
      if (n in rec) return rec[n];
      if (fallback === undefined) throw new ValueError(`compile: ${what} has no entry for output '${n}'; the outputs are ${quoted(names)}`);
      return fallback;
    });
  }
  throw new ValueError(`compile: expected ${what} for outputs ${quoted(names)}, received ${String(value)}`);
}

function resolveMetricList(list: unknown, what: string): MetricSpec[] {
  const items = Array.isArray(list) ? list : [list];
  return items.map((m): MetricSpec => {
    if (isMetric(m)) return { key: m.name, kind: null, instance: m };
    if (typeof m === 'string' && Object.prototype.hasOwnProperty.call(METRICS, m)) {
      const [key, kind] = METRICS[m as MetricId];
      return { key, kind, instance: null };
    }
    throw new ValueError(`Unknown metric${what}: ${describeValue(m)}; expected one of ${METRIC_IDS.map((id) => `'${id}'`).join(', ')} or a Metric instance`);
  });
}

/** Per-output metric lists: one flat list applies to every output (TF.js), else one list per output. */
function resolveMetrics(metrics: CompileArgs['metrics'], names: readonly string[]): MetricSpec[][] {
  if (metrics === undefined) return names.map(() => []);
  if (Array.isArray(metrics) && !metrics.some(Array.isArray)) {
    const specs = resolveMetricList(metrics, '');
    if (names.length > 1 && specs.some((s) => s.instance !== null)) {
      throw new ValueError(`compile: a Metric instance keeps one running total, so with ${names.length} outputs give metrics per output (an array of lists or an object keyed by output name)`);
    }
    return names.map(() => specs);
  }
  if (!Array.isArray(metrics) && (metrics === null || typeof metrics !== 'object' || isMetric(metrics))) {
    throw new ValueError(`compile: expected metrics to be an array such as ['accuracy'], received ${typeof metrics}`);
  }
  return perOutput<unknown>(metrics, names, 'metrics', () => false, []).map((list, i) => resolveMetricList(list, ` for output '${names[i]}'`));
}

/**
 * Resolves and validates `compile`'s arguments for a model with outputs `outputNames`; an unknown id is a
 * ValueError listing the valid ones, an unknown output name lists the outputs.
 * @example resolveCompile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
 */
export function resolveCompile(args: CompileArgs, outputNames: readonly string[] = ['output_1']): Compiled {
  if (args === null || typeof args !== 'object') throw new ValueError(`compile: expected { optimizer, loss, metrics? }, received ${String(args)}`);
  checkOptionKeys(args, ['optimizer', 'loss', 'lossWeights', 'metrics'], 'compile');
  if (args.loss === undefined) throw new ValueError(`compile: a loss is required, e.g. compile({ optimizer: 'adam', loss: 'binary_crossentropy' })`);
  const isOne = (v: unknown) => typeof v === 'string' || typeof v === 'function' || v instanceof Loss;
  const losses = perOutput<LossSpec>(args.loss, outputNames, 'loss', isOne).map((l) => getLoss(l));
  const weights = args.lossWeights === undefined ? outputNames.map(() => 1) : perOutput<number>(args.lossWeights, outputNames, 'lossWeights', () => false, 1);
  weights.forEach((w, i) => {
    if (typeof w !== 'number' || !Number.isFinite(w)) throw new ValueError(`compile: expected lossWeights for output '${outputNames[i]}' to be a finite number, received ${String(w)}`);
  });
  const metrics = resolveMetrics(args.metrics, outputNames);
  const optimizer = getOptimizer(args.optimizer ?? 'rmsprop');
  const outputs = outputNames.map((name, i): CompiledOutput => ({ name, loss: losses[i], weight: weights[i], metrics: metrics[i] }));
  const keys = new Set<string>(['loss']);
  for (const o of outputs) {
    if (outputs.length > 1) keys.add(`${o.name}_loss`);
    for (const { key } of o.metrics) {
      const full = historyKey(outputs, o.name, key);
      if (keys.has(full)) throw new ValueError(`compile: metric key '${full}' appears twice (or clashes with a loss key); each metric needs its own name`);
      keys.add(full);
    }
  }
  return { optimizer, outputs, loss: outputs[0].loss, metrics: outputs[0].metrics };
}

/** The history key of an output's value: as is for one output, `<output>_<key>` for several (Keras 3). */
export function historyKey(outputs: readonly { name: string }[], output: string, key: string): string {
  return outputs.length > 1 ? `${output}_${key}` : key;
}

/** Binary when the loss is binary cross-entropy or the output has one unit; sparse for integer labels (Keras's rule). */
function accuracyKind(lossId: LossId | null, y: Tensor, outShape: readonly number[]): MetricKind {
  const outLast = outShape[outShape.length - 1];
  if (lossId === 'sparse_categorical_crossentropy') return 'sparse_categorical_accuracy';
  if (lossId === 'binary_crossentropy' || outLast === 1 || outShape.length < 2) return 'binary_accuracy';
  const sparse = y.rank < outShape.length || (y.shape[y.rank - 1] === 1 && outLast > 1);
  return sparse ? 'sparse_categorical_accuracy' : 'categorical_accuracy';
}

/** A metric under another history key (`<output>_accuracy`), optionally fed one-hot targets built from integer labels. */
class WrappedMetric implements Metric {
  constructor(readonly inner: Metric, readonly name: string, readonly oneHotClasses: number | null) {}
  reset(): void {
    this.inner.reset();
  }
  result(): number {
    return this.inner.result();
  }
  get vectorLength(): number | undefined {
    return this.inner.vectorLength;
  }
  resultVector(): number[] {
    return this.inner.resultVector?.() ?? [this.inner.result()];
  }
  update(yTrue: Tensor, yPred: Tensor, sampleWeight: Float32Array | null = null): void {
    if (this.oneHotClasses === null) return this.inner.update(yTrue, yPred, sampleWeight);
    const z = new Float32Array(yPred.size);
    for (let i = 0; i < yTrue.size; i++) z[i * this.oneHotClasses + yTrue.data[i]] = 1;
    this.inner.update(new Tensor(z, yPred.shape), yPred, sampleWeight);
  }
}

/**
 * Fresh metric accumulators of output `index` for a run, given its prepared targets `y` (see
 * `prepareTargets`) and output shape (batch first). Checks first that each metric can read these targets:
 * one value per output, or one integer label per row of classes (sparse accuracy; precision / recall / AUC
 * read them one-hot). Keys are `historyKey`s.
 */
export function buildMetrics(compiled: Compiled, y: Tensor, outShape: readonly number[], what: string, index = 0): Metric[] {
  const output = compiled.outputs[index];
  const classes = outShape[outShape.length - 1];
  const perSampleOut = outShape.slice(1).reduce((a, b) => a * b, 1);
  const sameSize = y.size === y.shape[0] * perSampleOut;
  const sparse = !sameSize && y.size * classes === y.shape[0] * perSampleOut;
  return output.metrics.map(({ key, kind, instance }) => {
    const name = historyKey(compiled.outputs, output.name, key);
    if (instance !== null) return name === instance.name ? instance : new WrappedMetric(instance, name, null);
    const resolved = kind === 'accuracy' ? accuracyKind(output.loss.id, y, outShape) : kind!;
    const readsLabels = resolved === 'sparse_categorical_accuracy' || resolved === 'sparse_top_k_categorical_accuracy';
    const oneHot = sparse && ONE_HOT_READERS.includes(resolved);
    if (readsLabels ? !sparse && !(sameSize && classes === 1) : !sameSize && !oneHot) {
      const want = readsLabels ? 'one integer label per row of classes' : `one value per model output (${formatShape([y.shape[0], ...outShape.slice(1)])})`;
      throw new ShapeError(`${what}: metric '${name}' needs targets with ${want}, received targets of shape ${formatShape(y.shape)}`);
    }
    const metric = makeMetric(resolved, name, classes);
    return oneHot ? new WrappedMetric(metric, name, classes) : metric;
  });
}

/** Metrics that read one target per output value, fed one-hot rows when the targets are integer labels. */
const ONE_HOT_READERS: readonly MetricKind[] = ['precision', 'recall', 'auc', 'f1_score', 'top_k_categorical_accuracy', 'true_positives', 'false_positives', 'true_negatives', 'false_negatives'];

function makeMetric(kind: MetricKind, key: string, classes: number): Metric {
  switch (kind) {
    // NOTE: F1 of a single output unit thresholds at 0.5; with several classes the row's maximum is the prediction (Keras's threshold=None).
    case 'f1_score': return new F1Score({ name: key, threshold: classes === 1 ? 0.5 : null });
    case 'r2_score': return new R2Score({ name: key });
    case 'top_k_categorical_accuracy': return new TopKCategoricalAccuracy({ name: key });
    case 'sparse_top_k_categorical_accuracy': return new SparseTopKCategoricalAccuracy({ name: key });
    case 'true_positives': return new TruePositives({ name: key });
    case 'false_positives': return new FalsePositives({ name: key });
    case 'true_negatives': return new TrueNegatives({ name: key });
    case 'false_negatives': return new FalseNegatives({ name: key });
    case 'binary_accuracy': return new BinaryAccuracy(key);
    case 'categorical_accuracy': return new CategoricalAccuracy(key);
    case 'sparse_categorical_accuracy': return new SparseCategoricalAccuracy(key);
    case 'precision': return new ConfusionRate(key, 'precision');
    case 'recall': return new ConfusionRate(key, 'recall');
    case 'auc': return new AUC({ name: key });
    case 'mse': return new MeanError(key, 'squared');
    case 'mae': return new MeanError(key, 'absolute');
    default: throw new ValueError(`metric '${key}': unresolved kind ${kind}`);
  }
}
