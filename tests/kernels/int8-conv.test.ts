import { afterEach, describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import { int8Conv2d, imageScales } from '../../src/kernels/int8-conv.js';
import { convTapTable } from '../../src/kernels/int8-conv-taps.js';
import { packInt8BTight } from '../../src/kernels/int8-pack.js';
import { int8WasmSupported } from '../../src/kernels/int8-gemm.js';
import { resolveWindow2D } from '../../src/kernels/window2d.js';
import { setGemmPath } from '../../src/kernels/wasm/gemm-wasm.js';

afterEach(() => setGemmPath('auto'));

function floats(n: number, seed: string, scale = 1): Float32Array {
  const rng = seedrandom(seed);
  return Float32Array.from({ length: n }, () => scale * (2 * rng() - 1));
}

function ints(n: number, seed: string): Int8Array {
  const rng = seedrandom(seed);
  return Int8Array.from({ length: n }, () => -127 + Math.floor(255 * rng()));
}

/** Round half to even, written from the definition (not the library's trick). */
function rhe(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  return d < 0.5 ? f : d > 0.5 ? f + 1 : f % 2 === 0 ? f : f + 1;
}

/**
 * The definition, computed directly over the image (no patch matrix): q = clip(rhe(fround(x·s)), ±127)
 * per image, acc = Σ_{ky,kx,c} q·w as plain integers (taps in the padding read 0), then
 * y = fround(fround(acc)·fround(fround(1/s)·fround(1/sw))) + bias rounded to float32.
 */
function reference(x: Float32Array, shape: number[], w: Int8Array, kh: number, kw: number, sw: Float32Array, bias: Float32Array, opts: { strides: [number, number]; padding: 'same' | 'valid'; dilations: [number, number] }, inputScale: number | null): { y: Float32Array; acc: number[] } {
  const n = sw.length;
  const g = resolveWindow2D('ref', shape, [kh, kw], n, opts);
  const [B, H, W, C] = shape;
  const s = imageScales(x, B, H * W * C, inputScale);
  const f = Math.fround;
  const pixels = g.outHeight * g.outWidth;
  const acc: number[] = [];
  for (let b = 0; b < B; b++) {
    const q = (iy: number, ix: number, c: number): number => {
      if (iy < 0 || iy >= H || ix < 0 || ix >= W) return 0;
      const v = f(x[((b * H + iy) * W + ix) * C + c] * s[b]);
      return rhe(Math.max(-127, Math.min(127, v)));
    };
    for (let oy = 0; oy < g.outHeight; oy++) {
      for (let ox = 0; ox < g.outWidth; ox++) {
        for (let j = 0; j < n; j++) {
          let a = 0;
          for (let ky = 0; ky < kh; ky++) {
            for (let kx = 0; kx < kw; kx++) {
              const iy = oy * opts.strides[0] - g.padTop + ky * opts.dilations[0];
              const ix = ox * opts.strides[1] - g.padLeft + kx * opts.dilations[1];
              for (let c = 0; c < C; c++) a += q(iy, ix, c) * w[((ky * kw + kx) * C + c) * n + j];
            }
          }
          acc.push(a);
        }
      }
    }
  }
  // Row i·n + j of image ⌊i / pixels⌋; each product and the sum rounded to float32.
  const y = Float32Array.from(acc, (a, i) => f(f(a) * f(f(1 / s[Math.floor(i / n / pixels)]) * f(1 / sw[i % n]))) + bias[i % n]);
  return { y, acc };
}

type Case = [string, number[], number, number, number, [number, number], 'same' | 'valid', [number, number]];
const CASES: Case[] = [
  // name, NHWC shape, filters, kh, kw, strides, padding, dilations
  ['3×3 same, 16 ch → 13 filters (tail panel), 7×7 images (tail tiles)', [3, 7, 7, 16], 13, 3, 3, [1, 1], 'same', [1, 1]],
  ['5×3 valid, stride 2, 6 ch → 8', [2, 9, 11, 6], 8, 5, 3, [2, 2], 'valid', [1, 1]],
  ['3×3 same, dilation 2, 2 ch → 17', [1, 10, 9, 2], 17, 3, 3, [1, 1], 'same', [2, 2]],
  ['1×1, 4 ch → 3, one pixel', [5, 1, 1, 4], 3, 1, 1, [1, 1], 'valid', [1, 1]],
  ['3×3 same, odd channels 3 → 9 (patch path on SIMD)', [2, 6, 5, 3], 9, 3, 3, [1, 1], 'same', [1, 1]],
  ['2×2 stride 2 same, 10 ch (image size not a multiple of 4) → 5', [3, 5, 3, 10], 5, 2, 2, [2, 2], 'same', [1, 1]],
];

describe('int8 Conv2D kernel', () => {
  const paths: ('patches-js' | 'patches-simd' | 'direct')[] = ['patches-js', ...(int8WasmSupported() ? (['patches-simd', 'direct'] as const) : [])];
  for (const [name, shape, n, kh, kw, strides, padding, dilations] of CASES) {
    for (const calibrated of [false, true]) {
      it(`${name}${calibrated ? ', calibrated scale' : ''}: every path equals the integer definition bit for bit`, () => {
        const opts = { strides, padding, dilations };
        const x = floats(shape.reduce((a, b) => a * b, 1), `x-${name}`, 3);
        const k = kh * kw * shape[3];
        const w = ints(k * n, `w-${name}`);
        const sw = floats(n, `s-${name}`).map((v) => 50 + 40 * v);
        const bias = floats(n, `b-${name}`);
        const inputScale = calibrated ? 21.5 : null;
        const ref = reference(x, shape, w, kh, kw, sw, bias, opts, inputScale);
        const g = resolveWindow2D('t', shape, [kh, kw], n, opts);
        for (const path of paths) {
          if (path === 'direct' && shape[3] % 2 === 1) continue;
          const y = new Float32Array(ref.y.length).fill(NaN);
          int8Conv2d(x, g, inputScale, packInt8BTight(w, k, n), sw, bias, y, path);
          expect(Array.from(y), path).toEqual(Array.from(ref.y));
        }
      });
    }
  }

  it.skipIf(!int8WasmSupported())('the direct path takes extreme values (all −127) without overflow', () => {
    const shape = [1, 4, 4, 64];
    const x = new Float32Array(4 * 4 * 64).fill(-1);
    const w = new Int8Array(9 * 64 * 8).fill(-127);
    const g = resolveWindow2D('t', shape, [3, 3], 8, { strides: [1, 1], padding: 'same', dilations: [1, 1] });
    const y = new Float32Array(16 * 8);
    int8Conv2d(x, g, 127, packInt8BTight(w, 9 * 64, 8), new Float32Array(8).fill(1), null, y, 'direct');
    // Centre pixel (1,1): all 9 taps inside; acc = 9·64·127² exactly.
    expect(y[(1 * 4 + 1) * 8]).toBe(Math.fround(Math.fround(9 * 64 * 127 * 127) * Math.fround(1 / 127)));
  });

  it.skipIf(!int8WasmSupported())('an image holding a NaN gets the same scale on the direct path (abs-max in wasm) as in JS', () => {
    // imageScales skips a NaN; the SIMD maximum would carry it: the direct path must redo that image in JS.
    const shape = [2, 3, 3, 6];
    const x = floats(2 * 3 * 3 * 6, 'nan-x', 2);
    x[5] = NaN;
    const g = resolveWindow2D('t', shape, [3, 3], 8, { strides: [1, 1], padding: 'same', dilations: [1, 1] });
    const k = 9 * 6;
    const w = packInt8BTight(ints(k * 8, 'nan-w'), k, 8);
    const sw = floats(8, 'nan-s').map((v) => 50 + 40 * v);
    const run = (path: 'patches-js' | 'direct'): number[] => {
      const y = new Float32Array(2 * 9 * 8);
      int8Conv2d(x, g, null, w, sw, null, y, path);
      return Array.from(y);
    };
    expect(Number.isFinite(imageScales(x, 2, 54, null)[0])).toBe(true);
    expect(run('direct')).toEqual(run('patches-js'));
  });

  it('the tap table marks padding and tail pixels with −1', () => {
    const g = resolveWindow2D('t', [1, 3, 3, 2], [3, 3], 1, { strides: [1, 1], padding: 'same', dilations: [1, 1] });
    const t = convTapTable(g);
    expect(t.length).toBe(Math.ceil(9 / 4) * 9 * 4);
    // Pixel 0 (corner): tap (0,0) is padding; tap (1,1) reads pixel 0 at byte 0; tap (2,2) reads pixel (1,1) = 4 → 4·2·2 bytes.
    expect(t[0]).toBe(-1);
    expect(t[4 * 4]).toBe(0);
    expect(t[8 * 4]).toBe(16);
    // Tile 2 holds pixel 8 and three tail slots.
    expect(t[2 * 9 * 4 + 4 * 4 + 1]).toBe(-1);
  });
});
