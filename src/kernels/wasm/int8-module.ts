import {
  ValType,
  f32Const,
  f32Load,
  f32Max,
  f32Store,
  f32x4Abs,
  f32x4Add,
  f32x4ConvertI32x4S,
  f32x4ExtractLane,
  f32x4Max,
  f32x4Min,
  f32x4Mul,
  f32x4Nearest,
  f32x4Splat,
  i16x8NarrowI32x4S,
  i32And,
  i32GtU,
  i32ShrU,
  i32x4TruncSatF32x4S,
  ifThen,
  ifThenElse,
  v128Store32Lane,
  i16x8ExtendHighI8x16S,
  i16x8ExtendLowI8x16S,
  i32Add,
  i32Const,
  i32Mul,
  i32x4Add,
  i32x4DotI16x8S,
  localGet,
  localSet,
  v128Const,
  v128Load,
  v128Load32Splat,
  v128Store,
  type Code,
} from './instructions.js';
import { doWhileBelow, forRange } from './loops.js';
import { encodeModule, frame, type FuncDef } from './module.js';
import { int8ConvFunc, quantizeI16Func, quantizeRowsI16Func } from './int8-conv-module.js';

/** Memory limits of the int8 module (64 KiB pages): its own unshared memory, grown on demand. */
export const INT8_MEMORY_PAGES = Object.freeze({ initial: 1, maximum: 65535 });

/**
 * The int8 GEMM module: `absmax_rows` and `quantize_rows` turn float rows into packed int8 A, and
 * `gemm_i8` multiplies. The GEMM export `gemm_i8(mPanels, nPanels, kp, pa, pb, c, rowsOuter)` computes, on the
 * packed operands of int8-pack.ts at byte addresses pa (int16 A panels) and pb (int8 B panels), the
 * int32 product C at c (row stride 32·nPanels bytes). A 4×8 tile lives in eight i32x4 accumulators;
 * each depth pair loads 16 bytes of B (8 columns × 2 depths), widens them to two i16x8 vectors, and
 * for each of the 4 rows splats A's two int16 values over the lanes, so `i32x4.dot_i16x8_s` gives
 * 4 columns × 2 depth steps per instruction: 64 multiply-adds in 8 dot products and 8 adds.
 * Products are at most 127² and pair sums 2·127², so nothing saturates or wraps below k ≈ 266 000.
 */
export function int8ModuleBytes(): Uint8Array {
  return encodeModule({
    memory: { module: 'env', name: 'memory', initial: INT8_MEMORY_PAGES.initial, maximum: INT8_MEMORY_PAGES.maximum },
    funcs: [driver(), absMaxRows(), quantizeRows(), dequantizeRows(), int8ConvFunc(1), int8ConvFunc(2), quantizeI16Func(), quantizeRowsI16Func(), int8ConvFunc(1, false, true), int8ConvFunc(2, false, true)],
  });
}

/**
 * The relaxed-SIMD int8 module: `conv_i8_relaxed` (the implicit GEMM of int8-conv-module.ts on depth
 * quads with `i32x4.relaxed_dot_i8x16_i7x16_add_s`, kernels in int8-pack-quad.ts's layout, 7-bit
 * weights), `quantize_i8` / `quantize_rows_i8`, which write int8 levels, and `absmax_rows`. A separate module, so
 * the plain one still validates where relaxed SIMD is missing.
 */
export function int8RelaxedModuleBytes(): Uint8Array {
  return encodeModule({
    memory: { module: 'env', name: 'memory', initial: INT8_MEMORY_PAGES.initial, maximum: INT8_MEMORY_PAGES.maximum },
    funcs: [int8ConvFunc(1, true), quantizeI16Func(1), quantizeRowsI16Func(1), absMaxRows()],
  });
}

