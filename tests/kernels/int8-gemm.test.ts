import { afterEach, describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import { int8GemmJs } from '../../src/kernels/int8-gemm-js.js';
import { int8Gemm, int8GemmPath, int8MatmulJs, int8Scratch, int8WasmSupported } from '../../src/kernels/int8-gemm.js';
import { absMaxRowScales, packInt8B, packInt8BTight, quantizePackA, roundHalfEven, stagePackedB, tightBLength, unpackInt8B, unpackInt8BTight } from '../../src/kernels/int8-pack.js';
import { int8GemmWasm, int8MatmulWasm } from '../../src/kernels/wasm/int8-wasm.js';
import { int8MatmulFusedWasm } from '../../src/kernels/wasm/int8-dense-wasm.js';
import { setGemmPath } from '../../src/kernels/wasm/gemm-wasm.js';

afterEach(() => setGemmPath('auto'));

/** Uniform integers in [lo, hi] from a fixed seed. */
function ints(n: number, seed: number, lo = -127, hi = 127): Int8Array {
  const rng = seedrandom(`int8-${seed}`);
  const out = new Int8Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + Math.floor((hi - lo + 1) * rng());
  return out;
}

/** The definition: C[i][j] = Σ_p A[i][p]·B[p][j], summed as plain integers. */
function naiveInt(m: number, n: number, k: number, a: Int8Array, b: Int8Array): number[] {
  const c: number[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * k + p] * b[p * n + j];
      c.push(s);
    }
  }
  return c;
}

type Kernel = (m: number, n: number, k: number, pa: Int16Array, pb: Int8Array, c: Int32Array) => void;

function check(kernel: Kernel, m: number, n: number, k: number, seed: number, extreme = false): void {
  const a = extreme ? new Int8Array(m * k).fill(-127) : ints(m * k, seed);
  const b = extreme ? new Int8Array(k * n).fill(-127) : ints(k * n, seed + 1000);
  const { packedA, c, ldc } = int8Scratch(m, n, k);
  quantizePackA(Float32Array.from(a), m, k, new Float32Array(m).fill(1), packedA);
  c.fill(12345); // every element of the result must be written
  kernel(m, n, k, packedA, packInt8B(b, k, n), c);
  const ref = naiveInt(m, n, k, a, b);
  const got: number[] = [];
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) got.push(c[i * ldc + j]);
  expect(got).toEqual(ref);
}

const SIZES: [number, number, number][] = [
  [1, 1, 1], [1, 9, 3], [5, 1, 2], [3, 7, 5], [4, 8, 16], [5, 9, 17], [13, 17, 19], [31, 37, 41], [33, 65, 129], [2, 3, 0],
];

describe('int8 GEMM', () => {
  it.each(SIZES)('plain JS equals the integer definition, m=%i n=%i k=%i', (m, n, k) => check(int8GemmJs, m, n, k, m + 7 * n + 31 * k));

  it.skipIf(!int8WasmSupported()).each(SIZES)('WebAssembly SIMD (i32x4.dot_i16x8_s) equals the definition, m=%i n=%i k=%i', (m, n, k) =>
    check(int8GemmWasm, m, n, k, m + 7 * n + 31 * k),
  );

  it.skipIf(!int8WasmSupported())('equals the definition with columns outermost (packed B over 192 KiB), m=5 n=700 k=601', () => {
    check(int8GemmWasm, 5, 700, 601, 77);
  });

  it.skipIf(!int8WasmSupported())('holds the extreme sum (−127)²·k exactly on both paths', () => {
    check(int8GemmJs, 5, 9, 301, 0, true);
    check(int8GemmWasm, 5, 9, 301, 0, true);
  });

  it('int8Gemm follows setGemmPath', () => {
    setGemmPath('js');
    expect(int8GemmPath()).toBe('js');
    check(int8Gemm, 6, 10, 7, 3);
    setGemmPath('auto');
    expect(int8GemmPath()).toBe(int8WasmSupported() ? 'simd' : 'js');
    check(int8Gemm, 6, 10, 7, 4);
  });
});

