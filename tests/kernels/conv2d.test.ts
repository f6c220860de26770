import { afterEach, describe, expect, it } from 'vitest';
import { conv2dBackward, conv2dForward, conv2dGradFilter, conv2dGradInput } from '../../src/kernels/conv2d.js';
import { col2im, im2col, patchSize } from '../../src/kernels/im2col.js';
import { resolveWindow2D } from '../../src/kernels/window2d.js';
import { relaxedSimdSupported, setGemmPath, wasmSimdSupported, type GemmPath } from '../../src/kernels/wasm/gemm-wasm.js';
import { expectClose } from '../helpers/close.js';
import { conv2dGradRef, conv2dRef, WindowRef } from '../helpers/reference.js';
import { seededArray } from '../helpers/seeded.js';

interface Case {
  x: number[];
  f: number[];
  w: WindowRef;
}

const size = (shape: number[]): number => shape.reduce((p, d) => p * d, 1);

// Odd sizes, both paddings, strides 1..3, rectangular and 1×1 filters, dilation 2, batch > 1.
const CASES: Case[] = [
  { x: [2, 7, 6, 3], f: [3, 3, 3, 5], w: { strides: [1, 1], padding: 'valid' } },
  { x: [2, 7, 6, 3], f: [3, 3, 3, 5], w: { strides: [1, 1], padding: 'same' } },
  { x: [1, 9, 8, 2], f: [3, 2, 2, 3], w: { strides: [2, 3], padding: 'same' } },
  { x: [2, 8, 9, 3], f: [2, 3, 3, 4], w: { strides: [3, 3], padding: 'valid' } },
  { x: [1, 10, 9, 1], f: [3, 3, 1, 2], w: { strides: [1, 1], padding: 'same', dilations: [2, 2] } },
  { x: [1, 9, 11, 3], f: [2, 3, 3, 1], w: { strides: [2, 1], padding: 'valid', dilations: [2, 3] } },
  { x: [3, 5, 5, 4], f: [1, 1, 4, 3], w: { strides: [1, 1], padding: 'valid' } },
  { x: [2, 7, 7, 3], f: [1, 1, 3, 2], w: { strides: [2, 2], padding: 'same' } },
  { x: [1, 4, 4, 2], f: [5, 5, 2, 3], w: { strides: [1, 1], padding: 'same' } },
  { x: [2, 5, 6, 1], f: [4, 4, 1, 1], w: { strides: [3, 2], padding: 'same' } },
  { x: [1, 3, 3, 1], f: [3, 3, 1, 1], w: { strides: [1, 1], padding: 'valid' } },
  // Output channels across the 8-lane padding of the WebAssembly kernels, input channels across 4, a pixel count
  // that is no multiple of 4, and the W3 benchmark's shapes.
  { x: [1, 5, 6, 5], f: [3, 3, 5, 9], w: { strides: [1, 1], padding: 'same' } },
  { x: [2, 6, 5, 7], f: [2, 3, 7, 17], w: { strides: [2, 1], padding: 'same', dilations: [1, 1] } },
  { x: [3, 7, 7, 9], f: [3, 2, 9, 8], w: { strides: [1, 1], padding: 'valid', dilations: [2, 1] } },
  { x: [2, 28, 28, 1], f: [3, 3, 1, 8], w: { strides: [1, 1], padding: 'valid' } },
  { x: [2, 13, 13, 8], f: [3, 3, 8, 16], w: { strides: [1, 1], padding: 'valid' } },
];

/** The GEMM paths this runtime has; the convolution kernels follow the one in force. */
const PATHS: GemmPath[] = ['js', ...(wasmSimdSupported() ? (['simd'] as const) : []), ...(relaxedSimdSupported() ? (['relaxed'] as const) : [])];

afterEach(() => setGemmPath('auto'));

function run(c: Case, seed: number, withBias: boolean, relu = false): void {
  const x = seededArray(size(c.x), seed);
  const f = seededArray(size(c.f), seed + 1);
  const bias = withBias ? seededArray(c.f[3], seed + 2) : null;
  const g = resolveWindow2D('conv2d', c.x, [c.f[0], c.f[1]], c.f[3], c.w);
  const ref = conv2dRef(x, c.x, f, c.f, c.w, bias ?? undefined);
  if (relu) ref.data.forEach((v, i) => (ref.data[i] = Math.max(v, 0)));
  expect([g.batch, g.outHeight, g.outWidth, g.outChannels]).toEqual(ref.shape);
  const label = JSON.stringify(c);
  const y = new Float32Array(size(ref.shape)).fill(NaN);
  conv2dForward(x, f, bias, g, y, relu);
  expectClose(y, ref.data, { rtol: 1e-5, atol: 1e-5 });

  const dy = seededArray(y.length, seed + 3);
  const grads = conv2dGradRef(x, c.x, f, c.f, c.w, dy);
  const dx = new Float32Array(x.length).fill(NaN);
  conv2dGradInput(dy, f, g, dx);
  const df = new Float32Array(f.length).fill(NaN);
  conv2dGradFilter(x, dy, g, df);
  try {
    expectClose(dx, grads.dx, { rtol: 1e-5, atol: 1e-5 });
    // The filter gradient sums batch·outH·outW products; the SIMD GEMM accumulates them in float32 (as TF.js
    // does), whose rounding grows like the square root of the length: scale the tolerance with it.
    const dfTol = 1e-5 * Math.max(1, Math.sqrt(g.batch * g.outHeight * g.outWidth) / 10);
    expectClose(df, grads.df, { rtol: dfTol, atol: dfTol });
  } catch (e) {
    throw new Error(`${label}: ${(e as Error).message}`);
  }
}

