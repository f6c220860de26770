import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { gemmWasm, relaxedSimdSupported, setGemmPath, setNumThreads, getNumThreads } from '../../../src/kernels/wasm/gemm-wasm.js';
import { allVariants, caseInputs, expectGemmClose, type GemmCase } from './gemm-check.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

// Odd sizes, a k past one depth block, and one product large enough to be split across threads.
const CASES: GemmCase[] = [
  ...allVariants(13, 17, 19),
  ...allVariants(5, 70, 1),
  { m: 37, n: 9, k: 300, transA: true, transB: false, accumulate: true },
  { m: 161, n: 140, k: 130, transA: false, transB: true, accumulate: false },
  // 5-row tiles cut by the edge (11 = 5 + 5 + 1, odd depth) and past two 125-row A blocks and one depth block.
  ...allVariants(11, 17, 3),
  { m: 253, n: 10, k: 257, transA: true, transB: false, accumulate: true },
];

afterEach(() => setGemmPath('auto'));

describe('gemmWasm, relaxed SIMD (f32x4.relaxed_madd)', () => {
  const inProcess = relaxedSimdSupported()
    ? 'in this process: matches the reference'
    : 'in this process: SKIPPED, this runtime lacks relaxed SIMD (Node 20 needs --experimental-wasm-relaxed-simd); the child below runs it';
  it.skipIf(!relaxedSimdSupported())(inProcess, () => {
    const initial = getNumThreads();
    setNumThreads(1);
    setGemmPath('relaxed');
    for (const g of CASES) {
      const { a, b, c0 } = caseInputs(g);
      const c = Float32Array.from(c0);
      gemmWasm(g.m, g.n, g.k, a, g.transA, b, g.transB, c, g.accumulate);
      expectGemmClose(c, g, a, b, c0);
    }
    setNumThreads(initial);
  });

  // Node 20 has relaxed SIMD only behind a flag, so the path also runs in a child that has it.
  it('in a child with --experimental-wasm-relaxed-simd: matches the reference, threads bit-identical', () => {
    const child = spawnSync(
      process.execPath,
      ['--experimental-wasm-relaxed-simd', '--import', 'tsx', 'tests/kernels/wasm/fixtures/relaxed-child.ts', JSON.stringify(CASES)],
      { cwd: ROOT, encoding: 'utf8', timeout: 30_000, maxBuffer: 64 << 20 },
    );
    if (child.status !== 0 && /bad option|not allowed/i.test(child.stderr)) {
      // A Node without the flag (relaxed SIMD shipped, flag removed) runs the in-process test above.
      expect(relaxedSimdSupported(), `the child could not start: ${child.stderr}`).toBe(true);
      return;
    }
    expect(child.error, 'the child failed to run or timed out').toBeUndefined();
    expect(child.stderr).toBe('');
    const out = JSON.parse(child.stdout) as { path: string; single: number[][]; threaded: number[][] };
    expect(out.path).toBe('relaxed');
    CASES.forEach((g, i) => {
      const { a, b, c0 } = caseInputs(g);
      expectGemmClose(out.single[i], g, a, b, c0);
      expect(out.threaded[i]).toEqual(out.single[i]);
    });
  });
});
