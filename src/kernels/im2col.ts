import { Window2D } from './window2d.js';

/**
 * Lowers a convolution onto a matrix product. Output pixel r (flat over batch, row, column) reads
 * the patch cols[r] = x[b, oy·sh − padTop + ky·dh, ox·sw − padLeft + kx·dw, ci] laid out
 * (ky, kx, ci), which is exactly the row order of a TF filter [kh, kw, inC, outC] seen as a
 * [kh·kw·inC, outC] matrix, so y[r] = cols[r] · filter.
 */

/** Length of one patch row: kh·kw·inC. */
export function patchSize(g: Window2D): number {
  return g.filterHeight * g.filterWidth * g.inChannels;
}

/**
 * Writes the patches of output pixels [r0, r1) (flat index over batch·outH·outW) into `cols`,
 * row after row; taps that fall into the padding are zeros.
 */
export function im2col(x: Float32Array, g: Window2D, r0: number, r1: number, cols: Float32Array): void {
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = g;
  const K = patchSize(g);
  for (let r = r0; r < r1; r++) {
    const ox = r % OW;
    const oy = ((r - ox) / OW) % OH;
    const b = (r - ox - oy * OW) / (OW * OH);
    const y0 = oy * g.strideHeight - g.padTop;
    const x0 = ox * g.strideWidth - g.padLeft;
    let o = (r - r0) * K;
    for (let ky = 0; ky < g.filterHeight; ky++) {
      const iy = y0 + ky * g.dilationHeight;
      const rowInside = iy >= 0 && iy < H;
      for (let kx = 0; kx < g.filterWidth; kx++, o += C) {
        const ix = x0 + kx * g.dilationWidth;
        if (!rowInside || ix < 0 || ix >= W) {
          cols.fill(0, o, o + C);
          continue;
        }
        const s = ((b * H + iy) * W + ix) * C;
        for (let c = 0; c < C; c++) cols[o + c] = x[s + c];
      }
    }
  }
}

/**
 * The adjoint of `im2col`: adds each patch row of output pixels [r0, r1) back onto the input
 * positions it was read from (taps in the padding are dropped). `dx` must start zeroed.
 */
export function col2im(cols: Float32Array, g: Window2D, r0: number, r1: number, dx: Float32Array): void {
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = g;
  const K = patchSize(g);
  for (let r = r0; r < r1; r++) {
    const ox = r % OW;
    const oy = ((r - ox) / OW) % OH;
    const b = (r - ox - oy * OW) / (OW * OH);
    const y0 = oy * g.strideHeight - g.padTop;
    const x0 = ox * g.strideWidth - g.padLeft;
    let o = (r - r0) * K;
    for (let ky = 0; ky < g.filterHeight; ky++) {
      const iy = y0 + ky * g.dilationHeight;
      const rowInside = iy >= 0 && iy < H;
      for (let kx = 0; kx < g.filterWidth; kx++, o += C) {
        const ix = x0 + kx * g.dilationWidth;
        if (!rowInside || ix < 0 || ix >= W) continue;
        const s = ((b * H + iy) * W + ix) * C;
        for (let c = 0; c < C; c++) dx[s + c] += cols[o + c];
      }
    }
  }
}
