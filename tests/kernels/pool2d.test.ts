import { afterEach, describe, expect, it } from 'vitest';
import { relaxedSimdSupported, setGemmPath, wasmSimdSupported, type GemmPath } from '../../src/kernels/wasm/gemm-wasm.js';
import { avgPool2d, avgPool2dGrad, maxPool2d, maxPool2dGrad } from '../../src/kernels/pool2d.js';
import { resolveWindow2D } from '../../src/kernels/window2d.js';
import { expectClose } from '../helpers/close.js';
import { avgPoolGradRef, avgPoolRef, maxPoolGradRef, maxPoolRef, WindowRef } from '../helpers/reference.js';
import { seededArray } from '../helpers/seeded.js';

interface Case {
  x: number[];
  pool: [number, number];
  w: WindowRef;
}

const size = (shape: number[]): number => shape.reduce((p, d) => p * d, 1);

const CASES: Case[] = [
  { x: [2, 6, 6, 3], pool: [2, 2], w: { strides: [2, 2], padding: 'valid' } },
  { x: [2, 7, 5, 3], pool: [2, 2], w: { strides: [2, 2], padding: 'same' } },
  { x: [1, 7, 8, 2], pool: [3, 3], w: { strides: [2, 2], padding: 'same' } },
  { x: [3, 5, 7, 1], pool: [3, 2], w: { strides: [1, 2], padding: 'same' } },
  { x: [1, 9, 7, 4], pool: [2, 3], w: { strides: [3, 1], padding: 'valid' } },
  { x: [2, 4, 5, 3], pool: [1, 1], w: { strides: [1, 1], padding: 'valid' } },
  { x: [1, 5, 5, 2], pool: [4, 4], w: { strides: [3, 3], padding: 'same' } },
  { x: [1, 8, 9, 2], pool: [3, 2], w: { strides: [1, 1], padding: 'same', dilations: [2, 2] } },
  // Channels in whole f32x4 vectors run the WebAssembly kernels (others stay on plain JS).
  { x: [2, 6, 7, 8], pool: [2, 2], w: { strides: [2, 2], padding: 'valid' } },
  { x: [1, 7, 8, 4], pool: [3, 3], w: { strides: [2, 2], padding: 'same' } },
  { x: [2, 9, 8, 12], pool: [3, 2], w: { strides: [1, 1], padding: 'same', dilations: [2, 2] } },
  { x: [1, 5, 5, 4], pool: [4, 4], w: { strides: [3, 3], padding: 'same' } },
  { x: [3, 26, 26, 8], pool: [2, 2], w: { strides: [2, 2], padding: 'valid' } },
];

/** Plain JS and the WebAssembly paths this runtime has; pooling follows the GEMM path in force. */
const PATHS: GemmPath[] = ['js', ...(wasmSimdSupported() ? (['simd'] as const) : []), ...(relaxedSimdSupported() ? (['relaxed'] as const) : [])];

afterEach(() => setGemmPath('auto'));

describe.each(PATHS)('pool2d kernels (%s path)', (path) => {
  CASES.forEach((c, i) => {
    it(`max and average pooling, forward and backward, match the references: ${JSON.stringify(c)}`, () => {
      setGemmPath(path);
      const x = seededArray(size(c.x), 20 + i);
      const g = resolveWindow2D('pool', c.x, c.pool, c.x[3], c.w);
      const max = maxPoolRef(x, c.x, c.pool, c.w);
      expect([g.batch, g.outHeight, g.outWidth, g.outChannels]).toEqual(max.shape);
      const y = new Float32Array(size(max.shape)).fill(NaN);
      const argmax = new Int32Array(y.length);
      maxPool2d(x, g, y, argmax);
      expectClose(y, max.data, { rtol: 0, atol: 0 });
      expect(Array.from(argmax)).toEqual(max.argmax);

      const dy = seededArray(y.length, 40 + i);
      const dx = new Float32Array(x.length).fill(NaN);
      maxPool2dGrad(dy, argmax, dx);
      expectClose(dx, maxPoolGradRef(x, c.x, c.pool, c.w, dy), { rtol: 1e-6, atol: 1e-7 });

      const avg = new Float32Array(y.length).fill(NaN);
      avgPool2d(x, g, avg);
      expectClose(avg, avgPoolRef(x, c.x, c.pool, c.w).data, { rtol: 1e-6, atol: 1e-6 });
      const dxAvg = new Float32Array(x.length).fill(NaN);
      avgPool2dGrad(dy, g, dxAvg);
      expectClose(dxAvg, avgPoolGradRef(c.x, c.pool, c.w, dy), { rtol: 1e-6, atol: 1e-6 });
    });
  });

  it('ties send the gradient to the first maximum in window order, as TF', () => {
    // One 2×2 window over [[3, 3], [1, 3]]: the top-left 3 wins. Four channels: channel c holds the window plus c.
    setGemmPath(path);
    const g = resolveWindow2D('pool', [1, 2, 2, 4], [2, 2], 4, { strides: 2 });
    const y = new Float32Array(4);
    const argmax = new Int32Array(4);
    maxPool2d(new Float32Array([3, 3, 1, 3].flatMap((v) => [v, v + 1, v + 2, v + 3])), g, y, argmax);
    const dx = new Float32Array(16);
    maxPool2dGrad(new Float32Array([5, 6, 7, 8]), argmax, dx);
    expect(Array.from(y)).toEqual([3, 4, 5, 6]);
    expect(Array.from(dx)).toEqual([5, 6, 7, 8, ...new Array<number>(12).fill(0)]);
  });

  it("'same' average at a corner divides by the real pixels only (hand-derived)", () => {
    // 3×3 input 1..9, pool 2, stride 2, 'same': out 2×2, total pad 1 → 0 before, 1 after.
    const g = resolveWindow2D('pool', [1, 3, 3, 1], [2, 2], 1, { strides: 2, padding: 'same' });
    const y = new Float32Array(4);
    avgPool2d(new Float32Array([1, 2, 3, 4, 5, 6, 7, 8, 9]), g, y);
    expect(Array.from(y)).toEqual([(1 + 2 + 4 + 5) / 4, (3 + 6) / 2, (7 + 8) / 2, 9]);
  });

  it('a NaN in a window propagates through max pooling instead of vanishing; the first NaN stays', () => {
    setGemmPath(path);
    // Channel 0: [1, NaN, 7, 2]; channel 1: [NaN, 9, NaN, 1]; channel 2: [-5, -3, -3, -4] (a tie); channel 3: [2, 8, 8, -1].
    const g = resolveWindow2D('pool', [1, 2, 2, 4], [2, 2], 4, { strides: 2 });
    const y = new Float32Array(4);
    const argmax = new Int32Array(4);
    const x = [[1, NaN, -5, 2], [NaN, 9, -3, 8], [7, NaN, -3, 8], [2, 1, -4, -1]].flat();
    maxPool2d(new Float32Array(x), g, y, argmax);
    expect(y[0]).toBeNaN();
    expect(y[1]).toBeNaN();
    expect(y[2]).toBe(-3);
    expect(y[3]).toBe(8);
    expect(Array.from(argmax)).toEqual([4, 1, 6, 7]);
  });
});
