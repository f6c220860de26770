import {
  ValType,
  call,
  f32x4Add,
  f32x4Max,
  f32x4Mul,
  f32x4RelaxedMadd,
  i32Add,
  i32And,
  i32Const,
  i32Eq,
  i32Eqz,
  i32Mul,
  i32ShrU,
  i32Sub,
  ifThen,
  ifThenElse,
  localGet,
  localSet,
  v128Const,
  v128Load,
  v128Load32Splat,
  v128Store,
  type Code,
} from './instructions.js';
import { i32Load } from './instructions-extra.js';
import type { SimdFlavor } from './gemm-kernel.js';
import { MEMORY_PAGES } from './gemm-module.js';
import { doWhileBelow, forRange } from './loops.js';
import { encodeModule, frame, type FuncDef } from './module.js';
import { field, madd, PIXELS, tapTable, ZERO } from './conv-taps.js';
import { prepareDy } from './conv-dy.js';
import { gradInput } from './conv-grad-input.js';

/**
 * Direct convolution kernels (an implicit GEMM: the patch matrix is never built). Each pass walks
 * the output pixels four at a time; the tap table (conv-taps.ts) gives, per tap, where each of the
 * four windows reads, so padding costs no branch in the inner loops. Output channels are padded to
 * 8 (two f32x4 lanes groups) in the packed filter and the y / dy rows, as a GEMM's B panel.
 *   forward:  y[p, o] = bias[o] + Σ_{t, c} x[tap(p, t) + c] · F[t, c, o]   tile 4 pixels × 8 channels
 *   filter:   dF[t, c, o] += Σ_p x[tap(p, t) + c] · dy[p, o]             dy of 4 pixels in registers
 *   input:    dx[tap(p, t) + c] += Σ_o dy[p, o] · F[t, c, o]             vectorised over c, Fᵀ packed
 * Every sum runs in a fixed order (pixels ascending, then taps, then channels), so splitting the
 * taps of the filter gradient or the pixels of the forward pass between threads changes no bit.
 * Exports take the address of the geometry block; see `Geo`.
 */

// Function indices, the order of `funcs` below (the tap table first: TAPS_FN).
const enum Fn {
  Taps,
  Forward,
  GradFilter,
  GradInput,
  PrepareDy,
  Job,
}

/** Job kinds of the `gemm` entry point, in `Fn` order. */
export const ConvJob = Object.freeze({ forward: 0, gradFilter: 1, gradInput: 2 });

/** The module's bytes for one flavor of multiply-add. */
export function convModuleBytes(flavor: SimdFlavor): Uint8Array {
  return encodeModule({
    memory: { module: 'env', name: 'memory', initial: MEMORY_PAGES.initial, maximum: MEMORY_PAGES.maximum, shared: true },
    funcs: [tapTable(), forward(flavor), gradFilter(flavor), gradInput(flavor), prepareDy(), job()],
  });
}

/**
 * `gemm(kind, geo)`: runs job `kind` (a `ConvJob`) on the geometry block at `geo`. The name is the
 * thread pool's entry point: a worker calls every module it holds through its `gemm` export.
 */
function job(): FuncDef {
  const f = frame({ kind: ValType.i32, geo: ValType.i32 }, {});
  const x = f.index;
  const body: Code = [ConvJob.forward, ConvJob.gradFilter, ConvJob.gradInput].map((k) =>
    ifThen(i32Eq(localGet(x.kind), i32Const(k)), call(Fn.Forward + k, localGet(x.geo))),
  );
  return { params: f.params, locals: f.locals, results: [], body, exportName: 'gemm' };
}


