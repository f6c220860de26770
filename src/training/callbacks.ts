import { Trainable } from './trainable.js';
import { Logs } from './progress.js';
import type { FitLoop } from './fit-position.js';
import type { UnknownKey, ValKeys } from './history-keys.js';

/** What `fit` tells callbacks about the run (Keras's `callback.params`, with TF.js's extra keys). */
export interface TrainingParams {
  /** The epoch index training stops before (as `fit`'s `epochs`). */
  epochs: number;
  /** The epoch index training starts at. */
  initialEpoch: number;
  /** Batches per epoch; null for a dataset of unknown size. */
  steps: number | null;
  /** Training samples (after the validation split); null for a dataset. */
  samples: number | null;
  /** null for a dataset (it batches itself). */
  batchSize: number | null;
  /** `fit`'s verbosity: 0 silent, 1 progress bar, 2 one line per epoch. */
  verbose: 0 | 1 | 2;
  /** The epoch log keys, in order: `loss`, metrics, then `val_` ones. */
  metrics: string[];
}

/**
 * Hooks `fit` calls; every one is optional and may return a promise, which `fit` awaits. `epoch` and `batch`
 * count from 0. `onBatchBegin` gets `{ batch, size }`; `onBatchEnd` the epoch's running loss and metrics so far;
 * `onEpochEnd` the epoch's final values with the `val_` ones; `onTrainEnd` the last epoch's logs. `onTrainBegin`
 * gets `{ initialEpoch }`; a callback that resumes a run (BackupAndRestore) raises it to the epoch to start at.
 * @example const cb: Callback = { onEpochEnd: (epoch, logs) => console.log(epoch, logs?.loss) };
 */
export interface Callback {
  /** Receives the model being trained (to read weights or set `stopTraining`), before training starts. */
  setModel?(model: Trainable): void;
  /** Receives the run's parameters (epochs, steps, metric keys …), before training starts. */
  setParams?(params: TrainingParams): void;
  /** Receives `fit`'s loop position and resume hook (for callbacks that back up and resume a run), before training starts. */
  setFitLoop?(loop: FitLoop): void;
  /** Called once before the first epoch. */
  onTrainBegin?(logs?: Logs): void | Promise<void>;
  /** Called once after the last epoch, with its logs. */
  onTrainEnd?(logs?: Logs): void | Promise<void>;
  /** Called at the start of every epoch. */
  onEpochBegin?(epoch: number, logs?: Logs): void | Promise<void>;
  /** Called after every epoch with its final loss and metrics, validation ones included. */
  onEpochEnd?(epoch: number, logs?: Logs): void | Promise<void>;
  /** Called before every batch with `{ batch, size }`. */
  onBatchBegin?(batch: number, logs?: Logs): void | Promise<void>;
  /** Called after every batch with the epoch's running loss and metrics. */
  onBatchEnd?(batch: number, logs?: Logs): void | Promise<void>;
}

type Hook = 'onTrainBegin' | 'onTrainEnd' | 'onEpochBegin' | 'onEpochEnd' | 'onBatchBegin' | 'onBatchEnd';

/** Calls a hook on every callback in order, awaiting only the ones that returned a promise. */
export async function callHook(callbacks: readonly Callback[], hook: Hook, ...args: [number, Logs] | [Logs]): Promise<void> {
  for (const cb of callbacks) {
    const fn = cb[hook] as ((...a: unknown[]) => unknown) | undefined;
    if (fn === undefined) continue;
    const result = fn.apply(cb, args);
    if (result !== null && typeof result === 'object' && typeof (result as Promise<void>).then === 'function') await result;
  }
}

/**
 * Records every epoch's logs; `fit` returns it. Keys are Keras's: `loss`, `accuracy`, `val_loss`, ….
 * `K` are the keys every epoch has, `Opt` the ones it may have (see `HistoryRecord`); a model returned by
 * `compile` gives both from its metric names and `fit`'s validation options.
 * @example const h = await model.fit(x, y, { epochs: 3 }); h.history.loss; // three numbers
 */
export class History<K extends string = string, Opt extends string = never> implements Callback {
  /** The epoch indices that ran (from `initialEpoch`). */
  epoch: number[] = [];
  /** One array per log key, one value per epoch; `loss` is always there. */
  history: HistoryRecord<K, Opt> = { loss: [] } as unknown as HistoryRecord<K, Opt>;
  /** The run's parameters. */
  params: TrainingParams | null = null;

  setParams(params: TrainingParams): void {
    this.params = params;
  }

  onTrainBegin(): void {
    this.epoch = [];
    this.history = {} as HistoryRecord<K, Opt>;
  }

  onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.epoch.push(epoch);
    const h = this.history as Record<string, number[]>;
    for (const [key, value] of Object.entries(logs)) (h[key] ??= []).push(value);
  }
}

/** Only the keys known by name (an unknown one becomes an index signature instead). */
type Named<K extends string> = Exclude<K, UnknownKey>;
/** An index signature of `V` when some key is only known at run time (`K` contains `UnknownKey`, or is `string`). */
type Open<K extends string, V> = UnknownKey extends K ? { [key: string]: V } : unknown;

/**
 * `History.history` typed by key: `loss` always (never `undefined`, also under `noUncheckedIndexedAccess`),
 * each key of `K` as `number[]`, each of `Opt` optional. With `K = string` (metric names not known to the
 * types) any other key is `number[]` (`| undefined` under `noUncheckedIndexedAccess`). With known names,
 * `learning_rate` is optional too (LearningRateScheduler and ReduceLROnPlateau log it).
 * @example const h: History<'accuracy' | 'val_loss' | 'val_accuracy'> = await model.fit(x, y, { validationSplit: 0.2 }); h.history.val_accuracy; // number[]
 */
export type HistoryRecord<K extends string = string, Opt extends string = never> = { loss: number[] } & { [P in Named<K>]: number[] } & {
  [P in Named<Opt> | (string extends K ? never : 'learning_rate')]?: number[];
} & Open<K | Opt, number[]>;

/** `evaluate`'s result typed by key: `loss` always, and each key of `K` (see `HistoryRecord`). */
export type EvaluateResult<K extends string = string> = { loss: number } & { [P in Named<K>]: number } & Open<K, number>;

/** The History `fit` gives a model whose metric keys are `K`, with validation 'yes' / 'no' / 'maybe'. */
export type FitHistory<K extends string, V extends 'yes' | 'no' | 'maybe'> = V extends 'yes' ? History<K | ValKeys<K>> : V extends 'maybe' ? History<K, ValKeys<K>> : History<K>;

/**
 * Stops training as soon as a batch loss is NaN or infinite (Keras's `TerminateOnNaN`).
 * @example await model.fit(x, y, { epochs: 5, verbose: 0, callbacks: [new TerminateOnNaN()] }); // stops at the first NaN loss
 */
export class TerminateOnNaN implements Callback {
  private model: Trainable | null = null;
  /** The batch that stopped training, or null. */
  stoppedAtBatch: number | null = null;

  setModel(model: Trainable): void {
    this.model = model;
  }

  onBatchEnd(batch: number, logs: Logs = {}): void {
    const loss = logs.loss;
    if (loss !== undefined && !Number.isFinite(loss) && this.model !== null) {
      this.stoppedAtBatch = batch;
      this.model.stopTraining = true;
    }
  }
}
