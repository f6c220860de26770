import { NR } from './gemm-kernel.js';
import { CLAIM_BITS, GEMM_ARGS } from './worker-source.js';

/**
 * How a threaded product is cut: C is split along its longer side into `chunks` bands of `step`
 * rows (or columns), whole register tiles each, that threads claim one at a time from a shared counter
 * (a dynamic split: a thread whose core is busy elsewhere just claims fewer). Each element of C is
 * still computed by one thread with the single-threaded sequence of operations, so no split changes a
 * bit of the result.
 */
export interface ChunkPlan {
  byRows: boolean;
  /** Rows (byRows) or columns per chunk, a multiple of the register tile. */
  step: number;
  /** m (byRows) or n. */
  extent: number;
  chunks: number;
}

/**
 * Chunks per thread: more balance the load when a core is busy, fewer repack the shared operand less
 * often (each chunk packs all of op(B) for a row band, all of op(A) for a column band).
 */
export const CHUNKS_PER_THREAD = Number(process.env.CPT ?? 4);

/** A chunk spans at least this many register tiles, so the repacking stays a small share of its work. */
export const MIN_CHUNK_TILES = Number(process.env.MCT ?? 4);

/** The chunks of an m×n product shared by `threads` threads, for register tiles of `mr` rows. */
export function planChunks(m: number, n: number, threads: number, mr: number): ChunkPlan {
  const byRows = m >= n;
  const extent = byRows ? m : n;
  const unit = byRows ? mr : NR;
  const tiles = Math.ceil(extent / unit);
  const perChunk = Math.max(Math.min(MIN_CHUNK_TILES, Math.ceil(tiles / threads)), Math.ceil(tiles / (threads * CHUNKS_PER_THREAD)));
  // The claim word counts chunks in CLAIM_BITS bits.
  const tilesPerChunk = Math.max(perChunk, Math.ceil(tiles / ((1 << CLAIM_BITS) - 1)));
  const step = tilesPerChunk * unit;
  return { byRows, step, extent, chunks: Math.ceil(extent / step) };
}

/**
 * The `gemm` arguments of chunk `i`: the whole product's `args` (scratch offsets relative to a scratch
 * area) narrowed to the chunk's band, with scratch area `base`. Mirrors runChunk in the worker source.
 */
export function chunkArgs(plan: ChunkPlan, args: readonly number[], i: number, base: number): number[] {
  const out = args.slice(0, GEMM_ARGS);
  const start = i * plan.step;
  const size = Math.min(plan.step, plan.extent - start);
  if (plan.byRows) {
    out[0] = size;
    out[3] += start * out[4];
    out[9] += start * out[10];
  } else {
    out[1] = size;
    out[6] += start * out[8];
    out[9] += 4 * start;
  }
  out[12] += base;
  out[13] += base;
  out[14] += base;
  return out;
}
