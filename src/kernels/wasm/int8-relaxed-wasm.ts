import { NeuriteError } from '../../util/errors.js';
import { cachedTapTable } from '../int8-conv-taps.js';
import { roundHalfEven } from '../int8-pack.js';
import { stageQuadB } from '../int8-pack-quad.js';
import type { Window2D } from '../window2d.js';
import { INT8_MEMORY_PAGES, int8RelaxedModuleBytes } from './int8-module.js';
import { wasmImageScales } from './int8-conv-wasm.js';
import { align, heapBytes } from './int8-wasm.js';
import { wasmApi, type WasmMemory } from './wasm-api.js';

type ConvRelaxed = (
  tiles: number, nPanels: number, taps: number, cq: number, table: number, base: number, zero: number,
  pb: number, rowInv: number, rowInvStep: number, colInv: number, bias: number, y: number, ldy: number, corr: number,
) => void;
type QuantizeI8 = (n8: number, x: number, scale: number, out: number, limit: number, offset: number) => void;
type QuantizeRowsI8 = (
  m: number, k: number, x: number, scales: number, rowInv: number, out: number, ldo: number, dynamic: number, masks: number, limit: number, offset: number,
) => void;

/**
 * The relaxed instruction is exact only when its second operand has the top bit clear, [0, 127]:
 * activations are quantized to 7-bit levels q ∈ [−63, 63] and stored as q + 64; the int8 weights are
 * the signed operand, and Σ w·(q + 64) − 64·Σ_p w[p][j] (per column, `columnCorrection`) is Σ w·q.
 */
const OFFSET = 64;
const LIMIT = 63;

/** 64·Σ_p w[p][j] of each column j of a tight quad-form kernel, as int32 (n values): computed once per kernel. */
export function columnCorrection(quadB: Int8Array, k: number, n: number, out: Int32Array = new Int32Array(n)): Int32Array {
  const kq = Math.ceil(k / 4);
  const full = Math.floor(n / 8) * 8;
  const t = n - full;
  out.fill(0);
  for (let panel = 0; panel < full / 8; panel++) {
    for (let i = panel * kq * 32, end = i + kq * 32; i < end; i++) out[panel * 8 + ((i & 31) >> 2)] += quadB[i];
  }
  for (let q = 0, i = full * 4 * kq; q < kq; q++) for (let c = 0; c < t; c++) for (let d = 0; d < 4; d++) out[full + c] += quadB[i++];
  for (let j = 0; j < n; j++) out[j] *= OFFSET;
  return out;
}

/** The correction into memory at `at`, zero-padded to ldc columns. */
function writeCorrection(bytes: Uint8Array, at: number, corr: Int32Array, ldc: number): void {
  const dst = new Int32Array(bytes.buffer, at, ldc);
  dst.set(corr);
  dst.fill(0, corr.length);
}

interface RelaxedRuntime {
  memory: WasmMemory;
  conv: ConvRelaxed;
  quantize: QuantizeI8;
  quantizeRows: QuantizeRowsI8;
  absMax: (m: number, k4: number, x: number, out: number) => void;
  bytes: Uint8Array;
  f32: Float32Array;
}

let runtime: RelaxedRuntime | null = null;
let supported: boolean | undefined;

/** True when this runtime validates the relaxed int8 module (`i32x4.relaxed_dot_i8x16_i7x16_add_s`). */
export function int8RelaxedSupported(): boolean {
  return (supported ??= wasmApi !== null && wasmApi.validate(int8RelaxedModuleBytes()));
}

function relaxedRuntime(): RelaxedRuntime {
  if (runtime !== null) return runtime;
  if (wasmApi === null || !int8RelaxedSupported()) throw new NeuriteError('int8 relaxed kernel: this runtime lacks relaxed SIMD; use the plain SIMD or JS int8 kernels');
  const memory = new wasmApi.Memory({ initial: INT8_MEMORY_PAGES.initial, maximum: INT8_MEMORY_PAGES.maximum });
  const e = new wasmApi.Instance(new wasmApi.Module(int8RelaxedModuleBytes()), { env: { memory } }).exports;
  runtime = {
    memory, conv: e.conv_i8_relaxed as ConvRelaxed, quantize: e.quantize_i8 as QuantizeI8, quantizeRows: e.quantize_rows_i8 as QuantizeRowsI8,
    absMax: e.absmax_rows as RelaxedRuntime['absMax'],
    bytes: new Uint8Array(memory.buffer), f32: new Float32Array(memory.buffer),
  };
  return runtime;
}

