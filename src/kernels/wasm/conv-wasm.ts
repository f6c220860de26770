import type { Window2D } from '../window2d.js';
import { ConvJob } from './conv-module.js';
import { Geo, PIXELS } from './conv-taps.js';
import { getGemmPath } from './gemm-path.js';
import { CONV_JOBS, FLAVORS, heapSpanning, wasmRuntime } from './runtime.js';
import { getNumThreads, threadsFor } from './threads.js';
import { wasmApi } from './wasm-api.js';
import { Regions, roundUp } from './heap-regions.js';

/**
 * Runs the direct convolution kernels of conv-module.ts on the runtime's shared memory: copies the
 * operands in (filters packed with output channels padded to 8), writes the geometry block, calls
 * the kernel, copies the result out. The JS side never builds a patch matrix.
 */

type Kernel = (geo: number) => void;
interface ConvExports {
  forward: Kernel;
  gradFilter: Kernel;
  gradInput: Kernel;
  prepareDy: Kernel;
}

const instances: (ConvExports | null)[] = FLAVORS.map(() => null);

/** Index into FLAVORS of the flavor in force ('relaxed' when that path is selected). */
const flavorIndex = (): number => (getGemmPath() === 'relaxed' ? 1 : 0);

/** The kernels of the flavor in force, instantiated on the main thread on first use. */
function kernels(): ConvExports {
  const flavor = flavorIndex();
  const ready = instances[flavor];
  if (ready !== null) return ready;
  const rt = wasmRuntime();
  const exports = new wasmApi!.Instance(rt.convModules[flavor]!, { env: { memory: rt.memory } }).exports as unknown as ConvExports;
  instances[flavor] = exports;
  return exports;
}

interface Setup {
  heap: Float32Array;
  ints: Int32Array;
  /** The main geometry block (share 0 of a threaded call). */
  geo: number;
  /** A geometry block and a tap table per possible share; [0] are the main ones. */
  geos: number[];
  tables: number[];
}

/** One thread's part of a call: its pixels [p0, rows) and taps [t0, t1). */
type Share = Record<'p0' | 'rows' | 't0' | 't1', number>;

/**
 * Runs `kind` over `shares`, share 0 on this thread and the others on the pool's workers, each with its
 * own geometry block (a copy of the main one) and tap table. The workers write disjoint outputs.
 */
function runShares(kind: keyof typeof ConvJob, s: Setup, shares: Share[]): void {
  const { ints } = s;
  const blocks = shares.map((share, t) => {
    const geo = s.geos[t];
    if (t > 0) {
      ints.copyWithin(geo / 4, s.geo / 4, s.geo / 4 + Geo.count);
      ints[geo / 4 + Geo.table] = s.tables[t];
    }
    for (const key of ['p0', 'rows', 't0', 't1'] as const) ints[geo / 4 + Geo[key]] = share[key];
    return geo;
  });
  if (blocks.length === 1) {
    kernels()[kind](blocks[0]);
    return;
  }
  // Any thread may run any share (each has its own geometry block): shares are claimed as GEMM chunks are.
  const run = kernels()[kind];
  const items = blocks.map((geo) => [ConvJob[kind], geo]);
  wasmRuntime().pool.runList(CONV_JOBS + flavorIndex(), items, blocks.length - 1, (args) => run(args[1]));
}

/** `count` items in up to `parts` contiguous runs of whole `unit`s, as [start, end) pairs (empty runs dropped). */
function split(count: number, parts: number, unit = 1): [number, number][] {
  const step = Math.ceil(Math.ceil(count / unit) / parts) * unit;
  const runs: [number, number][] = [];
  for (let a = 0; a < count; a += step) runs.push([a, Math.min(count, a + step)]);
  return runs;
}

/**
 * Lays out the geometry block, tap offsets and tap table, plus `extra` regions (sizes in bytes),
 * grows memory, and fills the block. `c` / `cs` describe the tapped tensor's channels.
 */
