import { describe, expect, it } from 'vitest';
import { ValType, f32Const, f32Store, i32Const, i32Eqz, ifThenElse, localGet } from '../../../src/kernels/wasm/instructions.js';
import { encodeModule, type FuncDef } from '../../../src/kernels/wasm/module.js';
import { ThreadPool, type SharedJob } from '../../../src/kernels/wasm/thread-pool.js';
import { GEMM_ARGS } from '../../../src/kernels/wasm/worker-source.js';
import { wasmApi } from '../../../src/kernels/wasm/wasm-api.js';
import { NeuriteError } from '../../../src/util/errors.js';

const wasm = wasmApi!;
const MEMORY = { module: 'env', name: 'memory', initial: 1, maximum: 2, shared: true };

// A stand-in for the GEMM module with the same signature. It stores 42 at `c` (argument 9) when the
// tile scratch (argument 14) is 0, the calling thread's area below; in any other area (a worker's) it
// stores 7 at address 0 and traps (unreachable, opcode 0x00) when `k` (argument 2) is 1.
const standIn: FuncDef = {
  params: Array<ValType>(GEMM_ARGS).fill(ValType.i32),
  results: [],
  locals: [],
  body: ifThenElse(
    i32Eqz(localGet(2)),
    f32Store(localGet(9), f32Const(42)),
    ifThenElse(i32Eqz(localGet(14)), f32Store(localGet(9), f32Const(42)), [f32Store(i32Const(0), f32Const(7)), 0x00]),
  ),
  exportName: 'gemm',
};

/** `chunks` chunks of one row each; chunk i's C lands at byte 64 + 4i; scratch areas 4 bytes apart. */
function job(chunks: number, k: number): SharedJob {
  const args = Array<number>(GEMM_ARGS).fill(0);
  args[0] = chunks;
  args[2] = k;
  args[9] = 64;
  args[10] = 4;
  return { flavor: 0, plan: { byRows: true, step: 1, extent: chunks, chunks }, args, scratch0: 0, scratchStride: 4 };
}

/** Spins until `done()` or 10 s pass (a worker that never wakes fails the test instead of hanging it). */
function spinUntil(done: () => boolean): void {
  const end = Date.now() + 10_000;
  while (!done() && Date.now() < end);
}

describe('ThreadPool', () => {
  const module = new wasm.Module(encodeModule({ memory: MEMORY, funcs: [standIn] }));

  it('runs every chunk exactly once, shared by the caller and the workers', async () => {
    const memory = new wasm.Memory({ initial: 1, maximum: 2, shared: true });
    const own = new wasm.Instance(module, { env: { memory } }).exports.gemm as (...a: number[]) => void;
    const pool = new ThreadPool([module], memory);
    pool.grow(2);
    await pool.whenReady();
    expect(pool.readyCount()).toBe(2);
    const heap = new Float32Array(memory.buffer);
    for (const chunks of [1, 3, 200]) {
      heap.fill(0);
      let mine = 0;
      pool.run(job(chunks, 0), 2, (args) => {
        // The caller's first chunk waits until a worker has done one, so both kinds of thread take part.
        if (mine++ === 0 && chunks > 1) spinUntil(() => heap.subarray(16, 16 + chunks).filter((v) => v === 42).length > 0);
        own(...args);
      });
      expect(Array.from(heap.subarray(16, 16 + chunks))).toEqual(Array<number>(chunks).fill(42));
      expect(heap[16 + chunks]).toBe(0);
      if (chunks > 1) expect(mine).toBeLessThan(chunks);
    }
  });

  it('runList runs each listed call exactly once, with its own arguments', async () => {
    const memory = new wasm.Memory({ initial: 1, maximum: 2, shared: true });
    const own = new wasm.Instance(module, { env: { memory } }).exports.gemm as (...a: number[]) => void;
    const pool = new ThreadPool([module], memory);
    pool.grow(2);
    await pool.whenReady();
    const heap = new Float32Array(memory.buffer);
    // Item i stores 42 at byte 64 + 8i (argument 9); every other slot stays 0.
    const items = Array.from({ length: 40 }, (_, i) => [0, 0, 0, 0, 0, 0, 0, 0, 0, 64 + 8 * i]);
    let mine = 0;
    pool.runList(0, items, 2, (args) => {
      if (mine++ === 0) spinUntil(() => heap.subarray(16, 16 + 80).some((v) => v === 42));
      own(...args);
    });
    expect(Array.from(heap.subarray(16, 16 + 80))).toEqual(Array.from({ length: 80 }, (_, j) => (j % 2 === 0 ? 42 : 0)));
    expect(mine).toBeLessThan(items.length);
    expect(() => pool.runList(0, Array.from({ length: 65 }, () => [0]), 2, () => {})).toThrow(/at most 64 items, received 65/);
  });

  it('reports a chunk that trapped on a worker as a NeuriteError, after every chunk finished', async () => {
    const memory = new wasm.Memory({ initial: 1, maximum: 2, shared: true });
    const own = new wasm.Instance(module, { env: { memory } }).exports.gemm as (...a: number[]) => void;
    const pool = new ThreadPool([module], memory);
    pool.grow(1);
    await pool.whenReady();
    const heap = new Float32Array(memory.buffer);
    let mine = 0;
    const run = () =>
      pool.run(job(50, 1), 1, (args) => {
        if (mine++ === 0) spinUntil(() => heap[0] === 7); // the worker has trapped on a chunk
        own(...args);
      });
    expect(run).toThrow(NeuriteError);
    expect(heap[0]).toBe(7);
    expect(pool.size).toBe(0);
  });

  it('a worker that cannot start rejects the warm-up and fails the next check', async () => {
    const memory = new wasm.Memory({ initial: 1, maximum: 2, shared: true });
    // The module asks for 2 pages of memory, the shared one has 1: instantiation fails in the worker.
    const tooBig = encodeModule({ memory: { ...MEMORY, initial: 2 }, funcs: [standIn] });
    const pool = new ThreadPool([new wasm.Module(tooBig)], memory);
    pool.grow(1);
    await expect(pool.whenReady()).rejects.toThrow(/a worker thread failed to start/);
    expect(pool.readyCount()).toBe(0);
    expect(() => pool.throwIfFailed()).toThrow(/worker thread 1 failed/);
    expect(pool.size).toBe(0);
  });
});
