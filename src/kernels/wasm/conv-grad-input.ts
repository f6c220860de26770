import {
  ValType,
  call,
  f32x4Add,
  i32Add,
  i32And,
  i32Const,
  i32Eqz,
  i32Mul,
  i32ShrU,
  ifThenElse,
  localGet,
  localSet,
  v128Load,
  v128Load32Splat,
  v128Store,
  type Code,
} from './instructions.js';
import { i32Load } from './instructions-extra.js';
import type { SimdFlavor } from './gemm-kernel.js';
import { doWhileBelow, forRange } from './loops.js';
import { frame, type FuncDef } from './module.js';
import { field, madd, PIXELS, TAPS_FN, ZERO } from './conv-taps.js';

/**
 * `gradInput(geo)`: dx (+)= the scatter of every pixel's dy through the transposed filter Fᵀ packed
 * [t, o, c] with c padded to a multiple of 4 (`cs` = its bytes per o), dx in the same padded layout:
 *   dx[tap(p, t) + c] += Σ_o dy[p, o] · Fᵀ[t, o, c]
 * With padded channels a multiple of 8, a tile of 4 pixels × 8 channels shares each pair of Fᵀ loads
 * between the pixels (8 accumulators); otherwise pixel by pixel, one vector of channels at a time.
 * Each (pixel, tap) sum runs over o in order; a dx element receives its sums tap by tap, pixels in
 * order within a tap, so the result does not depend on how images are split between threads.
 */
export function gradInput(flavor: SimdFlavor): FuncDef {
  const f = frame(
    { geo: ValType.i32 },
    {
      rows: ValType.i32, ldy: ValType.i32, cs: ValType.i32, ocBytes: ValType.i32, table: ValType.i32, tableEnd: ValType.i32,
      r0: ValType.i32, p: ValType.i32, dyrow: ValType.i32, dyEnd: ValType.i32, fp: ValType.i32, e: ValType.i32, a: ValType.i32,
      cb: ValType.i32, dq: ValType.i32, fq: ValType.i32, o: ValType.i32, tapBytes: ValType.i32, taps: ValType.i32,
      y0: ValType.i32, y1: ValType.i32, y2: ValType.i32, y3: ValType.i32, a0: ValType.i32, a1: ValType.i32, a2: ValType.i32, a3: ValType.i32,
      s: ValType.v128, f0: ValType.v128, f1: ValType.v128, d: ValType.v128,
      c00: ValType.v128, c01: ValType.v128, c10: ValType.v128, c11: ValType.v128,
      c20: ValType.v128, c21: ValType.v128, c30: ValType.v128, c31: ValType.v128,
    },
  );
  const x = f.index;
  const get = localGet;
  const fma = madd(flavor);
  const acc = [[x.c00, x.c01], [x.c10, x.c11], [x.c20, x.c21], [x.c30, x.c31]];
  const dys = [x.y0, x.y1, x.y2, x.y3];
  const addr = [x.a0, x.a1, x.a2, x.a3];
  const at = (a: number): Code => i32Add(get(a), get(x.cb));

  const tiles: Code = [
    dys.map((d, p) => localSet(d, i32Add(field(x.geo, 'out'), i32Mul(i32Add(get(x.r0), i32Const(p)), get(x.ldy))))),
    localSet(x.fp, field(x.geo, 'weights')),
    localSet(x.e, get(x.table)),
    doWhileBelow(
      x.e, get(x.tableEnd), i32Const(16),
      addr.map((a, p) => localSet(a, i32Load(get(x.e), 4 * p))),
      localSet(x.cb, i32Const(0)),
      doWhileBelow(
        x.cb, get(x.cs), i32Const(32),
        acc.flat().map((v) => localSet(v, ZERO)),
        localSet(x.o, i32Const(0)),
        localSet(x.fq, i32Add(get(x.fp), get(x.cb))),
        doWhileBelow(
          x.o, get(x.ocBytes), i32Const(4),
          localSet(x.f0, v128Load(get(x.fq))),
          localSet(x.f1, v128Load(get(x.fq), 16)),
          acc.map((row, p) => [
            localSet(x.d, v128Load32Splat(i32Add(get(dys[p]), get(x.o)))),
            localSet(row[0], fma(get(x.d), get(x.f0), get(row[0]))),
            localSet(row[1], fma(get(x.d), get(x.f1), get(row[1]))),
          ]),
          localSet(x.fq, i32Add(get(x.fq), get(x.cs))),
        ),
        acc.map((row, p) => [
          v128Store(at(addr[p]), f32x4Add(v128Load(at(addr[p])), get(row[0]))),
          v128Store(at(addr[p]), f32x4Add(v128Load(at(addr[p]), 16), get(row[1])), 16),
        ]),
      ),
      localSet(x.fp, i32Add(get(x.fp), get(x.tapBytes))),
    ),
  ];

  const pixels: Code = forRange(
    x.p, i32Const(0), i32Const(PIXELS * 4), i32Const(4),
    // p is pixel·4, the entry's byte offset in a table row.
    localSet(x.dyrow, i32Add(field(x.geo, 'out'), i32Mul(i32Add(get(x.r0), i32ShrU(get(x.p), i32Const(2))), get(x.ldy)))),
    localSet(x.dyEnd, i32Add(get(x.dyrow), get(x.ocBytes))),
    localSet(x.fp, field(x.geo, 'weights')),
    localSet(x.e, get(x.table)),
    doWhileBelow(
      x.e, get(x.tableEnd), i32Const(16),
      localSet(x.a, i32Load(i32Add(get(x.e), get(x.p)))),
      localSet(x.cb, i32Const(0)),
      doWhileBelow(
        x.cb, get(x.cs), i32Const(16),
        localSet(x.s, ZERO),
        localSet(x.dq, get(x.dyrow)),
        localSet(x.fq, i32Add(get(x.fp), get(x.cb))),
        doWhileBelow(
          x.dq, get(x.dyEnd), i32Const(4),
          localSet(x.s, fma(v128Load32Splat(get(x.dq)), v128Load(get(x.fq)), get(x.s))),
          localSet(x.fq, i32Add(get(x.fq), get(x.cs))),
        ),
        v128Store(at(x.a), f32x4Add(v128Load(at(x.a)), get(x.s))),
      ),
      localSet(x.fp, i32Add(get(x.fp), get(x.tapBytes))),
    ),
  );

  const body: Code = [
    localSet(x.rows, field(x.geo, 'rows')),
    localSet(x.ldy, field(x.geo, 'ldy')),
    localSet(x.cs, field(x.geo, 'cs')),
    localSet(x.ocBytes, i32Mul(field(x.geo, 'oc'), i32Const(4))),
    localSet(x.tapBytes, i32Mul(field(x.geo, 'oc'), get(x.cs))),
    localSet(x.taps, i32Mul(field(x.geo, 'kh'), field(x.geo, 'kw'))),
    localSet(x.table, field(x.geo, 'table')),
    localSet(x.tableEnd, i32Add(get(x.table), i32Mul(get(x.taps), i32Const(16)))),
    forRange(
      x.r0, field(x.geo, 'p0'), get(x.rows), i32Const(PIXELS),
      call(TAPS_FN, get(x.geo), get(x.r0), i32Const(0), get(x.taps)),
      ifThenElse(i32Eqz(i32And(get(x.cs), i32Const(31))), tiles, pixels),
    ),
  ];
  return { params: f.params, locals: f.locals, results: [], body, exportName: 'gradInput' };
}