function driver(): FuncDef {
  const f = frame(
    { mPanels: ValType.i32, nPanels: ValType.i32, kp: ValType.i32, pa: ValType.i32, pb: ValType.i32, c: ValType.i32, rowsOuter: ValType.i32 },
    {
      jp: ValType.i32, ip: ValType.i32, ldc: ValType.i32, panelBytes: ValType.i32,
      a: ValType.i32, b: ValType.i32, end: ValType.i32, row: ValType.i32,
      bw: ValType.v128, b0: ValType.v128, b1: ValType.v128, s: ValType.v128,
      c00: ValType.v128, c01: ValType.v128,
      c10: ValType.v128, c11: ValType.v128,
      c20: ValType.v128, c21: ValType.v128,
      c30: ValType.v128, c31: ValType.v128,
    },
  );
  const x = f.index;
  const get = localGet;
  const acc = [[x.c00, x.c01], [x.c10, x.c11], [x.c20, x.c21], [x.c30, x.c31]];
  const zero = v128Const(new Array<number>(16).fill(0));
  const tile: Code = [
    acc.flat().map((v) => localSet(v, zero)),
    // A panel ip and B panel jp both take 16 bytes per depth pair.
    localSet(x.a, i32Add(get(x.pa), i32Mul(get(x.ip), get(x.panelBytes)))),
    localSet(x.b, i32Add(get(x.pb), i32Mul(get(x.jp), get(x.panelBytes)))),
    localSet(x.end, i32Add(get(x.a), get(x.panelBytes))),
    doWhileBelow(
      x.a,
      get(x.end),
      i32Const(16),
      localSet(x.bw, v128Load(get(x.b))),
      localSet(x.b0, i16x8ExtendLowI8x16S(get(x.bw))),
      localSet(x.b1, i16x8ExtendHighI8x16S(get(x.bw))),
      acc.map((row, r) => [
        localSet(x.s, v128Load32Splat(get(x.a), 4 * r)),
        localSet(row[0], i32x4Add(get(row[0]), i32x4DotI16x8S(get(x.s), get(x.b0)))),
        localSet(row[1], i32x4Add(get(row[1]), i32x4DotI16x8S(get(x.s), get(x.b1)))),
      ]),
      localSet(x.b, i32Add(get(x.b), i32Const(16))),
    ),
    // Row 4·ip of the tile starts at c + 4·ip·ldc + 32·jp.
    localSet(x.row, i32Add(get(x.c), i32Add(i32Mul(i32Mul(get(x.ip), i32Const(4)), get(x.ldc)), i32Mul(get(x.jp), i32Const(32))))),
    acc.map((row) => [
      v128Store(get(x.row), get(row[0])),
      v128Store(get(x.row), get(row[1]), 16),
      localSet(x.row, i32Add(get(x.row), get(x.ldc))),
    ]),
  ];
  const body: Code = [
    localSet(x.ldc, i32Mul(get(x.nPanels), i32Const(32))),
    localSet(x.panelBytes, i32Mul(get(x.kp), i32Const(16))),
    // Rows outer when all of B fits in cache (each A panel then stays in L1 while B streams past);
    // columns outer otherwise (each B panel stays in L1 while A streams past).
    ifThenElse(
      get(x.rowsOuter),
      forRange(x.ip, i32Const(0), get(x.mPanels), i32Const(1), forRange(x.jp, i32Const(0), get(x.nPanels), i32Const(1), tile)),
      forRange(x.jp, i32Const(0), get(x.nPanels), i32Const(1), forRange(x.ip, i32Const(0), get(x.mPanels), i32Const(1), tile)),
    ),
  ];
  return { params: f.params, locals: f.locals, results: [], body, exportName: 'gemm_i8' };
}

/**
 * `absmax_rows(m, k4, x, out)`: out[i] = max |x[i, :]| of each row of m rows of k4 floats (k4 a
 * multiple of 4; padding zeros never raise a maximum). A maximum is exact, so the caller's scale
 * 127 / (max + ε) is the same number whichever path found the maximum.
 */
function absMaxRows(): FuncDef {
  const f = frame({ m: ValType.i32, k4: ValType.i32, x: ValType.i32, out: ValType.i32 }, { i: ValType.i32, end: ValType.i32, acc: ValType.v128 });
  const x = f.index;
  const get = localGet;
  const zero = v128Const(new Array<number>(16).fill(0));
  const lane = (l: number): Code => f32x4ExtractLane(get(x.acc), l);
  const body = forRange(
    x.i, i32Const(0), get(x.m), i32Const(1),
    localSet(x.acc, zero),
    localSet(x.end, i32Add(get(x.x), i32Mul(get(x.k4), i32Const(4)))),
    doWhileBelow(x.x, get(x.end), i32Const(16), localSet(x.acc, f32x4Max(get(x.acc), f32x4Abs(v128Load(get(x.x)))))),
    f32Store(i32Add(get(x.out), i32Mul(get(x.i), i32Const(4))), f32Max(f32Max(lane(0), lane(1)), f32Max(lane(2), lane(3)))),
  );
  return { params: f.params, locals: f.locals, results: [], body, exportName: 'absmax_rows' };
}

/**
 * `quantize_rows(m, k, k4, x, scales, pa, kp)`: q = nearest(clip(x·s, ±127)) of each row (stride k4
 * floats, zero-padded), written into packed A (int8-pack.ts) at pa as int16 pairs: four floats give
 * two pairs, stored 16 bytes apart with `v128.store32_lane`. Rows past m and pairs past k are the
 * caller's zeros. x·s rounds in float32 and halves go to even, exactly as `quantizePackA` computes.
 */