function setUp(g: Window2D, c: number, cs: number, extra: number[]): { s: Setup; at: number[] } {
  const taps = g.filterHeight * g.filterWidth;
  const r = new Regions();
  const shares = Math.max(1, getNumThreads());
  const geos = Array.from({ length: shares }, () => r.take(Geo.count * 4));
  const tables = Array.from({ length: shares }, () => r.take(taps * 16 + 16));
  const geo = geos[0];
  const table = tables[0];
  const tapOffsets = r.take(taps * 4);
  const at = extra.map((b) => r.take(b));
  const heap = heapSpanning(wasmRuntime(), r.end);
  const ints = new Int32Array(heap.buffer);
  const o = geo / 4;
  const rows = g.batch * g.outHeight * g.outWidth;
  const fields: [keyof typeof Geo, number][] = [
    ['rows', rows], ['h', g.inHeight], ['w', g.inWidth], ['oh', g.outHeight], ['ow', g.outWidth],
    ['kh', g.filterHeight], ['kw', g.filterWidth], ['sh', g.strideHeight], ['sw', g.strideWidth],
    ['dh', g.dilationHeight], ['dw', g.dilationWidth], ['padTop', g.padTop], ['padLeft', g.padLeft],
    ['c', c], ['cs', cs], ['oc', g.outChannels], ['ldy', 4 * roundUp(g.outChannels, 8)],
    ['table', table], ['tapOffsets', tapOffsets], ['t0', 0], ['t1', taps], ['relu', 0], ['mask', 0], ['p0', 0], ['posR', -8],
  ];
  for (const [name, v] of fields) ints[o + Geo[name]] = v;
  const s = { heap, ints, geo, geos, tables };
  setTapOffsets(s, g, cs);
  return { s, at };
}

/** Each tap's byte offset from its window's corner in a tapped tensor of channel stride `cs` bytes. */
function setTapOffsets(s: Setup, g: Window2D, cs: number): void {
  const t0 = s.ints[s.geo / 4 + Geo.tapOffsets] / 4;
  for (let ky = 0, t = t0; ky < g.filterHeight; ky++) {
    for (let kx = 0; kx < g.filterWidth; kx++, t++) s.ints[t] = (ky * g.dilationHeight * g.inWidth + kx * g.dilationWidth) * cs;
  }
}

const set = (s: Setup, name: keyof typeof Geo, v: number): void => {
  s.ints[s.geo / 4 + Geo[name]] = v;
};

/** Copies `rows` rows of `width` floats from `src` into the heap at byte `at` with row stride `stride` floats, zeroing the padding. */
function copyInPadded(heap: Float32Array, at: number, src: Float32Array, rows: number, width: number, stride: number, paddedRows = rows): void {
  const base = at / 4;
  if (width === stride) {
    heap.set(src.subarray(0, rows * width), base);
    heap.fill(0, base + rows * width, base + paddedRows * stride);
    return;
  }
  heap.fill(0, base, base + paddedRows * stride);
  for (let r = 0; r < rows; r++) heap.set(src.subarray(r * width, r * width + width), base + r * stride);
}

/** Copies `rows` rows of `width` floats out of the heap (row stride `stride` floats) into `dst`. */
function copyOut(heap: Float32Array, at: number, dst: Float32Array, rows: number, width: number, stride: number): void {
  const base = at / 4;
  if (width === stride) {
    dst.set(heap.subarray(base, base + rows * width));
    return;
  }
  for (let r = 0; r < rows; r++) dst.set(heap.subarray(base + r * stride, base + r * stride + width), r * width);
}

/** y = conv2d(x, filter) + bias, then max(·, 0) when `relu`; the shapes of conv2dForward. */
export function conv2dForwardWasm(x: Float32Array, filter: Float32Array, bias: Float32Array | null, g: Window2D, y: Float32Array, relu: boolean): void {
  const C = g.inChannels;
  const OC = g.outChannels;
  const OCp = roundUp(OC, 8);
  const rows = g.batch * g.outHeight * g.outWidth;
  const rowsP = roundUp(rows, PIXELS);
  const k = g.filterHeight * g.filterWidth * C;
  const { s, at } = setUp(g, C, 4 * C, [4 * C, 4 * x.length, 4 * k * OCp, 4 * OCp, 4 * rowsP * OCp]);
  const [zero, xAt, wAt, bAt, yAt] = at;
  const { heap } = s;
  heap.fill(0, zero / 4, zero / 4 + C);
  heap.set(x, xAt / 4);
  copyInPadded(heap, wAt, filter, k, OC, OCp);
  if (bias === null) heap.fill(0, bAt / 4, bAt / 4 + OCp);
  else copyInPadded(heap, bAt, bias, 1, OC, OCp);
  set(s, 'nowhere', zero);
  set(s, 'tapped', xAt);
  set(s, 'weights', wAt);
  set(s, 'bias', bAt);
  set(s, 'out', yAt);
  set(s, 'relu', relu ? 1 : 0);
  // Shares of whole 4-pixel groups: each writes its own y rows.
  const taps = g.filterHeight * g.filterWidth;
  const threads = threadsFor(rows, OCp, k);
  runShares('forward', s, split(rows, threads, PIXELS).map(([p0, end]) => ({ p0, rows: end, t0: 0, t1: taps })));
  copyOut(heap, yAt, y, rows, OC, OCp);
}

/** Where the gradients go; null for the ones not wanted. */
export interface Conv2DGrads {
  dx: Float32Array | null;
  dFilter: Float32Array | null;
  db: Float32Array | null;
}

