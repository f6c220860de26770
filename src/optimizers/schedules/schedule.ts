import { ValueError } from '../../util/errors.js';

/** A schedule's config as saved: Keras's snake_case keys. */
export type ScheduleConfig = Record<string, number | boolean | string | null | number[]>;

/** A schedule in a saved optimizer config, as Keras writes it (`module`, `class_name`, `config`). */
export interface SerializedSchedule {
  [key: string]: string | ScheduleConfig | null;
  module: string;
  class_name: string;
  config: ScheduleConfig;
  registered_name: null;
}

/**
 * A learning rate as a function of the optimizer's step count (Keras `LearningRateSchedule`), given as an
 * optimizer's `learningRate`. The optimizer calls it with `iterations` (0 on the first step) and refuses a
 * result that is NaN, infinite or negative.
 * @example new Adam({ learningRate: new ExponentialDecay(0.01, 1000, 0.9) });
 */
export abstract class LearningRateSchedule {
  /** The Keras class name (`'ExponentialDecay'`). */
  abstract readonly className: string;
  /** Keras's `name` (a label in the config). */
  abstract readonly name: string;

  /** The learning rate at `step` (the number of optimizer steps taken so far). */
  abstract call(step: number): number;

  /** The constructor arguments, Keras snake_case keys. */
  abstract getConfig(): ScheduleConfig;

  /** Keras's serialized form, saved inside the optimizer config. */
  serialize(): SerializedSchedule {
    return { module: 'keras.optimizers.schedules', class_name: this.className, config: this.getConfig(), registered_name: null };
  }
}

/** Checks a schedule argument is a finite number in range. */
export function checkArg(owner: string, name: string, value: unknown, { min = -Infinity, minExclusive = false } = {}): number {
  const ok = typeof value === 'number' && Number.isFinite(value) && (minExclusive ? value > min : value >= min);
  if (!ok) throw new ValueError(`${owner}: expected ${name} to be a finite number ${minExclusive ? '>' : '>='} ${min}, received ${String(value)}`);
  return value as number;
}

/** Checks a boolean schedule argument. */
export function checkFlag(owner: string, name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new ValueError(`${owner}: expected ${name} to be a boolean, received ${typeof value}`);
  return value;
}
