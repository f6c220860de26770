import {
  ValType,
  f32Const,
  f32x4Add,
  f32x4Mul,
  f32x4Splat,
  i32Add,
  i32Const,
  i32Mul,
  i32Sub,
  i32x4Add,
  localGet,
  localSet,
  v128Const,
  v128Load,
  v128Store,
  type Code,
} from './instructions.js';
import { f32ConvertI32U, f32Div, f32x4Eq, f32x4Gt, f32x4Ne, i32Load, i32x4Splat, v128And, v128Bitselect, v128Or } from './instructions-extra.js';
import { MEMORY_PAGES } from './gemm-module.js';
import { forRange } from './loops.js';
import { encodeModule, frame, type FuncDef } from './module.js';

/**
 * Max and average pooling over NHWC inputs whose channel count is a multiple of 4, one f32x4 of
 * channels at a time. Window bounds come from two small tables the caller fills: for each output row
 * oy the real taps [ty0, ty1), for each column ox [tx0, tx1) (pool2d.ts derives them), so padding
 * never enters a window and no tap branches. Element addresses: x + 4·(((b·h + iy)·w + ix)·c + channel).
 */
export const PoolGeo = Object.freeze({
  batch: 0, h: 1, w: 2, c: 3, oh: 4, ow: 5, sh: 6, sw: 7, dh: 8, dw: 9, padTop: 10, padLeft: 11,
  /** i32 pairs [ty0, ty1) per output row, and [tx0, tx1) per output column. */
  rowTaps: 12,
  colTaps: 13,
  /** The input (forward) or its gradient (backward). */
  x: 14,
  /** The output (forward) or its gradient (backward). */
  y: 15,
  argmax: 16,
  count: 17,
});

/** The module's bytes. */
export function poolModuleBytes(): Uint8Array {
  return encodeModule({
    memory: { module: 'env', name: 'memory', initial: MEMORY_PAGES.initial, maximum: MEMORY_PAGES.maximum, shared: true },
    funcs: [windows('maxPool'), windows('avgPool'), windows('avgPoolGrad')],
  });
}

type Kind = 'maxPool' | 'avgPool' | 'avgPoolGrad';

/**
 * `maxPool(geo)`: y and argmax (flat index into x of the chosen value; ties keep the first in window
 * order; a NaN replaces a number, nothing replaces a NaN, as the plain-JS kernel).
 * `avgPool(geo)`: y = mean of each window's real pixels. `avgPoolGrad(geo)`: x += y / count spread over
 * each window (x zeroed by the caller). One loop nest for all three: outputs, channel vectors, taps.
 */
