import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  detectGemmPath,
  gemmWasm,
  getGemmPath,
  getNumThreads,
  relaxedSimdSupported,
  setGemmPath,
  setNumThreads,
  useWasmGemm,
  WASM_MIN,
  wasmSimdSupported,
} from '../../../src/kernels/wasm/gemm-wasm.js';
import { gemmBytes } from '../../../src/kernels/wasm/features.js';
import { WASM_GEMM_BLOCKS, blockRows } from '../../../src/kernels/wasm/gemm-module.js';
import { MR_OF } from '../../../src/kernels/wasm/gemm-kernel.js';
import { wasmApi } from '../../../src/kernels/wasm/wasm-api.js';
import { ShapeError, ValueError } from '../../../src/util/errors.js';
import { allVariants, caseInputs, expectGemmClose, type GemmCase } from './gemm-check.js';

const { kc, nc } = WASM_GEMM_BLOCKS;
// The A block's rows differ per flavor (tiles of 4 and 5 rows): straddle both.
const [mc, mcRelaxed] = [blockRows(MR_OF.simd), blockRows(MR_OF.relaxed)];

// Sizes sampled from 1..70 (primes, multiples of the 4×8 and 5×8 tiles and one off), tall and skinny shapes,
// k = 1 and k = 0, and sizes that straddle every cache block (kc, mc, nc).
const SIZES: [number, number, number][] = [
  [1, 1, 1], [1, 70, 3], [70, 1, 5], [2, 3, 4], [4, 8, 16], [5, 9, 17], [3, 7, 2],
  [13, 17, 19], [31, 37, 41], [64, 64, 64], [65, 33, 7], [8, 63, 29], [47, 53, 59], [69, 70, 67],
  [3, 67, 1], [67, 2, 1], [6, 5, 0],
  [2 * mc + 3, 3, 5], [3, 9, 2 * kc + 7], [mc + 1, 10, kc + 1], [5, nc + 13, 3],
  [2 * mcRelaxed + 3, 3, 5], [mcRelaxed + 1, 10, kc + 1], [10, 16, 9], [11, 17, 3], [15, 8, 21],
];

// This suite checks one thread; tests/kernels/wasm/threads.test.ts checks the split.
const initialThreads = getNumThreads();
beforeAll(() => setNumThreads(1));
afterAll(() => setNumThreads(initialThreads));
afterEach(() => setGemmPath('auto'));

function run(g: GemmCase): void {
  const { a, b, c0 } = caseInputs(g, g.m + 3 * g.n + 7 * g.k);
  const c = Float32Array.from(c0);
  gemmWasm(g.m, g.n, g.k, a, g.transA, b, g.transB, c, g.accumulate);
  expectGemmClose(c, g, a, b, c0);
}

describe.skipIf(!wasmSimdSupported())('gemmWasm, plain SIMD (f32x4.mul + f32x4.add)', () => {
  it.each(SIZES)('m=%i n=%i k=%i, all transposes, with and without accumulate', (m, n, k) => {
    setGemmPath('simd');
    for (const g of allVariants(m, n, k)) run(g);
  });

  it('reads only its operands and writes only C[0, m·n), through subarray views', () => {
    setGemmPath('simd');
    const [m, n, k] = [7, 11, 5];
    const g: GemmCase = { m, n, k, transA: true, transB: false, accumulate: true };
    const { a, b, c0 } = caseInputs(g);
    const aBuf = new Float32Array(m * k + 10).fill(NaN);
    aBuf.set(a, 3);
    const bBuf = new Float32Array(k * n + 10).fill(NaN);
    bBuf.set(b, 6);
    const cBuf = new Float32Array(m * n + 9).fill(-5);
    cBuf.set(c0, 4);
    gemmWasm(m, n, k, aBuf.subarray(3), true, bBuf.subarray(6), false, cBuf.subarray(4), true);
    expectGemmClose(cBuf.subarray(4, 4 + m * n), g, a, b, c0);
    expect(Array.from(cBuf.subarray(0, 4))).toEqual([-5, -5, -5, -5]);
    expect(Array.from(cBuf.subarray(4 + m * n))).toEqual(Array(5).fill(-5));
    expect(Array.from(aBuf.subarray(3, 3 + m * k))).toEqual(Array.from(a));
  });

  it('k = 0 writes zeros, or leaves C as it was when accumulating; m or n = 0 does nothing', () => {
    const c = new Float32Array([1, 2, 3, 4, 5, 6]);
    gemmWasm(2, 3, 0, new Float32Array(0), false, new Float32Array(0), false, c, true);
    expect(Array.from(c)).toEqual([1, 2, 3, 4, 5, 6]);
    gemmWasm(2, 3, 0, new Float32Array(0), false, new Float32Array(0), false, c);
    expect(Array.from(c)).toEqual([0, 0, 0, 0, 0, 0]);
    c.fill(9);
    gemmWasm(0, 3, 4, new Float32Array(0), false, new Float32Array(12), false, c);
    expect(c.every((v) => v === 9)).toBe(true);
  });

  it('hand-checked 2×2: [[1,2],[3,4]]·[[5,6],[7,8]] = [[19,22],[43,50]]', () => {
    const c = new Float32Array(4);
    gemmWasm(2, 2, 2, new Float32Array([1, 2, 3, 4]), false, new Float32Array([5, 6, 7, 8]), false, c);
    expect(Array.from(c)).toEqual([19, 22, 43, 50]);
    // Aᵀ·Bᵀ with the same buffers: [[1,3],[2,4]]·[[5,7],[6,8]] = [[23,31],[34,46]].
    gemmWasm(2, 2, 2, new Float32Array([1, 2, 3, 4]), true, new Float32Array([5, 6, 7, 8]), true, c);
    expect(Array.from(c)).toEqual([23, 31, 34, 46]);
  });

  it('propagates NaN and Infinity like the sums it computes', () => {
    const c = new Float32Array(4);
    gemmWasm(2, 2, 1, new Float32Array([NaN, 1]), false, new Float32Array([Infinity, 2]), false, c);
    expect(Number.isNaN(c[0]) && Number.isNaN(c[1])).toBe(true);
    expect([c[2], c[3]]).toEqual([Infinity, 2]);
  });

  it('names the argument and the sizes when an operand is too short or a size is invalid', () => {
    const z = new Float32Array(12);
    expect(() => gemmWasm(3, 4, 2, new Float32Array(5), false, z, false, z)).toThrow(ShapeError);
    expect(() => gemmWasm(3, 4, 2, new Float32Array(5), false, z, false, z)).toThrow(/A must hold 3×2 = 6 values, received 5/);
    expect(() => gemmWasm(3, 4, 2, z, false, z, false, new Float32Array(11))).toThrow(/C must hold 3×4 = 12 values, received 11/);
    expect(() => gemmWasm(-1, 4, 2, z, false, z, false, z)).toThrow(ValueError);
    expect(() => gemmWasm(2.5, 4, 2, z, false, z, false, z)).toThrow(/m must be a non-negative integer, received 2.5/);
  });
});

