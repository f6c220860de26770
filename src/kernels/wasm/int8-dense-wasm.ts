import { stagePackedB } from '../int8-pack.js';
import { align, heapBytes, int8Runtime } from './int8-wasm.js';

const tables = new Map<string, Int32Array>();

/** Byte offsets of rows 0…m−1 of an int16 matrix with row stride ldo, in tiles of 4 (−1 past m): a 1-tap conv table. */
function rowTable(m: number, ldo: number): Int32Array {
  const key = `${m},${ldo}`;
  let t = tables.get(key);
  if (t === undefined) {
    if (tables.size >= 32) tables.clear();
    t = new Int32Array(Math.ceil(m / 4) * 4).fill(-1);
    for (let i = 0; i < m; i++) t[i] = 2 * ldo * i;
    tables.set(key, t);
  }
  return t;
}

/**
 * y [m×n] = x·W + bias through int8 in two WebAssembly calls, for kernels whose packed B stays in
 * cache: x is copied in once as it is, `quantize_rows_i16` finds each row's scale (or takes
 * `rowScales`) and writes int16 rows of stride 2·⌈k/2⌉, then `conv_i8` with one tap multiplies them by B and writes the floats with the
 * dequantization and bias fused into the store (each row its own 1/scale). No packed A, no int32
 * matrix, no separate dequantize pass: the fixed costs that made small layers slower than float32.
 * Same integers and float roundings as `int8MatmulJs`. `limit` 63: 7-bit levels (scale 63 / max).
 */
export function int8MatmulFusedWasm(
  x: Float32Array, m: number, k: number, rowScales: Float32Array | null,
  packedB: Int8Array, n: number, sw: Float32Array, bias: Float32Array | null, y: Float32Array, limit = 127,
): void {
  const rt = int8Runtime();
  const cp = Math.ceil(k / 2);
  const ldo = 2 * cp;
  const nPanels = Math.ceil(n / 8);
  const ldc = nPanels * 8;
  const table = rowTable(m, ldo);
  // Lane masks for the abs-max of a row's last 1–3 values: mask r keeps lanes 0…r−1 (mask 0 keeps none).
  const masksAt = 0;
  const xAt = 64;
  // x unpadded, then room for the last row's reads past its end (up to 7 floats).
  const sAt = align(xAt + 4 * m * k + 32);
  const invAt = align(sAt + 4 * m);
  // int16 rows, plus room for the last row's spill (up to 7 values) and a zero run for tail tiles.
  const qAt = align(invAt + 4 * table.length);
  const zeroAt = align(qAt + 2 * ldo * m + 16);
  const tableAt = align(zeroAt + 2 * ldo);
  const bAt = align(tableAt + 4 * table.length);
  const wAt = align(bAt + nPanels * cp * 16);
  const biasAt = align(wAt + 4 * ldc);
  const yAt = align(biasAt + 4 * ldc);
  const bytes = heapBytes(rt, yAt + 4 * ldc * table.length);
  const f32 = rt.f32;
  const u32 = new Uint32Array(bytes.buffer, masksAt, 16);
  for (let r = 0; r < 4; r++) for (let l = 0; l < 4; l++) u32[4 * r + l] = l < r ? 0xffffffff : 0;
  f32.set(x.subarray(0, m * k), xAt / 4);
  if (rowScales !== null) f32.set(rowScales.subarray(0, m), sAt / 4);
  rt.quantizeRowsI16(m, k, xAt, sAt, invAt, qAt, ldo, rowScales === null ? 1 : 0, masksAt, limit, 0);
  bytes.fill(0, zeroAt, zeroAt + 2 * ldo);
  new Int32Array(bytes.buffer, tableAt, table.length).set(table);
  stagePackedB(packedB, k, n, bytes, bAt);
  for (let j = 0; j < n; j++) f32[wAt / 4 + j] = 1 / sw[j];
  f32.fill(0, wAt / 4 + n, wAt / 4 + ldc);
  if (bias !== null) f32.set(bias.subarray(0, n), biasAt / 4);
  f32.fill(0, biasAt / 4 + (bias === null ? 0 : n), biasAt / 4 + ldc);
  rt.conv(table.length / 4, nPanels, 1, cp, tableAt, qAt, zeroAt, bAt, invAt, 4, wAt, biasAt, yAt, 4 * ldc, 0);
  if (ldc === n) y.set(f32.subarray(yAt / 4, yAt / 4 + m * n));
  else for (let i = 0, src = yAt / 4, o = 0; i < m; i++, src += ldc) for (let j = 0; j < n; j++) y[o++] = f32[src + j];
}
