import { ShapeError, ValueError } from '../../util/errors.js';
import { gemmScratchBytes } from './gemm-module.js';
import { MR_OF } from './gemm-kernel.js';
import { planChunks } from './gemm-split.js';
import { getGemmPath, gemmPathForced } from './gemm-path.js';
import { FLAVORS, heapSpanning, wasmRuntime } from './runtime.js';
import { threadsFor } from './threads.js';

export { detectGemmPath, relaxedSimdSupported, wasmSimdSupported, type GemmPath } from './features.js';
export { getGemmPath, setGemmPath } from './gemm-path.js';
export { gemmWasmThreads, getNumThreads, setNumThreads, THREAD_MIN_WORK, warmUpThreads } from './threads.js';

/**
 * Under 'auto', a product stays on the plain-JS kernels below this many multiply-adds (m·n·k) or
 * this many outputs (m·n): there the copies and the call cost more than SIMD saves, and a handful of
 * long dot products would fill mostly padding in the 4×8 tile. Measured here: at 8×8×8 the
 * WebAssembly path is already 2× faster, at 1×1×4096 2× slower.
 */
export const WASM_MIN = Object.freeze({ work: 512, outputs: 8 });

/** True when `gemm` should run `gemmWasm` for an m×n×k product (else the plain-JS kernels), per `getGemmPath()`. */
export function useWasmGemm(m: number, n: number, k: number): boolean {
  if (getGemmPath() === 'js') return false;
  return gemmPathForced() || (m * n >= WASM_MIN.outputs && m * n * k >= WASM_MIN.work);
}

const ALIGN = 64;
const align = (bytes: number): number => Math.ceil(bytes / ALIGN) * ALIGN;
// One thread's scratch: packed A, packed B, edge tile, each cache-line aligned (offsets in bytes).
const PACK_A = 0;
const PACK_B = align(gemmScratchBytes.packA);
const TILE = PACK_B + align(gemmScratchBytes.packB);
const SCRATCH = TILE + align(gemmScratchBytes.tile);
const SIMD = FLAVORS.indexOf('simd');
const RELAXED = FLAVORS.indexOf('relaxed');

/**
 * C = op(A)·op(B), or C += op(A)·op(B) when `accumulate`. Row-major, dense. A holds m×k values (k×m
 * when transA), B holds k×n (n×k when transB), C holds m×n. Callers may pass subarray views.
 * Runs the WebAssembly SIMD kernel ('relaxed' when that path is selected, plain SIMD otherwise),
 * splitting large products across worker threads; the result is bit-identical whatever the split.
 */
export function gemmWasm(
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
  checkArguments(m, n, k, a, b, c);
  if (m === 0 || n === 0) return;
  if (k === 0) {
    // An empty sum: C = 0, or C unchanged when accumulating.
    if (!accumulate) c.fill(0, 0, m * n);
    return;
  }
  const rt = wasmRuntime();
  const flavor = getGemmPath() === 'relaxed' ? RELAXED : SIMD;
  if (!warmed[flavor]) warmUp(flavor);
  const gemm = rt.gemm[flavor]!;
  const threads = threadsFor(m, n, k);

  // Memory: one scratch area per thread, then A, B and C as the caller laid them out.
  const aAt = align(ALIGN + threads * SCRATCH);
  const bAt = align(aAt + 4 * m * k);
  const cAt = align(bAt + 4 * k * n);
  const heap = heapSpanning(rt, cAt + 4 * m * n);
  heap.set(prefix(a, m * k), aAt / 4);
  heap.set(prefix(b, k * n), bAt / 4);
  if (accumulate) heap.set(prefix(c, m * n), cAt / 4);

  // Byte strides of op(A) (row i, depth p) and op(B) (depth p, column j): packing absorbs transposes.
  const rsA = transA ? 4 : 4 * k;
  const csA = transA ? 4 * m : 4;
  const rsB = transB ? 4 : 4 * n;
  const csB = transB ? 4 * k : 4;
  const ldc = 4 * n;
  const acc = accumulate ? 1 : 0;
  if (threads === 1) {
    gemm(m, n, k, aAt, rsA, csA, bAt, rsB, csB, cAt, ldc, acc, ALIGN + PACK_A, ALIGN + PACK_B, ALIGN + TILE);
  } else {
    // Threads claim bands of C from a shared counter; scratch area t belongs to thread t.
    const args = [m, n, k, aAt, rsA, csA, bAt, rsB, csB, cAt, ldc, acc, PACK_A, PACK_B, TILE];
    const job = { flavor, plan: planChunks(m, n, threads, MR_OF[FLAVORS[flavor]!]), args, scratch0: ALIGN, scratchStride: SCRATCH };
    rt.pool.run(job, threads - 1, (chunk) => gemm(...chunk), m * n * k >= wakeMinWork);
  }
  c.set(heap.subarray(cAt / 4, cAt / 4 + m * n));
}

