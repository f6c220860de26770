import { ValType, f32x4Add, i32Add, i32And, i32Const, i32Eq, i32Mul, i32Ne, i32Sub, ifThen, ifThenElse, localGet, localSet, v128Const, v128Load, v128Store, type Code } from './instructions.js';
import { f32x4Gt, i32Or, v128And } from './instructions-extra.js';
import { forRange } from './loops.js';
import { frame, type FuncDef } from './module.js';
import { field } from './conv-taps.js';

/** Rows per block of the bias gradient's column sums: float32 partial sums stay short, as a pairwise sum's. */
export const SUM_BLOCK = 64;

/**
 * `prepareDy(geo)`: readies dy (rows of `ldy` bytes at `out`) for the gradient kernels in one pass:
 * with a `mask` (the forward output of a fused ReLU) zeroes dy where y ≤ 0 or y is NaN, and sums the
 * columns into `bias` (the bias gradient): each block of SUM_BLOCK rows into `part`, then `part` into
 * `bias`, so rounding grows with the number of blocks rather than rows. `part` and `bias` start zeroed.
 */
export function prepareDy(): FuncDef {
  const f = frame(
    { geo: ValType.i32 },
    {
      rows: ValType.i32, ldy: ValType.i32, r: ValType.i32, ob: ValType.i32, row: ValType.i32, mask: ValType.i32, part: ValType.i32, total: ValType.i32,
      d: ValType.v128,
    },
  );
  const x = f.index;
  const get = localGet;
  const zero = v128Const(new Array<number>(16).fill(0));
  const at = (base: number): Code => i32Add(get(base), get(x.ob));
  const accumulate = (masked: boolean): Code =>
    forRange(
      x.ob, i32Const(0), get(x.ldy), i32Const(16),
      localSet(x.d, v128Load(at(x.row))),
      masked
        ? [
            localSet(x.d, v128And(get(x.d), f32x4Gt(v128Load(i32Add(i32Add(get(x.mask), i32Mul(get(x.r), get(x.ldy))), get(x.ob))), zero))),
            v128Store(at(x.row), get(x.d)),
          ]
        : [],
      v128Store(at(x.part), f32x4Add(v128Load(at(x.part)), get(x.d))),
    );
  const flush: Code = forRange(
    x.ob, i32Const(0), get(x.ldy), i32Const(16),
    v128Store(at(x.total), f32x4Add(v128Load(at(x.total)), v128Load(at(x.part)))),
    v128Store(at(x.part), zero),
  );
  const body: Code = [
    localSet(x.rows, field(x.geo, 'rows')),
    localSet(x.ldy, field(x.geo, 'ldy')),
    localSet(x.mask, field(x.geo, 'mask')),
    localSet(x.part, field(x.geo, 'part')),
    localSet(x.total, field(x.geo, 'bias')),
    forRange(
      x.r, i32Const(0), get(x.rows), i32Const(1),
      localSet(x.row, i32Add(field(x.geo, 'out'), i32Mul(get(x.r), get(x.ldy)))),
      ifThenElse(i32Ne(get(x.mask), i32Const(0)), accumulate(true), accumulate(false)),
      ifThen(
        i32Or(i32Eq(i32And(get(x.r), i32Const(SUM_BLOCK - 1)), i32Const(SUM_BLOCK - 1)), i32Eq(get(x.r), i32Sub(get(x.rows), i32Const(1)))),
        flush,
      ),
    ),
  ];
  return { params: f.params, locals: f.locals, results: [], body, exportName: 'prepareDy' };
}
