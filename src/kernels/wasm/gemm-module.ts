import {
  ValType,
  call,
  f32Load,
  f32Store,
  i32Add,
  i32And,
  i32Const,
  i32Eq,
  i32Mul,
  i32Ne,
  i32Sub,
  ifThen,
  ifThenElse,
  localGet,
  localSet,
  type Code,
} from './instructions.js';
import { MR_MAX, MR_OF, NR, microKernel, type SimdFlavor } from './gemm-kernel.js';
import { packPanel, packPanels, zeroFill } from './gemm-pack.js';
import { forRange, minU } from './loops.js';
import { encodeModule, frame, type FuncDef } from './module.js';

/**
 * The GEMM module, assembled from TypeScript at load time. Its one export,
 * `gemm(m, n, k, a, rsA, csA, b, rsB, csB, c, ldc, accumulate, packA, packB, tile)`, computes
 * C (+)= op(A)·op(B) on the shared memory it imports: element (i, p) of op(A) at byte a + i·rsA + p·csA,
 * (p, j) of op(B) at b + p·rsB + j·csB, (i, j) of C at c + i·ldc + 4j. The strides absorb the
 * transposes. `packA`, `packB`, `tile` are the caller's scratch (sizes in `gemmScratchBytes`).
 *
 *   for each column block of C (nc ≤ NC)          packed B block stays in cache for all row blocks
 *     for each depth block (kc ≤ KC)              pack op(B) into 8-column panels
 *       for each row block (mc ≤ MC)              pack op(A) into MR-row panels
 *         for each MR×8 tile: micro-kernel          B panel (8 KiB) in L1, A block in L2
 *
 * Every element of C is a chain over the same depth blocks in the same order wherever it sits, so
 * splitting C between threads, or any other tiling of the same blocks, gives bit-identical results.
 */

/** Register tile and cache-block sizes of the WebAssembly GEMM (exported so tests can straddle them). */
export const WASM_GEMM_BLOCKS = Object.freeze({ nr: NR, kc: 256, nc: 2048 });

const { kc: KC, nc: NC } = WASM_GEMM_BLOCKS;

/** Rows of an A block for a tile of `mr` rows: whole panels, near 128 (a 128×256 A block, 128 KiB, stays in L2). */
export const blockRows = (mr: number): number => mr * Math.floor(128 / mr);

/** Byte sizes of one thread's scratch (any flavor): packed A block, packed B block, one edge tile. */
export const gemmScratchBytes = Object.freeze({
  packA: Math.max(...Object.values(MR_OF).map(blockRows)) * KC * 4,
  packB: KC * NC * 4,
  tile: MR_MAX * NR * 4,
});

/** Memory limits (64 KiB pages); a shared memory needs a maximum. One page below 4 GiB keeps end pointers in range. */
export const MEMORY_PAGES = Object.freeze({ initial: 1, maximum: 65535 });

// Function indices, the order of `funcs` below.
const enum Fn {
  Gemm,
  Macro,
  Kernel,
  PackA,
  PackB,
  PanelA,
  PanelB,
  ZeroFill,
  CopyTile,
}

/** The module's bytes for one flavor of multiply-add. */
export function gemmModuleBytes(flavor: SimdFlavor): Uint8Array {
  const mr = MR_OF[flavor];
  const funcs: FuncDef[] = [
    driver(blockRows(mr)),
    macroKernel(mr),
    microKernel(flavor),
    packPanels(mr, Fn.PanelA),
    packPanels(NR, Fn.PanelB),
    packPanel(mr, Fn.ZeroFill),
    packPanel(NR, Fn.ZeroFill),
    zeroFill(),
    copyTile(),
  ];
  return encodeModule({
    memory: { module: 'env', name: 'memory', initial: MEMORY_PAGES.initial, maximum: MEMORY_PAGES.maximum, shared: true },
    funcs,
  });
}

function driver(MC: number): FuncDef {
  const f = frame(
    {
      m: ValType.i32, n: ValType.i32, k: ValType.i32,
      a: ValType.i32, rsA: ValType.i32, csA: ValType.i32,
      b: ValType.i32, rsB: ValType.i32, csB: ValType.i32,
      c: ValType.i32, ldc: ValType.i32, accumulate: ValType.i32,
      packA: ValType.i32, packB: ValType.i32, tile: ValType.i32,
    },
    { jc: ValType.i32, nc: ValType.i32, pc: ValType.i32, kc: ValType.i32, ic: ValType.i32, mc: ValType.i32, load: ValType.i32, left: ValType.i32 },
  );
  const x = f.index;
  const get = localGet;
  const at = (base: number, i: number, stride: number): Code => i32Add(get(base), i32Mul(get(i), get(stride)));
  const body = forRange(
    x.jc, i32Const(0), get(x.n), i32Const(NC),
    localSet(x.left, i32Sub(get(x.n), get(x.jc))),
    localSet(x.nc, minU(get(x.left), i32Const(NC))),
    forRange(
      x.pc, i32Const(0), get(x.k), i32Const(KC),
      localSet(x.left, i32Sub(get(x.k), get(x.pc))),
      localSet(x.kc, minU(get(x.left), i32Const(KC))),
      // Columns of op(B) are the lanes of a B panel, its rows the depth.
      call(Fn.PackB, i32Add(at(x.b, x.pc, x.rsB), i32Mul(get(x.jc), get(x.csB))), get(x.csB), get(x.rsB), get(x.kc), get(x.nc), get(x.packB)),
      // The first depth block overwrites C unless the caller accumulates.
      localSet(x.load, i32Ne(i32Add(get(x.accumulate), get(x.pc)), i32Const(0))),
      forRange(
        x.ic, i32Const(0), get(x.m), i32Const(MC),
        localSet(x.left, i32Sub(get(x.m), get(x.ic))),
        localSet(x.mc, minU(get(x.left), i32Const(MC))),
        call(Fn.PackA, i32Add(at(x.a, x.ic, x.rsA), i32Mul(get(x.pc), get(x.csA))), get(x.rsA), get(x.csA), get(x.kc), get(x.mc), get(x.packA)),
        call(
          Fn.Macro, get(x.mc), get(x.nc), get(x.kc), get(x.packA), get(x.packB),
          i32Add(at(x.c, x.ic, x.ldc), i32Mul(get(x.jc), i32Const(4))), get(x.ldc), get(x.load), get(x.tile),
        ),
      ),
    ),
  );
  return { params: f.params, locals: f.locals, results: [], body, exportName: 'gemm' };
}

