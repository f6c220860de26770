import { expect } from 'vitest';
import { gemmRef } from '../../helpers/reference.js';
import { seededArray } from '../../helpers/seeded.js';

/** One product to check: sizes, transposes, accumulate. */
export interface GemmCase {
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
  accumulate: boolean;
}

/** Inputs of a case from fixed seeds: A, B and the C that an accumulating product starts from. */
export function caseInputs({ m, n, k }: GemmCase, seed = 1): { a: Float32Array; b: Float32Array; c0: Float32Array } {
  return { a: seededArray(m * k, 100 + seed), b: seededArray(k * n, 200 + seed), c0: seededArray(m * n, 300 + seed) };
}

/**
 * Asserts `c` equals op(A)·op(B) (+ C0) to float32 rounding, element by element. The bound is the
 * classic one for a recursive sum of k products, γ·(|C0| + Σ|a·b|) with γ = (k + 2)·2⁻²⁴ (each
 * product and each addition rounds once), doubled for slack: orders of magnitude below any
 * indexing mistake, whose error is the size of the terms themselves.
 */
export function expectGemmClose(c: ArrayLike<number>, g: GemmCase, a: Float32Array, b: Float32Array, c0: Float32Array): void {
  const { m, n, k, transA, transB, accumulate } = g;
  const ref = gemmRef(m, n, k, a, transA, b, transB, accumulate ? c0 : undefined);
  const abs = gemmRef(m, n, k, a.map(Math.abs), transA, b.map(Math.abs), transB, accumulate ? c0.map(Math.abs) : undefined);
  const gamma = 2 * (k + 2) * 2 ** -24;
  for (let i = 0; i < m * n; i++) {
    const err = Math.abs(c[i] - ref[i]);
    if (!(err <= gamma * abs[i] + 1e-30)) {
      expect.fail(
        `C[${Math.floor(i / n)}][${i % n}] = ${c[i]}, reference ${ref[i]} (error ${err}, bound ${gamma * abs[i]}) for ${JSON.stringify(g)}`,
      );
    }
  }
}

/** Every transpose and accumulate combination of one size. */
export function allVariants(m: number, n: number, k: number): GemmCase[] {
  const out: GemmCase[] = [];
  for (const transA of [false, true]) {
    for (const transB of [false, true]) {
      for (const accumulate of [false, true]) out.push({ m, n, k, transA, transB, accumulate });
    }
  }
  return out;
}