function windows(kind: Kind): FuncDef {
  const f = frame(
    { geo: ValType.i32 },
    {
      b: ValType.i32, oy: ValType.i32, ox: ValType.i32, cb: ValType.i32, ty: ValType.i32, tx: ValType.i32,
      ty0: ValType.i32, ty1: ValType.i32, tx0: ValType.i32, tx1: ValType.i32, iy0: ValType.i32, ix0: ValType.i32,
      h: ValType.i32, w: ValType.i32, c: ValType.i32, dh: ValType.i32, dw: ValType.i32, x: ValType.i32, o: ValType.i32, s: ValType.i32, row: ValType.i32,
      best: ValType.v128, idx: ValType.v128, v: ValType.v128, m: ValType.v128, scale: ValType.v128,
    },
  );
  const l = f.index;
  const get = localGet;
  const g = (name: keyof typeof PoolGeo): Code => i32Load(get(l.geo), 4 * PoolGeo[name]);
  const addr = (base: Code, element: Code): Code => i32Add(base, i32Mul(element, i32Const(4)));
  const negInf = v128Const(Array.from(new Uint8Array(new Float32Array([-Infinity, -Infinity, -Infinity, -Infinity]).buffer)));
  const minusOne = v128Const(new Array<number>(16).fill(0xff));
  const iota = v128Const(Array.from(new Uint8Array(new Int32Array([0, 1, 2, 3]).buffer)));
  const zero = v128Const(new Array<number>(16).fill(0));
  // 1 / (number of real taps), splatted.
  const scale = localSet(l.scale, f32x4Splat(f32Div(f32Const(1), f32ConvertI32U(i32Mul(i32Sub(get(l.ty1), get(l.ty0)), i32Sub(get(l.tx1), get(l.tx0)))))));
  const output = addr(g('y'), i32Add(get(l.o), get(l.cb)));
  const tap: Record<Kind, Code> = {
    maxPool: [
      localSet(l.v, v128Load(addr(get(l.x), get(l.s)))),
      // Take v where v > best, or where v is NaN and best is not.
      localSet(l.m, v128Or(f32x4Gt(get(l.v), get(l.best)), v128And(f32x4Ne(get(l.v), get(l.v)), f32x4Eq(get(l.best), get(l.best))))),
      localSet(l.best, v128Bitselect(get(l.v), get(l.best), get(l.m))),
      localSet(l.idx, v128Bitselect(i32x4Add(i32x4Splat(get(l.s)), iota), get(l.idx), get(l.m))),
    ],
    avgPool: localSet(l.best, f32x4Add(get(l.best), v128Load(addr(get(l.x), get(l.s))))),
    avgPoolGrad: v128Store(addr(get(l.x), get(l.s)), f32x4Add(v128Load(addr(get(l.x), get(l.s))), get(l.v))),
  };
  const before: Record<Kind, Code> = {
    maxPool: [localSet(l.best, negInf), localSet(l.idx, minusOne)],
    avgPool: localSet(l.best, zero),
    avgPoolGrad: [scale, localSet(l.v, f32x4Mul(v128Load(output), get(l.scale)))],
  };
  const after: Record<Kind, Code> = {
    maxPool: [v128Store(output, get(l.best)), v128Store(addr(g('argmax'), i32Add(get(l.o), get(l.cb))), get(l.idx))],
    avgPool: [scale, v128Store(output, f32x4Mul(get(l.best), get(l.scale)))],
    avgPoolGrad: [],
  };
  const pair = (table: 'rowTaps' | 'colTaps', i: number, first: number, end: number): Code => [
    localSet(first, i32Load(i32Add(g(table), i32Mul(get(i), i32Const(8))))),
    localSet(end, i32Load(i32Add(g(table), i32Mul(get(i), i32Const(8))), 4)),
  ];
  const body: Code = [
    localSet(l.h, g('h')),
    localSet(l.w, g('w')),
    localSet(l.c, g('c')),
    localSet(l.dh, g('dh')),
    localSet(l.dw, g('dw')),
    localSet(l.x, g('x')),
    localSet(l.o, i32Const(0)),
    forRange(
      l.b, i32Const(0), g('batch'), i32Const(1),
      forRange(
        l.oy, i32Const(0), g('oh'), i32Const(1),
        pair('rowTaps', l.oy, l.ty0, l.ty1),
        localSet(l.iy0, i32Sub(i32Mul(get(l.oy), g('sh')), g('padTop'))),
        forRange(
          l.ox, i32Const(0), g('ow'), i32Const(1),
          pair('colTaps', l.ox, l.tx0, l.tx1),
          localSet(l.ix0, i32Sub(i32Mul(get(l.ox), g('sw')), g('padLeft'))),
          forRange(
            l.cb, i32Const(0), get(l.c), i32Const(4),
            before[kind],
            forRange(
              l.ty, get(l.ty0), get(l.ty1), i32Const(1),
              localSet(l.row, i32Mul(i32Add(i32Mul(get(l.b), get(l.h)), i32Add(get(l.iy0), i32Mul(get(l.ty), get(l.dh)))), get(l.w))),
              forRange(
                l.tx, get(l.tx0), get(l.tx1), i32Const(1),
                localSet(l.s, i32Add(i32Mul(i32Add(get(l.row), i32Add(get(l.ix0), i32Mul(get(l.tx), get(l.dw)))), get(l.c)), get(l.cb))),
                tap[kind],
              ),
            ),
            after[kind],
          ),
          localSet(l.o, i32Add(get(l.o), get(l.c))),
        ),
      ),
    ),
  ];
  return { params: f.params, locals: f.locals, results: [], body, exportName: kind };
}
