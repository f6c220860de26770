import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  gemmWasm,
  gemmWasmThreads,
  relaxedSimdSupported,
  getNumThreads,
  setGemmPath,
  setNumThreads,
  setWakeMinWork,
  THREAD_MIN_WORK,
  warmUpThreads,
  wasmSimdSupported,
} from '../../../src/kernels/wasm/gemm-wasm.js';
import { ValueError } from '../../../src/util/errors.js';
import { planChunks } from '../../../src/kernels/wasm/gemm-split.js';
import { NR } from '../../../src/kernels/wasm/gemm-kernel.js';
import { CLAIM_BITS } from '../../../src/kernels/wasm/worker-source.js';
import { caseInputs, expectGemmClose, type GemmCase } from './gemm-check.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** C from `threads` threads, as the raw float bits. */
function product(g: GemmCase, threads: number): Uint32Array {
  setNumThreads(threads);
  const { a, b, c0 } = caseInputs(g, 5);
  const c = Float32Array.from(c0);
  gemmWasm(g.m, g.n, g.k, a, g.transA, b, g.transB, c, g.accumulate);
  return new Uint32Array(c.buffer);
}

describe.skipIf(!wasmSimdSupported())('gemmWasm on worker threads', () => {
  const initial = getNumThreads();
  beforeAll(async () => {
    setGemmPath('simd');
    setNumThreads(4);
    setWakeMinWork(0); // every threaded product wakes its workers, so they take chunks
    await warmUpThreads();
  });
  afterAll(() => {
    setGemmPath('auto');
    setNumThreads(initial);
    setWakeMinWork(null);
  });

  // Split by rows (m ≥ n) and by columns, with edge tiles at every band boundary, k past one depth block.
  const cases: GemmCase[] = [
    { m: 301, n: 45, k: 270, transA: false, transB: false, accumulate: false },
    { m: 150, n: 151, k: 130, transA: true, transB: true, accumulate: true },
    { m: 21, n: 403, k: 300, transA: false, transB: true, accumulate: false },
    { m: 19, n: 390, k: 290, transA: true, transB: false, accumulate: true },
    // Many chunks (a partial tile in the last one): row bands of a tall product, column bands of a wide one.
    { m: 1021, n: 7, k: 80, transA: true, transB: false, accumulate: false },
    { m: 9, n: 1001, k: 70, transA: false, transB: true, accumulate: true },
  ];

  // Every SIMD flavor this runtime has (relaxed FMA on Node 22+).
  const paths = relaxedSimdSupported() ? (['simd', 'relaxed'] as const) : (['simd'] as const);
  it.each(cases)('is bit-identical to one thread and matches the reference: %j', (g) => {
    expect(g.m * g.n * g.k).toBeGreaterThanOrEqual(THREAD_MIN_WORK);
    for (const path of paths) {
      setGemmPath(path);
      const one = product(g, 1);
      for (const threads of [2, 3, 4]) {
        setNumThreads(threads);
        expect(gemmWasmThreads(g.m, g.n, g.k)).toBe(threads);
        expect(product(g, threads)).toEqual(one);
      }
      const { a, b, c0 } = caseInputs(g, 5);
      expectGemmClose(new Float32Array(one.buffer), g, a, b, c0);
    }
    setGemmPath('simd');
  });

  it('plans chunks of whole register tiles that cover C exactly once', () => {
    for (const [m, n, threads, MR] of [4, 5].flatMap((mr) => [[301, 45, 2, mr], [21, 403, 3, mr], [1021, 7, 4, mr], [5, 9, 2, mr], [100_000, 4, 2, mr], [4, 80_000, 3, mr]])) {
      const plan = planChunks(m!, n!, threads!, MR!);
      expect(plan.byRows).toBe(m >= n);
      expect(plan.extent).toBe(plan.byRows ? m : n);
      expect(plan.step % (plan.byRows ? MR : NR)).toBe(0);
      expect(plan.chunks).toBe(Math.ceil(plan.extent / plan.step));
      expect(plan.chunks).toBeLessThan(1 << CLAIM_BITS);
      expect(plan.chunks).toBeGreaterThanOrEqual(Math.min(threads, Math.ceil(plan.extent / (plan.byRows ? MR : NR))));
    }
  });

  it('stays on one thread below the threshold and when set to 1', () => {
    setNumThreads(2);
    expect(gemmWasmThreads(64, 64, 64)).toBe(1);
    expect(gemmWasmThreads(256, 256, 256)).toBe(2);
    setNumThreads(1);
    expect(gemmWasmThreads(256, 256, 256)).toBe(1);
  });

  it('serves hundreds of consecutive jobs without losing a wake-up', () => {
    setNumThreads(2);
    const [m, n, k] = [132, 128, 128];
    const a = new Float32Array(m * k).fill(1);
    const b = new Float32Array(k * n).fill(0.25);
    const c = new Float32Array(m * n);
    expect(gemmWasmThreads(m, n, k)).toBe(2);
    for (let i = 0; i < 600; i++) {
      c[i] = -1;
      gemmWasm(m, n, k, a, false, b, false, c);
      expect(c[(i * 131) % (m * n)]).toBe(32);
    }
    expect(c.every((v) => v === 32)).toBe(true);
  });

  it('a script that ran threaded products exits by itself', () => {
    const child = spawnSync(process.execPath, ['--import', 'tsx', 'tests/kernels/wasm/fixtures/threaded-child.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(child.error, 'the child was killed by the timeout: it did not exit').toBeUndefined();
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    expect(JSON.parse(child.stdout)).toEqual({ threads: 2, allEqualK: true });
  });
});

describe('setNumThreads', () => {
  it('accepts positive integers and rejects anything else with a ValueError', () => {
    const initial = getNumThreads();
    setNumThreads(4);
    expect(getNumThreads()).toBe(4);
    for (const bad of [0, -2, 1.5, NaN, Infinity, '2' as unknown as number]) {
      expect(() => setNumThreads(bad)).toThrow(ValueError);
    }
    expect(() => setNumThreads(0)).toThrow(/setNumThreads: expected a positive integer, received 0/);
    expect(getNumThreads()).toBe(4);
    setNumThreads(initial);
  });
});
