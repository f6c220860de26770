import {
  ValType,
  f32Load,
  f32x4Add,
  f32x4ConvertI32x4S,
  f32x4Mul,
  f32x4Splat,
  i16x8ExtendHighI8x16S,
  i16x8ExtendLowI8x16S,
  i32Add,
  i32Const,
  i32Eq,
  i32Load,
  i32Mul,
  i32x4Add,
  i32x4DotI16x8S,
  localGet,
  localSet,
  select,
  v128Const,
  v128Load,
  v128Load32Splat,
  v128Store,
  f32Const,
  f32x4Max,
  f32x4Min,
  f32x4Nearest,
  i16x8NarrowI32x4S,
  i32x4TruncSatF32x4S,
  i16x8MaxS,
  i16x8Add,
  i16x8Splat,
  i32x4Sub,
  i32Sub,
  f64ConvertI32S,
  i8x16NarrowI16x8S,
  v128Store64Lane,
  i32x4RelaxedDotI8x16I7x16AddS,
  i16x8MinS,
  i32And,
  v128And,
  f32Div,
  f32DemoteF64,
  f32Max,
  f32Store,
  f32x4Abs,
  f32x4ExtractLane,
  f64Add,
  f64Const,
  f64Div,
  f64PromoteF32,
  ifThenElse,
  type Code,
} from './instructions.js';
import { doWhileBelow, forRange } from './loops.js';
import { frame, type FuncDef } from './module.js';

/**
 * The int8 convolution without a patch matrix (an implicit GEMM): the image is quantized once into
 * int16 values (NHWC, channel pairs adjacent), and each 4-pixel × 8-filter tile reads, for every
 * filter tap, the four pixels' channel runs straight from the image through a table of offsets
 * (int8-conv-taps.ts). Channel pairs of one tap are consecutive depth pairs of the packed kernel
 * (int8-pack.ts) because the kernel's depth order is (ky, kx, c) and inC is even, so B streams on
 * exactly as in `gemm_i8`. A Dense is the case of one tap over rows of a matrix. The int32 tile is turned into floats in the same store:
 * y = float(acc)·(rowInv·colInv[j]) + bias[j], float32 throughout, as `dequantize_rows` computes.
 *
 * `conv_i8(tiles, nPanels, taps, cp, table, base, zero, pb, rowInv, rowInvStep, colInv, bias, y, ldy)`:
 * tiles of 4 output pixels; table holds per tile and tap four i32 byte offsets from `base` (the
 * image), −1 for a tap in the padding, which then reads `zero` (cp·4 zero bytes); cp = inC/2
 * channel pairs per tap; rowInv the address of row 0's 1/scale (f32), the next row's rowInvStep bytes on
 * (0: one scale for all rows, an image; 4: a scale per row, a Dense); colInv and bias 8·nPanels floats; y
 * row stride ldy bytes, 4·tiles rows. `unroll` 2 takes two channel pairs per turn (cp even).
 * `wide`: B is staged already widened to int16 (32 bytes per depth pair and panel), so a tile loads
 * two vectors instead of sign-extending 16 bytes in the loop — the same products, once per tile saved.
 */
