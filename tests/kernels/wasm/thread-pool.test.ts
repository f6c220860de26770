import { describe, expect, it } from 'vitest';
import { ValType, f32Const, f32Store, ifThenElse, i32Eqz, localGet } from '../../../src/kernels/wasm/instructions.js';
import { encodeModule, type FuncDef } from '../../../src/kernels/wasm/module.js';
import { ThreadPool } from '../../../src/kernels/wasm/thread-pool.js';
import { GEMM_ARGS } from '../../../src/kernels/wasm/worker-source.js';
import { wasmApi } from '../../../src/kernels/wasm/wasm-api.js';
import { NeuriteError } from '../../../src/util/errors.js';

const wasm = wasmApi!;
const MEMORY = { module: 'env', name: 'memory', initial: 1, maximum: 2, shared: true };

// A stand-in for the GEMM module with the same signature: `gemm(code, addr, …)` stores 42 at `addr`
// when code is 0, and traps (unreachable, opcode 0x00) otherwise.
const job: FuncDef = {
  params: Array<ValType>(GEMM_ARGS).fill(ValType.i32),
  results: [],
  locals: [],
  body: ifThenElse(i32Eqz(localGet(0)), f32Store(localGet(1), f32Const(42)), [0x00]),
  exportName: 'gemm',
};

function args(code: number, addr: number): number[] {
  return [code, addr, ...Array<number>(GEMM_ARGS - 2).fill(0)];
}

describe('ThreadPool', () => {
  it('runs jobs on the shared memory and reports a trapping job as a NeuriteError', async () => {
    const memory = new wasm.Memory({ initial: 1, maximum: 2, shared: true });
    const pool = new ThreadPool([new wasm.Module(encodeModule({ memory: MEMORY, funcs: [job] }))], memory);
    pool.grow(2);
    await pool.whenReady();
    expect(pool.readyCount()).toBe(2);
    pool.post(0, 0, args(0, 64));
    pool.post(1, 0, args(0, 128));
    pool.waitAll(2);
    const heap = new Float32Array(memory.buffer);
    expect([heap[16], heap[32]]).toEqual([42, 42]);

    pool.post(0, 0, args(0, 256));
    pool.post(1, 0, args(1, 0));
    expect(() => pool.waitAll(2)).toThrow(NeuriteError);
    // Both were waited for: the healthy worker's store landed; the failed worker was dropped.
    expect(heap[64]).toBe(42);
    expect(pool.size).toBe(1);
  });

  it('a worker that cannot start rejects the warm-up and fails the next check', async () => {
    const memory = new wasm.Memory({ initial: 1, maximum: 2, shared: true });
    // The module asks for 2 pages of memory, the shared one has 1: instantiation fails in the worker.
    const tooBig = encodeModule({ memory: { ...MEMORY, initial: 2 }, funcs: [job] });
    const pool = new ThreadPool([new wasm.Module(tooBig)], memory);
    pool.grow(1);
    await expect(pool.whenReady()).rejects.toThrow(/a worker thread failed to start/);
    expect(pool.readyCount()).toBe(0);
    expect(() => pool.throwIfFailed()).toThrow(/worker thread 1 failed/);
    expect(pool.size).toBe(0);
  });
});