/**
 * The gradients of y = conv2d(x, filter) + bias (then ReLU when `reluY`, the forward output, is given)
 * from dy, in one visit to WebAssembly memory: dy is copied in once, masked and column-summed there
 * (the bias gradient), then the filter gradient and the input gradient read it. Overwrites the outputs.
 */
export function conv2dBackwardWasm(x: Float32Array | null, filter: Float32Array | null, dy: Float32Array, reluY: Float32Array | null, g: Window2D, out: Conv2DGrads): void {
  const C = g.inChannels;
  const Cp = roundUp(C, 4);
  const OC = g.outChannels;
  const OCp = roundUp(OC, 8);
  const taps = g.filterHeight * g.filterWidth;
  const k = taps * C;
  const rows = g.batch * g.outHeight * g.outWidth;
  // A share of whole images may start mid-group: its last group can read one group past the end.
  const rowsP = roundUp(rows, PIXELS) + PIXELS;
  const pixels = g.batch * g.inHeight * g.inWidth;
  const wantDf = out.dFilter !== null && x !== null;
  const wantDx = out.dx !== null && filter !== null;
  const sizes = [
    4 * C, 4 * Cp, wantDf ? 4 * pixels * C : 0, 4 * rowsP * OCp, reluY !== null ? 4 * rowsP * OCp : 0,
    4 * OCp, 4 * OCp, wantDf ? 4 * k * OCp : 0, wantDx ? 4 * taps * OC * Cp : 0, wantDx ? 4 * pixels * Cp : 0,
  ];
  const { s, at } = setUp(g, C, 4 * C, sizes);
  const [zero, dump, xAt, dyAt, maskAt, partAt, dbAt, dfAt, ftAt, dxAt] = at;
  const { heap } = s;
  const run = kernels();
  copyInPadded(heap, dyAt, dy, rows, OC, OCp, rowsP);
  set(s, 'out', dyAt);
  if (reluY !== null || out.db !== null) {
    if (reluY !== null) copyInPadded(heap, maskAt, reluY, rows, OC, OCp, rowsP);
    heap.fill(0, partAt / 4, partAt / 4 + OCp);
    heap.fill(0, dbAt / 4, dbAt / 4 + OCp);
    set(s, 'mask', reluY !== null ? maskAt : 0);
    set(s, 'part', partAt);
    set(s, 'bias', dbAt);
    run.prepareDy(s.geo);
    if (out.db !== null) copyOut(heap, dbAt, out.db, 1, OC, OCp);
  }
  if (wantDf) {
    heap.fill(0, zero / 4, zero / 4 + C);
    heap.set(x.subarray(0, pixels * C), xAt / 4);
    heap.fill(0, dfAt / 4, dfAt / 4 + k * OCp);
    set(s, 'nowhere', zero);
    set(s, 'tapped', xAt);
    set(s, 'weights', dfAt);
    // Shares of taps: each writes its own rows of dF, summing over all pixels in the one-thread order.
    const threads = Math.min(threadsFor(k, OCp, rows), taps);
    runShares('gradFilter', s, split(taps, threads).map(([t0, t1]) => ({ p0: 0, rows, t0, t1 })));
    copyOut(heap, dfAt, out.dFilter!, k, OC, OCp);
  }
  if (wantDx) {
    // Fᵀ per tap: ft[t][o][c] = F[t][c][o], channels padded with zeros; dx in the same padded layout.
    const ft = ftAt / 4;
    heap.fill(0, ft, ft + taps * OC * Cp);
    for (let t = 0; t < taps; t++) {
      for (let c = 0; c < C; c++) {
        const src = (t * C + c) * OC;
        const dst = ft + t * OC * Cp + c;
        for (let o = 0; o < OC; o++) heap[dst + o * Cp] = filter[src + o];
      }
    }
    heap.fill(0, dxAt / 4, dxAt / 4 + pixels * Cp);
    setTapOffsets(s, g, 4 * Cp);
    set(s, 'c', Cp);
    set(s, 'cs', 4 * Cp);
    set(s, 'nowhere', dump);
    set(s, 'tapped', dxAt);
    set(s, 'weights', ftAt);
    // Shares of whole images: each scatters into its own images of dx (a group cut by a share's end
    // sends its extra pixels to the dump).
    const image = g.outHeight * g.outWidth;
    const threads = Math.min(threadsFor(rows, k, OC), g.batch);
    runShares('gradInput', s, split(g.batch, threads).map(([b0, b1]) => ({ p0: b0 * image, rows: b1 * image, t0: 0, t1: taps })));
    copyOut(heap, dxAt, out.dx!, pixels, C, Cp);
  }
}
