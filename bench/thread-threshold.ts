/**
 * How THREAD_MIN_WORK (src/kernels/wasm/threads.ts) is measured: `npx tsx bench/thread-threshold.ts`
 * times square products n³ on one thread and on every thread, alternating the two in the same process
 * (the threshold lowered so small products may thread), and prints the speed-up per size. The
 * threshold is the work m·n·k at which the speed-up passes ~1.2× on the machine as loaded.
 */
import { gemmWasm } from '../src/kernels/wasm/gemm-wasm.js';
import { setThreadMinWork } from '../src/kernels/wasm/threads.js';
import { getNumThreads, setGemmPath, setNumThreads, warmUpThreads } from '../src/index.js';
import { seededData } from './data.js';
import { median } from './stats.js';

const threads = getNumThreads();
const sizes = (process.env.SIZES ?? '24,32,40,48,56,64,80,96,128,160').split(',').map(Number);
setGemmPath('simd');
setThreadMinWork(1);
await warmUpThreads();

/** Seconds per call: the best-of-trials mean of enough calls to take ~5 ms. */
function perCall(n: number, a: Float32Array, b: Float32Array, c: Float32Array): number {
  const reps = Math.max(4, Math.round(5e-3 / ((2 * n ** 3) / 20e9)));
  const t = performance.now();
  for (let i = 0; i < reps; i++) gemmWasm(n, n, n, a, false, b, false, c);
  return (performance.now() - t) / 1e3 / reps;
}

console.log(`threads ${threads}; speed-up of ${threads} threads over 1 (median of 15 alternating trials)`);
for (const n of sizes) {
  const a = seededData(n * n, `tt-a-${n}`);
  const b = seededData(n * n, `tt-b-${n}`);
  const c = new Float32Array(n * n);
  const one: number[] = [];
  const all: number[] = [];
  for (let trial = 0; trial < 15; trial++) {
    setNumThreads(1);
    one.push(perCall(n, a, b, c));
    setNumThreads(threads);
    all.push(perCall(n, a, b, c));
  }
  const [t1, tn] = [median(one), median(all)];
  console.log(`  ${String(n).padStart(4)}³ (work ${String(n ** 3).padStart(8)}): 1 thread ${(t1 * 1e6).toFixed(1)} µs, ${threads} threads ${(tn * 1e6).toFixed(1)} µs, ×${(t1 / tn).toFixed(2)}`);
}
setThreadMinWork(null);
