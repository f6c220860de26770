/**
 * The worker's program, as a string for `new Worker(source, { eval: true })`: no file path, so it runs
 * the same from the TypeScript sources and from either bundle. It instantiates the GEMM modules it is
 * given on the shared memory, then serves jobs forever: woken through its own slot, it claims chunks of
 * the current job from the job block that every thread shares, until none is left (see gemm-split.ts).
 */

/** Int32 fields of one worker's control slot. */
export const Slot = Object.freeze({
  /** Number of the last wake-up posted (main thread writes). */
  seq: 0,
  /** Worker state: booting, ready or failed. */
  state: 1,
  /** Generation of the job the wake-up is for (the worker claims only chunks of that job). */
  gen: 2,
  /** Which scratch area of the job this worker uses (1, 2, …; the calling thread uses 0). */
  scratch: 3,
  /** 1 while the worker polls for work, 0 while it sleeps in Atomics.wait (small products wake only pollers). */
  awake: 4,
});

/** Values of `Slot.state`. */
export const WorkerState = Object.freeze({ booting: 0, ready: 1, failed: 2 });

/** Int32 values per slot, padded to 128 bytes (two cache lines) so slots never share a line. */
export const SLOT_INTS = 32;

/** Number of arguments of the module's `gemm` export. */
export const GEMM_ARGS = 15;

/**
 * Int32 fields of the job block. `claim` packs the job's generation (high 20 bits) with the number of
 * chunks not yet claimed (low 12 bits): a thread claims chunk `left − 1` by compare-exchanging the word
 * to `left − 1`, which fails if the word changed, so a late thread can never claim a chunk of a later
 * job, and the job's other fields stay untouched until every claimed chunk is counted in `finished`.
 */
export const Job = Object.freeze({
  claim: 0,
  finished: 16, // its own cache line: every thread adds to it, the caller waits on it
  failed: 32,
  flavor: 33,
  byRows: 34,
  step: 35,
  extent: 36,
  scratch0: 37,
  scratchStride: 38,
  /** The `gemm` arguments of the whole product; packA, packB, tile are offsets inside a scratch area. */
  args: 39,
  /** 1: chunk i's arguments are listed at `items` + i·GEMM_ARGS (ThreadPool.runList); 0: a planned GEMM. */
  list: 54,
  items: 55,
});

/** Most items of a listed job. */
export const MAX_LIST_ITEMS = 64;

/** Int32 values of the job block. */
export const JOB_INTS = Job.items + MAX_LIST_ITEMS * GEMM_ARGS;

/** Bits of `Job.claim` that count chunks (so at most 4095 chunks a job). */
export const CLAIM_BITS = 12;

/** Iterations a worker polls for the next job before it sleeps: idle back-to-back products find it awake. */
export const SPIN_POLLS = 20_000;

/**
 * The source text. `workerData` carries `modules` (WebAssembly.Module or null per flavor), `memory`
 * (the shared WebAssembly.Memory), `control` (a SharedArrayBuffer holding this worker's slot) and `job`
 * (the SharedArrayBuffer of the job block). The wait loop calls Atomics.wait with the value it has just
 * read: a notify that lands between the read and the wait then makes the wait return at once.
 */
export const WORKER_SOURCE = `'use strict';
const { workerData, parentPort } = require('node:worker_threads');
const { modules, memory, control } = workerData;
const ctl = new Int32Array(control);
const job = new Int32Array(workerData.job);
const SEQ = ${Slot.seq}, STATE = ${Slot.state}, GEN = ${Slot.gen}, SCRATCH = ${Slot.scratch}, AWAKE = ${Slot.awake};
const CLAIM = ${Job.claim}, FINISHED = ${Job.finished}, FAILED = ${Job.failed}, FLAVOR = ${Job.flavor};
const BY_ROWS = ${Job.byRows}, STEP = ${Job.step}, EXTENT = ${Job.extent}, S0 = ${Job.scratch0}, SS = ${Job.scratchStride}, A = ${Job.args};
const LIST = ${Job.list}, ITEMS = ${Job.items};
const BITS = ${CLAIM_BITS}, MASK = ${(1 << CLAIM_BITS) - 1};
let kernels;
try {
  kernels = modules.map((m) => (m === null ? null : new WebAssembly.Instance(m, { env: { memory } }).exports.gemm));
} catch (e) {
  Atomics.store(ctl, STATE, ${WorkerState.failed});
  throw e;
}
const args = new Array(${GEMM_ARGS});
// Chunk i of the job: a band of whole register tiles (the same arithmetic as chunkArgs in gemm-split.ts).
function runChunk(i, scratch) {
  if (job[LIST] === 1) {
    for (let j = 0; j < ${GEMM_ARGS}; j++) args[j] = job[ITEMS + i * ${GEMM_ARGS} + j];
    kernels[job[FLAVOR]](...args);
    return;
  }
  for (let j = 0; j < ${GEMM_ARGS}; j++) args[j] = job[A + j];
  const start = i * job[STEP];
  const size = Math.min(job[STEP], job[EXTENT] - start);
  if (job[BY_ROWS] === 1) {
    args[0] = size;
    args[3] += start * args[4];
    args[9] += start * args[10];
  } else {
    args[1] = size;
    args[6] += start * args[8];
    args[9] += 4 * start;
  }
  const base = job[S0] + scratch * job[SS];
  args[12] += base;
  args[13] += base;
  args[14] += base;
  kernels[job[FLAVOR]](...args);
}
function serve(gen, scratch) {
  for (;;) {
    const word = Atomics.load(job, CLAIM);
    const left = word & MASK;
    if (word >>> BITS !== gen || left === 0) return;
    if (Atomics.compareExchange(job, CLAIM, word, word - 1) !== word) continue;
    try {
      runChunk(left - 1, scratch);
    } catch (e) {
      Atomics.store(job, FAILED, 1);
      Atomics.store(ctl, STATE, ${WorkerState.failed});
      parentPort.postMessage(String((e && e.message) || e));
    }
    Atomics.add(job, FINISHED, 1);
    Atomics.notify(job, FINISHED);
  }
}
// Read the wake-up counter before announcing readiness: the main thread posts as soon as it sees us ready.
let seen = Atomics.load(ctl, SEQ);
Atomics.store(ctl, STATE, ${WorkerState.ready});
parentPort.postMessage('ready');
for (;;) {
  Atomics.store(ctl, AWAKE, 1);
  let seq = Atomics.load(ctl, SEQ);
  for (let spin = 0; seq === seen && spin < ${SPIN_POLLS}; spin++) seq = Atomics.load(ctl, SEQ);
  if (seq === seen) {
    Atomics.store(ctl, AWAKE, 0);
    Atomics.wait(ctl, SEQ, seq);
    continue;
  }
  seen = seq;
  serve(Atomics.load(ctl, GEN), Atomics.load(ctl, SCRATCH));
}
`;
