import { ValueError } from '../../util/errors.js';
import { checkOptionKeys } from '../../util/options.js';
import { checkArg, LearningRateSchedule, ScheduleConfig } from './schedule.js';

/** Options of `CosineDecay` (Keras defaults). */
export interface CosineDecayOptions {
  /** Floor of the decay as a fraction of the starting rate. Default 0. */
  alpha?: number;
  /** With warmup: the rate reached linearly from `initialLearningRate` after `warmupSteps`, where the decay starts. */
  warmupTarget?: number | null;
  /** Steps of linear warmup (used with `warmupTarget`). Default 0. */
  warmupSteps?: number;
  name?: string;
}

/** The cosine factor (1 − α)·½(1 + cos(π·fraction)) + α. */
function cosineFactor(fraction: number, alpha: number): number {
  return (1 - alpha) * 0.5 * (1 + Math.cos(Math.PI * fraction)) + alpha;
}

/**
 * Cosine decay (Keras): lr(step) = initial·((1 − α)·½(1 + cos(π·min(step, d)/d)) + α), d = decaySteps. With a
 * `warmupTarget`, first a linear ramp from initial to the target over `warmupSteps`, then the decay from the
 * target over the next `decaySteps` (step capped at warmupSteps + decaySteps).
 * @example new CosineDecay(0, 1000, { warmupTarget: 0.01, warmupSteps: 100 });
 */
export class CosineDecay extends LearningRateSchedule {
  readonly className = 'CosineDecay';
  readonly name: string;
  readonly alpha: number;
  readonly warmupTarget: number | null;
  readonly warmupSteps: number;

  constructor(readonly initialLearningRate: number, readonly decaySteps: number, options: CosineDecayOptions = {}) {
    super();
    checkOptionKeys(options, ['alpha', 'warmupTarget', 'warmupSteps', 'name'], 'CosineDecay');
    checkArg('CosineDecay', 'initialLearningRate', initialLearningRate);
    checkArg('CosineDecay', 'decaySteps', decaySteps, { min: 0, minExclusive: true });
    this.alpha = checkArg('CosineDecay', 'alpha', options.alpha ?? 0);
    this.warmupTarget = options.warmupTarget === undefined || options.warmupTarget === null ? null : checkArg('CosineDecay', 'warmupTarget', options.warmupTarget);
    this.warmupSteps = checkArg('CosineDecay', 'warmupSteps', options.warmupSteps ?? 0, { min: 0 });
    if (this.warmupTarget !== null && this.warmupSteps === 0) {
      throw new ValueError('CosineDecay: warmupTarget needs warmupSteps > 0, received warmupSteps 0');
    }
    this.name = options.name ?? 'CosineDecay';
  }

  call(step: number): number {
    const d = this.decaySteps;
    if (this.warmupTarget === null) return this.initialLearningRate * cosineFactor(Math.min(step, d) / d, this.alpha);
    const s = Math.min(step, d + this.warmupSteps);
    if (s < this.warmupSteps) return (this.warmupTarget - this.initialLearningRate) * (s / this.warmupSteps) + this.initialLearningRate;
    return this.warmupTarget * cosineFactor((s - this.warmupSteps) / d, this.alpha);
  }

  getConfig(): ScheduleConfig {
    return {
      initial_learning_rate: this.initialLearningRate,
      decay_steps: this.decaySteps,
      alpha: this.alpha,
      name: this.name,
      warmup_target: this.warmupTarget,
      warmup_steps: this.warmupSteps,
    };
  }
}

/** Options of `CosineDecayRestarts` (Keras defaults). */
export interface CosineDecayRestartsOptions {
  /** Each period is this many times longer than the previous. Default 2. */
  tMul?: number;
  /** Each restart starts at this many times the previous starting rate. Default 1. */
  mMul?: number;
  /** Floor of the decay as a fraction of the starting rate. Default 0. */
  alpha?: number;
  name?: string;
}

/**
 * Cosine decay with warm restarts (SGDR, Keras): with f = step / firstDecaySteps, restart i = floor(log(1 − f(1 − t))/log t)
 * (floor(f) when t = 1), fraction within it (f − (1 − tⁱ)/(1 − t))/tⁱ, and lr = initial·((1 − α)·mⁱ·½(1 + cos(π·fraction)) + α).
 * @example new CosineDecayRestarts(0.1, 100, { tMul: 2, mMul: 0.9 });
 */
export class CosineDecayRestarts extends LearningRateSchedule {
  readonly className = 'CosineDecayRestarts';
  readonly name: string;
  readonly tMul: number;
  readonly mMul: number;
  readonly alpha: number;

  constructor(readonly initialLearningRate: number, readonly firstDecaySteps: number, options: CosineDecayRestartsOptions = {}) {
    super();
    checkOptionKeys(options, ['tMul', 'mMul', 'alpha', 'name'], 'CosineDecayRestarts');
    checkArg('CosineDecayRestarts', 'initialLearningRate', initialLearningRate);
    checkArg('CosineDecayRestarts', 'firstDecaySteps', firstDecaySteps, { min: 0, minExclusive: true });
    this.tMul = checkArg('CosineDecayRestarts', 'tMul', options.tMul ?? 2, { min: 0, minExclusive: true });
    this.mMul = checkArg('CosineDecayRestarts', 'mMul', options.mMul ?? 1, { min: 0 });
    this.alpha = checkArg('CosineDecayRestarts', 'alpha', options.alpha ?? 0);
    this.name = options.name ?? 'SGDRDecay';
  }

  call(step: number): number {
    const t = this.tMul;
    let fraction = step / this.firstDecaySteps;
    let restart: number;
    if (t === 1) {
      restart = Math.floor(fraction);
      fraction -= restart;
    } else {
      restart = Math.floor(Math.log(1 - fraction * (1 - t)) / Math.log(t));
      const before = (1 - Math.pow(t, restart)) / (1 - t);
      fraction = (fraction - before) / Math.pow(t, restart);
    }
    const cosine = 0.5 * Math.pow(this.mMul, restart) * (1 + Math.cos(Math.PI * fraction));
    return this.initialLearningRate * ((1 - this.alpha) * cosine + this.alpha);
  }

  getConfig(): ScheduleConfig {
    return {
      initial_learning_rate: this.initialLearningRate,
      first_decay_steps: this.firstDecaySteps,
      t_mul: this.tMul,
      m_mul: this.mMul,
      alpha: this.alpha,
      name: this.name,
    };
  }
}
