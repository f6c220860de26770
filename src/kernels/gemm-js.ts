/**
 * Plain-JavaScript GEMM: cache-blocked, both operands packed into Float64Array panels, and a 4×4
 * register-tiled micro-kernel. The loop nest follows the usual BLIS layering:
 *
 *   for each column block of C (NC wide)             B block lives in cache across all row blocks
 *     for each depth block (KC deep)                 pack op(B)[pc:pc+kc, jc:jc+nc] into 4-column panels
 *       for each row block (MC tall)                 pack op(A)[ic:ic+mc, pc:pc+kc] into 4-row panels
 *         for each 4×4 tile: micro-kernel            16 accumulators in locals, kc rank-1 updates
 *
 * Packing absorbs the four transpose combinations, so the micro-kernel reads both panels with unit
 * stride whatever the layout. Panels are Float64Array because V8 converts a float32 load to double
 * on every read; converting once while packing is cheaper, and the sums accumulate in float64.
 * Partial panels are zero-padded to 4, so the micro-kernel never branches inside its loop; only the
 * store of an edge tile is clipped.
 */

/** Rows of the register tile (rows of an A panel). */
const MR = 4;
/** Columns of the register tile (columns of a B panel). */
const NR = 4;

/** Cache-block sizes (depth, rows, columns); exported so tests can straddle every boundary. */
export const GEMM_BLOCKS = Object.freeze({ kc: 256, mc: 64, nc: 256 });

// Packing buffers reused across calls (grown on demand) so a gemm allocates nothing in steady state.
let packedA = new Float64Array(0);
let packedB = new Float64Array(0);
// Output of an edge tile before it is clipped into C.
const edge = new Float32Array(MR * NR);

/**
 * C = op(A)·op(B), or C += op(A)·op(B) when `accumulate`. Row-major, dense.
 * A holds m×k values (k×m when transA), B holds k×n (n×k when transB), C holds m×n.
 * Callers pass subarray views for batches.
 */
export function gemmJs(
  m: number,
  n: number,
  k: number,
  a: Float32Array,
  transA: boolean,
  b: Float32Array,
  transB: boolean,
  c: Float32Array,
  accumulate = false,
): void {
  if (m === 0 || n === 0) return;
  // Every tile adds into C (a store that may either add or overwrite costs the micro-kernel ~10 %
  // here), so a plain product starts from zeros; an empty sum (k = 0) leaves exactly that.
  if (!accumulate) c.fill(0, 0, m * n);
  if (k === 0) return;
  const { kc: KC, mc: MC, nc: NC } = GEMM_BLOCKS;
  const bSize = Math.min(KC, k) * roundUp(Math.min(NC, n), NR);
  const aSize = Math.min(KC, k) * roundUp(Math.min(MC, m), MR);
  if (packedB.length < bSize) packedB = new Float64Array(bSize);
  if (packedA.length < aSize) packedA = new Float64Array(aSize);
  const pa = packedA;
  const pb = packedB;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      packB(b, transB, n, k, pc, kc, jc, nc, pb);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        packA(a, transA, m, k, ic, mc, pc, kc, pa);
        macroKernel(mc, nc, kc, pa, pb, c, n, ic * n + jc);
      }
    }
  }
}

/** Smallest multiple of `q` that is >= `x`. */
function roundUp(x: number, q: number): number {
  return Math.ceil(x / q) * q;
}

/**
 * Packs op(A)[ic:ic+mc, pc:pc+kc] into panels of MR rows: panel r holds, for each depth p,
 * the MR values of rows ic+r·MR … in a row (`out[(r·kc + p)·MR + i]`). Missing rows are zeros.
 */
function packA(a: Float32Array, trans: boolean, m: number, k: number, ic: number, mc: number, pc: number, kc: number, out: Float64Array): void {
  for (let r = 0; r < mc; r += MR) {
    const rows = Math.min(MR, mc - r);
    const base = r * kc;
    for (let i = 0; i < MR; i++) {
      let o = base + i;
      if (i >= rows) {
        for (let p = 0; p < kc; p++, o += MR) out[o] = 0;
      } else if (trans) {
        // A is k×m: element (row, p) sits at p·m + row.
        let s = pc * m + ic + r + i;
        for (let p = 0; p < kc; p++, o += MR, s += m) out[o] = a[s];
      } else {
        // A is m×k: row ic+r+i is contiguous along p.
        let s = (ic + r + i) * k + pc;
        for (let p = 0; p < kc; p++, o += MR) out[o] = a[s++];
      }
    }
  }
}

/**
 * Packs op(B)[pc:pc+kc, jc:jc+nc] into panels of NR columns: panel q holds, for each depth p,
 * the NR values of columns jc+q·NR … in a row (`out[(q·kc + p)·NR + j]`). Missing columns are zeros.
 */
function packB(b: Float32Array, trans: boolean, n: number, k: number, pc: number, kc: number, jc: number, nc: number, out: Float64Array): void {
  for (let q = 0; q < nc; q += NR) {
    const cols = Math.min(NR, nc - q);
    const base = q * kc;
    for (let j = 0; j < NR; j++) {
      let o = base + j;
      if (j >= cols) {
        for (let p = 0; p < kc; p++, o += NR) out[o] = 0;
      } else if (trans) {
        // B is n×k: column jc+q+j of op(B) is row jc+q+j of B, contiguous along p.
        let s = (jc + q + j) * k + pc;
        for (let p = 0; p < kc; p++, o += NR) out[o] = b[s++];
      } else {
        // B is k×n: element (p, col) sits at p·n + col.
        let s = pc * n + jc + q + j;
        for (let p = 0; p < kc; p++, o += NR, s += n) out[o] = b[s];
      }
    }
  }
}