function quantizeRows(): FuncDef {
  const f = frame(
    { m: ValType.i32, k: ValType.i32, k4: ValType.i32, x: ValType.i32, scales: ValType.i32, pa: ValType.i32, kp: ValType.i32 },
    { i: ValType.i32, src: ValType.i32, dst: ValType.i32, end: ValType.i32, rest: ValType.i32, s: ValType.v128, q: ValType.v128 },
  );
  const x = f.index;
  const get = localGet;
  const lo = f32x4Splat(f32Const(-127));
  const hi = f32x4Splat(f32Const(127));
  const quant = (v: Code): Code => {
    const t = i32x4TruncSatF32x4S(f32x4Nearest(f32x4Min(f32x4Max(f32x4Mul(v, get(x.s)), lo), hi)));
    return localSet(x.q, i16x8NarrowI32x4S(t, t));
  };
  const body = forRange(
    x.i, i32Const(0), get(x.m), i32Const(1),
    localSet(x.s, f32x4Splat(f32Load(i32Add(get(x.scales), i32Mul(get(x.i), i32Const(4)))))),
    localSet(x.src, i32Add(get(x.x), i32Mul(i32Mul(get(x.i), get(x.k4)), i32Const(4)))),
    // Row i sits in panel i/4 (kp·16 bytes each), 4 bytes per row within a depth pair.
    localSet(x.dst, i32Add(get(x.pa), i32Add(i32Mul(i32ShrU(get(x.i), i32Const(2)), i32Mul(get(x.kp), i32Const(16))), i32Mul(i32And(get(x.i), i32Const(3)), i32Const(4))))),
    // Whole groups of 4 floats, then a tail of 1–3.
    localSet(x.end, i32Add(get(x.src), i32Mul(i32And(get(x.k), i32Const(-4)), i32Const(4)))),
    forRange(
      x.src, get(x.src), get(x.end), i32Const(16),
      quant(v128Load(get(x.src))),
      v128Store32Lane(get(x.dst), get(x.q), 0),
      v128Store32Lane(get(x.dst), get(x.q), 1, 16),
      localSet(x.dst, i32Add(get(x.dst), i32Const(32))),
    ),
    localSet(x.rest, i32And(get(x.k), i32Const(3))),
    ifThen(
      get(x.rest),
      quant(v128Load(get(x.src))),
      v128Store32Lane(get(x.dst), get(x.q), 0),
      ifThen(i32GtU(get(x.rest), i32Const(2)), v128Store32Lane(get(x.dst), get(x.q), 1, 16)),
    ),
  );
  return { params: f.params, locals: f.locals, results: [], body, exportName: 'quantize_rows' };
}

/**
 * `dequantize_rows(m, nPad, c, rowInv, colInv, bias, y)`: y[i, j] = float(c[i, j])·(rowInv[i]·colInv[j]) +
 * bias[j] in float32, four columns at a time, over rows of nPad (a multiple of 8) values; c, y row-major
 * with stride nPad, rowInv one float per row, colInv and bias nPad floats.
 */
function dequantizeRows(): FuncDef {
  const f = frame(
    { m: ValType.i32, nPad: ValType.i32, c: ValType.i32, rowInv: ValType.i32, colInv: ValType.i32, bias: ValType.i32, y: ValType.i32 },
    { i: ValType.i32, j: ValType.i32, bytes: ValType.i32, r: ValType.v128 },
  );
  const x = f.index;
  const get = localGet;
  const at = (base: number): Code => i32Add(get(base), get(x.j));
  const body: Code = [
    localSet(x.bytes, i32Mul(get(x.nPad), i32Const(4))),
    forRange(
      x.i, i32Const(0), get(x.m), i32Const(1),
      localSet(x.r, f32x4Splat(f32Load(i32Add(get(x.rowInv), i32Mul(get(x.i), i32Const(4)))))),
      forRange(
        x.j, i32Const(0), get(x.bytes), i32Const(16),
        v128Store(at(x.y), f32x4Add(f32x4Mul(f32x4ConvertI32x4S(v128Load(at(x.c))), f32x4Mul(get(x.r), v128Load(at(x.colInv)))), v128Load(at(x.bias)))),
      ),
      localSet(x.c, i32Add(get(x.c), get(x.bytes))),
      localSet(x.y, i32Add(get(x.y), get(x.bytes))),
    ),
  ];
  return { params: f.params, locals: f.locals, results: [], body, exportName: 'dequantize_rows' };
}
