// Validation of numeric arguments at the public edge: refuses BigInt, strings, NaN, ±Infinity and
// values out of range with a message naming the function and the argument.
import { ValueError } from './errors.js';
import { describeValue } from './describe.js';

/** Range and kind a numeric argument must have. */
export interface NumberRule {
  /** Whole numbers only. */
  integer?: boolean;
  /** Smallest allowed value (inclusive). */
  min?: number;
  /** Largest allowed value (inclusive). */
  max?: number;
}

function kind(v: unknown): string {
  if (typeof v === 'bigint') return `${describeValue(v)}; pass a plain number`;
  return describeValue(v);
}

/**
 * `value` as a number when it is a finite number within `rule`, else a ValueError such as
 * "randomNormal: expected stddev to be a finite number >= 0, received NaN".
 */
export function checkNumberArg(value: unknown, op: string, name: string, rule: NumberRule = {}): number {
  const { integer = false, min = -Infinity, max = Infinity } = rule;
  const ok = typeof value === 'number' && Number.isFinite(value) && (!integer || Number.isInteger(value)) && value >= min && value <= max;
  if (ok) return value as number;
  if (integer && (min === 0 || min === 1)) {
    const over = typeof value === 'number' && value > max ? ` (more than ${max})` : '';
    throw new ValueError(`${op}: expected ${name} to be a ${min === 1 ? 'positive' : 'non-negative'} integer, received ${kind(value)}${over}`);
  }
  const range = [min > -Infinity ? `>= ${min}` : '', max < Infinity ? `<= ${max}` : ''].filter((s) => s !== '').join(' and ');
  throw new ValueError(`${op}: expected ${name} to be a finite ${integer ? 'integer' : 'number'}${range ? ` ${range}` : ''}, received ${kind(value)}`);
}
