import { afterEach, describe, expect, it } from 'vitest';
import { conv2dBackward, conv2dForward } from '../../../src/kernels/conv2d.js';
import { maxPool2d, maxPool2dGrad, avgPool2d, avgPool2dGrad } from '../../../src/kernels/pool2d.js';
import { UnaryOp, unaryGradKernel, unaryKernel } from '../../../src/kernels/unary.js';
import { resolveWindow2D } from '../../../src/kernels/window2d.js';
import { setWasmChunkBytes, wasmChunkBytes } from '../../../src/kernels/wasm/chunk-budget.js';
import { setGemmPath, wasmSimdSupported } from '../../../src/kernels/wasm/gemm-wasm.js';
import { expectClose } from '../../helpers/close.js';
import { avgPoolGradRef, avgPoolRef, conv2dGradRef, conv2dRef, maxPoolRef, type WindowRef } from '../../helpers/reference.js';
import { seededArray } from '../../helpers/seeded.js';

const size = (shape: number[]): number => shape.reduce((p, d) => p * d, 1);
const initial = wasmChunkBytes();

afterEach(() => {
  setWasmChunkBytes(initial);
  setGemmPath('auto');
});

// The smallest budget (64 KiB) puts every image of these inputs in its own call.
describe.skipIf(!wasmSimdSupported())('WebAssembly kernels over chunks of a batch', () => {
  it('conv2d forward and every gradient match the references when each image is its own call', () => {
    setGemmPath('simd');
    setWasmChunkBytes(0);
    const xShape = [5, 28, 28, 3];
    const fShape = [3, 3, 3, 9];
    const w: WindowRef = { strides: [1, 1], padding: 'same' };
    const g = resolveWindow2D('conv2d', xShape, [3, 3], 9, w);
    const x = seededArray(size(xShape), 1);
    const f = seededArray(size(fShape), 2);
    const bias = seededArray(9, 3);
    const y = new Float32Array(g.batch * g.outHeight * g.outWidth * 9);
    conv2dForward(x, f, bias, g, y, true);
    const ref = conv2dRef(x, xShape, f, fShape, w, bias);
    expectClose(y, ref.data.map((v) => Math.max(v, 0)), { rtol: 1e-5, atol: 1e-5 });
    const dy = seededArray(y.length, 4);
    const out = { dx: new Float32Array(x.length), dFilter: new Float32Array(f.length), db: new Float32Array(9) };
    conv2dBackward(x, f, dy, y, g, out);
    const masked = dy.map((v, i) => (y[i] > 0 ? v : 0));
    const grads = conv2dGradRef(x, xShape, f, fShape, w, masked);
    const db = new Float64Array(9);
    masked.forEach((v, i) => (db[i % 9] += v));
    expectClose(out.dx, grads.dx, { rtol: 1e-5, atol: 1e-5 });
    expectClose(out.dFilter, grads.df, { rtol: 1e-4, atol: 1e-4 });
    expectClose(out.db, db, { rtol: 1e-4, atol: 1e-4 });
  });

  it('max pooling argmax indices point into the whole batch, and average pooling both ways match', () => {
    setGemmPath('simd');
    setWasmChunkBytes(0);
    const xShape = [4, 64, 64, 8];
    const w: WindowRef = { strides: [2, 2], padding: 'same' };
    const g = resolveWindow2D('pool', xShape, [3, 3], 8, w);
    const x = seededArray(size(xShape), 5);
    const ref = maxPoolRef(x, xShape, [3, 3], w);
    const y = new Float32Array(ref.data.length);
    const argmax = new Int32Array(y.length);
    maxPool2d(x, g, y, argmax);
    expectClose(y, ref.data, { rtol: 0, atol: 0 });
    expect(Array.from(argmax)).toEqual(ref.argmax);
    const dx = new Float32Array(x.length);
    maxPool2dGrad(y, argmax, dx);
    const avg = new Float32Array(y.length);
    avgPool2d(x, g, avg);
    expectClose(avg, avgPoolRef(x, xShape, [3, 3], w).data, { rtol: 1e-6, atol: 1e-6 });
    const dxAvg = new Float32Array(x.length);
    avgPool2dGrad(y, g, dxAvg);
    expectClose(dxAvg, avgPoolGradRef(xShape, [3, 3], w, y), { rtol: 1e-6, atol: 1e-6 });
  });

  it('relu forward and backward over several chunks of elements', () => {
    setGemmPath('simd');
    setWasmChunkBytes(0);
    const n = 3 * 8192 + 5;
    const x = seededArray(n, 6);
    const dy = seededArray(n, 7);
    const y = new Float32Array(n);
    const dx = new Float32Array(n);
    unaryKernel(UnaryOp.Relu, x, y);
    unaryGradKernel(UnaryOp.Relu, x, y, dy, dx);
    expect(Array.from(y)).toEqual(Array.from(x, (v) => (v > 0 ? v : 0)));
    expect(Array.from(dx)).toEqual(Array.from(x, (v, i) => (v > 0 ? dy[i] : 0)));
  });
});
