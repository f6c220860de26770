import { NeuriteError } from '../../util/errors.js';
import { int8Dims, scaleFromMax, stagePackedB } from '../int8-pack.js';
import { INT8_MEMORY_PAGES, int8ModuleBytes } from './int8-module.js';
import { wasmApi, type WasmMemory } from './wasm-api.js';

type GemmI8 = (mPanels: number, nPanels: number, kp: number, pa: number, pb: number, c: number, rowsOuter: number) => void;

/** Packed B up to this many bytes stays in L2 whole: then the GEMM runs row panels outermost. */
export const B_RESIDENT_BYTES = 192 * 1024;
type AbsMaxRows = (m: number, k4: number, x: number, out: number) => void;
type QuantizeRows = (m: number, k: number, k4: number, x: number, scales: number, pa: number, kp: number) => void;
type DequantizeRows = (m: number, nPad: number, c: number, rowInv: number, colInv: number, bias: number, y: number) => void;
type ConvI8 = (
  tiles: number, nPanels: number, taps: number, cp: number, table: number, base: number, zero: number,
  pb: number, rowInv: number, rowInvStep: number, colInv: number, bias: number, y: number, ldy: number, corr: number,
) => void;
type QuantizeI16 = (n8: number, x: number, scale: number, out: number, limit: number, offset: number) => void;
type QuantizeRowsI16 = (
  m: number, k: number, x: number, scales: number, rowInv: number, out: number, ldo: number, dynamic: number, masks: number, limit: number, offset: number,
) => void;

/** The int8 module's exports over its own memory (int8-module.ts, int8-conv-module.ts). */
export interface Int8Runtime {
  memory: WasmMemory;
  gemm: GemmI8;
  absMax: AbsMaxRows;
  quantize: QuantizeRows;
  dequantize: DequantizeRows;
  conv: ConvI8;
  convU2: ConvI8;
  /** `conv` and `convU2` over B staged widened to int16 (`wide` in int8-conv-module.ts). */
  convWide: ConvI8;
  convU2Wide: ConvI8;
  quantizeI16: QuantizeI16;
  quantizeRowsI16: QuantizeRowsI16;
  /** Views over all of memory, replaced when memory grows. */
  f32: Float32Array;
  /** Byte view over all of memory, replaced when memory grows. */
  bytes: Uint8Array;
}

let runtime: Int8Runtime | null = null;
let supported: boolean | undefined;

/** True when this runtime validates the int8 SIMD module (`i32x4.dot_i16x8_s`, WebAssembly SIMD). */
export function int8WasmSupported(): boolean {
  return (supported ??= wasmApi !== null && wasmApi.validate(int8ModuleBytes()));
}

/** The instantiated int8 module (once); throws where WebAssembly SIMD is missing. */
export function int8Runtime(): Int8Runtime {
  if (runtime !== null) return runtime;
  if (wasmApi === null || !int8WasmSupported()) throw new NeuriteError('int8GemmWasm: this runtime lacks WebAssembly SIMD; use the plain-JS int8 kernel');
  const memory = new wasmApi.Memory({ initial: INT8_MEMORY_PAGES.initial, maximum: INT8_MEMORY_PAGES.maximum });
  const instance = new wasmApi.Instance(new wasmApi.Module(int8ModuleBytes()), { env: { memory } });
  const e = instance.exports;
  runtime = { memory, gemm: e.gemm_i8 as GemmI8, absMax: e.absmax_rows as AbsMaxRows, quantize: e.quantize_rows as QuantizeRows, dequantize: e.dequantize_rows as DequantizeRows,
    conv: e.conv_i8 as ConvI8, convU2: e.conv_i8_u2 as ConvI8, convWide: e.conv_i8_w as ConvI8, convU2Wide: e.conv_i8_u2_w as ConvI8, quantizeI16: e.quantize_i16 as QuantizeI16, quantizeRowsI16: e.quantize_rows_i16 as QuantizeRowsI16,
    bytes: new Uint8Array(memory.buffer), f32: new Float32Array(memory.buffer) };
  return runtime;
}

/** The module's memory as bytes, grown to at least `bytes`. */
export function heapBytes(rt: Pick<Int8Runtime, 'memory' | 'bytes' | 'f32'>, bytes: number): Uint8Array {
  const have = rt.memory.buffer.byteLength;
  if (have < bytes) {
    try {
      rt.memory.grow(Math.ceil((bytes - have) / 65536));
    } catch {
      throw new NeuriteError(`int8GemmWasm: cannot grow WebAssembly memory from ${have} to ${bytes} bytes; the product is too large for the WebAssembly path`);
    }
  }
  if (rt.bytes.buffer !== rt.memory.buffer) {
    rt.bytes = new Uint8Array(rt.memory.buffer);
    rt.f32 = new Float32Array(rt.memory.buffer);
  }
  return rt.bytes;
}

