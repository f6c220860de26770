import { ValueError } from '../util/errors.js';
import { Callback } from './callbacks.js';
import { isDataset } from './sources.js';
import { ClassWeight, checkClassWeight } from './targets.js';
import { describeValue } from '../util/describe.js';

/** `fit` options (TF.js spellings, Keras defaults). */
export interface FitOptions {
  /** Epochs to train up to (an index, as Keras: with `initialEpoch` 2 and `epochs` 5, three run). Default 1. */
  epochs?: number;
  /** Samples per gradient step; the last batch of an epoch may be smaller. Default 32. */
  batchSize?: number;
  /** 0 silent, 1 progress bar, 2 one line per epoch. Default 1. */
  verbose?: 0 | 1 | 2;
  /** Called at train / epoch / batch boundaries, in order. */
  callbacks?: Callback[];
  /** Fraction of the samples, taken from the end before any shuffling, held out for validation. Default 0. */
  validationSplit?: number;
  /** `[x, y]` or `[x, y, sampleWeight]` (x / y as for fit), or a dataset, to evaluate after each epoch (takes precedence over `validationSplit`). */
  validationData?: [unknown, unknown] | [unknown, unknown, unknown] | AsyncIterable<unknown> | Iterable<unknown>;
  /** Reshuffle the training samples every epoch (seeded by `setSeed`). Default true. */
  shuffle?: boolean;
  /** Loss weight per class index, for imbalanced data. */
  classWeight?: ClassWeight;
  /** Epoch to start from (for resuming). Default 0. */
  initialEpoch?: number;
  /** Milliseconds of training between two yields to the event loop. Default 100. */
  yieldEvery?: number;
  /** One weight per sample (`[n]`), or per timestep (`[n, steps]`) for sequence outputs; multiplies classWeight. */
  sampleWeight?: unknown;
  /** Batches per epoch when x is a dataset (required for an endless one). */
  stepsPerEpoch?: number;
  /** Batches of a validation dataset to evaluate after each epoch (default: all). */
  validationSteps?: number;
}

/** `evaluate` / `predict` options. */
export interface BatchOptions {
  /** Samples per forward pass. Default 32. */
  batchSize?: number;
  /** evaluate: one weight per sample (or per timestep). */
  sampleWeight?: unknown;
  /** With a dataset: batches to run (required for an endless one). */
  steps?: number;
}

/** BatchOptions with defaults applied. */
export interface ResolvedBatchOptions {
  batchSize: number;
  sampleWeight: unknown;
  steps: number | null;
}

/** FitOptions with defaults applied and every value checked. */
export interface ResolvedFitOptions {
  epochs: number;
  batchSize: number;
  verbose: 0 | 1 | 2;
  callbacks: Callback[];
  validationSplit: number;
  validationData: FitOptions['validationData'] | null;
  shuffle: boolean;
  classWeight: ClassWeight | null;
  initialEpoch: number;
  yieldEvery: number;
  sampleWeight: unknown;
  stepsPerEpoch: number | null;
  validationSteps: number | null;
}

const FIT_KEYS = ['epochs', 'batchSize', 'verbose', 'callbacks', 'validationSplit', 'validationData', 'shuffle', 'classWeight', 'initialEpoch', 'yieldEvery', 'sampleWeight', 'stepsPerEpoch', 'validationSteps'];

/** Rejects keys a function does not know (a Keras spelling such as `batch_size` would otherwise be ignored). */
function checkKeys(options: object, known: readonly string[], op: string): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new ValueError(`${op}: unknown option '${key}'; the options are ${known.map((k) => `'${k}'`).join(', ')}`);
    }
  }
}

/** Checks a positive integer option. */
export function positiveInteger(value: unknown, name: string, op: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ValueError(`${op}: expected ${name} to be a positive integer, received ${describeValue(value)}`);
  }
  return value;
}

/** Applies defaults and validates `fit`'s options (before any data or state is touched). */
export function resolveFitOptions(options: FitOptions | undefined): ResolvedFitOptions {
  const op = 'fit';
  if (options === undefined) options = {};
  if (options === null || typeof options !== 'object') throw new ValueError(`${op}: expected an options object, received ${String(options)}`);
  checkKeys(options, FIT_KEYS, op);
  const { epochs = 1, batchSize = 32, verbose = 1, callbacks = [], validationSplit = 0, validationData, shuffle = true, classWeight, initialEpoch = 0, yieldEvery = 100, sampleWeight, stepsPerEpoch, validationSteps } = options;
  positiveInteger(epochs, 'epochs', op);
  positiveInteger(batchSize, 'batchSize', op);
  if (verbose !== 0 && verbose !== 1 && verbose !== 2) throw new ValueError(`${op}: expected verbose to be 0, 1 or 2, received ${String(verbose)}`);
  if (!Array.isArray(callbacks) || callbacks.some((c) => c === null || typeof c !== 'object')) {
    throw new ValueError(`${op}: expected callbacks to be an array of callback objects`);
  }
  if (typeof validationSplit !== 'number' || !(validationSplit >= 0 && validationSplit < 1)) {
    throw new ValueError(`${op}: expected validationSplit in [0, 1), received ${String(validationSplit)}`);
  }
  const vd: unknown = validationData;
  if (vd !== undefined && !isDataset(vd) && (!Array.isArray(vd) || vd.length < 2 || vd.length > 3)) {
    throw new ValueError(`${op}: expected validationData to be [x, y], [x, y, sampleWeight] or a dataset, received ${Array.isArray(vd) ? `an array of ${vd.length}` : typeof vd}`);
  }
  if (stepsPerEpoch !== undefined) positiveInteger(stepsPerEpoch, 'stepsPerEpoch', op);
  if (validationSteps !== undefined) positiveInteger(validationSteps, 'validationSteps', op);
  if (typeof shuffle !== 'boolean') throw new ValueError(`${op}: expected shuffle to be a boolean, received ${String(shuffle)}`);
  if (!Number.isInteger(initialEpoch) || initialEpoch < 0 || initialEpoch >= epochs) {
    throw new ValueError(`${op}: expected initialEpoch to be an integer in [0, epochs) = [0, ${epochs}), received ${String(initialEpoch)}`);
  }
  if (typeof yieldEvery !== 'number' || !(yieldEvery >= 0)) throw new ValueError(`${op}: expected yieldEvery to be a number of milliseconds >= 0, received ${String(yieldEvery)}`);
  return {
    epochs,
    batchSize,
    verbose,
    callbacks,
    validationSplit,
    validationData: validationData ?? null,
    shuffle,
    classWeight: classWeight === undefined ? null : checkClassWeight(classWeight, op),
    initialEpoch,
    yieldEvery,
    sampleWeight,
    stepsPerEpoch: stepsPerEpoch ?? null,
    validationSteps: validationSteps ?? null,
  };
}

/** Applies defaults and validates evaluate / predict options. */
export function resolveBatchOptions(options: BatchOptions | undefined, op: string): ResolvedBatchOptions {
  if (options === undefined) return { batchSize: 32, sampleWeight: undefined, steps: null };
  if (options === null || typeof options !== 'object') throw new ValueError(`${op}: expected an options object, received ${String(options)}`);
  checkKeys(options, op === 'predict' ? ['batchSize', 'steps'] : ['batchSize', 'sampleWeight', 'steps'], op);
  return {
    batchSize: positiveInteger(options.batchSize ?? 32, 'batchSize', op),
    sampleWeight: options.sampleWeight,
    steps: options.steps === undefined ? null : positiveInteger(options.steps, 'steps', op),
  };
}
