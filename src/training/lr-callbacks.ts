import { NeuriteError, ValueError } from '../util/errors.js';
import { checkOptionKeys } from '../util/options.js';
import { Optimizer } from '../optimizers/optimizer.js';
import { Callback } from './callbacks.js';
import { improves, monitorMode } from './monitor.js';
import { Logs } from './progress.js';
import { Trainable } from './trainable.js';

/** The model's optimizer, or a clear error for a model that has none (not compiled). */
function optimizerOf(model: Trainable | null, owner: string): Optimizer {
  const opt = model?.optimizer ?? null;
  if (opt === null) throw new NeuriteError(`${owner}: the model has no optimizer; compile it first`);
  return opt;
}

/** Options of `LearningRateScheduler`. */
export interface LearningRateSchedulerOptions {
  /** 1: print each change. Default 0. */
  verbose?: 0 | 1;
}

/**
 * Sets the optimizer's learning rate at the start of every epoch to `schedule(epoch, currentRate)`
 * (Keras's `LearningRateScheduler`); the rate is logged as `learning_rate`. A schedule returning NaN, a
 * negative or a non-number stops training with an error naming the epoch.
 * @example new LearningRateScheduler((epoch, lr) => (epoch < 10 ? lr : lr * Math.exp(-0.1)));
 */
export class LearningRateScheduler implements Callback {
  private model: Trainable | null = null;
  readonly verbose: 0 | 1;

  constructor(readonly schedule: (epoch: number, learningRate: number) => number, options: LearningRateSchedulerOptions = {}) {
    if (typeof schedule !== 'function') throw new ValueError(`LearningRateScheduler: expected a function (epoch, learningRate) => number, received ${typeof schedule}`);
    checkOptionKeys(options, ['verbose'], 'LearningRateScheduler');
    this.verbose = options.verbose ?? 0;
  }

  setModel(model: Trainable): void {
    this.model = model;
  }

  onTrainBegin(): void {
    optimizerOf(this.model, 'LearningRateScheduler');
  }

  onEpochBegin(epoch: number): void {
    const opt = optimizerOf(this.model, 'LearningRateScheduler');
    const rate = this.schedule(epoch, opt.learningRate);
    if (typeof rate !== 'number' || !Number.isFinite(rate) || rate < 0) {
      throw new ValueError(`LearningRateScheduler: the schedule returned ${String(rate)} at epoch ${epoch}; expected a finite learning rate >= 0`);
    }
    opt.learningRate = rate;
    if (this.verbose > 0) console.log(`Epoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${rate}.`);
  }

  onEpochEnd(epoch: number, logs: Logs = {}): void {
    void epoch;
    logs.learning_rate = optimizerOf(this.model, 'LearningRateScheduler').learningRate;
  }
}

/** Options of `ReduceLROnPlateau` (Keras 3 defaults, TF.js spellings). */
export interface ReduceLROnPlateauOptions {
  /** Default `'val_loss'`. */
  monitor?: string;
  /** New rate = rate · factor; in (0, 1). Default 0.1. */
  factor?: number;
  /** Epochs without improvement before reducing. Default 10. */
  patience?: number;
  /** Default 0. */
  verbose?: 0 | 1;
  mode?: 'auto' | 'min' | 'max';
  /** Smallest change that counts as an improvement. Default 1e-4. */
  minDelta?: number;
  /** Epochs to wait after a reduction before counting again. Default 0. */
  cooldown?: number;
  /** The rate never goes below this. Default 0. */
  minLr?: number;
}

/**
 * Multiplies the learning rate by `factor` when the monitored value has not improved for `patience`
 * epochs (Keras 3's `ReduceLROnPlateau`, step for step: cooldown, minLr, the wait reset after a change).
 * @example new ReduceLROnPlateau({ monitor: 'val_loss', factor: 0.5, patience: 2, minLr: 1e-5 });
 */
export class ReduceLROnPlateau implements Callback {
  readonly monitor: string;
  readonly factor: number;
  readonly patience: number;
  readonly mode: 'min' | 'max';
  readonly minDelta: number;
  readonly cooldown: number;
  readonly minLr: number;
  readonly verbose: 0 | 1;
  /** Epochs since the last improvement. */
  wait = 0;
  /** Epochs of cooldown left. */
  cooldownCounter = 0;
  best: number;
  private model: Trainable | null = null;

