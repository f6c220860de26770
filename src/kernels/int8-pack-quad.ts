import { INT8_NR } from './int8-pack.js';

/**
 * The layout of 7-bit kernels for WebAssembly's relaxed int8 dot product
 * (`i32x4.relaxed_dot_i8x16_i7x16_add_s`: 4 products of adjacent bytes per 32-bit lane): depth in
 * quads. Per 8-column panel and per depth quad q, 32 bytes: packed[(panel·kq + q)·32 + 4c + d] =
 * B[4q + d][8·panel + c] (columns 0–3 in the first 16 bytes, 4–7 in the next). kq = ⌈k/4⌉, depths
 * past k are zeros. The resident (tight) form stores the last t = n mod 8 columns unpadded, 4·t
 * bytes per quad, after the full panels; `stageQuadB` rebuilds the padded panel in scratch.
 */

/** Bytes of the tight quad form of a k×n kernel. */
export function quadTightLength(k: number, n: number): number {
  return Math.ceil(k / 4) * (32 * Math.floor(n / INT8_NR) + 4 * (n % INT8_NR));
}

/** Bytes of the padded quad form. */
export function quadPaddedLength(k: number, n: number): number {
  return Math.ceil(k / 4) * 32 * Math.ceil(n / INT8_NR);
}

/** Index of B[p][j] in the tight quad form. */
function quadIndex(p: number, j: number, k: number, n: number): number {
  const kq = Math.ceil(k / 4);
  const full = Math.floor(n / INT8_NR) * INT8_NR;
  const q = p >> 2;
  const d = p & 3;
  if (j < full) {
    const panel = j >> 3;
    const c = j & 7;
    return (panel * kq + q) * 32 + 4 * c + d;
  }
  const t = n - full;
  return full * 4 * kq + q * 4 * t + 4 * (j - full) + d;
}

/** Packs a row-major int8 B [k×n] into the tight quad form. */
export function packQuadTight(b: Int8Array, k: number, n: number): Int8Array {
  const out = new Int8Array(quadTightLength(k, n));
  for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) out[quadIndex(p, j, k, n)] = b[p * n + j];
  return out;
}

/** Inverse of `packQuadTight`: the row-major k×n matrix. */
export function unpackQuadTight(tight: Int8Array, k: number, n: number, out: Int8Array = new Int8Array(k * n)): Int8Array {
  for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) out[p * n + j] = tight[quadIndex(p, j, k, n)];
  return out;
}

/** Writes the padded quad form of a tight one into `dst` from byte `at`: full panels copied, the tail panel widened with zeros. */
export function stageQuadB(tight: Int8Array, k: number, n: number, dst: Uint8Array, at: number): void {
  const kq = Math.ceil(k / 4);
  const fullBytes = Math.floor(n / INT8_NR) * kq * 32;
  dst.set(new Uint8Array(tight.buffer, tight.byteOffset, fullBytes), at);
  const t = n % INT8_NR;
  if (t === 0) return;
  const base = at + fullBytes;
  dst.fill(0, base, base + kq * 32);
  for (let q = 0, s = fullBytes; q < kq; q++) {
    for (let c = 0; c < t; c++, s += 4) {
      // Column c sits in the first 16 bytes (c < 4) or the second (c ≥ 4), 4 bytes per column.
      const o = base + q * 32 + 4 * c;
      dst[o] = tight[s];
      dst[o + 1] = tight[s + 1];
      dst[o + 2] = tight[s + 2];
      dst[o + 3] = tight[s + 3];
    }
  }
}
