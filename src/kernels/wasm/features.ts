import { gemmModuleBytes } from './gemm-module.js';
import type { SimdFlavor } from './gemm-kernel.js';
import { wasmApi } from './wasm-api.js';

/** Which GEMM kernels run: plain JavaScript, WebAssembly SIMD (mul + add), or relaxed-SIMD fused madd. */
export type GemmPath = 'js' | 'simd' | 'relaxed';

/** A module validator, `WebAssembly.validate` unless a test stands in for another runtime. */
export type Validate = (bytes: Uint8Array) => boolean;

const bytesCache: Partial<Record<SimdFlavor, Uint8Array>> = {};

/** The GEMM module of `flavor`, assembled once. */
export function gemmBytes(flavor: SimdFlavor): Uint8Array {
  return (bytesCache[flavor] ??= gemmModuleBytes(flavor));
}

function runtimeValidate(bytes: Uint8Array): boolean {
  // Shared memory needs SharedArrayBuffer as well as the threads proposal the validator checks.
  return wasmApi !== null && typeof SharedArrayBuffer === 'function' && wasmApi.validate(bytes);
}

/**
 * The best path the runtime behind `validate` supports, found by validating the very modules the
 * library would run: relaxed SIMD where it validates (Node 22+, or Node 20 with
 * --experimental-wasm-relaxed-simd), plain SIMD otherwise, plain JavaScript when neither does.
 */
export function detectGemmPath(validate: Validate = runtimeValidate): GemmPath {
  if (!validate(gemmBytes('simd'))) return 'js';
  return validate(gemmBytes('relaxed')) ? 'relaxed' : 'simd';
}

let detected: GemmPath | undefined;

/** The best path of this runtime (detected once). */
export function runtimeGemmPath(): GemmPath {
  return (detected ??= detectGemmPath());
}

/**
 * True when this runtime runs WebAssembly SIMD on shared memory (the module validates).
 * @example if (!wasmSimdSupported()) console.log('products run in plain JavaScript');
 */
export function wasmSimdSupported(): boolean {
  return runtimeGemmPath() !== 'js';
}

/**
 * True when this runtime also has relaxed SIMD's f32x4.relaxed_madd.
 * @example relaxedSimdSupported(); // true only with relaxed SIMD (e.g. node --experimental-wasm-relaxed-simd)
 */
export function relaxedSimdSupported(): boolean {
  return runtimeGemmPath() === 'relaxed';
}
