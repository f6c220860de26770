/**
 * Layouts of the int8 GEMM C[m×n] (int32) = A[m×k] (int8 values) · B[k×n] (int8). Both operands are
 * packed so the inner loop reads them with unit stride in pairs of depth steps, the unit of
 * WebAssembly's `i32x4.dot_i16x8_s` (a0·b0 + a1·b1 per 32-bit lane):
 *
 *   B (weights, packed once):  panels of 8 columns; per depth pair p, 16 bytes
 *                              packedB[(panel·kp + p)·16 + 2c + d] = B[2p + d][8·panel + c]
 *   A (activations, per call): panels of 4 rows, int16; per depth pair p, 8 values
 *                              packedA[(panel·kp + p)·8 + 2r + d] = A[4·panel + r][2p + d]
 *
 * kp = ⌈k/2⌉; entries past an edge are zero, so kernels never branch on size. C is written
 * [4·⌈m/4⌉ × 8·⌈n/8⌉], row-major, and the caller reads its top-left m×n.
 */

/** Rows per A panel. */
export const INT8_MR = 4;
/** Columns per B panel. */
export const INT8_NR = 8;

/** Sizes of the packed operands of an m×n×k product. */
export interface Int8Dims {
  /** Depth pairs ⌈k/2⌉. */
  kp: number;
  /** Row panels ⌈m/4⌉ and column panels ⌈n/8⌉. */
  mPanels: number;
  nPanels: number;
}

/** Packed sizes for m×n×k. */
export function int8Dims(m: number, n: number, k: number): Int8Dims {
  return { kp: Math.ceil(k / 2), mPanels: Math.ceil(m / INT8_MR), nPanels: Math.ceil(n / INT8_NR) };
}

/** Bytes of packed B for k×n. */
export function packedBLength(k: number, n: number): number {
  return Math.ceil(n / INT8_NR) * Math.ceil(k / 2) * 16;
}

/** Packs a row-major int8 matrix B [k×n] (the kernel of a layer) into panels. */
export function packInt8B(b: Int8Array, k: number, n: number, out: Int8Array = new Int8Array(packedBLength(k, n))): Int8Array {
  const kp = Math.ceil(k / 2);
  out.fill(0);
  for (let p = 0; p < k; p++) {
    const pair = p >> 1;
    const d = p & 1;
    for (let j = 0; j < n; j++) {
      const panel = (j / INT8_NR) | 0;
      out[(panel * kp + pair) * 16 + 2 * (j - panel * INT8_NR) + d] = b[p * n + j];
    }
  }
  return out;
}

/** Inverse of `packInt8B`: the row-major k×n matrix. */
export function unpackInt8B(packed: Int8Array, k: number, n: number, out: Int8Array = new Int8Array(k * n)): Int8Array {
  const kp = Math.ceil(k / 2);
  for (let p = 0; p < k; p++) {
    const pair = p >> 1;
    const d = p & 1;
    for (let j = 0; j < n; j++) {
      const panel = (j / INT8_NR) | 0;
      out[p * n + j] = packed[(panel * kp + pair) * 16 + 2 * (j - panel * INT8_NR) + d];
    }
  }
  return out;
}

/** Int16 values of packed A for m×k. */
export function packedALength(m: number, k: number): number {
  return Math.ceil(m / INT8_MR) * Math.ceil(k / 2) * 8;
}

/** 1.5·2^52: adding and subtracting it rounds a double of magnitude below 2^51 to an integer, halves to even. */
const ROUNDER = 6755399441055744;

/** Round half to even (as TF's and Keras's `round`, and WebAssembly's `f32x4.nearest`). */
export function roundHalfEven(v: number): number {
  return v + ROUNDER - ROUNDER;
}

/**
 * Quantizes the float rows of A [m×k] into packed A: q = round(clip(a·s, −127, 127)) with the scale
 * `scales[i]` of row i (Keras's AbsMaxQuantizer convention: s = 127 / max|a|, a ≈ q / s). The
 * product is rounded to float32 first (Math.fround), as the WebAssembly path's f32x4.mul rounds it,
 * so both paths quantize to the same integers. `out` (int16) must hold `packedALength(m, k)` values
 * from `outOffset`; padding is written as zeros. `limit` 63 gives 7-bit levels (`activationBits: 7`).
 */
export function quantizePackA(a: Float32Array, m: number, k: number, scales: Float32Array, out: Int16Array, outOffset = 0, limit = 127): void {
  const kp = Math.ceil(k / 2);
  const mPanels = Math.ceil(m / INT8_MR);
  out.fill(0, outOffset, outOffset + mPanels * kp * 8);
  for (let i = 0; i < m; i++) {
    const s = scales[i];
    const base = outOffset + (i >> 2) * kp * 8 + 2 * (i & 3);
    const row = i * k;
    for (let p = 0; p < k; p++) {
      let v = Math.fround(a[row + p] * s);
      v = v > limit ? limit : v < -limit ? -limit : v;
      out[base + (p >> 1) * 8 + (p & 1)] = v + ROUNDER - ROUNDER;
    }
  }
}

/** Keras's AbsMaxQuantizer scale for a row whose largest magnitude is `max`: top / (max + 1e-7), top 127 (8-bit levels) or 63 (7-bit). */
export function scaleFromMax(max: number, top = 127): number {
  return top / (max + 1e-7);
}

/** The largest level of `bits`-bit symmetric quantization: 127 for 8 bits, 63 for 7. */
export function levelsOf(bits: 7 | 8): number {
  return bits === 7 ? 63 : 127;
}

