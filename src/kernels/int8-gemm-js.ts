import { int8Dims, INT8_MR, INT8_NR } from './int8-pack.js';

/**
 * The plain-JS int8 GEMM on packed operands (layouts in int8-pack.ts): C (int32, row stride
 * 8·nPanels) = A·B, exact. For each row of a 4-row panel and each 8-column panel, eight sums live
 * in locals over the whole depth; products of int8 values and their sums stay far below 2^53, so the
 * double arithmetic is exact integer arithmetic, stored as int32.
 */
export function int8GemmJs(m: number, n: number, k: number, packedA: Int16Array, packedB: Int8Array, c: Int32Array): void {
  const { kp, mPanels, nPanels } = int8Dims(m, n, k);
  const ldc = nPanels * INT8_NR;
  for (let jp = 0; jp < nPanels; jp++) {
    const pb0 = jp * kp * 16;
    for (let ip = 0; ip < mPanels; ip++) {
      for (let r = 0; r < INT8_MR; r++) {
        rowTile(packedA, ip * kp * 8 + 2 * r, packedB, pb0, kp, c, (ip * INT8_MR + r) * ldc + jp * INT8_NR);
      }
    }
  }
}

/** One row × 8 columns over all depth pairs: A pairs 8 int16 apart, B pairs 16 bytes apart. */
function rowTile(a: Int16Array, pa: number, b: Int8Array, pb: number, kp: number, c: Int32Array, at: number): void {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
  for (let p = 0; p < kp; p++, pa += 8, pb += 16) {
    const a0 = a[pa];
    const a1 = a[pa + 1];
    s0 += a0 * b[pb] + a1 * b[pb + 1];
    s1 += a0 * b[pb + 2] + a1 * b[pb + 3];
    s2 += a0 * b[pb + 4] + a1 * b[pb + 5];
    s3 += a0 * b[pb + 6] + a1 * b[pb + 7];
    s4 += a0 * b[pb + 8] + a1 * b[pb + 9];
    s5 += a0 * b[pb + 10] + a1 * b[pb + 11];
    s6 += a0 * b[pb + 12] + a1 * b[pb + 13];
    s7 += a0 * b[pb + 14] + a1 * b[pb + 15];
  }
  c[at] = s0;
  c[at + 1] = s1;
  c[at + 2] = s2;
  c[at + 3] = s3;
  c[at + 4] = s4;
  c[at + 5] = s5;
  c[at + 6] = s6;
  c[at + 7] = s7;
}
