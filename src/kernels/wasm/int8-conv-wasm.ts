import { cachedTapTable } from '../int8-conv-taps.js';
import { roundHalfEven, scaleFromMax, stagePackedB } from '../int8-pack.js';
import type { Window2D } from '../window2d.js';
import { align, heapBytes, int8Runtime } from './int8-wasm.js';

/**
 * The int8 Conv2D on WebAssembly without a patch matrix: x (NHWC floats) is copied in once, each
 * image quantized once into int16 levels with its scale (`quantize_i16`), and
 * `conv_i8` reads the taps straight from the quantized image and writes y = acc/(sx·sw) + bias
 * in float32 (wasm/int8-conv-module.ts). `scalesOrInput`: each image's scale (`imageScales`), or the
 * calibrated input scale (a number), or null: each image's abs-max scale found in wasm after the copy. `packedB` is the tight form (`packInt8BTight`); inC must be even (channel pairs feed the dot product).
 * The same integers and float roundings as quantizing the im2col patches row by row with the
 * image's scale and running `int8MatmulJs`, which is the plain-JS twin. `limit` 63: 7-bit levels.
 */
export function int8Conv2dWasm(
  x: Float32Array, g: Window2D, scalesOrInput: Float32Array | number | null, packedB: Int8Array, sw: Float32Array, bias: Float32Array | null, y: Float32Array, limit = 127,
): void {
  const C = g.inChannels;
  const n = g.outChannels;
  const imageSize = g.inHeight * g.inWidth * C;
  const pixels = g.outHeight * g.outWidth;
  const taps = g.filterHeight * g.filterWidth;
  const tiles = Math.ceil(pixels / 4);
  const nPanels = Math.ceil(n / 8);
  const ldc = nPanels * 8;
  const cp = C / 2;
  const table = cachedTapTable(g);
  const rt = int8Runtime();
  const xAt = 64;
  const qAt = align(xAt + 4 * g.batch * imageSize);
  const zeroAt = align(qAt + 2 * g.batch * imageSize);
  const tableAt = align(zeroAt + 2 * C);
  const bAt = align(tableAt + 4 * table.length);
  // B staged as int8 at the end of its region, then widened to int16 from bAt (32 bytes per pair and panel).
  const bBytes = nPanels * taps * cp * 16;
  const wAt = align(bAt + 2 * bBytes);
  const biasAt = align(wAt + 4 * ldc);
  const invAt = align(biasAt + 4 * ldc);
  const yAt = align(invAt + 4 * g.batch);
  // Each image's call writes whole tiles: up to 3 rows past its last pixel (the next image overwrites them).
  const bytes = heapBytes(rt, yAt + 4 * ldc * (g.batch * pixels + 4));
  const f32 = rt.f32;
  const i16 = new Int16Array(bytes.buffer);
  f32.set(x.subarray(0, g.batch * imageSize), xAt / 4);
  const imageScales = scalesOrInput instanceof Float32Array ? scalesOrInput : wasmImageScales(rt, x, g.batch, imageSize, scalesOrInput, limit, xAt, yAt);
  const whole = imageSize & ~7;
  for (let b = 0; b < g.batch; b++) {
    const s = imageScales[b];
    rt.quantizeI16(whole >> 3, xAt + 4 * b * imageSize, s, qAt + 2 * b * imageSize, limit, 0);
    // The 1–7 values past the last group of eight, rounded as the SIMD lanes round them.
    for (let i = whole; i < imageSize; i++) {
      const v = Math.fround(x[b * imageSize + i] * s);
      i16[qAt / 2 + b * imageSize + i] = roundHalfEven(v > limit ? limit : v < -limit ? -limit : v);
    }
  }
  bytes.fill(0, zeroAt, zeroAt + 2 * C);
  new Int32Array(bytes.buffer, tableAt, table.length).set(table);
  stagePackedB(packedB, taps * C, n, bytes, bAt + bBytes);
  // Sign-extends each byte in place order: the two halves of a pair's 16 bytes become its two int16 vectors.
  new Int16Array(bytes.buffer, bAt, bBytes).set(new Int8Array(bytes.buffer, bAt + bBytes, bBytes));
  f32.fill(0, wAt / 4, yAt / 4);
  for (let j = 0; j < n; j++) f32[wAt / 4 + j] = 1 / sw[j];
  if (bias !== null) f32.set(bias.subarray(0, n), biasAt / 4);
  const conv = cp % 2 === 0 ? rt.convU2Wide : rt.convWide;
  for (let b = 0; b < g.batch; b++) {
    f32[invAt / 4 + b] = 1 / imageScales[b];
    // One scale for the whole image: rowInv step 0.
    conv(tiles, nPanels, taps, cp, tableAt, qAt + 2 * b * imageSize, zeroAt, bAt, invAt + 4 * b, 0, wAt, biasAt, yAt + 4 * ldc * b * pixels, 4 * ldc, 0);
  }
  const rows = g.batch * pixels;
  if (ldc === n) y.set(f32.subarray(yAt / 4, yAt / 4 + rows * n));
  else for (let r = 0, src = yAt / 4, o = 0; r < rows; r++, src += ldc) for (let j = 0; j < n; j++) y[o++] = f32[src + j];
}

/**
 * `imageScales` for the images already copied to `xAt`: the abs-max of each image's first multiple of
 * four floats by `absmax_rows` (SIMD), the 1–3 left in JS; a maximum is exact, so the scales are the
 * same floats. `absmax_rows` lets a NaN through where the JS loop skips it: such images are redone in JS.
 * `outAt` is scratch (4 bytes) in `rt`'s memory, whose `absmax_rows` is `rt.absMax`.
 */
export function wasmImageScales(
  rt: { absMax: (m: number, k4: number, x: number, out: number) => void; f32: Float32Array }, x: Float32Array, batch: number, imageSize: number, inputScale: number | null, top: number, xAt: number, outAt: number): Float32Array {
  const out = new Float32Array(batch);
  if (inputScale !== null) return out.fill(inputScale);
  const k4 = imageSize & ~3;
  for (let b = 0; b < batch; b++) {
    let max = 0;
    if (k4 > 0) {
      rt.absMax(1, k4, xAt + 4 * b * imageSize, outAt);
      max = rt.f32[outAt / 4];
    }
    const start = b * imageSize;
    let from = start + k4;
    if (Number.isNaN(max)) [max, from] = [0, start];
    for (let i = from, end = start + imageSize; i < end; i++) {
      const v = x[i] < 0 ? -x[i] : x[i];
      if (v > max) max = v;
    }
    out[b] = scaleFromMax(max, top);
  }
  return out;
}
