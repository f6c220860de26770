import { describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import { int8Conv2d } from '../../src/kernels/int8-conv.js';
import { int8MatmulJs } from '../../src/kernels/int8-gemm.js';
import { packInt8BTight } from '../../src/kernels/int8-pack.js';
import { packQuadTight, quadTightLength, stageQuadB, unpackQuadTight, quadPaddedLength } from '../../src/kernels/int8-pack-quad.js';
import { resolveWindow2D } from '../../src/kernels/window2d.js';
import { int8Conv2dRelaxedWasm, int8MatmulRelaxedWasm, int8RelaxedSupported } from '../../src/kernels/wasm/int8-relaxed-wasm.js';
import { imageScales } from '../../src/kernels/int8-conv.js';

function floats(n: number, seed: string, scale = 1): Float32Array {
  const rng = seedrandom(seed);
  return Float32Array.from({ length: n }, () => scale * (2 * rng() - 1));
}

/** int8 weights over the whole range [−127, 127]. */
function ints8(n: number, seed: string, extreme = false): Int8Array {
  const rng = seedrandom(seed);
  return Int8Array.from({ length: n }, () => (extreme ? -127 : -127 + Math.floor(255 * rng())));
}

describe('int8 quad packing (relaxed kernel layout)', () => {
  it('packs without padding columns, unpacks to B, stages the padded panel', () => {
    for (const [k, n] of [[7, 11], [8, 16], [5, 2], [1, 1], [30, 64], [36, 13]]) {
      const b = ints8(k * n, `${k}-${n}`);
      const tight = packQuadTight(b, k, n);
      expect(tight.length).toBe(quadTightLength(k, n));
      expect(tight.length).toBe(Math.ceil(k / 4) * 4 * n);
      expect(Array.from(unpackQuadTight(tight, k, n))).toEqual(Array.from(b));
      const staged = new Uint8Array(quadPaddedLength(k, n) + 3).fill(7);
      stageQuadB(tight, k, n, staged, 3);
      const kq = Math.ceil(k / 4);
      // Every B[p][j] sits at (panel·kq + p/4)·32 + 4·(j mod 8) + p mod 4; everything else is zero.
      const expected = new Int8Array(quadPaddedLength(k, n));
      for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) expected[((j >> 3) * kq + (p >> 2)) * 32 + 4 * (j & 7) + (p & 3)] = b[p * n + j];
      expect(Array.from(new Int8Array(staged.buffer, 3))).toEqual(Array.from(expected));
    }
  });
});

describe.skipIf(!int8RelaxedSupported())('int8 kernels on i32x4.relaxed_dot_i8x16_i7x16_add_s (int8 weights, 7-bit activations stored + 64)', () => {
  const DENSE: [number, number, number][] = [[1, 1, 1], [3, 5, 2], [5, 9, 3], [7, 8, 4], [6, 17, 5], [9, 3, 30], [13, 11, 33], [32, 64, 30], [2, 9, 13]];
  it.each(DENSE)('Dense m=%i n=%i k=%i equals the plain-JS int8 path with 7-bit activations bit for bit', (m, n, k) => {
    const x = floats(m * k, `x${m}${n}${k}`, 3);
    const w = ints8(k * n, `w${m}${n}${k}`);
    const sw = floats(n, `s${m}`).map((v) => 50 + 10 * v);
    const bias = floats(n, `b${n}`);
    for (const scales of [null, new Float32Array(m).fill(2), new Float32Array(m).fill(40)]) {
      const ref = new Float32Array(m * n);
      int8MatmulJs(x, m, k, scales, packInt8BTight(w, k, n), n, sw, bias, ref, 63);
      const y = new Float32Array(m * n).fill(NaN);
      int8MatmulRelaxedWasm(x, m, k, scales, packQuadTight(w, k, n), n, sw, bias, y);
      expect(Array.from(y)).toEqual(Array.from(ref));
    }
  });

  const CONV: [number[], number, number, number, [number, number], 'same' | 'valid'][] = [
    [[3, 7, 7, 16], 13, 3, 3, [1, 1], 'same'],
    [[2, 9, 11, 8], 8, 5, 3, [2, 2], 'valid'],
    [[1, 10, 9, 4], 17, 3, 3, [1, 1], 'same'],
    [[3, 5, 3, 12], 5, 2, 2, [2, 2], 'same'],
  ];
  it.each(CONV)('Conv2D %j → %i filters %i×%i equals the plain-JS int8 path with 7-bit activations bit for bit', (shape, n, kh, kw, strides, padding) => {
    const opts = { strides, padding, dilations: [1, 1] as [number, number] };
    const g = resolveWindow2D('t', shape, [kh, kw], n, opts);
    const k = kh * kw * shape[3];
    const x = floats(shape.reduce((a, b) => a * b, 1), `cx${shape}`, 2);
    const w = ints8(k * n, `cw${shape}`);
    const sw = floats(n, 'cs').map((v) => 40 + 10 * v);
    const bias = floats(n, 'cb');
    const ref = new Float32Array(g.batch * g.outHeight * g.outWidth * n);
    int8Conv2d(x, g, null, packInt8BTight(w, k, n), sw, bias, ref, 'patches-js', 63);
    const y = new Float32Array(ref.length).fill(NaN);
    int8Conv2dRelaxedWasm(x, g, imageScales(x, g.batch, shape[1] * shape[2] * shape[3], null, 63), packQuadTight(w, k, n), sw, bias, y);
    expect(Array.from(y)).toEqual(Array.from(ref));
  });

  it('extreme operands (levels −63, weights −127, depth 1024) give the exact integer sums', () => {
    const [m, k, n] = [4, 1024, 8];
    const x = new Float32Array(m * k).fill(-1);
    const w = ints8(k * n, 'e', true);
    const y = new Float32Array(m * n);
    int8MatmulRelaxedWasm(x, m, k, new Float32Array(m).fill(63), packQuadTight(w, k, n), n, new Float32Array(n).fill(1), null, y);
    const f = Math.fround;
    for (const v of y) expect(v).toBe(f(f(1024 * 127 * 63) * f(f(1 / 63) * 1)));
  });
});