/** Walks the 4×4 tiles of an mc×nc block of C whose top-left element is `c[c0]` (row stride `ldc`). */
function macroKernel(mc: number, nc: number, kc: number, pa: Float64Array, pb: Float64Array, c: Float32Array, ldc: number, c0: number): void {
  for (let q = 0; q < nc; q += NR) {
    const cols = Math.min(NR, nc - q);
    for (let r = 0; r < mc; r += MR) {
      const rows = Math.min(MR, mc - r);
      const at = c0 + r * ldc + q;
      if (rows === MR && cols === NR) microKernel(kc, pa, r * kc, pb, q * kc, c, at, ldc);
      else edgeKernel(kc, pa, r * kc, pb, q * kc, c, at, ldc, rows, cols);
    }
  }
}

/**
 * One full 4×4 tile: c[i][j] += Σ_p a[p][i]·b[p][j] over packed panels `pa` (from `ai`) and `pb`
 * (from `bi`). The 16 sums live in locals so V8 can keep them in registers; each step loads the
 * B row once and broadcasts the four A values against it (measured faster here than loading all
 * eight operands first, which raises register pressure).
 */
function microKernel(kc: number, pa: Float64Array, ai: number, pb: Float64Array, bi: number, c: Float32Array, at: number, ldc: number): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let p = 0; p < kc; p++) {
    const b0 = pb[bi], b1 = pb[bi + 1], b2 = pb[bi + 2], b3 = pb[bi + 3];
    let a = pa[ai];
    c00 += a * b0; c01 += a * b1; c02 += a * b2; c03 += a * b3;
    a = pa[ai + 1];
    c10 += a * b0; c11 += a * b1; c12 += a * b2; c13 += a * b3;
    a = pa[ai + 2];
    c20 += a * b0; c21 += a * b1; c22 += a * b2; c23 += a * b3;
    a = pa[ai + 3];
    c30 += a * b0; c31 += a * b1; c32 += a * b2; c33 += a * b3;
    ai += MR;
    bi += NR;
  }
  const r1 = at + ldc, r2 = r1 + ldc, r3 = r2 + ldc;
  c[at] += c00; c[at + 1] += c01; c[at + 2] += c02; c[at + 3] += c03;
  c[r1] += c10; c[r1 + 1] += c11; c[r1 + 2] += c12; c[r1 + 3] += c13;
  c[r2] += c20; c[r2 + 1] += c21; c[r2 + 2] += c22; c[r2 + 3] += c23;
  c[r3] += c30; c[r3 + 1] += c31; c[r3 + 2] += c32; c[r3 + 3] += c33;
}

/**
 * A tile clipped to `rows`×`cols` (one of them < 4). The panels are zero-padded, so the full
 * micro-kernel runs into a 4×4 scratch (reusing the one fast loop, with the same float32 type for
 * its output) and only the part of the tile that exists in C is added.
 */
function edgeKernel(kc: number, pa: Float64Array, ai: number, pb: Float64Array, bi: number, c: Float32Array, at: number, ldc: number, rows: number, cols: number): void {
  edge.fill(0);
  microKernel(kc, pa, ai, pb, bi, edge, 0, NR);
  for (let i = 0; i < rows; i++) {
    const row = at + i * ldc;
    for (let j = 0; j < cols; j++) c[row + j] += edge[i * NR + j];
  }
}

/**
 * The same contract as `gemmJs` without packing, for products too thin or too small for packing
 * to pay off (one row of A, one column of B, a few hundred multiply-adds). Four columns of C at a
 * time keep four independent float64 sums, so the loop is not bound by the latency of one add.
 */
export function gemmSmall(
  m: number,
  n: number,
  k: number,
  a: Float32Array,
  transA: boolean,
  b: Float32Array,
  transB: boolean,
  c: Float32Array,
  accumulate = false,
): void {
  if (!accumulate) c.fill(0, 0, m * n);
  // Strides of op(A) (per row i, per depth p) and of op(B) (per column j, per depth p).
  const rowA = transA ? 1 : k, stepA = transA ? m : 1;
  const colB = transB ? k : 1, stepB = transB ? 1 : n;
  const n4 = n - (n % 4);
  for (let i = 0; i < m; i++) {
    const o = i * n;
    let j = 0;
    for (; j < n4; j += 4) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let p = 0, x = i * rowA, y = j * colB; p < k; p++, x += stepA, y += stepB) {
        const v = a[x];
        s0 += v * b[y];
        s1 += v * b[y + colB];
        s2 += v * b[y + 2 * colB];
        s3 += v * b[y + 3 * colB];
      }
      c[o + j] += s0;
      c[o + j + 1] += s1;
      c[o + j + 2] += s2;
      c[o + j + 3] += s3;
    }
    for (; j < n; j++) {
      let s = 0;
      for (let p = 0, x = i * rowA, y = j * colB; p < k; p++, x += stepA, y += stepB) s += a[x] * b[y];
      c[o + j] += s;
    }
  }
}
