/**
 * The worker's program, as a string for `new Worker(source, { eval: true })`: no file path, so it runs
 * the same from the TypeScript sources and from either bundle. It instantiates the GEMM modules it is
 * given on the shared memory, then serves jobs from its slot of the control block forever.
 */

/** Int32 fields of one worker's control slot. */
export const Slot = Object.freeze({
  /** Number of the last job posted (main thread writes). */
  seq: 0,
  /** Number of the last job finished (worker writes). */
  done: 1,
  /** Worker state: booting, ready or failed. */
  state: 2,
  /** Index of the module flavor the job runs. */
  flavor: 3,
  /** First of the `gemm` export's arguments. */
  args: 4,
});

/** Values of `Slot.state`. */
export const WorkerState = Object.freeze({ booting: 0, ready: 1, failed: 2 });

/** Int32 values per slot: the four fields and the arguments, padded to 128 bytes (two cache lines). */
export const SLOT_INTS = 32;

/** Number of arguments of the module's `gemm` export. */
export const GEMM_ARGS = 15;

/**
 * The source text. `workerData` carries `modules` (WebAssembly.Module or null per flavor), `memory`
 * (the shared WebAssembly.Memory) and `control`, a SharedArrayBuffer holding this worker's slot.
 * The wait loop calls Atomics.wait with the value it has just read: a notify that lands between the
 * read and the wait then makes the wait return at once instead of being lost.
 */
export const WORKER_SOURCE = `'use strict';
const { workerData, parentPort } = require('node:worker_threads');
const { modules, memory, control } = workerData;
const ctl = new Int32Array(control);
const SEQ = ${Slot.seq}, DONE = ${Slot.done}, STATE = ${Slot.state}, FLAVOR = ${Slot.flavor}, A = ${Slot.args};
let kernels;
try {
  kernels = modules.map((m) => (m === null ? null : new WebAssembly.Instance(m, { env: { memory } }).exports.gemm));
} catch (e) {
  Atomics.store(ctl, STATE, ${WorkerState.failed});
  throw e;
}
// Read the job counter before announcing readiness: the main thread posts as soon as it sees us ready.
let seen = Atomics.load(ctl, SEQ);
Atomics.store(ctl, STATE, ${WorkerState.ready});
parentPort.postMessage('ready');
for (;;) {
  const seq = Atomics.load(ctl, SEQ);
  if (seq === seen) {
    Atomics.wait(ctl, SEQ, seq);
    continue;
  }
  seen = seq;
  try {
    kernels[ctl[FLAVOR]](${Array.from({ length: GEMM_ARGS }, (_, i) => `ctl[A + ${i}]`).join(', ')});
  } catch (e) {
    Atomics.store(ctl, STATE, ${WorkerState.failed});
    parentPort.postMessage(String((e && e.message) || e));
  }
  Atomics.store(ctl, DONE, seq);
  Atomics.notify(ctl, DONE);
}
`;
