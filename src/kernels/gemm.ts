import { gemmJs, gemmSmall } from './gemm-js.js';
import { gemmWasm, useWasmGemm } from './wasm/gemm-wasm.js';

/**
 * Below this many multiply-adds, or for a single row of A or column of B, packing panels costs
 * more than it saves (measured here: a 1×256×256 product runs ~3× faster unpacked).
 */
const SMALL_WORK = 512;

/**
 * C = op(A)·op(B), or C += op(A)·op(B) when `accumulate`. Row-major, dense.
 * A holds m×k values (k×m when transA), B holds k×n (n×k when transB), C holds m×n.
 * Callers pass subarray views for batches. Runs the WebAssembly SIMD kernels (threaded when large) where
 * the runtime has them and the product is big enough to pay for the copies, else the plain-JS kernels;
 * `setGemmPath` forces one path.
 */
export function gemm(
  m: number,
  n: number,
  k: number,
  a: Float32Array,
  transA: boolean,
  b: Float32Array,
  transB: boolean,
  c: Float32Array,
  accumulate = false,
): void {
  if (useWasmGemm(m, n, k)) gemmWasm(m, n, k, a, transA, b, transB, c, accumulate);
  else if (m < 4 || n === 1 || m * n * k <= SMALL_WORK) gemmSmall(m, n, k, a, transA, b, transB, c, accumulate);
  else gemmJs(m, n, k, a, transA, b, transB, c, accumulate);
}
