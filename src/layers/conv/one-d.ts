import { ValueError } from '../../util/errors.js';

/** Padding of 1-D convolutions: 2-D's two modes plus `'causal'` (output t sees inputs <= t only). */
export type Padding1D = 'valid' | 'same' | 'causal';

/** A positive integer given as `n` or `[n]` (TF.js and Keras write 1-D sizes as one-element lists). */
export function singleOf(value: unknown, what: string): number {
  const v = Array.isArray(value) && value.length === 1 ? value[0] : value;
  if (!Number.isInteger(v) || (v as number) <= 0) {
    throw new ValueError(`${what}: expected a positive integer (or a list of one), received ${JSON.stringify(value)}`);
  }
  return v as number;
}

/** A 1-D padding option, checked; `causal` only where `allowCausal`. */
export function checkPadding1D(value: unknown, what: string, allowCausal: boolean): Padding1D {
  if (value === 'valid' || value === 'same' || (allowCausal && value === 'causal')) return value;
  const options = allowCausal ? "'valid', 'same' or 'causal'" : "'valid' or 'same'";
  throw new ValueError(`${what}: expected padding ${options}, received ${JSON.stringify(value)}`);
}
