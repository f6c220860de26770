import { Worker } from 'node:worker_threads';
import { NeuriteError } from '../../util/errors.js';
import type { WasmMemory, WasmModule } from './wasm-api.js';
import { chunkArgs, type ChunkPlan } from './gemm-split.js';
import { CLAIM_BITS, GEMM_ARGS, JOB_INTS, Job, MAX_LIST_ITEMS, SLOT_INTS, SPIN_POLLS, Slot, WORKER_SOURCE, WorkerState } from './worker-source.js';

/** One threaded product: the module flavor, its chunks, the whole product's `gemm` arguments and the scratch areas. */
export interface SharedJob {
  flavor: number;
  plan: ChunkPlan;
  /** `gemm` arguments of the whole product; the last three (packA, packB, tile) relative to a scratch area. */
  args: readonly number[];
  /** Byte offset of scratch area 0 (the calling thread's) and the distance between areas. */
  scratch0: number;
  scratchStride: number;
}

interface PoolWorker {
  worker: Worker;
  /** This worker's control slot (its own SharedArrayBuffer). */
  slot: Int32Array;
  /** Number of the last wake-up posted to it. */
  seq: number;
  /** Why it failed, once it has. */
  failure: string | null;
  /** Settles when the worker can take jobs. */
  ready: Promise<void>;
}

/**
 * Worker threads that run chunks of a GEMM on one shared WebAssembly.Memory. The job sits in a shared
 * block; workers are woken through their control slots with Atomics (no message passing on the hot
 * path), and every thread, the caller included, claims chunks from the block's counter until none is
 * left. The caller then waits only for chunks still running, never for a worker that has not woken up:
 * the GEMM stays synchronous and a sleeping or busy worker is not on its critical path.
 * Workers are `unref()`ed: an idle pool never keeps the process alive.
 */
export class ThreadPool {
  private readonly workers: PoolWorker[] = [];
  private readonly job = new Int32Array(new SharedArrayBuffer(JOB_INTS * 4));
  private gen = 0;

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

  /**
   * Runs `job` on the calling thread (`own` runs its chunks) and up to `helpers` workers, returning when
   * every chunk is done; throws if a chunk failed on a worker (after all chunks finished: none may still
   * be using memory when the caller moves on). Unless `wakeSleepers`, only workers still polling after
   * their last job are posted to: waking a sleeping one costs more than a small product.
   */
  run(job: SharedJob, helpers: number, own: (args: number[]) => void, wakeSleepers = true): void {
    const b = this.job;
    const { plan } = job;
    b[Job.list] = 0;
    b[Job.byRows] = plan.byRows ? 1 : 0;
    b[Job.step] = plan.step;
    b[Job.extent] = plan.extent;
    b[Job.scratch0] = job.scratch0;
    b[Job.scratchStride] = job.scratchStride;
    for (let j = 0; j < GEMM_ARGS; j++) b[Job.args + j] = job.args[j];
    this.share(job.flavor, plan.chunks, helpers, wakeSleepers, (i) => own(chunkArgs(plan, job.args, i, job.scratch0)));
  }

  /**
   * Runs one call of module `flavor`'s `gemm` export per entry of `items` (its arguments, at most
   * GEMM_ARGS each), shared as `run` shares chunks: the calling thread runs its claims with `own`.
   * For jobs split by their caller (the convolution's shares, each with its own geometry block).
   */
  runList(flavor: number, items: readonly (readonly number[])[], helpers: number, own: (args: readonly number[]) => void): void {
    if (items.length > MAX_LIST_ITEMS) throw new NeuriteError(`ThreadPool.runList: at most ${MAX_LIST_ITEMS} items, received ${items.length}`);
    const b = this.job;
    b[Job.list] = 1;
    items.forEach((args, i) => {
      for (let j = 0; j < GEMM_ARGS; j++) b[Job.items + i * GEMM_ARGS + j] = args[j] ?? 0;
    });
    this.share(flavor, items.length, helpers, true, (i) => own(items[i]));
  }

  /** Publishes a job of `chunks` chunks (its fields already written), wakes helpers, claims with the caller, waits. */
  private share(flavor: number, chunks: number, helpers: number, wakeSleepers: boolean, own: (i: number) => void): void {
    const b = this.job;
    b[Job.flavor] = flavor;
    b[Job.failed] = 0;
    Atomics.store(b, Job.finished, 0);
    this.gen = (this.gen + 1) & 0xfffff;
    const gen = this.gen;
    // Publishing the claim word releases the fields written before to every thread that reads it.
    Atomics.store(b, Job.claim, gen * (1 << CLAIM_BITS) + chunks);
    for (let i = 0; i < helpers; i++) {
      if (wakeSleepers || Atomics.load(this.workers[i].slot, Slot.awake) === 1) this.wake(i, gen);
    }
    const mask = (1 << CLAIM_BITS) - 1;
    // After a failure of its own the caller still claims (and skips) the rest: nobody else may be awake.
    let error: unknown = null;
    for (;;) {
      const word = Atomics.load(b, Job.claim);
      const left = word & mask;
      if (left === 0) break;
      if (Atomics.compareExchange(b, Job.claim, word, word - 1) !== word) continue;
      try {
        if (error === null) own(left - 1);
      } catch (e) {
        error = e;
      }
      Atomics.add(b, Job.finished, 1);
    }
    this.waitFinished(chunks);
    if (error !== null) throw error;
    if (b[Job.failed] !== 0) this.dropFailed();
  }

  /** Wakes worker `i` for job generation `gen`. */
  private wake(i: number, gen: number): void {
    const w = this.workers[i];
    Atomics.store(w.slot, Slot.gen, gen);
    Atomics.store(w.slot, Slot.scratch, i + 1);
    w.seq = (w.seq + 1) | 0;
    Atomics.store(w.slot, Slot.seq, w.seq);
    Atomics.notify(w.slot, Slot.seq);
  }

  /** Blocks until `chunks` chunks are counted finished: polls briefly (they are short), then sleeps. */
  private waitFinished(chunks: number): void {
    const b = this.job;
    let spins = 0;
    for (let done = Atomics.load(b, Job.finished); done !== chunks; done = Atomics.load(b, Job.finished)) {
      if (spins++ > SPIN_POLLS) Atomics.wait(b, Job.finished, done);
    }
  }

  /** Drops the worker that failed on its chunk and throws. */
  private dropFailed(): never {
    let i = this.workers.findIndex((w) => Atomics.load(w.slot, Slot.state) === WorkerState.failed);
    if (i < 0) i = 0;
    const [w] = this.workers.splice(i, 1);
    void w?.worker.terminate();
    throw new NeuriteError(`gemmWasm: worker thread ${i + 1} failed on its share of the product (${w?.failure ?? 'a WebAssembly trap'})`);
  }

  private spawn(): PoolWorker {
    const slot = new Int32Array(new SharedArrayBuffer(SLOT_INTS * 4));
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { modules: this.modules, memory: this.memory, control: slot.buffer, job: this.job.buffer },
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
