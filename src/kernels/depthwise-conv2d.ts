import { Window2D } from './window2d.js';

/**
 * Depthwise convolution over NHWC: input channel c with multiplier m feeds output channel c·M + m,
 *   y[b, oy, ox, c·M + m] = Σ_{ky,kx} x[b, oy·sh − padTop + ky·dh, ox·sw − padLeft + kx·dw, c] · f[ky, kx, c, m],
 * filter `[kh, kw, C, M]`, `g.outChannels` = C·M. Taps in the padding read zeros. The three loops below
 * share one traversal; the innermost runs over the contiguous (c, m) block.
 */

/** Calls `visit(xOffset, yOffset, fOffset)` for every in-bounds tap of every output pixel. */
function forEachTap(g: Window2D, visit: (xo: number, yo: number, fo: number) => void): void {
  const { batch, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, outChannels: CM } = g;
  for (let b = 0; b < batch; b++) {
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++) {
        const yo = ((b * OH + oy) * OW + ox) * CM;
        for (let ky = 0; ky < g.filterHeight; ky++) {
          const iy = oy * g.strideHeight - g.padTop + ky * g.dilationHeight;
          if (iy < 0 || iy >= H) continue;
          for (let kx = 0; kx < g.filterWidth; kx++) {
            const ix = ox * g.strideWidth - g.padLeft + kx * g.dilationWidth;
            if (ix < 0 || ix >= W) continue;
            visit(((b * H + iy) * W + ix) * C, yo, (ky * g.filterWidth + kx) * CM);
          }
        }
      }
    }
  }
}

/** y = depthwise(x, filter) (+ nothing: the bias is added by the caller). Overwrites `y`. */
export function depthwiseConv2dForward(x: Float32Array, filter: Float32Array, g: Window2D, y: Float32Array): void {
  const C = g.inChannels;
  const M = g.outChannels / C;
  y.fill(0);
  forEachTap(g, (xo, yo, fo) => {
    for (let c = 0, o = 0; c < C; c++) {
      const xv = x[xo + c];
      for (let m = 0; m < M; m++, o++) y[yo + o] += xv * filter[fo + o];
    }
  });
}

/** dx = Σ over taps of dy · f, scattered back to the input pixel each tap read. Overwrites `dx`. */
export function depthwiseConv2dGradInput(dy: Float32Array, filter: Float32Array, g: Window2D, dx: Float32Array): void {
  const C = g.inChannels;
  const M = g.outChannels / C;
  dx.fill(0);
  forEachTap(g, (xo, yo, fo) => {
    for (let c = 0, o = 0; c < C; c++) {
      let s = 0;
      for (let m = 0; m < M; m++, o++) s += dy[yo + o] * filter[fo + o];
      dx[xo + c] += s;
    }
  });
}

/** df = Σ over output pixels of x(tap) · dy. Overwrites `dFilter`. */
export function depthwiseConv2dGradFilter(x: Float32Array, dy: Float32Array, g: Window2D, dFilter: Float32Array): void {
  const C = g.inChannels;
  const M = g.outChannels / C;
  dFilter.fill(0);
  forEachTap(g, (xo, yo, fo) => {
    for (let c = 0, o = 0; c < C; c++) {
      const xv = x[xo + c];
      for (let m = 0; m < M; m++, o++) dFilter[fo + o] += xv * dy[yo + o];
    }
  });
}