/** `n` rounded up to a cache line. */
export const align = (n: number): number => Math.ceil(n / 64) * 64;

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
  rt.gemm(mPanels, nPanels, kp, aAt, bAt, cAt, bBytes <= B_RESIDENT_BYTES ? 1 : 0);
  c.set(new Int32Array(heap.buffer, cAt, cLength));
}

/**
 * y [m×n] = dequantize(quantize(x)·B) + bias, all int8 work in WebAssembly: x [m×k] is copied in with
 * rows padded to a multiple of 4 floats, each row's abs-max found (`absmax_rows`) unless `rowScales`
 * are given, quantized into packed A (`quantize_rows`), multiplied by packed B (`gemm_i8`), and the
 * int32 sums are scaled back in place. `packedB` is the tight form (`packInt8BTight`). Same integers and floats as the plain-JS twin `int8MatmulJs`.
 */
export function int8MatmulWasm(
  x: Float32Array, m: number, k: number, rowScales: Float32Array | null,
  packedB: Int8Array, n: number, sw: Float32Array, bias: Float32Array | null, y: Float32Array,
): void {
  const { kp, mPanels, nPanels } = int8Dims(m, n, k);
  if (m === 0) return;
  if (kp === 0) {
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) y[i * n + j] = bias === null ? 0 : bias[j];
    return;
  }
  const rt = int8Runtime();
  const k4 = Math.ceil(k / 4) * 4;
  const ldc = nPanels * 8;
  const xAt = 64;
  const sAt = align(xAt + 4 * m * k4);
  const aAt = align(sAt + 4 * m);
  const bAt = align(aAt + mPanels * kp * 16);
  const cAt = align(bAt + nPanels * kp * 16);
  // Dequantization operands: 1/sx per row, 1/sw and bias per (padded) column, then y, all float32.
  const rAt = align(cAt + 4 * mPanels * 4 * ldc);
  const wAt = align(rAt + 4 * m);
  const biasAt = align(wAt + 4 * ldc);
  const yAt = align(biasAt + 4 * ldc);
  const bytes = heapBytes(rt, yAt + 4 * m * ldc);
  const f32 = new Float32Array(bytes.buffer);
  if (k4 === k) f32.set(x.subarray(0, m * k), xAt / 4);
  else {
    // Row by row into the padded stride; a plain loop (subarray views per row cost more for short rows).
    for (let i = 0, src = 0, at = xAt / 4; i < m; i++, at += k4) {
      for (let p = 0; p < k; p++) f32[at + p] = x[src++];
      for (let p = k; p < k4; p++) f32[at + p] = 0;
    }
  }
  const scales = f32.subarray(sAt / 4, sAt / 4 + m);
  if (rowScales !== null) scales.set(rowScales.subarray(0, m));
  else {
    rt.absMax(m, k4, xAt, sAt);
    for (let i = 0; i < m; i++) scales[i] = scaleFromMax(scales[i]);
  }
  bytes.fill(0, aAt, bAt);
  rt.quantize(m, k, k4, xAt, sAt, aAt, kp);
  stagePackedB(packedB, k, n, bytes, bAt);
  rt.gemm(mPanels, nPanels, kp, aAt, bAt, cAt, nPanels * kp * 16 <= B_RESIDENT_BYTES ? 1 : 0);
  for (let i = 0; i < m; i++) f32[rAt / 4 + i] = 1 / scales[i];
  f32.fill(0, wAt / 4, wAt / 4 + ldc);
  f32.fill(0, biasAt / 4, biasAt / 4 + ldc);
  for (let j = 0; j < n; j++) f32[wAt / 4 + j] = 1 / sw[j];
  if (bias !== null) f32.set(bias.subarray(0, n), biasAt / 4);
  rt.dequantize(m, ldc, cAt, rAt, wAt, biasAt, yAt);
  if (ldc === n) y.set(f32.subarray(yAt / 4, yAt / 4 + m * n));
  else for (let i = 0, src = yAt / 4, o = 0; i < m; i++, src += ldc) for (let j = 0; j < n; j++) y[o++] = f32[src + j];
}
