import { NeuriteError } from '../../util/errors.js';
import { int8Dims } from '../int8-pack.js';
import { INT8_MEMORY_PAGES, int8ModuleBytes } from './int8-module.js';
import { wasmApi, type WasmMemory } from './wasm-api.js';

type GemmI8 = (mPanels: number, nPanels: number, kp: number, pa: number, pb: number, c: number) => void;

interface Int8Runtime {
  memory: WasmMemory;
  gemm: GemmI8;
  /** Byte view over all of memory, replaced when memory grows. */
  bytes: Uint8Array;
}

let runtime: Int8Runtime | null = null;
let supported: boolean | undefined;

/** True when this runtime validates the int8 SIMD module (`i32x4.dot_i16x8_s`, WebAssembly SIMD). */
export function int8WasmSupported(): boolean {
  return (supported ??= wasmApi !== null && wasmApi.validate(int8ModuleBytes()));
}

function int8Runtime(): Int8Runtime {
  if (runtime !== null) return runtime;
  if (wasmApi === null || !int8WasmSupported()) throw new NeuriteError('int8GemmWasm: this runtime lacks WebAssembly SIMD; use the plain-JS int8 kernel');
  const memory = new wasmApi.Memory({ initial: INT8_MEMORY_PAGES.initial, maximum: INT8_MEMORY_PAGES.maximum });
  const instance = new wasmApi.Instance(new wasmApi.Module(int8ModuleBytes()), { env: { memory } });
  runtime = { memory, gemm: instance.exports.gemm_i8 as GemmI8, bytes: new Uint8Array(memory.buffer) };
  return runtime;
}

function heapBytes(rt: Int8Runtime, bytes: number): Uint8Array {
  const have = rt.memory.buffer.byteLength;
  if (have < bytes) {
    try {
      rt.memory.grow(Math.ceil((bytes - have) / 65536));
    } catch {
      throw new NeuriteError(`int8GemmWasm: cannot grow WebAssembly memory from ${have} to ${bytes} bytes; the product is too large for the WebAssembly path`);
    }
  }
  if (rt.bytes.buffer !== rt.memory.buffer) rt.bytes = new Uint8Array(rt.memory.buffer);
  return rt.bytes;
}

const align = (n: number): number => Math.ceil(n / 64) * 64;

/**
 * The int8 GEMM of int8-pack.ts on the WebAssembly SIMD kernel: copies packed A and B into the
 * module's memory, runs `gemm_i8`, copies C (int32, [4·⌈m/4⌉ × 8·⌈n/8⌉]) out. Exact: the same
 * integers as `int8GemmJs`.
 */
export function int8GemmWasm(m: number, n: number, k: number, packedA: Int16Array, packedB: Int8Array, c: Int32Array): void {
  const { kp, mPanels, nPanels } = int8Dims(m, n, k);
  const cLength = mPanels * 4 * nPanels * 8;
  if (kp === 0) {
    c.fill(0, 0, cLength);
    return;
  }
  const rt = int8Runtime();
  const aBytes = mPanels * kp * 16;
  const bBytes = nPanels * kp * 16;
  const aAt = 64;
  const bAt = align(aAt + aBytes);
  const cAt = align(bAt + bBytes);
  const heap = heapBytes(rt, cAt + 4 * cLength);
  heap.set(new Uint8Array(packedA.buffer, packedA.byteOffset, aBytes), aAt);
  heap.set(new Uint8Array(packedB.buffer, packedB.byteOffset, bBytes), bAt);
  rt.gemm(mPanels, nPanels, kp, aAt, bAt, cAt);
  c.set(new Int32Array(heap.buffer, cAt, cLength));
}
