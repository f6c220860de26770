import { availableParallelism } from 'node:os';
import { ValueError } from '../../util/errors.js';
import { wasmSimdSupported } from './features.js';
import { MR_OF, NR } from './gemm-kernel.js';
import { wasmRuntime } from './runtime.js';

/**
 * Below this many multiply-adds (m·n·k) a GEMM runs on one thread: waking a worker costs more than
 * half the product saves. Measured with bench/thread-threshold.ts (one thread vs all, alternating, per
 * size n³), on a quiet 2-core machine: break-even near 64³, 1.5× at 80³ (the threshold), 1.8× from 112³.
 * With the machine loaded ~9 on 2 cores no size up to 256³ gained from a second thread (0.4–0.9×): the
 * dynamic split (gemm-split.ts) then lets the caller do most chunks, and WAKE_MIN_WORK keeps small
 * products from waking a sleeping worker at all.
 */
export const THREAD_MIN_WORK = 1 << 19;

let threadMinWork = THREAD_MIN_WORK;

/** Overrides the threshold (bench/thread-threshold.ts measures below it); `null` restores THREAD_MIN_WORK. Not public. */
export function setThreadMinWork(work: number | null): void {
  threadMinWork = work ?? THREAD_MIN_WORK;
}

let numThreads = Math.max(1, availableParallelism());

/**
 * Sets how many threads large products use (the calling thread included); 1 disables worker threads.
 * Defaults to the available cores. Workers start on the first product that needs them; lowering the
 * count leaves the extra ones asleep.
 * @example setNumThreads(1); // single-threaded, e.g. when running several processes
 */
export function setNumThreads(n: number): void {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    throw new ValueError(`setNumThreads: expected a positive integer, received ${typeof n === 'number' ? n : typeof n}`);
  }
  numThreads = n;
}

/**
 * The thread count set by `setNumThreads` (default: available cores).
 * @example setNumThreads(2); getNumThreads(); // 2
 */
export function getNumThreads(): number {
  return numThreads;
}

/** Largest useful thread count for an m×n product: C is split in whole register tiles along its longer side. */
function usefulThreads(m: number, n: number, k: number): number {
  if (numThreads === 1 || m * n * k < threadMinWork) return 1;
  // The shorter tile (4 rows) bounds either flavor's band count from above.
  return Math.min(numThreads, m >= n ? Math.ceil(m / MR_OF.simd) : Math.ceil(n / NR));
}

/**
 * Threads `gemmWasm` will use for an m×n×k product: capped by the ready workers (they boot in the
 * background, and the calling thread never waits for one). Starts missing workers.
 */
export function threadsFor(m: number, n: number, k: number): number {
  const want = usefulThreads(m, n, k);
  if (want === 1) return 1;
  const pool = wasmRuntime().pool;
  pool.throwIfFailed();
  if (pool.size < want - 1) pool.grow(want - 1);
  return 1 + Math.min(want - 1, pool.readyCount());
}

/** How many threads an m×n×k `gemmWasm` would use right now (starts no worker; for tests and benchmarks). */
export function gemmWasmThreads(m: number, n: number, k: number): number {
  const want = usefulThreads(m, n, k);
  return want === 1 || !wasmSimdSupported() ? 1 : 1 + Math.min(want - 1, wasmRuntime().pool.readyCount());
}

/**
 * Starts the worker threads now and resolves when all are ready, so the next large product already
 * runs on every thread (benchmarks call it; otherwise the first products after start-up run on fewer).
 * @example setNumThreads(2); await warmUpThreads(); // the next large matmul already runs on both threads
 */
export async function warmUpThreads(): Promise<void> {
  if (numThreads === 1 || !wasmSimdSupported()) return;
  const pool = wasmRuntime().pool;
  if (pool.size < numThreads - 1) pool.grow(numThreads - 1);
  await pool.whenReady();
}