/** 1/sw and the bias into memory, zero-padded to 8·nPanels columns. */
function writeColumns(f32: Float32Array, wAt: number, biasAt: number, sw: Float32Array, bias: Float32Array | null, n: number, ldc: number): void {
  for (let j = 0; j < n; j++) f32[wAt / 4 + j] = 1 / sw[j];
  f32.fill(0, wAt / 4 + n, wAt / 4 + ldc);
  if (bias !== null) f32.set(bias.subarray(0, n), biasAt / 4);
  f32.fill(0, biasAt / 4 + (bias === null ? 0 : n), biasAt / 4 + ldc);
}

/** The result rows (stride ldc) into y (stride n). */
function copyOut(f32: Float32Array, yAt: number, rows: number, n: number, ldc: number, y: Float32Array): void {
  if (ldc === n) y.set(f32.subarray(yAt / 4, yAt / 4 + rows * n));
  else for (let i = 0, src = yAt / 4, o = 0; i < rows; i++, src += ldc) for (let j = 0; j < n; j++) y[o++] = f32[src + j];
}

/**
 * The int8 Conv2D of int8-conv-wasm.ts on the relaxed dot product: images quantized once to 7-bit
 * levels (scales 63 / max as `imageScales` with top 63, given or found in wasm) stored + 64, taps read straight from them, depth
 * quads (inC a multiple of 4), B the int8 kernel in the tight quad form (`packQuadTight`). The same
 * integers and floats as the plain paths with 7-bit activations (`limit` 63) on the same kernel.
 */
export function int8Conv2dRelaxedWasm(
  x: Float32Array, g: Window2D, scalesOrInput: Float32Array | number | null, quadB: Int8Array, sw: Float32Array, bias: Float32Array | null, y: Float32Array,
  corr: Int32Array = columnCorrection(quadB, g.filterHeight * g.filterWidth * g.inChannels, g.outChannels),
): void {
  const C = g.inChannels;
  const n = g.outChannels;
  const imageSize = g.inHeight * g.inWidth * C;
  const pixels = g.outHeight * g.outWidth;
  const taps = g.filterHeight * g.filterWidth;
  const nPanels = Math.ceil(n / 8);
  const ldc = nPanels * 8;
  // The tap table holds int16 byte offsets (2 per value): halved for int8 levels (−1 stays −1).
  const table = cachedTapTable(g);
  const rt = relaxedRuntime();
  const xAt = 64;
  const qAt = align(xAt + 4 * g.batch * imageSize);
  const zeroAt = align(qAt + g.batch * imageSize);
  const tableAt = align(zeroAt + C);
  const bAt = align(tableAt + 4 * table.length);
  const wAt = align(bAt + nPanels * taps * (C / 4) * 32);
  const biasAt = align(wAt + 4 * ldc);
  const invAt = align(biasAt + 4 * ldc);
  const corrAt = align(invAt + 4 * g.batch);
  const yAt = align(corrAt + 4 * ldc);
  const bytes = heapBytes(rt, yAt + 4 * ldc * (g.batch * pixels + 4));
  const f32 = rt.f32;
  const i8 = new Int8Array(bytes.buffer);
  f32.set(x.subarray(0, g.batch * imageSize), xAt / 4);
  // Given scales, the calibrated scale (a number), or null: each image's abs-max found in wasm after the copy.
  const imageScales = scalesOrInput instanceof Float32Array ? scalesOrInput : wasmImageScales(rt, x, g.batch, imageSize, scalesOrInput, LIMIT, xAt, yAt);
  const whole = imageSize & ~7;
  for (let b = 0; b < g.batch; b++) {
    const s = imageScales[b];
    rt.quantize(whole >> 3, xAt + 4 * b * imageSize, s, qAt + b * imageSize, LIMIT, OFFSET);
    for (let i = whole; i < imageSize; i++) {
      const v = Math.fround(x[b * imageSize + i] * s);
      i8[qAt + b * imageSize + i] = roundHalfEven(v > LIMIT ? LIMIT : v < -LIMIT ? -LIMIT : v) + OFFSET;
    }
  }
  // Taps in the padding read level 0, stored as the offset.
  bytes.fill(OFFSET, zeroAt, zeroAt + C);
  writeCorrection(bytes, corrAt, corr, ldc);
  const offsets = new Int32Array(bytes.buffer, tableAt, table.length);
  for (let i = 0; i < table.length; i++) offsets[i] = table[i] >> 1;
  stageQuadB(quadB, taps * C, n, bytes, bAt);
  writeColumns(f32, wAt, biasAt, sw, bias, n, ldc);
  const tiles = Math.ceil(pixels / 4);
  for (let b = 0; b < g.batch; b++) {
    f32[invAt / 4 + b] = 1 / imageScales[b];
    rt.conv(tiles, nPanels, taps, C / 4, tableAt, qAt + b * imageSize, zeroAt, bAt, invAt + 4 * b, 0, wAt, biasAt, yAt + 4 * ldc * b * pixels, 4 * ldc, corrAt);
  }
  copyOut(f32, yAt, g.batch * pixels, n, ldc, y);
}

