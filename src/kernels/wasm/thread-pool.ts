import { Worker } from 'node:worker_threads';
import { NeuriteError } from '../../util/errors.js';
import type { WasmMemory, WasmModule } from './wasm-api.js';
import { GEMM_ARGS, SLOT_INTS, Slot, WORKER_SOURCE, WorkerState } from './worker-source.js';

interface PoolWorker {
  worker: Worker;
  /** This worker's control slot (its own SharedArrayBuffer). */
  slot: Int32Array;
  /** Number of the last job posted to it. */
  seq: number;
  /** Why it failed, once it has. */
  failure: string | null;
  /** Settles when the worker can take jobs. */
  ready: Promise<void>;
}

/**
 * Worker threads that run shares of a GEMM on one shared WebAssembly.Memory. Jobs are posted through
 * each worker's control slot with Atomics (no message passing on the hot path), so the main thread can
 * post, compute its own share, and block until the workers are done: the GEMM stays synchronous.
 * Workers are `unref()`ed: an idle pool never keeps the process alive.
 */
export class ThreadPool {
  private readonly workers: PoolWorker[] = [];

  /** `modules[f]` is the compiled module of flavor index f (null when the runtime lacks it). */
  constructor(
    private readonly modules: readonly (WasmModule | null)[],
    private readonly memory: WasmMemory,
  ) {}

  /**
   * Starts workers until there are `count` (they boot in the background). Workers are never stopped:
   * an idle one sleeps in Atomics.wait at no CPU cost, and lowering the thread count and raising it
   * again (as benchmarks do) then needs no new boot.
   */
  grow(count: number): void {
    while (this.workers.length < count) this.workers.push(this.spawn());
  }

  /** How many workers exist, booted or not. */
  get size(): number {
    return this.workers.length;
  }

  /** How many workers, counted from the first, are ready for jobs. */
  readyCount(): number {
    let n = 0;
    while (n < this.workers.length && Atomics.load(this.workers[n].slot, Slot.state) === WorkerState.ready) n++;
    return n;
  }

  /** Throws (and drops the worker) if a worker failed to start or died between jobs. */
  throwIfFailed(): void {
    const i = this.workers.findIndex((w) => Atomics.load(w.slot, Slot.state) === WorkerState.failed);
    if (i < 0) return;
    const [w] = this.workers.splice(i, 1);
    void w.worker.terminate();
    throw new NeuriteError(`gemmWasm: worker thread ${i + 1} failed (${w.failure ?? 'no reason reported yet'}); setNumThreads(1) runs without threads`);
  }

  /** Resolves when every worker started so far is ready; rejects if one failed to start. */
  async whenReady(): Promise<void> {
    // Someone awaits the workers now: let them hold the process open until they report in.
    const workers = this.workers.map((w) => w.worker);
    for (const w of workers) w.ref();
    try {
      await Promise.all(this.workers.map((w) => w.ready));
    } finally {
      for (const w of workers) w.unref();
    }
  }

  /** Hands worker `i` a job: `gemm(...args)` of module flavor `flavor`. */
  post(i: number, flavor: number, args: readonly number[]): void {
    const w = this.workers[i];
    w.slot[Slot.flavor] = flavor;
    for (let j = 0; j < GEMM_ARGS; j++) w.slot[Slot.args + j] = args[j];
    w.seq = (w.seq + 1) | 0;
    Atomics.store(w.slot, Slot.seq, w.seq);
    Atomics.notify(w.slot, Slot.seq);
  }

  /**
   * Blocks until workers 0 … count−1 have finished their last jobs, then throws if one of them
   * failed (all are waited for first: none may still be using memory when the caller moves on).
   */
  waitAll(count: number): void {
    for (let i = 0; i < count; i++) {
      const w = this.workers[i];
      for (let done = Atomics.load(w.slot, Slot.done); done !== w.seq; done = Atomics.load(w.slot, Slot.done)) {
        Atomics.wait(w.slot, Slot.done, done);
      }
    }
    const i = this.workers.slice(0, count).findIndex((w) => Atomics.load(w.slot, Slot.state) === WorkerState.failed);
    if (i < 0) return;
    const [w] = this.workers.splice(i, 1);
    void w.worker.terminate();
    throw new NeuriteError(`gemmWasm: worker thread ${i + 1} failed on its share of the product (${w.failure ?? 'a WebAssembly trap'})`);
  }

  private spawn(): PoolWorker {
    const slot = new Int32Array(new SharedArrayBuffer(SLOT_INTS * 4));
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { modules: this.modules, memory: this.memory, control: slot.buffer },
    });
    const entry: PoolWorker = { worker, slot, seq: 0, failure: null, ready: Promise.resolve() };
    entry.ready = new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', (e: Error) => reject(new NeuriteError(`gemmWasm: a worker thread failed to start (${e.message})`)));
    });
    // Nobody may be awaiting `ready`: a start-up failure must not become an unhandled rejection.
    entry.ready.catch(() => {});
    // Later messages are failure reports; an error event means the worker is gone. Both are kept for
    // the next product's `throwIfFailed` / `waitAll`.
    worker.on('message', (m: unknown) => {
      if (m !== 'ready') entry.failure = String(m);
    });
    worker.on('error', (e: Error) => {
      entry.failure = e.message;
      Atomics.store(slot, Slot.state, WorkerState.failed);
    });
    // After the listeners: adding a 'message' listener refs the worker's port again.
    worker.unref();
    return entry;
  }
}
