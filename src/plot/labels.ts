import { ValueError } from '../util/errors.js';

/** Numbers a plot accepts: a plain array, a typed array, or a tensor (anything with `data` and `shape`). */
export type Values = ArrayLike<number> | { readonly data: ArrayLike<number>; readonly shape: readonly number[] };

/** The flat values and the shape (`[n]` for an array). */
export function readValues(v: Values, what: string): { data: ArrayLike<number>; shape: readonly number[] } {
  if (v !== null && typeof v === 'object' && 'data' in v && 'shape' in v) return { data: v.data, shape: v.shape };
  if (v === null || typeof v !== 'object' || typeof (v as ArrayLike<number>).length !== 'number') {
    throw new ValueError(`${what}: expected an array of numbers or a Tensor, received ${v === null ? 'null' : typeof v}`);
  }
  const data = v as ArrayLike<number>;
  return { data, shape: [data.length] };
}

/**
 * Class labels from targets or predictions: rows of scores (`[n, k]`, k > 1) give their argmax; integers
 * are labels as they are; other values are binary probabilities, class 1 at `threshold` or above.
 */
export function toLabels(v: Values, what: string, threshold = 0.5): number[] {
  const { data, shape } = readValues(v, what);
  const k = shape.length === 2 ? shape[1] : 1;
  const n = k > 1 ? shape[0] : data.length;
  const out = new Array<number>(n);
  if (k > 1) {
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let j = 1; j < k; j++) if (data[i * k + j] > data[i * k + best]) best = j;
      out[i] = best;
    }
    return out;
  }
  let integers = true;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(data[i])) throw new ValueError(`${what}: value ${i} is ${data[i]}, expected a finite number`);
    if (!Number.isInteger(data[i]) || data[i] < 0) integers = false;
  }
  for (let i = 0; i < n; i++) out[i] = integers ? data[i] : data[i] >= threshold ? 1 : 0;
  return out;
}
