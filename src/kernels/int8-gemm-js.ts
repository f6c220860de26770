import { int8Dims, INT8_MR, INT8_NR } from './int8-pack.js';

/**
 * The plain-JS int8 GEMM on packed operands (layouts in int8-pack.ts): C (int32, row stride
 * 8·nPanels) = A·B, exact. Each 4×8 tile keeps its 32 sums in locals; products of int8 values and
 * their sums stay far below 2^53, so the doubles hold them exactly and `| 0` stores the int32.
 */
export function int8GemmJs(m: number, n: number, k: number, packedA: Int16Array, packedB: Int8Array, c: Int32Array): void {
  const { kp, mPanels, nPanels } = int8Dims(m, n, k);
  const ldc = nPanels * INT8_NR;
  const acc = new Float64Array(INT8_MR * INT8_NR);
  for (let jp = 0; jp < nPanels; jp++) {
    const pb0 = jp * kp * 16;
    for (let ip = 0; ip < mPanels; ip++) {
      const pa0 = ip * kp * 8;
      acc.fill(0);
      for (let p = 0; p < kp; p++) {
        const pa = pa0 + p * 8;
        const pb = pb0 + p * 16;
        for (let r = 0; r < INT8_MR; r++) {
          const a0 = packedA[pa + 2 * r];
          const a1 = packedA[pa + 2 * r + 1];
          if (a0 === 0 && a1 === 0) continue;
          const o = r * INT8_NR;
          for (let c8 = 0; c8 < INT8_NR; c8++) acc[o + c8] += a0 * packedB[pb + 2 * c8] + a1 * packedB[pb + 2 * c8 + 1];
        }
      }
      for (let r = 0; r < INT8_MR; r++) {
        const row = (ip * INT8_MR + r) * ldc + jp * INT8_NR;
        for (let c8 = 0; c8 < INT8_NR; c8++) c[row + c8] = acc[r * INT8_NR + c8] | 0;
      }
    }
  }
}
