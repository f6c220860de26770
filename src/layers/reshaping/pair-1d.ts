import { ValueError } from '../../util/errors.js';

/** A non-negative integer `n` (both sides) or a pair `[before, after]`, as Keras's 1-D padding and cropping. */
export function sidesOf(value: unknown, what: string): [number, number] {
  const pair = typeof value === 'number' ? [value, value] : Array.isArray(value) && value.length === 2 ? value : null;
  if (pair === null || !pair.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new ValueError(`${what}: expected a non-negative integer or a pair [before, after] of them, received ${JSON.stringify(value)}`);
  }
  return [pair[0], pair[1]];
}