/**
 * Threaded products below this many multiply-adds (≈161³, ~0.2 ms on one core here) post only to workers
 * still polling after their previous job; larger ones also wake sleeping workers. Waking one took a
 * median 228 µs (p10 32 µs) with the machine loaded ~9 on 2 cores, and the woken thread can take the
 * caller's core meanwhile: for a small product that is pure loss.
 */
export const WAKE_MIN_WORK = 1 << 22;

let wakeMinWork = WAKE_MIN_WORK;

/** Overrides WAKE_MIN_WORK (tests set 0 so that every threaded product wakes its workers); null restores it. Not public. */
export function setWakeMinWork(work: number | null): void {
  wakeMinWork = work ?? WAKE_MIN_WORK;
}

const warmed = [false, false];

/**
 * Products that run a flavor's kernels hot before the first real call. V8 first runs WebAssembly in
 * its baseline compiler (Liftoff) and recompiles a function with TurboFan once it has executed enough
 * (dynamic tiering), so without this the micro-kernel, macro-kernel and packing loops tier up in the
 * middle of the process's first large product. WARM_UP.calls products of WARM_UP.size³ (transposed
 * and not, with edge tiles; under 1 ms) spend that budget first (checked with node
 * --trace-wasm-compilation-times). V8's tiering flags would do it without the calls but change every
 * WebAssembly module of the process (TF.js's too), so they are not used. bench/first-calls.ts measures it.
 */
export const WARM_UP = Object.freeze({ size: 61, calls: 4 });

function warmUp(flavor: number): void {
  warmed[flavor] = true;
  const n = WARM_UP.size;
  const a = new Float32Array(n * n).fill(0.5);
  const c = new Float32Array(n * n);
  for (let i = 0; i < WARM_UP.calls; i++) gemmWasm(n, n, n, a, i % 2 === 1, a, i % 4 > 1, c, i % 2 === 1);
}

/** The first `length` values of `x`, as a view only when `x` is longer. */
function prefix(x: Float32Array, length: number): Float32Array {
  return x.length === length ? x : x.subarray(0, length);
}

function checkArguments(m: number, n: number, k: number, a: Float32Array, b: Float32Array, c: Float32Array): void {
  checkSize('m', m);
  checkSize('n', n);
  checkSize('k', k);
  checkOperand('A', a, m, k, m, n, k);
  checkOperand('B', b, k, n, m, n, k);
  checkOperand('C', c, m, n, m, n, k);
}

function checkSize(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0) throw new ValueError(`gemmWasm: ${name} must be a non-negative integer, received ${v}`);
}

function checkOperand(name: string, x: Float32Array, rows: number, cols: number, m: number, n: number, k: number): void {
  if (!(x instanceof Float32Array)) throw new ValueError(`gemmWasm: ${name} must be a Float32Array`);
  if (x.length < rows * cols) {
    throw new ShapeError(`gemmWasm: ${name} must hold ${rows}×${cols} = ${rows * cols} values, received ${x.length} (m=${m}, n=${n}, k=${k})`);
  }
}
