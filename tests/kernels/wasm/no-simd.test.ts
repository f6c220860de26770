import { describe, expect, it, vi } from 'vitest';
import { NeuriteError, ValueError } from '../../../src/util/errors.js';

// A runtime whose WebAssembly lacks SIMD: its validator rejects every module the library emits.
vi.mock('../../../src/kernels/wasm/wasm-api.js', () => ({
  wasmApi: { validate: () => false },
}));

const wasm = await import('../../../src/kernels/wasm/gemm-wasm.js');

describe('a runtime without WebAssembly SIMD', () => {
  it('reports no SIMD and selects the plain-JS path for every size', () => {
    expect(wasm.wasmSimdSupported()).toBe(false);
    expect(wasm.relaxedSimdSupported()).toBe(false);
    expect(wasm.getGemmPath()).toBe('js');
    expect(wasm.useWasmGemm(1024, 1024, 1024)).toBe(false);
    expect(wasm.gemmWasmThreads(1024, 1024, 1024)).toBe(1);
  });

  it('refuses to force a SIMD path, and gemmWasm says why it cannot run', () => {
    expect(() => wasm.setGemmPath('simd')).toThrow(ValueError);
    expect(() => wasm.setGemmPath('relaxed')).toThrow(ValueError);
    const z = new Float32Array(4);
    expect(() => wasm.gemmWasm(2, 2, 1, z, false, z, false, z)).toThrow(NeuriteError);
    expect(() => wasm.gemmWasm(2, 2, 1, z, false, z, false, z)).toThrow(/lacks WebAssembly SIMD/);
  });

  it('warming up threads is a no-op', async () => {
    await expect(wasm.warmUpThreads()).resolves.toBeUndefined();
  });
});