/** Scales 127 / (max|row| + 1e-7) of each row of A [m×k] (Keras's AbsMaxQuantizer on axis −1). */
export function absMaxRowScales(a: Float32Array, m: number, k: number, out: Float32Array, top = 127): void {
  for (let i = 0; i < m; i++) {
    let max = 0;
    const row = i * k;
    for (let p = 0; p < k; p++) {
      const v = Math.abs(a[row + p]);
      if (v > max) max = v;
    }
    out[i] = scaleFromMax(max, top);
  }
}

let inverse = new Float32Array(0);

/**
 * y[i, j] = acc[i, j] / (sx[i]·sw[j]) + bias[j]: the int32 products back to floats. Computed as the
 * WebAssembly path does, in float32: float(acc)·(1/sx[i] · 1/sw[j]) + bias[j], each reciprocal,
 * product and sum rounded to float32 (Math.fround), so both paths give the same bits. (Keras divides
 * by the product of the scales; this differs by a float32 rounding or two.) `acc` has row stride `ldc`.
 */
export function dequantizeRows(acc: Int32Array, accOffset: number, ldc: number, m: number, n: number, sx: Float32Array, sw: Float32Array, bias: Float32Array | null, y: Float32Array): void {
  const f = Math.fround;
  if (inverse.length < n) inverse = new Float32Array(n);
  const inv = inverse;
  for (let j = 0; j < n; j++) inv[j] = 1 / sw[j];
  for (let i = 0; i < m; i++) {
    const r = f(1 / sx[i]);
    const row = accOffset + i * ldc;
    const o = i * n;
    for (let j = 0; j < n; j++) y[o + j] = f(f(acc[row + j]) * f(r * inv[j])) + (bias === null ? 0 : bias[j]);
  }
}

/**
 * The resident (tight) form of packed B: the full 8-column panels exactly as `packInt8B`, then the
 * last t = n mod 8 columns without padding, 2·t bytes per depth pair (tail[p·2t + 2c + d] =
 * B[2p + d][n − t + c]). A 2-unit layer then keeps 2 bytes per weight pair, not 16; the padded
 * panel is rebuilt only in scratch (`stagePackedB`) when a kernel runs. For n a multiple of 8 the
 * tight form is the padded form.
 */
export function tightBLength(k: number, n: number): number {
  return Math.ceil(k / 2) * (16 * Math.floor(n / INT8_NR) + 2 * (n % INT8_NR));
}

/** Packs a row-major int8 B [k×n] into the tight form (`tightBLength`). */
export function packInt8BTight(b: Int8Array, k: number, n: number): Int8Array {
  const full = Math.floor(n / INT8_NR) * INT8_NR;
  const t = n - full;
  const kp = Math.ceil(k / 2);
  const out = new Int8Array(tightBLength(k, n));
  for (let p = 0; p < k; p++) {
    const pair = p >> 1;
    const d = p & 1;
    for (let j = 0; j < full; j++) {
      const panel = j >> 3;
      out[(panel * kp + pair) * 16 + 2 * (j & 7) + d] = b[p * n + j];
    }
    for (let c = 0; c < t; c++) out[full * 2 * kp + pair * 2 * t + 2 * c + d] = b[p * n + full + c];
  }
  return out;
}

/** Inverse of `packInt8BTight`: the row-major k×n matrix. */
export function unpackInt8BTight(tight: Int8Array, k: number, n: number, out: Int8Array = new Int8Array(k * n)): Int8Array {
  const full = Math.floor(n / INT8_NR) * INT8_NR;
  const t = n - full;
  const kp = Math.ceil(k / 2);
  for (let p = 0; p < k; p++) {
    const pair = p >> 1;
    const d = p & 1;
    for (let j = 0; j < full; j++) out[p * n + j] = tight[((j >> 3) * kp + pair) * 16 + 2 * (j & 7) + d];
    for (let c = 0; c < t; c++) out[p * n + full + c] = tight[full * 2 * kp + pair * 2 * t + 2 * c + d];
  }
  return out;
}

/**
 * Writes the padded packed B (`packInt8B`'s layout, `packedBLength(k, n)` bytes) of a tight B into
 * `dst` from byte `at`: the full panels in one copy, the tail panel widened with zero columns.
 */
export function stagePackedB(tight: Int8Array, k: number, n: number, dst: Int8Array | Uint8Array, at: number): void {
  const kp = Math.ceil(k / 2);
  const fullBytes = Math.floor(n / INT8_NR) * kp * 16;
  const src = new Uint8Array(tight.buffer, tight.byteOffset, fullBytes);
  dst.set(src, at);
  const t = n % INT8_NR;
  if (t === 0) return;
  const base = at + fullBytes;
  dst.fill(0, base, base + kp * 16);
  for (let p = 0, s = fullBytes; p < kp; p++) {
    for (let c = 0; c < 2 * t; c++, s++) dst[base + p * 16 + c] = tight[s];
  }
}

let padded = new Int8Array(0);

/** The padded packed B of a tight B: `tight` itself when n is a multiple of 8, else a scratch copy (valid until the next call). */
export function paddedB(tight: Int8Array, k: number, n: number): Int8Array {
  if (n % INT8_NR === 0) return tight;
  const length = packedBLength(k, n);
  if (padded.length < length) padded = new Int8Array(length);
  stagePackedB(tight, k, n, padded, 0);
  return padded;
}
