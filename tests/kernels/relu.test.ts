import { afterEach, describe, expect, it } from 'vitest';
import { UnaryOp, unaryGradKernel, unaryKernel } from '../../src/kernels/unary.js';
import { ELEMENTWISE_WASM_MIN } from '../../src/kernels/wasm/elementwise-wasm.js';
import { setGemmPath, wasmSimdSupported, type GemmPath } from '../../src/kernels/wasm/gemm-wasm.js';
import { seededArray } from '../helpers/seeded.js';

const PATHS: GemmPath[] = ['js', ...(wasmSimdSupported() ? (['simd'] as const) : [])];

afterEach(() => setGemmPath('auto'));

/** Odd lengths below, at and past the WebAssembly threshold, with NaN, infinities and zeros of both signs planted. */
function inputs(n: number, seed: number): { x: Float32Array; dy: Float32Array } {
  const x = seededArray(n, seed);
  const dy = seededArray(n, seed + 1, -3, 3);
  const special = [NaN, Infinity, -Infinity, 0, -0, 1e-40, -1e-40];
  special.forEach((v, i) => (x[(i * 97) % n] = v));
  dy[5 % n] = NaN;
  return { x, dy };
}

describe.each(PATHS)('relu kernels (%s path)', (path) => {
  it.each([7, ELEMENTWISE_WASM_MIN - 1, ELEMENTWISE_WASM_MIN, ELEMENTWISE_WASM_MIN + 3, 3 * ELEMENTWISE_WASM_MIN + 1])(
    'forward max(x, 0) and backward dy·[x > 0] match the definition on %i elements',
    (n) => {
      setGemmPath(path);
      const { x, dy } = inputs(n, n);
      const y = new Float32Array(n).fill(7);
      unaryKernel(UnaryOp.Relu, x, y);
      const dx = new Float32Array(n).fill(7);
      unaryGradKernel(UnaryOp.Relu, x, y, dy, dx);
      for (let i = 0; i < n; i++) {
        const v = x[i];
        // NaN passes through the forward pass; the gradient is dy only where x > 0 (0 for a NaN x).
        if (Number.isNaN(v)) expect(y[i]).toBeNaN();
        else expect(y[i] === (v > 0 ? v : 0)).toBe(true);
        if (v > 0) expect(Object.is(dx[i], dy[i])).toBe(true);
        else expect(dx[i] === 0).toBe(true);
      }
    },
  );
});