/** `forward(geo)`: y rows [0, rows) (+ up to 3 padding rows) of the convolution, bias and optional ReLU fused. */
function forward(flavor: SimdFlavor): FuncDef {
  const f = frame(
    { geo: ValType.i32 },
    {
      rows: ValType.i32, ldy: ValType.i32, c4: ValType.i32, table: ValType.i32, tableEnd: ValType.i32, r0: ValType.i32, yrow: ValType.i32,
      ocb: ValType.i32, wp: ValType.i32, e: ValType.i32, o: ValType.i32, a0: ValType.i32, a1: ValType.i32, a2: ValType.i32, a3: ValType.i32,
      relu: ValType.i32, bias: ValType.i32,
      b0: ValType.v128, b1: ValType.v128, s: ValType.v128,
      c00: ValType.v128, c01: ValType.v128, c10: ValType.v128, c11: ValType.v128,
      c20: ValType.v128, c21: ValType.v128, c30: ValType.v128, c31: ValType.v128,
    },
  );
  const x = f.index;
  const get = localGet;
  const fma = madd(flavor);
  const acc = [[x.c00, x.c01], [x.c10, x.c11], [x.c20, x.c21], [x.c30, x.c31]];
  const addr = [x.a0, x.a1, x.a2, x.a3];
  const body: Code = [
    localSet(x.rows, field(x.geo, 'rows')),
    localSet(x.ldy, field(x.geo, 'ldy')),
    localSet(x.c4, i32Mul(field(x.geo, 'c'), i32Const(4))),
    localSet(x.table, field(x.geo, 'table')),
    localSet(x.tableEnd, i32Add(get(x.table), i32Mul(field(x.geo, 'kh'), i32Mul(field(x.geo, 'kw'), i32Const(16))))),
    localSet(x.relu, field(x.geo, 'relu')),
    localSet(x.bias, field(x.geo, 'bias')),
    forRange(
      x.r0, field(x.geo, 'p0'), get(x.rows), i32Const(PIXELS),
      call(Fn.Taps, get(x.geo), get(x.r0), i32Const(0), i32Mul(field(x.geo, 'kh'), field(x.geo, 'kw'))),
      localSet(x.yrow, i32Add(field(x.geo, 'out'), i32Mul(get(x.r0), get(x.ldy)))),
      forRange(
        x.ocb, i32Const(0), get(x.ldy), i32Const(32),
        acc.map((row) => [localSet(row[0], v128Load(i32Add(get(x.bias), get(x.ocb)))), localSet(row[1], v128Load(i32Add(get(x.bias), get(x.ocb)), 16))]),
        localSet(x.wp, i32Add(field(x.geo, 'weights'), get(x.ocb))),
        localSet(x.e, get(x.table)),
        doWhileBelow(
          x.e, get(x.tableEnd), i32Const(16),
          addr.map((a, p) => localSet(a, i32Load(get(x.e), 4 * p))),
          localSet(x.o, i32Const(0)),
          doWhileBelow(
            x.o, get(x.c4), i32Const(4),
            localSet(x.b0, v128Load(get(x.wp))),
            localSet(x.b1, v128Load(get(x.wp), 16)),
            acc.map((row, p) => [
              localSet(x.s, v128Load32Splat(i32Add(get(addr[p]), get(x.o)))),
              localSet(row[0], fma(get(x.s), get(x.b0), get(row[0]))),
              localSet(row[1], fma(get(x.s), get(x.b1), get(row[1]))),
            ]),
            localSet(x.wp, i32Add(get(x.wp), get(x.ldy))),
          ),
        ),
        ifThen(get(x.relu), acc.flat().map((v) => localSet(v, f32x4Max(get(v), ZERO)))),
        acc.map((row, p) => [
          v128Store(i32Add(i32Add(get(x.yrow), i32Mul(get(x.ldy), i32Const(p))), get(x.ocb)), get(row[0])),
          v128Store(i32Add(i32Add(get(x.yrow), i32Mul(get(x.ldy), i32Const(p))), get(x.ocb)), get(row[1]), 16),
        ]),
      ),
    ),
  ];
  return { params: f.params, locals: f.locals, results: [], body, exportName: 'forward' };
}

