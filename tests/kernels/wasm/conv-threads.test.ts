import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conv2dBackward, conv2dForward } from '../../../src/kernels/conv2d.js';
import { resolveWindow2D } from '../../../src/kernels/window2d.js';
import { gemmWasmThreads, getNumThreads, setGemmPath, setNumThreads, warmUpThreads, wasmSimdSupported } from '../../../src/kernels/wasm/gemm-wasm.js';
import { expectClose } from '../../helpers/close.js';
import { conv2dGradRef, conv2dRef, type WindowRef } from '../../helpers/reference.js';
import { seededArray } from '../../helpers/seeded.js';

interface Case {
  x: number[];
  f: number[];
  w: WindowRef;
}

const size = (shape: number[]): number => shape.reduce((p, d) => p * d, 1);
const bits = (a: Float32Array): number[] => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

/** Forward (ReLU fused) and every gradient, on `threads` threads. */
function runAll(c: Case, threads: number) {
  setNumThreads(threads);
  const g = resolveWindow2D('conv2d', c.x, [c.f[0], c.f[1]], c.f[3], c.w);
  const x = seededArray(size(c.x), 1);
  const f = seededArray(size(c.f), 2);
  const bias = seededArray(c.f[3], 3);
  const y = new Float32Array(g.batch * g.outHeight * g.outWidth * g.outChannels);
  conv2dForward(x, f, bias, g, y, true);
  const dy = seededArray(y.length, 4);
  const out = { dx: new Float32Array(x.length), dFilter: new Float32Array(f.length), db: new Float32Array(c.f[3]) };
  conv2dBackward(x, f, dy, y, g, out);
  return { g, x, f, bias, y, dy, ...out };
}

// Large enough to split (rows·channels·patch past the threads' threshold); batches and tap counts that
// do not divide by the thread count; input channels across the 4-lane padding, output channels across 8.
const CASES: Case[] = [
  { x: [5, 30, 29, 3], f: [3, 3, 3, 17], w: { strides: [1, 1], padding: 'same' } },
  { x: [7, 21, 23, 5], f: [2, 3, 5, 9], w: { strides: [2, 1], padding: 'valid' } },
  { x: [4, 26, 26, 8], f: [3, 3, 8, 16], w: { strides: [1, 1], dilations: [2, 2], padding: 'same' } },
];

describe.skipIf(!wasmSimdSupported())('direct conv2d kernels on worker threads', () => {
  const initial = getNumThreads();
  beforeAll(async () => {
    setGemmPath('simd');
    setNumThreads(3);
    await warmUpThreads();
  });
  afterAll(() => {
    setGemmPath('auto');
    setNumThreads(initial);
  });

  it.each(CASES)('forward and all gradients are bit-identical to one thread and match the references: %j', (c) => {
    setNumThreads(3);
    const probe = resolveWindow2D('conv2d', c.x, [c.f[0], c.f[1]], c.f[3], c.w);
    const rows = probe.batch * probe.outHeight * probe.outWidth;
    expect(gemmWasmThreads(rows, Math.ceil(c.f[3] / 8) * 8, c.f[0] * c.f[1] * c.f[2])).toBeGreaterThan(1);
    const many = runAll(c, 3);
    const one = runAll(c, 1);
    for (const key of ['y', 'dx', 'dFilter', 'db'] as const) expect(bits(many[key]), key).toEqual(bits(one[key]));

    const ref = conv2dRef(many.x, c.x, many.f, c.f, c.w, many.bias);
    expectClose(many.y, ref.data.map((v) => Math.max(v, 0)), { rtol: 1e-5, atol: 1e-5 });
    const masked = many.dy.map((v, i) => (many.y[i] > 0 ? v : 0));
    const grads = conv2dGradRef(many.x, c.x, many.f, c.f, c.w, masked);
    const tol = 1e-5 * Math.max(1, Math.sqrt(rows) / 10);
    expectClose(many.dx, grads.dx, { rtol: 1e-5, atol: 1e-5 });
    expectClose(many.dFilter, grads.df, { rtol: tol, atol: tol });
  });
});
