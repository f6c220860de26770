import { ValueError } from '../util/errors.js';
import { Tensor } from '../tensor/tensor.js';
import { LearningRateSchedule } from './schedules/schedule.js';

/** A value in an optimizer's config (a serialized schedule is an object). */
export type ConfigValue = number | boolean | string | null | { [key: string]: ConfigValue } | ConfigValue[];

/** Options every optimizer accepts besides its own (Keras 3's base optimizer, TF.js spellings). */
export interface BaseOptimizerOptions {
  /** Step size: a number, or a schedule of the step count (`new ExponentialDecay(…)`). */
  learningRate?: number | LearningRateSchedule;
  /** Decoupled weight decay: each step p ← p − p·weightDecay·lr before the update (Keras `weight_decay`). */
  weightDecay?: number;
  /** Rescales each parameter's gradient to at most this L2 norm (Keras `clipnorm`, per variable). */
  clipNorm?: number;
  /** Clips every gradient element to [−clipValue, clipValue] (Keras `clipvalue`). */
  clipValue?: number;
  /** Rescales all gradients together to at most this global L2 norm (Keras `global_clipnorm`). */
  globalClipnorm?: number;
  /** Keeps an exponential moving average of the weights (Keras `use_ema`); fit copies it in at the end. */
  useEma?: boolean;
  /** The average's momentum: average ← μ·average + (1 − μ)·weight. Default 0.99. */
  emaMomentum?: number;
  /** Every this many steps the weights are overwritten with their average; null (default) only at the end. */
  emaOverwriteFrequency?: number | null;
}

/** Validated base options. */
export interface ResolvedBase {
  readonly learningRate: number | LearningRateSchedule;
  readonly weightDecay: number | null;
  readonly clipNorm: number | null;
  readonly clipValue: number | null;
  readonly globalClipnorm: number | null;
  readonly useEma: boolean;
  readonly emaMomentum: number;
  readonly emaOverwriteFrequency: number | null;
}

/** Checks a hyper-parameter is a finite number in range; `owner` names the optimizer in the message. */
export function checkNumber(owner: string, name: string, value: unknown, { min = -Infinity, max = Infinity, minExclusive = false } = {}): number {
  const ok = typeof value === 'number' && Number.isFinite(value) && (minExclusive ? value > min : value >= min) && value <= max;
  if (!ok) {
    const range = `${minExclusive ? '(' : '['}${min}, ${max}]`;
    throw new ValueError(`${owner}: expected ${name} to be a finite number in ${range}, received ${String(value)}`);
  }
  return value as number;
}

/** Checks a boolean option. */
export function checkBoolean(owner: string, name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new ValueError(`${owner}: expected ${name} to be a boolean, received ${typeof value}`);
  return value;
}

const positive = { min: 0, minExclusive: true };

/** Validates the base options (Keras's rules: at most one of the three clipping options). */
export function resolveBaseOptions(owner: string, o: BaseOptimizerOptions, defaultLearningRate: number): ResolvedBase {
  const lr = o.learningRate ?? defaultLearningRate;
  const learningRate = lr instanceof LearningRateSchedule ? lr : checkNumber(owner, 'learningRate', lr, { min: 0 });
  const given = (['clipNorm', 'clipValue', 'globalClipnorm'] as const).filter((k) => o[k] !== undefined && o[k] !== null);
  if (given.length > 1) {
    throw new ValueError(`${owner}: only one of clipNorm, clipValue and globalClipnorm can be set, received ${given.map((k) => `${k}=${o[k]}`).join(', ')}`);
  }
  const opt = (name: keyof BaseOptimizerOptions, v: unknown, range = positive) => (v === undefined || v === null ? null : checkNumber(owner, name, v, range));
  const useEma = checkBoolean(owner, 'useEma', o.useEma ?? false);
  const freq = o.emaOverwriteFrequency ?? null;
  if (freq !== null && (!Number.isInteger(freq) || freq < 1)) {
    throw new ValueError(`${owner}: expected emaOverwriteFrequency to be an integer >= 1 or null, received ${String(freq)}`);
  }
  return {
    learningRate,
    weightDecay: opt('weightDecay', o.weightDecay, { min: 0, minExclusive: false }),
    clipNorm: opt('clipNorm', o.clipNorm),
    clipValue: opt('clipValue', o.clipValue),
    globalClipnorm: opt('globalClipnorm', o.globalClipnorm),
    useEma,
    emaMomentum: checkNumber(owner, 'emaMomentum', o.emaMomentum ?? 0.99, { min: 0, max: 1 }),
    emaOverwriteFrequency: freq,
  };
}

/** Describes a non-Tensor-array argument for messages. */
export function describeParams(v: unknown): string {
  if (Array.isArray(v)) return `an array containing ${v.map((x) => (x instanceof Tensor ? 'Tensor' : x === null ? 'null' : typeof x)).join(', ')}`;
  return v === null ? 'null' : typeof v;
}
