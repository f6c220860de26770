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
  v128Store64Lane,
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
 * exactly as in `gemm_i8`. The int32 tile is turned into floats in the same store:
 * y = float(acc)·(rowInv·colInv[j]) + bias[j], float32 throughout, as `dequantize_rows` computes.
 *
 * `conv_i8(tiles, nPanels, taps, cp, table, base, zero, pb, rowInv, colInv, bias, y, ldy)`:
 * tiles of 4 output pixels; table holds per tile and tap four i32 byte offsets from `base` (the
 * image), −1 for a tap in the padding, which then reads `zero` (cp·4 zero bytes); cp = inC/2
 * channel pairs per tap; rowInv the image's 1/scale (f32); colInv and bias 8·nPanels floats; y
 * row stride ldy bytes, 4·tiles rows. `unroll` 2 takes two channel pairs per turn (cp even).
 */
export function int8ConvFunc(unroll: 1 | 2): FuncDef {
  const f = frame(
    {
      tiles: ValType.i32, nPanels: ValType.i32, taps: ValType.i32, cp: ValType.i32, table: ValType.i32, base: ValType.i32, zero: ValType.i32,
      pb: ValType.i32, rowInv: ValType.f32, colInv: ValType.i32, bias: ValType.i32, y: ValType.i32, ldy: ValType.i32,
    },
    {
      t: ValType.i32, jp: ValType.i32, q: ValType.i32, tp: ValType.i32, b: ValType.i32, panelBytes: ValType.i32, runBytes: ValType.i32,
      p0: ValType.i32, p1: ValType.i32, p2: ValType.i32, p3: ValType.i32, end: ValType.i32, e: ValType.i32, row: ValType.i32,
      bw: ValType.v128, b0: ValType.v128, b1: ValType.v128, s: ValType.v128, m0: ValType.v128, m1: ValType.v128,
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
    localSet(x.bw, v128Load(get(x.b), 16 * u)),
    localSet(x.b0, i16x8ExtendLowI8x16S(get(x.bw))),
    localSet(x.b1, i16x8ExtendHighI8x16S(get(x.bw))),
    acc.map((row, r) => [
      localSet(x.s, v128Load32Splat(get(ptr[r]), 4 * u)),
      localSet(row[0], i32x4Add(get(row[0]), i32x4DotI16x8S(get(x.s), get(x.b0)))),
      localSet(row[1], i32x4Add(get(row[1]), i32x4DotI16x8S(get(x.s), get(x.b1)))),
    ]),
  ];
  const step = 4 * unroll;
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
      Array.from({ length: unroll }, (_, u) => pair(u)),
      localSet(x.b, i32Add(get(x.b), i32Const(16 * unroll))),
      localSet(x.p1, i32Add(get(x.p1), i32Const(step))),
      localSet(x.p2, i32Add(get(x.p2), i32Const(step))),
      localSet(x.p3, i32Add(get(x.p3), i32Const(step))),
    ),
  ];
  const store: Code = [
    // Row 4t of the tile, columns 8·jp: the multipliers rowInv·colInv and the bias for 8 columns.
    localSet(x.row, i32Add(get(x.y), i32Add(i32Mul(i32Mul(get(x.t), i32Const(4)), get(x.ldy)), i32Mul(get(x.jp), i32Const(32))))),
    localSet(x.m0, f32x4Mul(f32x4Splat(get(x.rowInv)), v128Load(i32Add(get(x.colInv), i32Mul(get(x.jp), i32Const(32)))))),
    localSet(x.m1, f32x4Mul(f32x4Splat(get(x.rowInv)), v128Load(i32Add(get(x.colInv), i32Mul(get(x.jp), i32Const(32))), 16))),
    localSet(x.bw, v128Load(i32Add(get(x.bias), i32Mul(get(x.jp), i32Const(32))))),
    localSet(x.s, v128Load(i32Add(get(x.bias), i32Mul(get(x.jp), i32Const(32))), 16)),
    acc.map((row) => [
      v128Store(get(x.row), f32x4Add(f32x4Mul(f32x4ConvertI32x4S(get(row[0])), get(x.m0)), get(x.bw))),
      v128Store(get(x.row), f32x4Add(f32x4Mul(f32x4ConvertI32x4S(get(row[1])), get(x.m1)), get(x.s)), 16),
      localSet(x.row, i32Add(get(x.row), get(x.ldy))),
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
    localSet(x.panelBytes, i32Mul(i32Mul(get(x.taps), get(x.cp)), i32Const(16))),
    forRange(x.t, i32Const(0), get(x.tiles), i32Const(1), forRange(x.jp, i32Const(0), get(x.nPanels), i32Const(1), tile)),
  ];
  return { params: f.params, locals: f.locals, results: [], body, exportName: unroll === 1 ? 'conv_i8' : 'conv_i8_u2' };
}

/**
 * `quantize_i16(n4, x, scale, out)`: out[i] = nearest(clip(x[i]·scale, ±127)) as int16 for 4·n4
 * floats (the same rounding as `quantize_rows`), 8 bytes stored per 4 floats.
 */
export function quantizeI16Func(): FuncDef {
  const f = frame({ n4: ValType.i32, x: ValType.i32, scale: ValType.f32, out: ValType.i32 }, { end: ValType.i32, s: ValType.v128, t: ValType.v128 });
  const x = f.index;
  const get = localGet;
  const lo = f32x4Splat(f32Const(-127));
  const hi = f32x4Splat(f32Const(127));
  const body: Code = [
    localSet(x.s, f32x4Splat(get(x.scale))),
    localSet(x.end, i32Add(get(x.x), i32Mul(get(x.n4), i32Const(16)))),
    forRange(
      x.x, get(x.x), get(x.end), i32Const(16),
      localSet(x.t, i32x4TruncSatF32x4S(f32x4Nearest(f32x4Min(f32x4Max(f32x4Mul(v128Load(get(x.x)), get(x.s)), lo), hi)))),
      v128Store64Lane(get(x.out), i16x8NarrowI32x4S(get(x.t), get(x.t)), 0),
      localSet(x.out, i32Add(get(x.out), i32Const(8))),
    ),
  ];
  return { params: f.params, locals: f.locals, results: [], body, exportName: 'quantize_i16' };
}