  constructor(options: ReduceLROnPlateauOptions = {}) {
    checkOptionKeys(options, ['monitor', 'factor', 'patience', 'verbose', 'mode', 'minDelta', 'cooldown', 'minLr'], 'ReduceLROnPlateau');
    const { monitor = 'val_loss', factor = 0.1, patience = 10, verbose = 0, mode = 'auto', minDelta = 1e-4, cooldown = 0, minLr = 0 } = options;
    if (!(typeof factor === 'number' && factor > 0 && factor < 1)) throw new ValueError(`ReduceLROnPlateau: expected factor in (0, 1) (it multiplies the rate), received ${String(factor)}`);
    for (const [name, v] of [['patience', patience], ['cooldown', cooldown]] as const) {
      if (!Number.isInteger(v) || v < 0) throw new ValueError(`ReduceLROnPlateau: expected ${name} to be an integer >= 0, received ${String(v)}`);
    }
    if (!(Number.isFinite(minLr) && minLr >= 0)) throw new ValueError(`ReduceLROnPlateau: expected minLr >= 0, received ${String(minLr)}`);
    if (!Number.isFinite(minDelta)) throw new ValueError(`ReduceLROnPlateau: expected minDelta to be a finite number, received ${String(minDelta)}`);
    this.monitor = monitor;
    this.factor = factor;
    this.patience = patience;
    this.mode = monitorMode(mode, monitor, 'ReduceLROnPlateau');
    this.minDelta = Math.abs(minDelta);
    this.cooldown = cooldown;
    this.minLr = minLr;
    this.verbose = verbose;
    this.best = this.mode === 'min' ? Infinity : -Infinity;
  }

  setModel(model: Trainable): void {
    this.model = model;
  }

  onTrainBegin(): void {
    optimizerOf(this.model, 'ReduceLROnPlateau');
    this.wait = 0;
    this.cooldownCounter = 0;
    this.best = this.mode === 'min' ? Infinity : -Infinity;
  }

  onEpochEnd(epoch: number, logs: Logs = {}): void {
    const opt = optimizerOf(this.model, 'ReduceLROnPlateau');
    logs.learning_rate = opt.learningRate;
    const current = logs[this.monitor];
    if (current === undefined) {
      console.warn(`ReduceLROnPlateau: '${this.monitor}' is not in the epoch logs (available: ${Object.keys(logs).join(', ')}); the rate is not changed`);
      return;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter--;
      this.wait = 0;
    }
    if (improves(this.mode, current, this.best, this.minDelta)) {
      this.best = current;
      this.wait = 0;
    } else if (this.cooldownCounter === 0) {
      this.wait++;
      if (this.wait >= this.patience) {
        const old = opt.learningRate;
        if (old > this.minLr) {
          opt.learningRate = Math.max(old * this.factor, this.minLr);
          if (this.verbose > 0) console.log(`Epoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${opt.learningRate}.`);
          this.cooldownCounter = this.cooldown;
          this.wait = 0;
        }
      }
    }
  }
}

/** Hooks of `LambdaCallback`, each optional. */
export type LambdaCallbackOptions = Pick<Callback, 'onTrainBegin' | 'onTrainEnd' | 'onEpochBegin' | 'onEpochEnd' | 'onBatchBegin' | 'onBatchEnd'>;

/**
 * A callback from plain functions (Keras's `LambdaCallback`, TF.js's `CustomCallback`).
 * @example new LambdaCallback({ onEpochEnd: (epoch, logs) => console.log(epoch, logs?.loss) });
 */
export class LambdaCallback implements Callback {
  onTrainBegin?: Callback['onTrainBegin'];
  onTrainEnd?: Callback['onTrainEnd'];
  onEpochBegin?: Callback['onEpochBegin'];
  onEpochEnd?: Callback['onEpochEnd'];
  onBatchBegin?: Callback['onBatchBegin'];
  onBatchEnd?: Callback['onBatchEnd'];

  constructor(hooks: LambdaCallbackOptions = {}) {
    const names = ['onTrainBegin', 'onTrainEnd', 'onEpochBegin', 'onEpochEnd', 'onBatchBegin', 'onBatchEnd'] as const;
    checkOptionKeys(hooks, names, 'LambdaCallback');
    for (const name of names) {
      const fn = hooks[name];
      if (fn === undefined) continue;
      if (typeof fn !== 'function') throw new ValueError(`LambdaCallback: expected ${name} to be a function, received ${typeof fn}`);
      (this as Record<string, unknown>)[name] = fn;
    }
  }
}
