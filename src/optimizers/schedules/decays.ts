import { ValueError } from '../../util/errors.js';
import { checkOptionKeys } from '../../util/options.js';
import { checkArg, checkFlag, LearningRateSchedule, ScheduleConfig } from './schedule.js';

/** Options of `ExponentialDecay` and `InverseTimeDecay`. */
export interface StaircaseOptions {
  /** Decay in whole steps of `decaySteps` (floor of step / decaySteps). Default false. */
  staircase?: boolean;
  name?: string;
}

/**
 * lr(step) = initialLearningRate · decayRate^(step / decaySteps), the exponent floored with `staircase` (Keras).
 * @example new ExponentialDecay(0.1, 1000, 0.96, { staircase: true });
 */
export class ExponentialDecay extends LearningRateSchedule {
  readonly className = 'ExponentialDecay';
  readonly name: string;
  readonly staircase: boolean;

  constructor(readonly initialLearningRate: number, readonly decaySteps: number, readonly decayRate: number, options: StaircaseOptions = {}) {
    super();
    checkOptionKeys(options, ['staircase', 'name'], 'ExponentialDecay');
    checkArg('ExponentialDecay', 'initialLearningRate', initialLearningRate);
    checkArg('ExponentialDecay', 'decaySteps', decaySteps, { min: 0, minExclusive: true });
    checkArg('ExponentialDecay', 'decayRate', decayRate);
    this.staircase = checkFlag('ExponentialDecay', 'staircase', options.staircase ?? false);
    this.name = options.name ?? 'ExponentialDecay';
  }

  call(step: number): number {
    const p = step / this.decaySteps;
    return this.initialLearningRate * Math.pow(this.decayRate, this.staircase ? Math.floor(p) : p);
  }

  getConfig(): ScheduleConfig {
    return { initial_learning_rate: this.initialLearningRate, decay_steps: this.decaySteps, decay_rate: this.decayRate, staircase: this.staircase, name: this.name };
  }
}

/**
 * lr(step) = initialLearningRate / (1 + decayRate · step / decaySteps), the ratio floored with `staircase` (Keras).
 * @example new InverseTimeDecay(0.1, 10, 0.5);
 */
export class InverseTimeDecay extends LearningRateSchedule {
  readonly className = 'InverseTimeDecay';
  readonly name: string;
  readonly staircase: boolean;

  constructor(readonly initialLearningRate: number, readonly decaySteps: number, readonly decayRate: number, options: StaircaseOptions = {}) {
    super();
    checkOptionKeys(options, ['staircase', 'name'], 'InverseTimeDecay');
    checkArg('InverseTimeDecay', 'initialLearningRate', initialLearningRate);
    checkArg('InverseTimeDecay', 'decaySteps', decaySteps, { min: 0, minExclusive: true });
    checkArg('InverseTimeDecay', 'decayRate', decayRate);
    this.staircase = checkFlag('InverseTimeDecay', 'staircase', options.staircase ?? false);
    this.name = options.name ?? 'InverseTimeDecay';
  }

  call(step: number): number {
    const p = step / this.decaySteps;
    return this.initialLearningRate / (1 + this.decayRate * (this.staircase ? Math.floor(p) : p));
  }

  getConfig(): ScheduleConfig {
    return { initial_learning_rate: this.initialLearningRate, decay_steps: this.decaySteps, decay_rate: this.decayRate, staircase: this.staircase, name: this.name };
  }
}

/** Options of `PolynomialDecay` (Keras defaults). */
export interface PolynomialDecayOptions {
  /** The rate reached at `decaySteps`. Default 0.0001. */
  endLearningRate?: number;
  /** Exponent of the polynomial. Default 1 (linear). */
  power?: number;
  /** Start again after `decaySteps`, stretching the period to the next multiple of it. Default false. */
  cycle?: boolean;
  name?: string;
}

