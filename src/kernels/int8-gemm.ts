import { int8GemmJs } from './int8-gemm-js.js';
import { absMaxRowScales, dequantizeRows, int8Dims, INT8_MR, INT8_NR, packedALength, packedBLength, paddedB, quantizePackA } from './int8-pack.js';
import { getGemmPath } from './wasm/gemm-path.js';
import { B_RESIDENT_BYTES, int8GemmWasm, int8MatmulWasm, int8WasmSupported } from './wasm/int8-wasm.js';
import { int8MatmulFusedWasm } from './wasm/int8-dense-wasm.js';

export { int8WasmSupported } from './wasm/int8-wasm.js';

/** Which int8 kernel `int8Gemm` runs now: 'js' when the GEMM path is forced to 'js' or SIMD is missing, else 'simd'. */
export function int8GemmPath(): 'js' | 'simd' {
  return getGemmPath() !== 'js' && int8WasmSupported() ? 'simd' : 'js';
}

/**
 * C (int32) = A·B on packed int8 operands (int8-pack.ts), on the path `int8GemmPath()` names.
 * `c` must hold 4·⌈m/4⌉ × 8·⌈n/8⌉ values.
 */
export function int8Gemm(m: number, n: number, k: number, packedA: Int16Array, packedB: Int8Array, c: Int32Array): void {
  if (int8GemmPath() === 'simd') int8GemmWasm(m, n, k, packedA, packedB, c);
  else int8GemmJs(m, n, k, packedA, packedB, c);
}

/** Scratch for one int8 product: packed A and the padded int32 C. */
export function int8Scratch(m: number, n: number, k: number): { packedA: Int16Array; c: Int32Array; ldc: number } {
  const { mPanels, nPanels } = int8Dims(m, n, k);
  return { packedA: new Int16Array(packedALength(m, k)), c: new Int32Array(mPanels * INT8_MR * nPanels * INT8_NR), ldc: nPanels * INT8_NR };
}

let scratch: { packedA: Int16Array; c: Int32Array; scales: Float32Array } = { packedA: new Int16Array(0), c: new Int32Array(0), scales: new Float32Array(0) };

/**
 * The plain-JS twin of `int8MatmulWasm` (same quantization, same integers, same dequantization); `packedB`
 * tight (`packInt8BTight`); `limit` 63 quantizes x to 7-bit levels (scale 63 / max). `gemm` swaps the
 * integer product (the SIMD GEMM, for 7-bit levels on large kernels).
 */
export function int8MatmulJs(
  x: Float32Array, m: number, k: number, rowScales: Float32Array | null,
  packedB: Int8Array, n: number, sw: Float32Array, bias: Float32Array | null, y: Float32Array, limit = 127,
  gemm: typeof int8GemmJs | null = null,
): void {
  const { mPanels, nPanels } = int8Dims(m, n, k);
  const aLength = packedALength(m, k);
  const cLength = mPanels * INT8_MR * nPanels * INT8_NR;
  if (scratch.packedA.length < aLength) scratch.packedA = new Int16Array(aLength);
  if (scratch.c.length < cLength) scratch.c = new Int32Array(cLength);
  if (scratch.scales.length < m) scratch.scales = new Float32Array(m);
  const scales = rowScales ?? scratch.scales;
  if (rowScales === null) absMaxRowScales(x, m, k, scales, limit);
  quantizePackA(x, m, k, scales, scratch.packedA, 0, limit);
  (gemm ?? int8GemmJs)(m, n, k, scratch.packedA, paddedB(packedB, k, n), scratch.c);
  dequantizeRows(scratch.c, 0, nPanels * INT8_NR, m, n, scales, sw, bias, y);
}

/**
 * y [m×n] = x·W + bias through int8: x quantized per row (its abs-max scale, or `rowScales`), W the
 * int8 kernel in tight packed form (`packInt8BTight`) with channel scales `sw`, int32 accumulation, on the path `int8GemmPath()` names.
 */
export function int8Matmul(
  x: Float32Array, m: number, k: number, rowScales: Float32Array | null,
  packedB: Int8Array, n: number, sw: Float32Array, bias: Float32Array | null, y: Float32Array, path = int8GemmPath(), limit = 127,
): void {
  // B in cache (and rows to multiply): two fused wasm calls; else packed A and the cache-blocked GEMM.
  if (path === 'simd') {
    if (m > 0 && k > 0 && packedBLength(k, n) <= B_RESIDENT_BYTES) int8MatmulFusedWasm(x, m, k, rowScales, packedB, n, sw, bias, y, limit);
    else if (limit === 127) int8MatmulWasm(x, m, k, rowScales, packedB, n, sw, bias, y);
    // 7-bit levels on a large kernel: quantized in JS, multiplied by the SIMD GEMM.
    else int8MatmulJs(x, m, k, rowScales, packedB, n, sw, bias, y, limit, k > 0 ? int8GemmWasm : null);
  } else int8MatmulJs(x, m, k, rowScales, packedB, n, sw, bias, y, limit);
}
