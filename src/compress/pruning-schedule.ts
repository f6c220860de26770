import { ValueError } from '../util/errors.js';
import { checkOptionKeys } from '../util/options.js';

/** When and how much to prune: the sparsity at a training step, and whether masks update at that step. */
export interface PruningSchedule {
  /** The target sparsity at `step` (a fraction of weights that are zero). */
  sparsity(step: number): number;
  /** Whether masks are recomputed at `step`. */
  shouldPrune(step: number): boolean;
  /** The sparsity the schedule ends at. */
  readonly finalSparsity: number;
}

/** Options of `polynomialDecay`, as tfmot's `PolynomialDecay` (camelCase). */
export interface PolynomialDecayOptions {
  initialSparsity?: number;
  finalSparsity: number;
  beginStep?: number;
  /** Last step that prunes; −1 keeps pruning forever at `finalSparsity`. */
  endStep: number;
  /** Exponent of the decay (default 3). */
  power?: number;
  /** Masks update every `frequency` steps (default 100). */
  frequency?: number;
}

/** Throws unless `v` is a sparsity in [0, 1). */
export function checkSparsity(v: unknown, what: string): number {
  if (typeof v !== 'number' || !(v >= 0 && v < 1)) throw new ValueError(`${what}: expected a sparsity in [0, 1), received ${JSON.stringify(v)}`);
  return v;
}

function checkStep(v: unknown, what: string, allowMinusOne = false): number {
  if (!Number.isInteger(v) || ((v as number) < 0 && !(allowMinusOne && v === -1))) {
    throw new ValueError(`${what}: expected a non-negative integer step${allowMinusOne ? ' (or -1)' : ''}, received ${JSON.stringify(v)}`);
  }
  return v as number;
}

/**
 * tfmot's polynomial-decay pruning schedule: sparsity rises from `initialSparsity` at `beginStep` to
 * `finalSparsity` at `endStep` as s = final + (initial − final)·(1 − p)^power, p = (step − begin)/(end − begin)
 * clipped to [0, 1]; masks update at beginStep and every `frequency` steps after, up to endStep.
 * @example polynomialDecay({ initialSparsity: 0.2, finalSparsity: 0.8, beginStep: 0, endStep: 1000, frequency: 50 })
 */
export function polynomialDecay(options: PolynomialDecayOptions): PruningSchedule {
  checkOptionKeys(options, ['initialSparsity', 'finalSparsity', 'beginStep', 'endStep', 'power', 'frequency'], 'polynomialDecay');
  if (options === undefined || options === null) throw new ValueError('polynomialDecay: expected options { finalSparsity, endStep, … }');
  const initial = checkSparsity(options.initialSparsity ?? 0, 'polynomialDecay initialSparsity');
  const final = checkSparsity(options.finalSparsity, 'polynomialDecay finalSparsity');
  const begin = checkStep(options.beginStep ?? 0, 'polynomialDecay beginStep');
  const end = checkStep(options.endStep, 'polynomialDecay endStep', true);
  const power = options.power ?? 3;
  const frequency = options.frequency ?? 100;
  if (end !== -1 && end < begin) throw new ValueError(`polynomialDecay: endStep (${end}) must not be before beginStep (${begin})`);
  if (!(typeof power === 'number' && power > 0 && Number.isFinite(power))) throw new ValueError(`polynomialDecay power: expected a positive number, received ${JSON.stringify(power)}`);
  if (!Number.isInteger(frequency) || frequency < 1) throw new ValueError(`polynomialDecay frequency: expected a positive integer, received ${JSON.stringify(frequency)}`);
  return {
    finalSparsity: final,
    sparsity(step: number): number {
      if (end === -1 || end === begin) return step >= begin ? final : initial;
      const p = Math.min(1, Math.max(0, (step - begin) / (end - begin)));
      return final + (initial - final) * (1 - p) ** power;
    },
    shouldPrune(step: number): boolean {
      return step >= begin && (end === -1 || step <= end) && (step - begin) % frequency === 0;
    },
  };
}

/** Options of `constantSparsity`. */
export interface ConstantSparsityOptions {
  targetSparsity: number;
  beginStep?: number;
  endStep?: number;
  frequency?: number;
}

/**
 * tfmot's `ConstantSparsity`: one sparsity, masks updated every `frequency` steps from `beginStep`.
 * @example const pruned = prune(model, { schedule: constantSparsity({ targetSparsity: 0.5, beginStep: 0, frequency: 10 }) });
 */
export function constantSparsity(options: ConstantSparsityOptions): PruningSchedule {
  checkOptionKeys(options, ['targetSparsity', 'beginStep', 'endStep', 'frequency'], 'constantSparsity');
  const { targetSparsity, beginStep = 0, endStep = -1, frequency = 100 } = options ?? ({} as ConstantSparsityOptions);
  return polynomialDecay({ initialSparsity: targetSparsity, finalSparsity: targetSparsity, beginStep, endStep, frequency });
}
