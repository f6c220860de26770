import { ValType, block, br, brIf, loop, i32Add, i32And, i32Const, i32Eq, i32Eqz, i32GeU, i32LtU, i32Mul, i32Sub, i32x4Add, ifThen, ifThenElse, localGet, localSet, select, v128Const, v128Load, v128Store, f32x4Add, f32x4Mul, f32x4RelaxedMadd, type Code } from './instructions.js';
import { i32DivU, i32GeS, i32Load, i32LtS, i32RemU, i32Store, i32x4Splat } from './instructions-extra.js';
import { forRange } from './loops.js';
import type { SimdFlavor } from './gemm-kernel.js';
import { frame, type FuncDef } from './module.js';

/**
 * The convolution kernels read their geometry from a block of i32 fields in memory (one argument
 * instead of thirty), written by conv-wasm.ts. `Geo[name]` is the field's index (byte offset 4·index).
 * "The tapped tensor" is the one addressed through window taps: x in the forward pass and the filter
 * gradient, dx in the input gradient; `cs` is its channel stride in bytes.
 */
export const Geo = Object.freeze({
  /** One past the last output pixel this call handles (all of them, unless threads share the work). */
  rows: 0, h: 1, w: 2, oh: 3, ow: 4, kh: 5, kw: 6, sh: 7, sw: 8, dh: 9, dw: 10, padTop: 11, padLeft: 12,
  /** Channels the inner loop walks (x's for the forward pass and filter gradient, padded ones for dx). */
  c: 13,
  cs: 14,
  /** Real output channels. */
  oc: 15,
  /** Bytes per row of y / dy (output channels padded to 8). */
  ldy: 16,
  /** Address a tap in the padding (or of a pixel past the last) points to: zeros to read, or a dump to write. */
  nowhere: 17,
  table: 18,
  /** Address of the i32 byte offset of each tap (ky, kx) from its window's corner in the tapped tensor. */
  tapOffsets: 19,
  t0: 20,
  t1: 21,
  tapped: 22,
  /** The packed filter, its transpose, or the filter gradient. */
  weights: 23,
  bias: 24,
  /** y (forward) or dy (gradients). */
  out: 25,
  relu: 26,
  /** The forward output whose sign masks dy (ReLU's gradient), or 0 for no mask. */
  mask: 27,
  /** Scratch row of partial column sums (the bias gradient sums in blocks of rows). */
  part: 28,
  /** First pixel of this call's share (a multiple of 4 where shares write y rows); `rows` is one past its last. */
  p0: 29,
  /**
   * The tap table's memory of the last group's first pixel: its index (−8 when none) and its batch
   * index, row and column, so the next group steps there instead of dividing (tens of cycles each).
   */
  posR: 31,
  posQ: 32,
  posY: 33,
  posX: 34,
  /** Number of fields. */
  count: 35,
});

/** Index of the tap table function in the convolution module (the kernels call it). */
export const TAPS_FN = 0;

/** acc + a·b: the product rounds before the sum with plain SIMD; relaxed madd may fuse the two. */
export const madd =
  (flavor: SimdFlavor) =>
  (a: Code, b: Code, c: Code): Code =>
    flavor === 'relaxed' ? f32x4RelaxedMadd(a, b, c) : f32x4Add(c, f32x4Mul(a, b));

/** A zero vector. */
export const ZERO = v128Const(new Array<number>(16).fill(0));

/** Pixels handled together: the rows of the register tile. */
export const PIXELS = 4;

/** `i32.load` of geometry field `field` of the block at local `geo`. */
export const field = (geo: number, name: keyof typeof Geo): Code => i32Load(localGet(geo), 4 * Geo[name]);

/**
 * `taps(geo, r0, t0, t1)`: the table of tapped addresses of the PIXELS output pixels from r0 and
 * taps [t0, t1) (flat over ky·kw + kx): entry (t − t0)·16 + 4p is the byte address of pixel p's tap t
 * in the tapped tensor, or `nowhere` when the tap lies in the padding or the pixel is past the last.
 * A window wholly inside the input (every window under 'valid') adds the precomputed tap offsets
 * to its corner (four such windows: one vector per tap); a border window checks each tap. The table
 * region needs kh·kw·16 + 16 bytes (the last 16 hold the four corners).
 */
