import { int8GemmJs } from './int8-gemm-js.js';
import { int8Dims, INT8_MR, INT8_NR, packedALength } from './int8-pack.js';
import { getGemmPath } from './wasm/gemm-path.js';
import { int8GemmWasm, int8WasmSupported } from './wasm/int8-wasm.js';

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