/**
 * lr(step) = (initial − end)·(1 − s / d)^power + end with s = min(step, decaySteps) and d = decaySteps; with
 * `cycle`, s = step and d = decaySteps·ceil(step / decaySteps) (1 at step 0), as Keras.
 * @example new PolynomialDecay(0.1, 100, { endLearningRate: 0.001, power: 0.5 });
 */
export class PolynomialDecay extends LearningRateSchedule {
  readonly className = 'PolynomialDecay';
  readonly name: string;
  readonly endLearningRate: number;
  readonly power: number;
  readonly cycle: boolean;

  constructor(readonly initialLearningRate: number, readonly decaySteps: number, options: PolynomialDecayOptions = {}) {
    super();
    checkOptionKeys(options, ['endLearningRate', 'power', 'cycle', 'name'], 'PolynomialDecay');
    checkArg('PolynomialDecay', 'initialLearningRate', initialLearningRate);
    checkArg('PolynomialDecay', 'decaySteps', decaySteps, { min: 0, minExclusive: true });
    this.endLearningRate = checkArg('PolynomialDecay', 'endLearningRate', options.endLearningRate ?? 0.0001);
    this.power = checkArg('PolynomialDecay', 'power', options.power ?? 1);
    this.cycle = checkFlag('PolynomialDecay', 'cycle', options.cycle ?? false);
    this.name = options.name ?? 'PolynomialDecay';
  }

  call(step: number): number {
    let s = step;
    let d = this.decaySteps;
    if (this.cycle) d *= step === 0 ? 1 : Math.ceil(step / this.decaySteps);
    else s = Math.min(step, d);
    return (this.initialLearningRate - this.endLearningRate) * Math.pow(1 - s / d, this.power) + this.endLearningRate;
  }

  getConfig(): ScheduleConfig {
    return {
      initial_learning_rate: this.initialLearningRate,
      decay_steps: this.decaySteps,
      end_learning_rate: this.endLearningRate,
      power: this.power,
      cycle: this.cycle,
      name: this.name,
    };
  }
}

/** Options of `PiecewiseConstantDecay`. */
export interface PiecewiseConstantDecayOptions {
  name?: string;
}

/**
 * values[0] for step <= boundaries[0], values[i] for boundaries[i−1] < step <= boundaries[i], the last value
 * after the last boundary (Keras). `values` has one more entry than `boundaries`, which must increase.
 * @example new PiecewiseConstantDecay([1000, 2000], [0.1, 0.01, 0.001]);
 */
export class PiecewiseConstantDecay extends LearningRateSchedule {
  readonly className = 'PiecewiseConstantDecay';
  readonly name: string;
  readonly boundaries: readonly number[];
  readonly values: readonly number[];

  constructor(boundaries: readonly number[], values: readonly number[], options: PiecewiseConstantDecayOptions = {}) {
    super();
    checkOptionKeys(options, ['name'], 'PiecewiseConstantDecay');
    const owner = 'PiecewiseConstantDecay';
    if (!Array.isArray(boundaries) || !Array.isArray(values) || boundaries.length === 0 || boundaries.length !== values.length - 1) {
      throw new ValueError(
        `${owner}: expected boundaries (at least one) and one more value than boundaries, received ${describeList(boundaries)} boundaries and ${describeList(values)} values`,
      );
    }
    boundaries.forEach((b, i) => {
      checkArg(owner, `boundaries[${i}]`, b);
      if (i > 0 && b <= boundaries[i - 1]) throw new ValueError(`${owner}: expected increasing boundaries, received ${boundaries.join(', ')}`);
    });
    values.forEach((v, i) => checkArg(owner, `values[${i}]`, v));
    this.boundaries = [...boundaries];
    this.values = [...values];
    this.name = options.name ?? 'PiecewiseConstant';
  }

  call(step: number): number {
    let i = 0;
    while (i < this.boundaries.length && step > this.boundaries[i]) i++;
    return this.values[i];
  }

  getConfig(): ScheduleConfig {
    return { boundaries: [...this.boundaries], values: [...this.values], name: this.name };
  }
}

function describeList(v: unknown): string {
  return Array.isArray(v) ? String(v.length) : typeof v;
}