/** `gradFilter(geo)`: dF rows of taps [t0, t1) += the products over all pixels (dF zeroed by the caller). */
function gradFilter(flavor: SimdFlavor): FuncDef {
  const f = frame(
    { geo: ValType.i32 },
    {
      rows: ValType.i32, ldy: ValType.i32, c4: ValType.i32, table: ValType.i32, tableEnd: ValType.i32, r0: ValType.i32, dyrow: ValType.i32,
      ocb: ValType.i32, dp: ValType.i32, e: ValType.i32, o: ValType.i32, a0: ValType.i32, a1: ValType.i32, a2: ValType.i32, a3: ValType.i32,
      t0: ValType.i32, t1: ValType.i32, rowBytes: ValType.i32,
      d0: ValType.v128, d1: ValType.v128, s: ValType.v128,
      y00: ValType.v128, y01: ValType.v128, y10: ValType.v128, y11: ValType.v128,
      y20: ValType.v128, y21: ValType.v128, y30: ValType.v128, y31: ValType.v128,
    },
  );
  const x = f.index;
  const get = localGet;
  const fma = madd(flavor);
  const dys = [[x.y00, x.y01], [x.y10, x.y11], [x.y20, x.y21], [x.y30, x.y31]];
  const addr = [x.a0, x.a1, x.a2, x.a3];
  const body: Code = [
    localSet(x.rows, field(x.geo, 'rows')),
    localSet(x.ldy, field(x.geo, 'ldy')),
    localSet(x.c4, i32Mul(field(x.geo, 'c'), i32Const(4))),
    localSet(x.t0, field(x.geo, 't0')),
    localSet(x.t1, field(x.geo, 't1')),
    localSet(x.table, field(x.geo, 'table')),
    localSet(x.tableEnd, i32Add(get(x.table), i32Mul(i32Sub(get(x.t1), get(x.t0)), i32Const(16)))),
    // Bytes of dF per tap: c rows of ldy.
    localSet(x.rowBytes, i32Mul(field(x.geo, 'c'), get(x.ldy))),
    forRange(
      x.r0, field(x.geo, 'p0'), get(x.rows), i32Const(PIXELS),
      call(Fn.Taps, get(x.geo), get(x.r0), get(x.t0), get(x.t1)),
      localSet(x.dyrow, i32Add(field(x.geo, 'out'), i32Mul(get(x.r0), get(x.ldy)))),
      forRange(
        x.ocb, i32Const(0), get(x.ldy), i32Const(32),
        dys.map((row, p) => [
          localSet(row[0], v128Load(i32Add(i32Add(get(x.dyrow), i32Mul(get(x.ldy), i32Const(p))), get(x.ocb)))),
          localSet(row[1], v128Load(i32Add(i32Add(get(x.dyrow), i32Mul(get(x.ldy), i32Const(p))), get(x.ocb)), 16)),
        ]),
        localSet(x.dp, i32Add(i32Add(field(x.geo, 'weights'), i32Mul(get(x.t0), get(x.rowBytes))), get(x.ocb))),
        localSet(x.e, get(x.table)),
        doWhileBelow(
          x.e, get(x.tableEnd), i32Const(16),
          addr.map((a, p) => localSet(a, i32Load(get(x.e), 4 * p))),
          localSet(x.o, i32Const(0)),
          doWhileBelow(
            x.o, get(x.c4), i32Const(4),
            localSet(x.d0, v128Load(get(x.dp))),
            localSet(x.d1, v128Load(get(x.dp), 16)),
            dys.map((row, p) => [
              localSet(x.s, v128Load32Splat(i32Add(get(addr[p]), get(x.o)))),
              localSet(x.d0, fma(get(x.s), get(row[0]), get(x.d0))),
              localSet(x.d1, fma(get(x.s), get(row[1]), get(x.d1))),
            ]),
            v128Store(get(x.dp), get(x.d0)),
            v128Store(get(x.dp), get(x.d1), 16),
            localSet(x.dp, i32Add(get(x.dp), get(x.ldy))),
          ),
        ),
      ),
    ),
  ];
  return { params: f.params, locals: f.locals, results: [], body, exportName: 'gradFilter' };
}

