import { expect } from 'vitest';

type Numeric = ArrayLike<number> | number;

function flat(v: Numeric | { data: Float32Array }): number[] {
  if (typeof v === 'number') return [v];
  if (v && typeof v === 'object' && 'data' in v && v.data instanceof Float32Array) return Array.from(v.data);
  return Array.from(v as ArrayLike<number>);
}

/**
 * Asserts |actual − expected| <= atol + rtol·|expected| elementwise, reporting the worst index.
 * Accepts numbers, arrays, typed arrays or tensors (anything with a Float32Array `data`).
 */
export function expectClose(
  actual: Numeric | { data: Float32Array },
  expected: Numeric | { data: Float32Array },
  { rtol = 1e-5, atol = 1e-6 }: { rtol?: number; atol?: number } = {},
): void {
  const a = flat(actual);
  const e = flat(expected);
  expect(a.length, 'length').toBe(e.length);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < a.length; i++) {
    const tol = atol + rtol * Math.abs(e[i]);
    const err = Math.abs(a[i] - e[i]);
    const bothNaN = Number.isNaN(a[i]) && Number.isNaN(e[i]);
    const sameInf = a[i] === e[i];
    if (bothNaN || sameInf) continue;
    if (!(err <= tol) && (worst < 0 || err - tol > worstExcess)) {
      worst = i;
      worstExcess = err - tol;
    }
  }
  if (worst >= 0) {
    expect.fail(`values differ at index ${worst}: actual ${a[worst]}, expected ${e[worst]} (rtol ${rtol}, atol ${atol})`);
  }
}