/**
 * `macro(mc, nc, kc, pa, pb, c, ldc, load, tile)`: every MR×8 tile of an mc×nc block of C. A tile cut by
 * the block's edge runs the same micro-kernel on the `tile` scratch, copied from and back to C, so its
 * elements see exactly the operations a full tile's would.
 */
function macroKernel(MR: number): FuncDef {
  const f = frame(
    {
      mc: ValType.i32, nc: ValType.i32, kc: ValType.i32, pa: ValType.i32, pb: ValType.i32,
      c: ValType.i32, ldc: ValType.i32, load: ValType.i32, tile: ValType.i32,
    },
    { jr: ValType.i32, ir: ValType.i32, rows: ValType.i32, cols: ValType.i32, left: ValType.i32, panelA: ValType.i32, panelB: ValType.i32, at: ValType.i32 },
  );
  const x = f.index;
  const get = localGet;
  const tileLd = i32Const(NR * 4);
  const body = forRange(
    x.jr, i32Const(0), get(x.nc), i32Const(NR),
    localSet(x.left, i32Sub(get(x.nc), get(x.jr))),
    localSet(x.cols, minU(get(x.left), i32Const(NR))),
    // Panels are kc·width floats: panel jr/NR starts jr·kc·4 bytes in (likewise ir for A).
    localSet(x.panelB, i32Add(get(x.pb), i32Mul(i32Mul(get(x.jr), get(x.kc)), i32Const(4)))),
    forRange(
      x.ir, i32Const(0), get(x.mc), i32Const(MR),
      localSet(x.left, i32Sub(get(x.mc), get(x.ir))),
      localSet(x.rows, minU(get(x.left), i32Const(MR))),
      localSet(x.panelA, i32Add(get(x.pa), i32Mul(i32Mul(get(x.ir), get(x.kc)), i32Const(4)))),
      localSet(x.at, i32Add(i32Add(get(x.c), i32Mul(get(x.ir), get(x.ldc))), i32Mul(get(x.jr), i32Const(4)))),
      ifThenElse(
        i32And(i32Eq(get(x.rows), i32Const(MR)), i32Eq(get(x.cols), i32Const(NR))),
        call(Fn.Kernel, get(x.kc), get(x.panelA), get(x.panelB), get(x.at), get(x.ldc), get(x.load)),
        [
          ifThen(get(x.load), call(Fn.CopyTile, get(x.at), get(x.ldc), get(x.tile), tileLd, get(x.rows), get(x.cols))),
          call(Fn.Kernel, get(x.kc), get(x.panelA), get(x.panelB), get(x.tile), tileLd, get(x.load)),
          call(Fn.CopyTile, get(x.tile), tileLd, get(x.at), get(x.ldc), get(x.rows), get(x.cols)),
        ],
      ),
    ),
  );
  return { params: f.params, locals: f.locals, results: [], body };
}

/** `copyTile(src, srcLd, dst, dstLd, rows, cols)`: a rows×cols block of floats, row strides in bytes. */
function copyTile(): FuncDef {
  const f = frame(
    { src: ValType.i32, srcLd: ValType.i32, dst: ValType.i32, dstLd: ValType.i32, rows: ValType.i32, cols: ValType.i32 },
    { r: ValType.i32, j: ValType.i32, bytes: ValType.i32 },
  );
  const x = f.index;
  const get = localGet;
  const body: Code = [
    localSet(x.bytes, i32Mul(get(x.cols), i32Const(4))),
    forRange(
      x.r, i32Const(0), get(x.rows), i32Const(1),
      forRange(x.j, i32Const(0), get(x.bytes), i32Const(4), f32Store(i32Add(get(x.dst), get(x.j)), f32Load(i32Add(get(x.src), get(x.j))))),
      localSet(x.src, i32Add(get(x.src), get(x.srcLd))),
      localSet(x.dst, i32Add(get(x.dst), get(x.dstLd))),
    ),
  ];
  return { params: f.params, locals: f.locals, results: [], body };
}
