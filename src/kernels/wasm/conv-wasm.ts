import type { Window2D } from '../window2d.js';
import { convModuleBytes } from './conv-module.js';
import { Geo, PIXELS } from './conv-taps.js';
import { getGemmPath } from './gemm-path.js';
import { FLAVORS, heapSpanning, wasmRuntime } from './runtime.js';
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

/** The kernels of the flavor in force ('relaxed' when that path is selected), instantiated on first use. */
function kernels(): ConvExports {
  const flavor = getGemmPath() === 'relaxed' ? 1 : 0;
  const ready = instances[flavor];
  if (ready !== null) return ready;
  const rt = wasmRuntime();
  const module = new wasmApi!.Module(convModuleBytes(FLAVORS[flavor]));
  const exports = new wasmApi!.Instance(module, { env: { memory: rt.memory } }).exports as unknown as ConvExports;
  instances[flavor] = exports;
  return exports;
}

interface Setup {
  heap: Float32Array;
  ints: Int32Array;
  geo: number;
}

/**
 * Lays out the geometry block, tap offsets and tap table, plus `extra` regions (sizes in bytes),
 * grows memory, and fills the block. `c` / `cs` describe the tapped tensor's channels.
 */
function setUp(g: Window2D, c: number, cs: number, extra: number[]): { s: Setup; at: number[] } {
  const taps = g.filterHeight * g.filterWidth;
  const r = new Regions();
  const geo = r.take(Geo.count * 4);
  const tapOffsets = r.take(taps * 4);
  const table = r.take(taps * 16);
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
    ['table', table], ['tapOffsets', tapOffsets], ['t0', 0], ['t1', taps], ['relu', 0], ['mask', 0],
  ];
  for (const [name, v] of fields) ints[o + Geo[name]] = v;
  const s = { heap, ints, geo };
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
  kernels().forward(s.geo);
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
  const rowsP = roundUp(rows, PIXELS);
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
    run.gradFilter(s.geo);
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
    run.gradInput(s.geo);
    copyOut(heap, dxAt, out.dx!, pixels, C, Cp);
  }
}

/** dF = Σ over pixels of patchᵀ · dy; the shapes of conv2dGradFilter. Overwrites `dFilter`. */
export function conv2dGradFilterWasm(x: Float32Array, dy: Float32Array, g: Window2D, dFilter: Float32Array): void {
  conv2dBackwardWasm(x, null, dy, null, g, { dx: null, dFilter, db: null });
}

/** dx = the scatter of dy through the filter; the shapes of conv2dGradInput. Overwrites `dx`. */
export function conv2dGradInputWasm(dy: Float32Array, filter: Float32Array, g: Window2D, dx: Float32Array): void {
  conv2dBackwardWasm(null, filter, dy, null, g, { dx, dFilter: null, db: null });
}
