import { ShapeError, ValueError } from '../util/errors.js';
import { formatShape } from '../util/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { CustomLoss, getLoss, LossId, LossName, ResolvedLoss } from '../losses/registry.js';
import { Loss } from '../losses/loss.js';
import { Optimizer } from '../optimizers/optimizer.js';
import { getOptimizer, OptimizerName } from '../optimizers/registry.js';
import { BinaryAccuracy, CategoricalAccuracy, ConfusionRate, MeanError, Metric, SparseCategoricalAccuracy } from './metrics.js';
import { AUC } from './auc.js';
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
const METRICS: Record<MetricId, [string, MetricKind]> = {
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
};

/** The valid metric ids, for messages. */
export const METRIC_IDS: readonly string[] = Object.keys(METRICS);

/** `compile`'s argument (Keras / TF.js): ids or instances. */
export interface CompileArgs {
  /** Default `'rmsprop'`, as Keras. */
  optimizer?: OptimizerName | Optimizer;
  loss: LossName | CustomLoss | Loss;
  metrics?: (MetricId | Metric)[];
}

/** A requested metric: its history key, and either a kind to build per run or the user's instance. */
export interface MetricSpec {
  readonly key: string;
  readonly kind: MetricKind | null;
  readonly instance: Metric | null;
}

/** A validated `compile`: what fit / evaluate use. */
export interface Compiled {
  readonly optimizer: Optimizer;
  readonly loss: ResolvedLoss;
  readonly metrics: readonly MetricSpec[];
}

function isMetric(value: unknown): value is Metric {
  const m = value as Metric;
  return m !== null && typeof m === 'object' && typeof m.name === 'string' && typeof m.update === 'function' && typeof m.result === 'function' && typeof m.reset === 'function';
}

/**
 * Resolves and validates `compile`'s arguments; an unknown id is a ValueError listing the valid ones.
 * @example resolveCompile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
 */
export function resolveCompile(args: CompileArgs): Compiled {
  if (args === null || typeof args !== 'object') throw new ValueError(`compile: expected { optimizer, loss, metrics? }, received ${String(args)}`);
  if (args.loss === undefined) throw new ValueError(`compile: a loss is required, e.g. compile({ optimizer: 'adam', loss: 'binary_crossentropy' })`);
  const loss = getLoss(args.loss);
  const optimizer = getOptimizer(args.optimizer ?? 'rmsprop');
  const list = args.metrics ?? [];
  if (!Array.isArray(list)) throw new ValueError(`compile: expected metrics to be an array such as ['accuracy'], received ${typeof list}`);
  const metrics = list.map((m): MetricSpec => {
    if (isMetric(m)) return { key: m.name, kind: null, instance: m };
    if (typeof m === 'string' && Object.prototype.hasOwnProperty.call(METRICS, m)) {
      const [key, kind] = METRICS[m as MetricId];
      return { key, kind, instance: null };
    }
    throw new ValueError(`Unknown metric: ${JSON.stringify(m)}; expected one of ${METRIC_IDS.map((id) => `'${id}'`).join(', ')} or a Metric instance`);
  });
  const keys = new Set<string>(['loss']);
  for (const { key } of metrics) {
    if (keys.has(key)) throw new ValueError(`compile: metric key '${key}' appears twice (or clashes with 'loss'); each metric needs its own name`);
    keys.add(key);
  }
  return { optimizer, loss, metrics };
}

/** Binary when the loss is binary cross-entropy or the output has one unit; sparse for integer labels (Keras's rule). */
function accuracyKind(lossId: LossId | null, y: Tensor, outShape: readonly number[]): MetricKind {
  const outLast = outShape[outShape.length - 1];
  if (lossId === 'sparse_categorical_crossentropy') return 'sparse_categorical_accuracy';
  if (lossId === 'binary_crossentropy' || outLast === 1 || outShape.length < 2) return 'binary_accuracy';
  const sparse = y.rank < outShape.length || (y.shape[y.rank - 1] === 1 && outLast > 1);
  return sparse ? 'sparse_categorical_accuracy' : 'categorical_accuracy';
}

/** Feeds a metric one-hot targets built from integer labels (precision / recall / AUC with sparse labels). */
class OneHotTargets implements Metric {
  constructor(readonly inner: Metric, readonly classes: number) {}
  get name(): string {
    return this.inner.name;
  }
  reset(): void {
    this.inner.reset();
  }
  result(): number {
    return this.inner.result();
  }
  update(yTrue: Tensor, yPred: Tensor, sampleWeight: Float32Array | null = null): void {
    const z = new Float32Array(yPred.size);
    for (let i = 0; i < yTrue.size; i++) z[i * this.classes + yTrue.data[i]] = 1;
    this.inner.update(new Tensor(z, yPred.shape), yPred, sampleWeight);
  }
}

/**
 * Fresh metric accumulators for a run, given prepared targets `y` (see `prepareTargets`) and the model's
 * output shape (batch first). Checks first that each metric can read these targets: one value per output,
 * or one integer label per row of classes (sparse accuracy; precision / recall / AUC read them one-hot).
 */
export function buildMetrics(compiled: Compiled, y: Tensor, outShape: readonly number[], what: string): Metric[] {
  const classes = outShape[outShape.length - 1];
  const perSampleOut = outShape.slice(1).reduce((a, b) => a * b, 1);
  const sameSize = y.size === y.shape[0] * perSampleOut;
  const sparse = !sameSize && y.size * classes === y.shape[0] * perSampleOut;
  return compiled.metrics.map(({ key, kind, instance }) => {
    if (instance !== null) return instance;
    const resolved = kind === 'accuracy' ? accuracyKind(compiled.loss.id, y, outShape) : kind!;
    const readsLabels = resolved === 'sparse_categorical_accuracy' || resolved === 'sparse_top_k_categorical_accuracy';
    const oneHot = sparse && ONE_HOT_READERS.includes(resolved);
    if (readsLabels ? !sparse && !(sameSize && classes === 1) : !sameSize && !oneHot) {
      const want = readsLabels ? 'one integer label per row of classes' : `one value per model output (${formatShape([y.shape[0], ...outShape.slice(1)])})`;
      throw new ShapeError(`${what}: metric '${key}' needs targets with ${want}, received targets of shape ${formatShape(y.shape)}`);
    }
    const metric = makeMetric(resolved, key, classes);
    return oneHot ? new OneHotTargets(metric, classes) : metric;
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
