import { ValueError } from '../util/errors.js';
import { Tensor } from '../tensor/tensor.js';
import { Callback } from './callbacks.js';
import { Logs } from './progress.js';
import { Trainable } from './trainable.js';
import { monitorMode } from './monitor.js';
import { describeValue } from '../util/describe.js';

/** Options of `EarlyStopping` (Keras 3 semantics, TF.js spellings). */
export interface EarlyStoppingOptions {
  /** Log key to watch. Default `'val_loss'`. */
  monitor?: string;
  /** Smallest change that counts as an improvement (its sign is ignored). Default 0. */
  minDelta?: number;
  /** Epochs without improvement before stopping. Default 0. */
  patience?: number;
  /** `'min'`, `'max'`, or `'auto'`: min for losses and errors, max for accuracy / precision / recall / auc. */
  mode?: 'auto' | 'min' | 'max';
  /** The counter only resets when a value also beats this. */
  baseline?: number;
  /** At the end of training, put back the weights of the best epoch. Default false. */
  restoreBestWeights?: boolean;
  /** Epochs to let pass before watching. Default 0. */
  startFromEpoch?: number;
}


/**
 * Stops `fit` when the monitored value has not improved for `patience` epochs (Keras 3's `EarlyStopping`).
 * Each watched epoch increments a wait counter; an improvement (by more than `minDelta`) records the best
 * value (and weights) and, when it also beats `baseline`, resets the counter; training stops once the counter
 * reaches `patience` (never at epoch 0). A missing monitored key has no effect (with one console warning).
 * @example new EarlyStopping({ monitor: 'val_loss', patience: 3, restoreBestWeights: true });
 */
export class EarlyStopping implements Callback {
  readonly monitor: string;
  readonly minDelta: number;
  readonly patience: number;
  readonly mode: 'min' | 'max';
  readonly baseline: number | undefined;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  /** Epochs since the last improvement. */
  wait = 0;
  /** The epoch training was stopped at (0 when it was not stopped). */
  stoppedEpoch = 0;
  /** Best monitored value so far (±Infinity before the first watched epoch). */
  best: number;
  /** Epoch of `best`. */
  bestEpoch = 0;
  private bestWeights: Tensor[] | null = null;
  private model: Trainable | null = null;
  private warned = false;

  constructor({ monitor = 'val_loss', minDelta = 0, patience = 0, mode = 'auto', baseline, restoreBestWeights = false, startFromEpoch = 0 }: EarlyStoppingOptions = {}) {
    if (typeof monitor !== 'string' || monitor === '') throw new ValueError(`EarlyStopping: expected monitor to be a log key such as 'val_loss', received ${describeValue(monitor)}`);
    if (!Number.isFinite(minDelta)) throw new ValueError(`EarlyStopping: expected minDelta to be a finite number, received ${minDelta}`);
    if (!Number.isInteger(patience) || patience < 0) throw new ValueError(`EarlyStopping: expected patience to be a non-negative integer, received ${patience}`);
    if (!Number.isInteger(startFromEpoch) || startFromEpoch < 0) {
      throw new ValueError(`EarlyStopping: expected startFromEpoch to be a non-negative integer, received ${startFromEpoch}`);
    }
    if (baseline !== undefined && !Number.isFinite(baseline)) throw new ValueError(`EarlyStopping: expected baseline to be a finite number, received ${baseline}`);
    this.monitor = monitor;
    this.minDelta = Math.abs(minDelta);
    this.patience = patience;
    this.mode = resolveMode(mode, monitor);
    this.best = this.mode === 'min' ? Infinity : -Infinity;
    this.baseline = baseline;
    this.restoreBestWeights = restoreBestWeights;
    this.startFromEpoch = startFromEpoch;
  }

  setModel(model: Trainable): void {
    this.model = model;
  }

  onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.best = this.mode === 'min' ? Infinity : -Infinity;
    this.bestEpoch = 0;
    this.bestWeights = null;
    this.warned = false;
  }

  onEpochEnd(epoch: number, logs: Logs = {}): void {
    const current = logs[this.monitor];
    if (current === undefined && !this.warned) {
      // As Keras, a missing key is a warning, not an error (validation may be absent on purpose); said once per run.
      this.warned = true;
      console.warn(`EarlyStopping: '${this.monitor}' is not in the epoch logs (available: ${Object.keys(logs).join(', ')}); it has no effect`);
    }
    if (current === undefined || epoch < this.startFromEpoch) return;
    if (this.restoreBestWeights && this.bestWeights === null) {
      this.bestWeights = this.model?.getWeights() ?? null;
      this.bestEpoch = epoch;
    }
    this.wait++;
    if (this.improves(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) this.bestWeights = this.model?.getWeights() ?? null;
      if (this.baseline === undefined || this.improves(current, this.baseline)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0 && this.model !== null) {
      this.stoppedEpoch = epoch;
      this.model.stopTraining = true;
    }
  }

  onTrainEnd(): void {
    if (this.restoreBestWeights && this.bestWeights !== null && this.model !== null) this.model.setWeights(this.bestWeights);
  }

  /** Whether `value` beats `reference` by more than `minDelta` in the monitored direction (NaN never does). */
  private improves(value: number, reference: number): boolean {
    return this.mode === 'min' ? value + this.minDelta < reference : value - this.minDelta > reference;
  }
}

function resolveMode(mode: string, monitor: string): 'min' | 'max' {
  return monitorMode(mode, monitor, 'EarlyStopping');
}