export function int8ConvFunc(unroll: 1 | 2, relaxed = false, wide = false): FuncDef {
  const f = frame(
    {
      tiles: ValType.i32, nPanels: ValType.i32, taps: ValType.i32, cp: ValType.i32, table: ValType.i32, base: ValType.i32, zero: ValType.i32,
      pb: ValType.i32, rowInv: ValType.i32, rowInvStep: ValType.i32, colInv: ValType.i32, bias: ValType.i32, y: ValType.i32, ldy: ValType.i32,
      corr: ValType.i32,
    },
    {
      t: ValType.i32, jp: ValType.i32, q: ValType.i32, tp: ValType.i32, b: ValType.i32, panelBytes: ValType.i32, runBytes: ValType.i32,
      p0: ValType.i32, p1: ValType.i32, p2: ValType.i32, p3: ValType.i32, end: ValType.i32, e: ValType.i32, row: ValType.i32,
      bw: ValType.v128, b0: ValType.v128, b1: ValType.v128, s: ValType.v128, m0: ValType.v128, m1: ValType.v128, r: ValType.v128, inv: ValType.i32,
      c00: ValType.v128, c01: ValType.v128, c10: ValType.v128, c11: ValType.v128,
      c20: ValType.v128, c21: ValType.v128, c30: ValType.v128, c31: ValType.v128,
    },
  );
  const x = f.index;
  const get = localGet;
  const acc = [[x.c00, x.c01], [x.c10, x.c11], [x.c20, x.c21], [x.c30, x.c31]];
  const ptr = [x.p0, x.p1, x.p2, x.p3];
  const zero = v128Const(new Array<number>(16).fill(0));
  // One depth pair: B's 16 bytes widened, each row's int16 pair splat over the lanes.
  const pair = (u: number): Code => [
    wide ? [localSet(x.b0, v128Load(get(x.b), 32 * u)), localSet(x.b1, v128Load(get(x.b), 32 * u + 16))] : [
      localSet(x.bw, v128Load(get(x.b), 16 * u)),
      localSet(x.b0, i16x8ExtendLowI8x16S(get(x.bw))),
      localSet(x.b1, i16x8ExtendHighI8x16S(get(x.bw))),
    ],
    acc.map((row, r) => [
      localSet(x.s, v128Load32Splat(get(ptr[r]), 4 * u)),
      localSet(row[0], i32x4Add(get(row[0]), i32x4DotI16x8S(get(x.s), get(x.b0)))),
      localSet(row[1], i32x4Add(get(row[1]), i32x4DotI16x8S(get(x.s), get(x.b1)))),
    ]),
  ];
  // Relaxed: one depth quad per turn, B's 32 bytes (columns 0–3, 4–7) against each row's 4 int8 values.
  const quad: Code = [
    localSet(x.b0, v128Load(get(x.b))),
    localSet(x.b1, v128Load(get(x.b), 16)),
    acc.map((row, r) => [
      localSet(x.s, v128Load32Splat(get(ptr[r]))),
      // Weights are the signed operand, the activations (levels + 64, in [1, 127]) the 7-bit one.
      localSet(row[0], i32x4RelaxedDotI8x16I7x16AddS(get(x.b0), get(x.s), get(row[0]))),
      localSet(row[1], i32x4RelaxedDotI8x16I7x16AddS(get(x.b1), get(x.s), get(row[1]))),
    ]),
  ];
  const step = relaxed ? 4 : 4 * unroll;
  const pairBytes = relaxed || wide ? 32 : 16;
  const bStep = relaxed ? 32 : pairBytes * unroll;
  const tap: Code = [
    ptr.map((p, r) => [
      localSet(x.e, i32Load(get(x.tp), 4 * r)),
      localSet(p, select(get(x.zero), i32Add(get(x.base), get(x.e)), i32Eq(get(x.e), i32Const(-1)))),
    ]),
    localSet(x.tp, i32Add(get(x.tp), i32Const(16))),
    localSet(x.end, i32Add(get(x.p0), get(x.runBytes))),
    doWhileBelow(
      x.p0,
      get(x.end),
      i32Const(step),
      relaxed ? quad : Array.from({ length: unroll }, (_, u) => pair(u)),
      localSet(x.b, i32Add(get(x.b), i32Const(bStep))),
      localSet(x.p1, i32Add(get(x.p1), i32Const(step))),
      localSet(x.p2, i32Add(get(x.p2), i32Const(step))),
      localSet(x.p3, i32Add(get(x.p3), i32Const(step))),
    ),
  ];
  const store: Code = [
    // Row 4t of the tile, columns 8·jp; each row's multipliers rowInv[row]·colInv and the bias for 8 columns.
    localSet(x.row, i32Add(get(x.y), i32Add(i32Mul(i32Mul(get(x.t), i32Const(4)), get(x.ldy)), i32Mul(get(x.jp), i32Const(32))))),
    localSet(x.inv, i32Add(get(x.rowInv), i32Mul(i32Mul(get(x.t), i32Const(4)), get(x.rowInvStep)))),
    localSet(x.m0, v128Load(i32Add(get(x.colInv), i32Mul(get(x.jp), i32Const(32))))),
    localSet(x.m1, v128Load(i32Add(get(x.colInv), i32Mul(get(x.jp), i32Const(32))), 16)),
    localSet(x.bw, v128Load(i32Add(get(x.bias), i32Mul(get(x.jp), i32Const(32))))),
    localSet(x.s, v128Load(i32Add(get(x.bias), i32Mul(get(x.jp), i32Const(32))), 16)),
    // Relaxed: Σ w·(q + 64) − 64·Σ w, the column sums 64·Σ w given per column at corr (int32).
    relaxed ? [
      localSet(x.b0, v128Load(i32Add(get(x.corr), i32Mul(get(x.jp), i32Const(32))))),
      localSet(x.b1, v128Load(i32Add(get(x.corr), i32Mul(get(x.jp), i32Const(32))), 16)),
      acc.map((row) => [localSet(row[0], i32x4Sub(get(row[0]), get(x.b0))), localSet(row[1], i32x4Sub(get(row[1]), get(x.b1)))]),
    ] : [],
    acc.map((row) => [
      localSet(x.r, v128Load32Splat(get(x.inv))),
      v128Store(get(x.row), f32x4Add(f32x4Mul(f32x4ConvertI32x4S(get(row[0])), f32x4Mul(get(x.r), get(x.m0))), get(x.bw))),
      v128Store(get(x.row), f32x4Add(f32x4Mul(f32x4ConvertI32x4S(get(row[1])), f32x4Mul(get(x.r), get(x.m1))), get(x.s)), 16),
      localSet(x.row, i32Add(get(x.row), get(x.ldy))),
      localSet(x.inv, i32Add(get(x.inv), get(x.rowInvStep))),
    ]),
  ];
  const tile: Code = [
    acc.flat().map((v) => localSet(v, zero)),
    localSet(x.b, i32Add(get(x.pb), i32Mul(get(x.jp), get(x.panelBytes)))),
    localSet(x.tp, i32Add(get(x.table), i32Mul(get(x.t), i32Mul(get(x.taps), i32Const(16))))),
    forRange(x.q, i32Const(0), get(x.taps), i32Const(1), tap),
    store,
  ];
  const body: Code = [
    localSet(x.runBytes, i32Mul(get(x.cp), i32Const(4))),
    // Per panel: taps · cp depth units of 16 bytes (pairs) or 32 bytes (relaxed: cp counts quads).
    localSet(x.panelBytes, i32Mul(i32Mul(get(x.taps), get(x.cp)), i32Const(pairBytes))),
    forRange(x.t, i32Const(0), get(x.tiles), i32Const(1), forRange(x.jp, i32Const(0), get(x.nPanels), i32Const(1), tile)),
  ];
  return { params: f.params, locals: f.locals, results: [], body, exportName: relaxed ? 'conv_i8_relaxed' : `conv_i8${unroll === 1 ? '' : '_u2'}${wide ? '_w' : ''}` };
}