describe('conv2d kernels', () => {
  it.each(PATHS)('forward, input gradient and filter gradient match the naive float64 references (%s path)', (path) => {
    setGemmPath(path);
    CASES.forEach((c, i) => run(c, 10 * i + 1, i % 2 === 0));
  });

  it.each(PATHS)('the fused ReLU clamps the biased sum at zero (%s path)', (path) => {
    setGemmPath(path);
    CASES.forEach((c, i) => run(c, 10 * i + 7, i % 2 === 1, true));
  });

  it.each(PATHS)('a NaN or infinity in the input reaches exactly the outputs whose windows read it (%s path)', (path) => {
    setGemmPath(path);
    const shape = [1, 4, 5, 2];
    const g = resolveWindow2D('conv2d', shape, [2, 2], 3, { padding: 'same' });
    const x = seededArray(size(shape), 91);
    x[(1 * 5 + 2) * 2 + 1] = NaN;
    x[(3 * 5 + 4) * 2] = Infinity;
    const f = seededArray(2 * 2 * 2 * 3, 92).map(Math.abs);
    const y = new Float32Array(g.outHeight * g.outWidth * 3);
    conv2dForward(x, f, null, g, y);
    // 'same' with a 2×2 window pads after: output (oy, ox) reads rows oy, oy+1 and columns ox, ox+1.
    for (let oy = 0; oy < 4; oy++) for (let ox = 0; ox < 5; ox++) for (let o = 0; o < 3; o++) {
      const v = y[(oy * 5 + ox) * 3 + o];
      const readsNaN = (oy === 0 || oy === 1) && (ox === 1 || ox === 2);
      const readsInf = (oy === 2 || oy === 3) && (ox === 3 || ox === 4);
      if (readsNaN) expect(v).toBeNaN();
      else if (readsInf) expect(v).toBe(Infinity);
      else expect(Number.isFinite(v)).toBe(true);
    }
  });

  it.each(PATHS)('conv2dBackward: every subset of gradients, with and without the ReLU mask, matches the references (%s path)', (path) => {
    setGemmPath(path);
    CASES.forEach((c, i) => {
      const x = seededArray(size(c.x), 300 + i);
      const f = seededArray(size(c.f), 310 + i);
      const g = resolveWindow2D('conv2d', c.x, [c.f[0], c.f[1]], c.f[3], c.w);
      const rows = g.batch * g.outHeight * g.outWidth;
      const y = new Float32Array(rows * g.outChannels);
      conv2dForward(x, f, null, g, y, true);
      const dy = seededArray(y.length, 320 + i);
      for (const relu of [false, true]) {
        const masked = relu ? dy.map((v, j) => (y[j] > 0 ? v : 0)) : dy;
        const ref = conv2dGradRef(x, c.x, f, c.f, c.w, masked);
        const db = new Float64Array(g.outChannels);
        masked.forEach((v, j) => (db[j % g.outChannels] += v));
        const subset = i % 3;
        const out = {
          dx: subset !== 1 ? new Float32Array(x.length).fill(NaN) : null,
          dFilter: subset !== 2 ? new Float32Array(f.length).fill(NaN) : null,
          db: new Float32Array(g.outChannels).fill(NaN),
        };
        conv2dBackward(x, f, dy, relu ? y : null, g, out);
        const tol = 1e-5 * Math.max(1, Math.sqrt(rows) / 10);
        if (out.dx !== null) expectClose(out.dx, ref.dx, { rtol: 1e-5, atol: 1e-5 });
        if (out.dFilter !== null) expectClose(out.dFilter, ref.df, { rtol: tol, atol: tol });
        expectClose(out.db, db, { rtol: tol, atol: tol });
      }
    });
  });

  it('agree with the references when the patch matrix is built in several chunks', () => {
    // 3·60·60 output pixels of 27 taps exceed one chunk (2^18 elements), so rows are split.
    run({ x: [3, 62, 62, 3], f: [3, 3, 3, 2], w: { strides: [1, 1], padding: 'valid' } }, 500, true);
  });

  it('a 1×1 identity filter copies the input, and a hand-derived 2×2 sum', () => {
    const g = resolveWindow2D('conv2d', [1, 2, 2, 1], [2, 2], 1, {});
    const y = new Float32Array(1);
    conv2dForward(new Float32Array([1, 2, 3, 4]), new Float32Array([1, 10, 100, 1000]), new Float32Array([0.5]), g, y);
    expect(y[0]).toBe(1 + 20 + 300 + 4000 + 0.5);
    const id = resolveWindow2D('conv2d', [1, 2, 1, 2], [1, 1], 2, {});
    const out = new Float32Array(4);
    conv2dForward(new Float32Array([1, 2, 3, 4]), new Float32Array([1, 0, 0, 1]), null, id, out);
    expect(Array.from(out)).toEqual([1, 2, 3, 4]);
  });

  it('col2im is the adjoint of im2col: <im2col(x), c> = <x, col2im(c)>', () => {
    const shape = [2, 5, 4, 3];
    const g = resolveWindow2D('conv2d', shape, [3, 2], 1, { strides: [2, 1], padding: 'same', dilations: [1, 2] });
    const rows = g.batch * g.outHeight * g.outWidth;
    const x = seededArray(size(shape), 71);
    const c = seededArray(rows * patchSize(g), 72);
    const cols = new Float32Array(c.length);
    im2col(x, g, 0, rows, cols);
    const back = new Float32Array(x.length);
    col2im(c, g, 0, rows, back);
    let left = 0;
    let right = 0;
    for (let i = 0; i < c.length; i++) left += cols[i] * c[i];
    for (let i = 0; i < x.length; i++) right += x[i] * back[i];
    expectClose(left, right, { rtol: 1e-5, atol: 1e-5 });
  });
});
