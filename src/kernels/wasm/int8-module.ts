import {
  ValType,
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

/** Memory limits of the int8 module (64 KiB pages): its own unshared memory, grown on demand. */
export const INT8_MEMORY_PAGES = Object.freeze({ initial: 1, maximum: 65535 });

/**
 * The int8 GEMM module. Its one export `gemm_i8(mPanels, nPanels, kp, pa, pb, c)` computes, on the
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
    funcs: [driver()],
  });
}

function driver(): FuncDef {
  const f = frame(
    { mPanels: ValType.i32, nPanels: ValType.i32, kp: ValType.i32, pa: ValType.i32, pb: ValType.i32, c: ValType.i32 },
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
    forRange(x.jp, i32Const(0), get(x.nPanels), i32Const(1), forRange(x.ip, i32Const(0), get(x.mPanels), i32Const(1), tile)),
  ];
  return { params: f.params, locals: f.locals, results: [], body, exportName: 'gemm_i8' };
}