const rowTables = new Map<string, Int32Array>();

/**
 * y [m×n] = x·W + bias through int8 on the relaxed dot product: rows quantized to 7-bit levels
 * (+ 64) of stride 4·⌈k/4⌉ (`quantize_rows_i8`, each row's 63 / max scale or `rowScales`), then
 * `conv_i8_relaxed` with one tap, dequantize and bias fused into the store. B: the int8 kernel in the
 * tight quad form. Equals `int8MatmulJs` with 7-bit levels (limit 63).
 */
export function int8MatmulRelaxedWasm(
  x: Float32Array, m: number, k: number, rowScales: Float32Array | null,
  quadB: Int8Array, n: number, sw: Float32Array, bias: Float32Array | null, y: Float32Array,
  corr: Int32Array = columnCorrection(quadB, k, n),
): void {
  const rt = relaxedRuntime();
  const cq = Math.ceil(k / 4);
  const ldo = 4 * cq;
  const nPanels = Math.ceil(n / 8);
  const ldc = nPanels * 8;
  const key = `${m},${ldo}`;
  let table = rowTables.get(key);
  if (table === undefined) {
    if (rowTables.size >= 32) rowTables.clear();
    table = new Int32Array(Math.ceil(m / 4) * 4).fill(-1);
    for (let i = 0; i < m; i++) table[i] = ldo * i;
    rowTables.set(key, table);
  }
  const masksAt = 0;
  const xAt = 64;
  const sAt = align(xAt + 4 * m * k + 32);
  const invAt = align(sAt + 4 * m);
  const qAt = align(invAt + 4 * table.length);
  const zeroAt = align(qAt + ldo * m + 16);
  const tableAt = align(zeroAt + ldo);
  const bAt = align(tableAt + 4 * table.length);
  const wAt = align(bAt + nPanels * cq * 32);
  const biasAt = align(wAt + 4 * ldc);
  const corrAt = align(biasAt + 4 * ldc);
  const yAt = align(corrAt + 4 * ldc);
  const bytes = heapBytes(rt, yAt + 4 * ldc * table.length);
  const f32 = rt.f32;
  const u32 = new Uint32Array(bytes.buffer, masksAt, 16);
  for (let r = 0; r < 4; r++) for (let l = 0; l < 4; l++) u32[4 * r + l] = l < r ? 0xffffffff : 0;
  f32.set(x.subarray(0, m * k), xAt / 4);
  if (rowScales !== null) f32.set(rowScales.subarray(0, m), sAt / 4);
  rt.quantizeRows(m, k, xAt, sAt, invAt, qAt, ldo, rowScales === null ? 1 : 0, masksAt, LIMIT, OFFSET);
  bytes.fill(OFFSET, zeroAt, zeroAt + ldo);
  writeCorrection(bytes, corrAt, corr, ldc);
  new Int32Array(bytes.buffer, tableAt, table.length).set(table);
  stageQuadB(quadB, k, n, bytes, bAt);
  writeColumns(f32, wAt, biasAt, sw, bias, n, ldc);
  rt.conv(table.length / 4, nPanels, 1, cq, tableAt, qAt, zeroAt, bAt, invAt, 4, wAt, biasAt, yAt, 4 * ldc, corrAt);
  copyOut(f32, yAt, m, n, ldc, y);
}