// The relaxed path's 5×8 tile and its 125-row A blocks (tests/kernels/wasm/relaxed.test.ts runs it on Node 20).
describe.skipIf(!relaxedSimdSupported())('gemmWasm, relaxed SIMD (5×8 tile)', () => {
  it.each(SIZES)('m=%i n=%i k=%i, all transposes, with and without accumulate', (m, n, k) => {
    setGemmPath('relaxed');
    for (const g of allVariants(m, n, k)) run(g);
  });
});

describe('path selection', () => {
  it('detects paths by validating the modules: no SIMD → js, SIMD without relaxed → simd', () => {
    const relaxedOnly = gemmBytes('relaxed');
    expect(detectGemmPath(() => false)).toBe('js');
    expect(detectGemmPath((bytes) => bytes !== relaxedOnly)).toBe('simd');
    expect(detectGemmPath(() => true)).toBe('relaxed');
  });

  it('the emitted modules validate on this runtime (relaxed only where relaxed SIMD exists)', () => {
    expect(wasmApi!.validate(gemmBytes('simd'))).toBe(true);
    expect(wasmApi!.validate(gemmBytes('relaxed'))).toBe(relaxedSimdSupported());
    expect(wasmSimdSupported()).toBe(true);
  });

  it("'auto' picks the best path and keeps small products on plain JS", () => {
    setGemmPath('auto');
    expect(getGemmPath()).toBe(relaxedSimdSupported() ? 'relaxed' : 'simd');
    expect(useWasmGemm(2, 2, 2)).toBe(false);
    expect(useWasmGemm(1, 1, 4096)).toBe(false); // one dot product: m·n below WASM_MIN.outputs
    expect(useWasmGemm(WASM_MIN.outputs, 1, WASM_MIN.work / WASM_MIN.outputs)).toBe(true);
    expect(useWasmGemm(WASM_MIN.outputs, 1, WASM_MIN.work / WASM_MIN.outputs - 1)).toBe(false);
  });

  it('forcing a path applies to every size; forcing js disables WebAssembly', () => {
    setGemmPath('simd');
    expect(getGemmPath()).toBe('simd');
    expect(useWasmGemm(1, 1, 1)).toBe(true);
    setGemmPath('js');
    expect(getGemmPath()).toBe('js');
    expect(useWasmGemm(512, 512, 512)).toBe(false);
  });

  it('refuses unknown paths, and relaxed where the runtime lacks it', () => {
    expect(() => setGemmPath('fast' as never)).toThrow(ValueError);
    expect(() => setGemmPath('fast' as never)).toThrow(/expected one of 'auto', 'js', 'simd', 'relaxed', received "fast"/);
    if (!relaxedSimdSupported()) expect(() => setGemmPath('relaxed')).toThrow(/--experimental-wasm-relaxed-simd/);
    expect(getGemmPath()).not.toBe('fast');
  });
});