export function tapTable(): FuncDef {
  const f = frame(
    { geo: ValType.i32, r0: ValType.i32, t0: ValType.i32, t1: ValType.i32 },
    {
      p: ValType.i32, r: ValType.i32, q: ValType.i32, oy: ValType.i32, ox: ValType.i32, iy: ValType.i32, ix: ValType.i32,
      corner: ValType.i32, t: ValType.i32, e: ValType.i32, off: ValType.i32, h: ValType.i32, w: ValType.i32, kw: ValType.i32,
      nowhere: ValType.i32, inside: ValType.i32, tp: ValType.i32, all: ValType.i32, corners: ValType.i32, c4: ValType.v128,
      // Geometry fields used in the loops, loaded once.
      table: ValType.i32, tapOffsets: ValType.i32, rows: ValType.i32, oh: ValType.i32, ow: ValType.i32, sh: ValType.i32, sw: ValType.i32,
      padTop: ValType.i32, padLeft: ValType.i32, tapped: ValType.i32, cs: ValType.i32, kh: ValType.i32, dh: ValType.i32, dw: ValType.i32,
    },
  );
  const x = f.index;
  const get = localGet;
  const cached = ['table', 'tapOffsets', 'rows', 'oh', 'ow', 'sh', 'sw', 'padTop', 'padLeft', 'tapped', 'cs', 'kh', 'dh', 'dw'] as const;
  const g = (name: keyof typeof Geo): Code => ((cached as readonly string[]).includes(name) ? get(x[name as (typeof cached)[number]]) : field(x.geo, name));
  // Entry address of tap t for pixel p; tap offset address of tap t.
  // Pixel p's entries sit 16 bytes apart from table + 4p; the tap offsets 4 bytes apart from tap t0's.
  const tapOffset = (): Code => i32Load(get(x.tp));
  const eachTap = (...body: Code[]): Code => [
    localSet(x.e, i32Add(g('table'), i32Mul(get(x.p), i32Const(4)))),
    localSet(x.tp, i32Add(g('tapOffsets'), i32Mul(get(x.t0), i32Const(4)))),
    forRange(x.t, get(x.t0), get(x.t1), i32Const(1), body, localSet(x.e, i32Add(get(x.e), i32Const(16))), localSet(x.tp, i32Add(get(x.tp), i32Const(4)))),
  ];
  // Signed: window corners and taps may sit left of or above the input.
  const fits = (start: number, k: 'kh' | 'kw', d: 'dh' | 'dw', size: number): Code =>
    i32And(i32GeS(get(start), i32Const(0)), i32LtS(i32Add(get(start), i32Mul(i32Sub(g(k), i32Const(1)), g(d))), get(size)));
  // Pixel r's output position (q = batch index, oy, ox): divided out for the group's first pixel, then
  // stepped (divisions cost tens of cycles each), and its window corner (iy, ix) and corner address.
  const divide: Code = [
    localSet(x.ox, i32RemU(get(x.r), g('ow'))),
    localSet(x.q, i32DivU(get(x.r), g('ow'))),
    localSet(x.oy, i32RemU(get(x.q), g('oh'))),
    localSet(x.q, i32DivU(get(x.q), g('oh'))),
  ];
  const recall: Code = [localSet(x.q, field(x.geo, 'posQ')), localSet(x.oy, field(x.geo, 'posY')), localSet(x.ox, field(x.geo, 'posX'))];
  // One row down each time the column passes the end (a loop: outputs narrower than 4 wrap more than once).
  const wrap: Code = block(
    loop(
      brIf(1, i32LtU(get(x.ox), g('ow'))),
      localSet(x.ox, i32Sub(get(x.ox), g('ow'))),
      localSet(x.oy, i32Add(get(x.oy), i32Const(1))),
      ifThen(i32Eq(get(x.oy), g('oh')), localSet(x.oy, i32Const(0)), localSet(x.q, i32Add(get(x.q), i32Const(1)))),
      br(0),
    ),
  );
  const first: Code = [
    ifThenElse(
      i32Eq(get(x.r), field(x.geo, 'posR')),
      recall,
      ifThenElse(
        i32Eq(get(x.r), i32Add(field(x.geo, 'posR'), i32Const(PIXELS))),
        [recall, localSet(x.ox, i32Add(get(x.ox), i32Const(PIXELS))), wrap],
        divide,
      ),
    ),
    i32Store(get(x.geo), get(x.r), 4 * Geo.posR),
    i32Store(get(x.geo), get(x.q), 4 * Geo.posQ),
    i32Store(get(x.geo), get(x.oy), 4 * Geo.posY),
    i32Store(get(x.geo), get(x.ox), 4 * Geo.posX),
  ];
  const corner: Code = [
    ifThenElse(
      i32Eqz(get(x.p)),
      first,
      [localSet(x.ox, i32Add(get(x.ox), i32Const(1))), wrap],
    ),
    localSet(x.iy, i32Sub(i32Mul(get(x.oy), g('sh')), g('padTop'))),
    localSet(x.ix, i32Sub(i32Mul(get(x.ox), g('sw')), g('padLeft'))),
    localSet(x.corner, i32Add(g('tapped'), i32Mul(i32Add(i32Mul(i32Add(i32Mul(get(x.q), get(x.h)), get(x.iy)), get(x.w)), get(x.ix)), g('cs')))),
  ];
  const interior = i32And(fits(x.iy, 'kh', 'dh', x.h), fits(x.ix, 'kw', 'dw', x.w));
  const eachPixel = (...body: Code[]): Code => forRange(x.p, i32Const(0), i32Const(PIXELS), i32Const(1), localSet(x.r, i32Add(get(x.r0), get(x.p))), body);
  // Four whole windows inside the input (the common case): each tap's row of the table is the four
  // corners plus the tap's offset, one vector store.
  const fast: Code = [
    localSet(x.all, i32Const(1)),
    eachPixel(
      ifThenElse(
        i32GeU(get(x.r), g('rows')),
        localSet(x.all, i32Const(0)),
        [corner, localSet(x.all, i32And(get(x.all), interior)), i32Store(i32Add(get(x.corners), i32Mul(get(x.p), i32Const(4))), get(x.corner))],
      ),
    ),
  ];
  const vectorRows: Code = [
    localSet(x.c4, v128Load(get(x.corners))),
    localSet(x.e, g('table')),
    localSet(x.tp, i32Add(g('tapOffsets'), i32Mul(get(x.t0), i32Const(4)))),
    forRange(
      x.t, get(x.t0), get(x.t1), i32Const(1),
      v128Store(get(x.e), i32x4Add(get(x.c4), i32x4Splat(i32Load(get(x.tp))))),
      localSet(x.e, i32Add(get(x.e), i32Const(16))),
      localSet(x.tp, i32Add(get(x.tp), i32Const(4))),
    ),
  ];
  const perPixel = eachPixel(
    ifThenElse(
      i32GeU(get(x.r), g('rows')),
      eachTap(i32Store(get(x.e), get(x.nowhere))),
      [
        corner,
        ifThenElse(
          interior,
          eachTap(i32Store(get(x.e), i32Add(get(x.corner), tapOffset()))),
          eachTap(
            // Unsigned compares: a negative row or column wraps to a huge one and fails too.
            localSet(x.inside, i32And(
              i32LtU(i32Add(get(x.iy), i32Mul(i32DivU(get(x.t), get(x.kw)), g('dh'))), get(x.h)),
              i32LtU(i32Add(get(x.ix), i32Mul(i32RemU(get(x.t), get(x.kw)), g('dw'))), get(x.w)),
            )),
            localSet(x.off, tapOffset()),
            i32Store(get(x.e), select(i32Add(get(x.corner), get(x.off)), get(x.nowhere), get(x.inside))),
          ),
        ),
      ],
    ),
  );
  const body: Code = [
    cached.map((name) => localSet(x[name], field(x.geo, name))),
    localSet(x.h, g('h')),
    localSet(x.w, g('w')),
    localSet(x.kw, g('kw')),
    localSet(x.nowhere, g('nowhere')),
    // The four corners sit in the 16 bytes after the table's kh·kw rows.
    localSet(x.corners, i32Add(g('table'), i32Mul(i32Mul(g('kh'), get(x.kw)), i32Const(16)))),
    fast,
    ifThenElse(get(x.all), vectorRows, perPixel),
  ];
  return { params: f.params, locals: f.locals, results: [], body };
}
