import {
  ValType,
  f32x4Add,
  f32x4Mul,
  f32x4RelaxedMadd,
  i32Add,
  i32Mul,
  i32Const,
  ifThenElse,
  localGet,
  localSet,
  v128Const,
  v128Load,
  v128Load32Splat,
  v128Store,
  type Code,
} from './instructions.js';
import { doWhileBelow } from './loops.js';
import { frame, type FuncDef } from './module.js';

/** Which multiply-add the micro-kernel uses: f32x4.mul then f32x4.add, or relaxed-SIMD's fused madd. */
export type SimdFlavor = 'simd' | 'relaxed';

/** Rows of the register tile: one f32 of the A panel broadcast per row. */
export const MR = 4;
/** Columns of the register tile: two f32x4 vectors of the B panel. */
export const NR = 8;

/**
 * The micro-kernel `kernel(kc, pa, pb, c, ldc, load)`: a 4×8 tile of C (row stride `ldc` bytes)
 * (+)= Σ_p A[p]ᵀ·B[p] over packed panels, A 4 floats per depth step, B 8. The tile lives in eight
 * f32x4 accumulators; each depth step loads B's two vectors once and broadcasts each of A's four
 * values: 11 vector registers of the 16 x64 has. Wider tiles (6×8, 4×12) spilled in the probe and ran
 * at half speed. With `load` = 0 the accumulators start at zero instead of C.
 */
export function microKernel(flavor: SimdFlavor): FuncDef {
  const f = frame(
    { kc: ValType.i32, pa: ValType.i32, pb: ValType.i32, c: ValType.i32, ldc: ValType.i32, load: ValType.i32 },
    {
      end: ValType.i32,
      row: ValType.i32,
      a: ValType.v128,
      b0: ValType.v128,
      b1: ValType.v128,
      c00: ValType.v128, c01: ValType.v128,
      c10: ValType.v128, c11: ValType.v128,
      c20: ValType.v128, c21: ValType.v128,
      c30: ValType.v128, c31: ValType.v128,
    },
  );
  const x = f.index;
  const acc = [[x.c00, x.c01], [x.c10, x.c11], [x.c20, x.c21], [x.c30, x.c31]];
  // acc + a·b: the product rounds before the sum with plain SIMD; relaxed madd may fuse the two.
  const madd = (a: Code, b: Code, c: Code): Code => (flavor === 'relaxed' ? f32x4RelaxedMadd(a, b, c) : f32x4Add(c, f32x4Mul(a, b)));
  const eachRow = (step: (r: number) => Code): Code => [
    localSet(x.row, localGet(x.c)),
    acc.map((_, r) => [step(r), localSet(x.row, i32Add(localGet(x.row), localGet(x.ldc)))]),
  ];
  const zero = v128Const(new Array<number>(16).fill(0));

  const body: Code = [
    ifThenElse(
      localGet(x.load),
      eachRow((r) => [localSet(acc[r][0], v128Load(localGet(x.row))), localSet(acc[r][1], v128Load(localGet(x.row), 16))]),
      acc.flat().map((v) => localSet(v, zero)),
    ),
    localSet(x.end, i32Add(localGet(x.pa), i32Mul(localGet(x.kc), i32Const(MR * 4)))),
    doWhileBelow(
      x.pa,
      localGet(x.end),
      i32Const(MR * 4),
      localSet(x.b0, v128Load(localGet(x.pb))),
      localSet(x.b1, v128Load(localGet(x.pb), 16)),
      acc.map((row, r) => [
        localSet(x.a, v128Load32Splat(localGet(x.pa), 4 * r)),
        localSet(row[0], madd(localGet(x.a), localGet(x.b0), localGet(row[0]))),
        localSet(row[1], madd(localGet(x.a), localGet(x.b1), localGet(row[1]))),
      ]),
      localSet(x.pb, i32Add(localGet(x.pb), i32Const(NR * 4))),
    ),
    eachRow((r) => [v128Store(localGet(x.row), localGet(acc[r][0])), v128Store(localGet(x.row), localGet(acc[r][1]), 16)]),
  ];
  return { params: f.params, locals: f.locals, results: [], body };
}