/**
 * `quantize_i16(n8, x, scale, out)`: out[i] = clip(nearest(x[i]·scale), ±127) as int16 for 8·n8
 * floats (the same levels as `quantize_rows`), 16 bytes stored per 8 floats.
 */
export function quantizeI16Func(bytes: 1 | 2 = 2): FuncDef {
  const f = frame(
    { n8: ValType.i32, x: ValType.i32, scale: ValType.f32, out: ValType.i32, limit: ValType.i32, offset: ValType.i32 },
    { end: ValType.i32, s: ValType.v128, t0: ValType.v128, t1: ValType.v128, hi: ValType.v128, lo: ValType.v128, off: ValType.v128 },
  );
  const x = f.index;
  const get = localGet;
  const body: Code = [
    limits(x.limit, x.offset, x.hi, x.lo, x.off),
    localSet(x.s, f32x4Splat(get(x.scale))),
    localSet(x.end, i32Add(get(x.x), i32Mul(get(x.n8), i32Const(32)))),
    forRange(
      x.x, get(x.x), get(x.end), i32Const(32),
      quantize8(get(x.x), get(x.s), get(x.out), x.t0, x.t1, bytes, { hi: x.hi, lo: x.lo, off: x.off }),
      localSet(x.out, i32Add(get(x.out), i32Const(8 * bytes))),
    ),
  ];
  return { params: f.params, locals: f.locals, results: [], body, exportName: bytes === 2 ? 'quantize_i16' : 'quantize_i8' };
}

/**
 * Eight floats at `addr` → eight int16 levels clip(nearest(v·s), ±127) stored at `dst`. Clipping
 * after rounding in the integer domain (two single-instruction i16x8 min/max) gives the same levels
 * as clipping before (|v·s| ∈ (127, 127.5) rounds to 127 either way); NaN becomes 0 as trunc_sat does.
 */
function quantize8(addr: Code, s: Code, dst: Code, t0: number, t1: number, bytes: 1 | 2, lim: { hi: number; lo: number; off: number }): Code {
  const q = (offset: number): Code => i32x4TruncSatF32x4S(f32x4Nearest(f32x4Mul(v128Load(addr, offset), s)));
  // Clipped to ±limit, then shifted by the offset (64 for the relaxed kernel's non-negative operand, else 0).
  const levels = i16x8Add(i16x8MaxS(i16x8MinS(i16x8NarrowI32x4S(localGet(t0), localGet(t1)), localGet(lim.hi)), localGet(lim.lo)), localGet(lim.off));
  return [
    localSet(t0, q(0)),
    localSet(t1, q(16)),
    // int16 levels, or (relaxed path) the same levels narrowed to int8, exact since |level| ≤ 127.
    bytes === 2 ? v128Store(dst, levels) : [localSet(t0, levels), v128Store64Lane(dst, i8x16NarrowI16x8S(localGet(t0), localGet(t0)), 0)],
  ];
}