describe('int8 packing and quantization', () => {
  it('the tight form keeps no padding, unpacks to B, and stages to exactly the padded form', () => {
    for (const [k, n] of [[7, 11], [8, 16], [5, 2], [1, 1], [30, 64], [64, 2]]) {
      const b = ints(k * n, k * 100 + n);
      const tight = packInt8BTight(b, k, n);
      expect(tight.length).toBe(tightBLength(k, n));
      expect(tight.length).toBe(Math.ceil(k / 2) * 2 * n);
      expect(Array.from(unpackInt8BTight(tight, k, n))).toEqual(Array.from(b));
      const staged = new Int8Array(packInt8B(b, k, n).length + 5).fill(99);
      stagePackedB(tight, k, n, staged, 5);
      expect(Array.from(staged.subarray(5))).toEqual(Array.from(packInt8B(b, k, n)));
    }
  });

  it('unpackInt8B inverts packInt8B on odd sizes', () => {
    const b = ints(7 * 11, 5);
    expect(Array.from(unpackInt8B(packInt8B(b, 7, 11), 7, 11))).toEqual(Array.from(b));
  });

  it('roundHalfEven rounds halves to the even neighbour, as TF', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4, -2.6].map(roundHalfEven)).toEqual([0, 2, 2, 0, -2, -2, 2, -3]);
  });

  it('absMaxRowScales and quantizePackA follow q = clip(round(a·127/(max|a|+1e-7)), ±127)', () => {
    const a = new Float32Array([0.5, -2, 1, 0.25, 0, 0, 3, -3, 0.1]);
    const scales = new Float32Array(3);
    absMaxRowScales(a, 3, 3, scales);
    expect(scales[0]).toBeCloseTo(127 / 2, 5);
    expect(scales[1]).toBeCloseTo(127 / 0.25, 3);
    const packed = new Int16Array(2 * 8 * 1);
    quantizePackA(a, 3, 3, scales, packed);
    // Row r, depth p sits at (p >> 1)·8 + 2r + (p & 1).
    const at = (r: number, p: number): number => packed[(p >> 1) * 8 + 2 * r + (p & 1)];
    expect([at(0, 0), at(0, 1), at(0, 2)]).toEqual([32, -127, 63]); // 0.5·63.5 = 31.75 → 32; the 1e-7 puts 1·s just below 63.5 → 63
    expect([at(1, 0), at(1, 1), at(1, 2)]).toEqual([127, 0, 0]);
    expect([at(2, 0), at(2, 1), at(2, 2)]).toEqual([127, -127, 4]);
  });
});

describe('int8Matmul (quantize, multiply, dequantize)', () => {
  const CASES: [number, number, number][] = [[1, 1, 1], [3, 5, 2], [5, 9, 3], [7, 8, 4], [6, 17, 5], [9, 3, 30], [13, 11, 33], [32, 64, 30], [5, 16, 7], [2, 9, 13]];

  function inputs(m: number, n: number, k: number, seed: number) {
    const rng = seedrandom(`int8-matmul-${seed}`);
    const x = Float32Array.from({ length: m * k }, () => (rng() - 0.5) * 6);
    // Exact ties: with scale 2, x = ±1.25 gives x·s = ±2.5, which must round to ±2 on both paths.
    x[0] = 1.25;
    if (x.length > 1) x[x.length - 1] = -1.25;
    const b = ints(k * n, seed + 7);
    const sw = Float32Array.from({ length: n }, () => 40 + 80 * rng());
    const bias = Float32Array.from({ length: n }, () => rng() - 0.5);
    return { x, packedB: packInt8BTight(b, k, n), sw, bias };
  }

  it.skipIf(!int8WasmSupported()).each(CASES)('WebAssembly (packed-A GEMM and the fused path) and plain JS give identical floats, m=%i n=%i k=%i', (m, n, k) => {
    const { x, packedB, sw, bias } = inputs(m, n, k, m * 100 + n * 10 + k);
    const fixed = new Float32Array(m).fill(2); // calibrated: clips |x·s| > 127 nowhere, ties at ±2.5
    const small = new Float32Array(m).fill(60); // calibrated too high: x·s clips at ±127
    for (const scales of [null, fixed, small]) {
      const yJs = new Float32Array(m * n);
      const yWasm = new Float32Array(m * n).fill(NaN);
      int8MatmulJs(x, m, k, scales, packedB, n, sw, bias, yJs);
      int8MatmulWasm(x, m, k, scales, packedB, n, sw, bias, yWasm);
      expect(Array.from(yWasm)).toEqual(Array.from(yJs));
      // The fused path: rows read unpadded (a row's last group of eight runs into the next row).
      const yFused = new Float32Array(m * n).fill(NaN);
      int8MatmulFusedWasm(x, m, k, scales, packedB, n, sw, bias, yFused);
      expect(Array.from(yFused)).toEqual(Array.from(yJs));
    }
  });

  it('plain JS equals the definition to float32 rounding: q = clip(round(x·s)), y = Σ q·w / (s·sw) + b', () => {
    const [m, n, k] = [3, 4, 5];
    const { x, packedB, sw, bias } = inputs(m, n, k, 1);
    const w = unpackInt8BTight(packedB, k, n);
    const y = new Float32Array(m * n);
    const s = new Float32Array(m).fill(2);
    int8MatmulJs(x, m, k, s, packedB, n, sw, bias, y);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let acc = 0;
        for (let p = 0; p < k; p++) {
          const v = Math.fround(x[i * k + p] * 2);
          const f = Math.floor(v);
          const q = v - f === 0.5 ? (f % 2 === 0 ? f : f + 1) : Math.round(v);
          acc += Math.max(-127, Math.min(127, q)) * w[p * n + j];
        }
        // Keras divides by the scales' product; the kernels multiply by float32 reciprocals (a few ulps apart).
        const want = acc / (2 * sw[j]) + bias[j];
        expect(Math.abs(y[i * n + j] - want)).toBeLessThanOrEqual(4e-7 * (Math.abs(acc / (2 * sw[j])) + Math.abs(bias[j])) + 1e-12);
      }
    }
  });
});
