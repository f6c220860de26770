import { NeuriteError } from '../../util/errors.js';
import { gemmBytes, relaxedSimdSupported, wasmSimdSupported } from './features.js';
import type { SimdFlavor } from './gemm-kernel.js';
import { MEMORY_PAGES } from './gemm-module.js';
import { convModuleBytes } from './conv-module.js';
import { ThreadPool } from './thread-pool.js';
import { wasmApi, type WasmMemory, type WasmModule } from './wasm-api.js';

/** The module's `gemm` export (arguments documented in gemm-module.ts). */
export type GemmExport = (...args: number[]) => void;

/** Flavors by index: the index is what a worker's job names. */
export const FLAVORS: readonly SimdFlavor[] = ['simd', 'relaxed'];

/** Pool module index of the convolution module of flavor 0; flavor f is at CONV_JOBS + f. */
export const CONV_JOBS = FLAVORS.length;

/** The shared memory, the compiled modules, the main thread's instances and the worker pool. */
interface Runtime {
  memory: WasmMemory;
  modules: (WasmModule | null)[];
  /** The direct-convolution modules by flavor (conv-module.ts); the pool runs them at index `CONV_JOBS + flavor`. */
  convModules: (WasmModule | null)[];
  gemm: (GemmExport | null)[];
  pool: ThreadPool;
  /** A view over all of memory; replaced whenever memory grows (growing invalidates lengths of old views). */
  heap: Float32Array;
}

let runtime: Runtime | null = null;

/** The WebAssembly runtime, created on first use (compiling the modules this runtime validates). */
export function wasmRuntime(): Runtime {
  if (runtime !== null) return runtime;
  if (wasmApi === null || !wasmSimdSupported()) {
    throw new NeuriteError('gemmWasm: this runtime lacks WebAssembly SIMD on shared memory; use the plain-JS kernel');
  }
  const wasm = wasmApi;
  const memory = new wasm.Memory({ initial: MEMORY_PAGES.initial, maximum: MEMORY_PAGES.maximum, shared: true });
  const modules = FLAVORS.map((f) => (f === 'simd' || relaxedSimdSupported() ? new wasm.Module(gemmBytes(f)) : null));
  const gemm = modules.map((m) => (m === null ? null : (new wasm.Instance(m, { env: { memory } }).exports.gemm as GemmExport)));
  const convModules = FLAVORS.map((f, i) => (modules[i] === null ? null : new wasm.Module(convModuleBytes(f))));
  runtime = { memory, modules, convModules, gemm, pool: new ThreadPool([...modules, ...convModules], memory), heap: new Float32Array(memory.buffer) };
  return runtime;
}

/** A Float32Array over all of memory, grown first so it spans at least `bytes` bytes. */
export function heapSpanning(rt: Runtime, bytes: number): Float32Array {
  if (rt.heap.byteLength >= bytes) return rt.heap;
  const have = rt.memory.buffer.byteLength;
  if (have < bytes) {
    const pages = Math.ceil((bytes - have) / 65536);
    try {
      rt.memory.grow(pages);
    } catch {
      throw new NeuriteError(
        `gemmWasm: cannot grow WebAssembly memory from ${have} to ${bytes} bytes (limit ${MEMORY_PAGES.maximum * 65536}); the product is too large for the WebAssembly path`,
      );
    }
  }
  rt.heap = new Float32Array(rt.memory.buffer);
  return rt.heap;
}
