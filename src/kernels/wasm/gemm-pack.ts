import {
  ValType,
  call,
  f32Const,
  f32Load,
  f32Store,
  i32Add,
  i32And,
  i32Const,
  i32Eq,
  i32LtU,
  i32Mul,
  i32Sub,
  ifThen,
  ifThenElse,
  localGet,
  localSet,
  v128Const,
  v128Load,
  v128Store,
  type Code,
} from './instructions.js';
import { doWhileBelow, forRange, minU } from './loops.js';
import { frame, type FuncDef } from './module.js';

/**
 * Packing copies a block of op(A) or op(B) into panels the micro-kernel reads with unit stride.
 * A panel of width W holds W "lanes" (rows of A, or columns of B) side by side for each depth step:
 * `panel[p·W + l] = src[l·laneStride + p·depthStride]`. Strides are in bytes, so one routine packs
 * every transpose: A (m×k row-major) has laneStride 4k and depthStride 4, Aᵀ the reverse, and so on.
 * Lanes past the matrix edge are zeros, so the micro-kernel never branches on size.
 */

/**
 * `zeroFill(dst, bytes)`: zeros `bytes` (a positive multiple of 4) from `dst`: vectors, then the
 * last floats one by one (never past the end: the next panel or the B block may follow).
 */
export function zeroFill(): FuncDef {
  const f = frame({ dst: ValType.i32, bytes: ValType.i32 }, { end: ValType.i32, vecEnd: ValType.i32 });
  const x = f.index;
  const body: Code = [
    localSet(x.end, i32Add(localGet(x.dst), localGet(x.bytes))),
    localSet(x.vecEnd, i32Add(localGet(x.dst), i32And(localGet(x.bytes), i32Const(~15)))),
    ifThen(
      i32LtU(localGet(x.dst), localGet(x.vecEnd)),
      doWhileBelow(x.dst, localGet(x.vecEnd), i32Const(16), v128Store(localGet(x.dst), v128Const(new Array<number>(16).fill(0)))),
    ),
    ifThen(
      i32LtU(localGet(x.dst), localGet(x.end)),
      doWhileBelow(x.dst, localGet(x.end), i32Const(4), f32Store(localGet(x.dst), f32Const(0))),
    ),
  ];
  return { params: f.params, locals: f.locals, results: [], body };
}

/**
 * `panel(src, laneStride, depthStride, depth, valid, dst)`: one panel of `width` lanes, of which the
 * first `valid` exist. Contiguous full panels copy whole vectors; the rest go float by float.
 */
export function packPanel(width: number, zeroFillIndex: number): FuncDef {
  const f = frame(
    { src: ValType.i32, laneStride: ValType.i32, depthStride: ValType.i32, depth: ValType.i32, valid: ValType.i32, dst: ValType.i32 },
    { end: ValType.i32, lane: ValType.i32, s: ValType.i32, d: ValType.i32 },
  );
  const x = f.index;
  const panelBytes = i32Mul(localGet(x.depth), i32Const(width * 4));
  const vectors: Code[] = [];
  // Whole vectors, then single floats when the width is not a multiple of 4 (a 5-row A panel).
  let q = 0;
  for (; q + 4 <= width; q += 4) vectors.push(v128Store(localGet(x.dst), v128Load(localGet(x.src), 4 * q), 4 * q));
  for (; q < width; q++) vectors.push(f32Store(localGet(x.dst), f32Load(localGet(x.src), 4 * q), 4 * q));

  const contiguous: Code = [
    localSet(x.end, i32Add(localGet(x.dst), panelBytes)),
    doWhileBelow(x.dst, localGet(x.end), i32Const(width * 4), vectors, localSet(x.src, i32Add(localGet(x.src), localGet(x.depthStride)))),
  ];
  const strided: Code = [
    ifThen(i32LtU(localGet(x.valid), i32Const(width)), call(zeroFillIndex, localGet(x.dst), panelBytes)),
    forRange(
      x.lane,
      i32Const(0),
      localGet(x.valid),
      i32Const(1),
      localSet(x.s, i32Add(localGet(x.src), i32Mul(localGet(x.lane), localGet(x.laneStride)))),
      localSet(x.d, i32Add(localGet(x.dst), i32Mul(localGet(x.lane), i32Const(4)))),
      localSet(x.end, i32Add(localGet(x.d), panelBytes)),
      doWhileBelow(
        x.d,
        localGet(x.end),
        i32Const(width * 4),
        f32Store(localGet(x.d), f32Load(localGet(x.s))),
        localSet(x.s, i32Add(localGet(x.s), localGet(x.depthStride))),
      ),
    ),
  ];
  const full = i32And(i32Eq(localGet(x.valid), i32Const(width)), i32Eq(localGet(x.laneStride), i32Const(4)));
  return { params: f.params, locals: f.locals, results: [], body: ifThenElse(full, contiguous, strided) };
}

/**
 * `pack(src, laneStride, depthStride, depth, lanes, dst)`: `lanes` lanes (rows of an A block or
 * columns of a B block) into consecutive panels of `width`, each `depth·width` floats.
 */
export function packPanels(width: number, panelIndex: number): FuncDef {
  const f = frame(
    { src: ValType.i32, laneStride: ValType.i32, depthStride: ValType.i32, depth: ValType.i32, lanes: ValType.i32, dst: ValType.i32 },
    { l0: ValType.i32, left: ValType.i32 },
  );
  const x = f.index;
  const body = forRange(
    x.l0,
    i32Const(0),
    localGet(x.lanes),
    i32Const(width),
    localSet(x.left, i32Sub(localGet(x.lanes), localGet(x.l0))),
    call(
      panelIndex,
      i32Add(localGet(x.src), i32Mul(localGet(x.l0), localGet(x.laneStride))),
      localGet(x.laneStride),
      localGet(x.depthStride),
      localGet(x.depth),
      minU(localGet(x.left), i32Const(width)),
      // Panel l0/width starts depth·width floats per panel in: l0·depth·4 bytes.
      i32Add(localGet(x.dst), i32Mul(i32Mul(localGet(x.l0), localGet(x.depth)), i32Const(4))),
    ),
  );
  return { params: f.params, locals: f.locals, results: [], body };
}
