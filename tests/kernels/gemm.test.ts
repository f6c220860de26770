import { describe, expect, it } from 'vitest';
import { gemm } from '../../src/kernels/gemm.js';
import { GEMM_BLOCKS, gemmJs, gemmSmall } from '../../src/kernels/gemm-js.js';
import { expectClose } from '../helpers/close.js';
import { gemmRef } from '../helpers/reference.js';
import { seededArray } from '../helpers/seeded.js';

type Gemm = typeof gemm;
const IMPLS: [string, Gemm][] = [['gemm', gemm], ['gemmJs', gemmJs], ['gemmSmall', gemmSmall]];
const TRANSPOSES: [boolean, boolean][] = [[false, false], [true, false], [false, true], [true, true]];

let seed = 1;

/** Runs `f` on fresh seeded operands and compares with the float64 reference; `accumulate` seeds C. */
function check(f: Gemm, m: number, n: number, k: number, transA: boolean, transB: boolean, accumulate: boolean): void {
  const a = seededArray(m * k, seed++);
  const b = seededArray(k * n, seed++);
  const c0 = seededArray(m * n, seed++);
  const c = accumulate ? Float32Array.from(c0) : new Float32Array(m * n).fill(NaN);
  f(m, n, k, a, transA, b, transB, c, accumulate);
  const expected = gemmRef(m, n, k, a, transA, b, transB, accumulate ? c0 : undefined);
  try {
    expectClose(c, expected, { rtol: 1e-5, atol: 1e-5 });
  } catch (e) {
    throw new Error(`m=${m} n=${n} k=${k} transA=${transA} transB=${transB} accumulate=${accumulate}: ${(e as Error).message}`);
  }
}

// Sizes around every residue mod 4 (the register tile) and the row block (mc = 64).
const EDGES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 63, 64, 65, 70];

describe('gemm', () => {
  it('the blocks the sweep straddles are the ones the kernel uses', () => {
    expect(GEMM_BLOCKS.mc).toBe(64);
    expect(GEMM_BLOCKS.kc).toBe(256);
    expect(GEMM_BLOCKS.nc).toBe(256);
  });

  for (const [name, f] of IMPLS) {
    it(`${name}: every m, n, k of 1..70 and all edge residues, all four transposes, with and without accumulate`, () => {
      let v = 0;
      // Each size of 1..70 appears in each role; partners cycle through unrelated residues.
      for (let i = 1; i <= 70; i++) {
        const j = ((i * 37) % 70) + 1;
        const l = ((i * 53) % 70) + 1;
        for (const [m, n, k] of [[i, j, l], [l, i, j], [j, l, i]]) {
          const [ta, tb] = TRANSPOSES[v % 4];
          check(f, m, n, k, ta, tb, v % 3 === 0);
          v++;
        }
      }
      // The cross product of the edge sizes, transposes rotating.
      for (const m of EDGES) for (const n of EDGES) for (const k of EDGES) {
        if ((m * 7 + n * 3 + k) % 3 !== 0 && m > 9 && n > 9) continue; // thin the large corner
        const [ta, tb] = TRANSPOSES[v % 4];
        check(f, m, n, k, ta, tb, v % 2 === 0);
        v++;
      }
    });

    it(`${name}: k = 0 gives zeros (or leaves C when accumulating); empty m or n touch nothing`, () => {
      const c = new Float32Array(6).fill(NaN);
      f(2, 3, 0, new Float32Array(0), false, new Float32Array(0), false, c);
      expect(Array.from(c)).toEqual([0, 0, 0, 0, 0, 0]);
      const kept = Float32Array.from([1, 2, 3, 4, 5, 6]);
      f(2, 3, 0, new Float32Array(0), true, new Float32Array(0), true, kept, true);
      expect(Array.from(kept)).toEqual([1, 2, 3, 4, 5, 6]);
      const untouched = new Float32Array([7]);
      f(0, 1, 5, new Float32Array(0), false, seededArray(5, 1), false, untouched.subarray(0, 0));
      f(1, 0, 5, seededArray(5, 1), false, new Float32Array(0), false, untouched.subarray(0, 0));
      expect(untouched[0]).toBe(7);
    });
  }

  it('hand-derived 2×2 products in all four layouts', () => {
    const a = new Float32Array([1, 2, 3, 4]); // [[1, 2], [3, 4]]
    const b = new Float32Array([5, 6, 7, 8]); // [[5, 6], [7, 8]]
    const c = new Float32Array(4);
    for (const [name, f] of IMPLS) {
      f(2, 2, 2, a, false, b, false, c);
      expect(Array.from(c), name).toEqual([19, 22, 43, 50]);
      f(2, 2, 2, a, true, b, false, c); // Aᵀ·B
      expect(Array.from(c), name).toEqual([26, 30, 38, 44]);
      f(2, 2, 2, a, false, b, true, c); // A·Bᵀ
      expect(Array.from(c), name).toEqual([17, 23, 39, 53]);
      f(2, 2, 2, a, true, b, true, c); // Aᵀ·Bᵀ
      expect(Array.from(c), name).toEqual([23, 31, 34, 46]);
    }
  });

  it('large sizes straddle every cache block (kc, mc, nc) in every layout', () => {
    const sizes: [number, number, number][] = [
      [257, 130, 511],
      [65, 257, 258],
      [130, 513, 65],
    ];
    sizes.forEach(([m, n, k], i) => TRANSPOSES.forEach(([ta, tb], t) => check(gemmJs, m, n, k, ta, tb, (i + t) % 2 === 1)));
    check(gemm, 257, 130, 511, false, false, false);
  });

  it('tall and skinny shapes, through the dispatcher and both implementations', () => {
    const shapes: [number, number, number][] = [
      [1000, 3, 5], [3, 1000, 7], [600, 1, 64], [1, 600, 64], [1, 1, 3000], [700, 2, 1], [5, 9, 1],
    ];
    for (const [, f] of IMPLS) shapes.forEach(([m, n, k], i) => check(f, m, n, k, i % 2 === 1, i % 3 === 0, i % 2 === 0));
  });

  it('writes only its m×n view of a larger buffer (callers pass subarrays for batches)', () => {
    const buffer = new Float32Array(40).fill(9);
    const a = seededArray(15, 3);
    const b = seededArray(20, 4);
    gemm(3, 4, 5, a, false, b, false, buffer.subarray(10, 22));
    expectClose(buffer.subarray(10, 22), gemmRef(3, 4, 5, a, false, b, false), { rtol: 1e-5, atol: 1e-6 });
    expect(Array.from(buffer.subarray(0, 10)).every((v) => v === 9)).toBe(true);
    expect(Array.from(buffer.subarray(22)).every((v) => v === 9)).toBe(true);
  });
});
