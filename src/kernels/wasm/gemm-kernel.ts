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

/**
 * Rows of the register tile per flavor: one f32 of the A panel broadcast per row. Relaxed madd runs
 * 5 rows (see microKernel); plain SIMD keeps 4, because mul then add needs a temporary register per
 * product and Node 20's V8 spilled at 5 rows (21 vs 30 GFLOPS one thread; Node 24 equal at 4 and 5).
 */
export const MR_OF: Readonly<Record<SimdFlavor, number>> = Object.freeze({ simd: 4, relaxed: 5 });
/** The tallest register tile of any flavor (scratch sizes). */
export const MR_MAX = Math.max(...Object.values(MR_OF));
/** Columns of the register tile: two f32x4 vectors of the B panel. */
export const NR = 8;

/**
 * The micro-kernel `kernel(kc, pa, pb, c, ldc, load)`: an MR×8 tile (MR = MR_OF[flavor]) of C (row stride `ldc` bytes)
 * (+)= Σ_p A[p]ᵀ·B[p] over packed panels, A MR floats per depth step, B 8. The tile lives in 2·MR
 * f32x4 accumulators; each depth step loads B's two vectors once and broadcasts each of A's MR
 * values. Why 5 rows with relaxed madd: every accumulator is a chain of dependent multiply-adds, and a core keeps
 * latency × (multiply-adds per cycle) of them in flight: 4 × 2 = 8 on Skylake, 5 × 2 = 10 on Zen 2,
 * so a 4×8 tile (8 chains) leaves a fifth of a Zen core idle. 5×8 uses 13 of the 16 vector registers
 * x64 has (V8 keeps one as scratch); 6×8 (15) measured the same, so the smaller tile. With `load` = 0 the accumulators
 * start at zero instead of C.
 */
export function microKernel(flavor: SimdFlavor): FuncDef {
  const MR = MR_OF[flavor];
  const accLocals: Record<string, ValType> = {};
  for (let r = 0; r < MR; r++) {
    accLocals[`c${r}0`] = ValType.v128;
    accLocals[`c${r}1`] = ValType.v128;
  }
  const f = frame(
    { kc: ValType.i32, pa: ValType.i32, pb: ValType.i32, c: ValType.i32, ldc: ValType.i32, load: ValType.i32 },
    { end: ValType.i32, row: ValType.i32, a: ValType.v128, b0: ValType.v128, b1: ValType.v128, ...accLocals },
  );
  const x = f.index;
  const idx = x as Record<string, number>;
  const acc = Array.from({ length: MR }, (_, r) => [idx[`c${r}0`]!, idx[`c${r}1`]!]);
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