/** Locals hi = splat(limit), lo = splat(−limit), off = splat(offset) (i16 lanes) from i32 params. */
function limits(limit: number, offset: number, hi: number, lo: number, off: number): Code {
  return [
    localSet(hi, i16x8Splat(localGet(limit))),
    localSet(lo, i16x8Splat(i32Sub(i32Const(0), localGet(limit)))),
    localSet(off, i16x8Splat(localGet(offset))),
  ];
}

/**
 * `quantize_rows_i16(m, k, x, scales, rowInv, out, ldo, dynamic, masks)`: rows of k floats (stride k,
 * unpadded) to int16 levels, row i written from out + 2·ldo·i (ldo ≥ k), rows in order. Eight values
 * at a time: a row's last group reads past its end and writes past ldo; those extra levels meet zero
 * rows of the padded B or are overwritten by the next row, so they never count. dynamic ≠ 0:
 * scales[i] = f32(127 / (max|row| + 1e-7)) computed in double as `scaleFromMax` (the last 1–3
 * values masked by masks + 16·(k mod 4)); else scales are given. rowInv[i] = 1/scales[i] (f32).
 */
export function quantizeRowsI16Func(bytes: 1 | 2 = 2): FuncDef {
  const f = frame(
    {
      m: ValType.i32, k: ValType.i32, x: ValType.i32, scales: ValType.i32, rowInv: ValType.i32, out: ValType.i32,
      ldo: ValType.i32, dynamic: ValType.i32, masks: ValType.i32, limit: ValType.i32, offset: ValType.i32,
    },
    {
      i: ValType.i32, p: ValType.i32, end: ValType.i32, end4: ValType.i32, dst: ValType.i32,
      acc: ValType.v128, s: ValType.v128, t0: ValType.v128, t1: ValType.v128, sc: ValType.f32,
      hi: ValType.v128, lo: ValType.v128, off: ValType.v128,
    },
  );
  const x = f.index;
  const get = localGet;
  const lane = (l: number): Code => f32x4ExtractLane(get(x.acc), l);
  const lim = { hi: x.hi, lo: x.lo, off: x.off };
  const body = [limits(x.limit, x.offset, x.hi, x.lo, x.off), forRange(
    x.i, i32Const(0), get(x.m), i32Const(1),
    localSet(x.end, i32Add(get(x.x), i32Mul(get(x.k), i32Const(4)))),
    ifThenElse(
      get(x.dynamic),
      [
        localSet(x.acc, v128Const(new Array<number>(16).fill(0))),
        localSet(x.end4, i32Add(get(x.x), i32Mul(i32And(get(x.k), i32Const(-4)), i32Const(4)))),
        forRange(x.p, get(x.x), get(x.end4), i32Const(16), localSet(x.acc, f32x4Max(get(x.acc), f32x4Abs(v128Load(get(x.p)))))),
        // The 1–3 values after the last whole group, the lanes past the row masked off.
        localSet(x.acc, f32x4Max(get(x.acc), v128And(f32x4Abs(v128Load(get(x.end4))), v128Load(i32Add(get(x.masks), i32Mul(i32And(get(x.k), i32Const(3)), i32Const(16))))))),
        localSet(x.sc, f32DemoteF64(f64Div(f64ConvertI32S(get(x.limit)), f64Add(f64PromoteF32(f32Max(f32Max(lane(0), lane(1)), f32Max(lane(2), lane(3)))), f64Const(1e-7))))),
        f32Store(get(x.scales), get(x.sc)),
      ],
      localSet(x.sc, f32Load(get(x.scales))),
    ),
    f32Store(get(x.rowInv), f32Div(f32Const(1), get(x.sc))),
    localSet(x.s, f32x4Splat(get(x.sc))),
    localSet(x.dst, i32Add(get(x.out), i32Mul(i32Mul(get(x.i), get(x.ldo)), i32Const(bytes)))),
    forRange(
      x.p, get(x.x), get(x.end), i32Const(32),
      quantize8(get(x.p), get(x.s), get(x.dst), x.t0, x.t1, bytes, lim),
      localSet(x.dst, i32Add(get(x.dst), i32Const(8 * bytes))),
    ),
    localSet(x.x, get(x.end)),
    localSet(x.scales, i32Add(get(x.scales), i32Const(4))),
    localSet(x.rowInv, i32Add(get(x.rowInv), i32Const(4))),
  )];
  return { params: f.params, locals: f.locals, results: [], body, exportName: bytes === 2 ? 'quantize_rows_i16' : 'quantize_rows_i8' };
}
