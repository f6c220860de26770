/** How `affineSample2d` fills points outside the image (Keras's fill modes). */
export const enum FillMode {
  /** d c b a | a b c d | d c b a: mirrored about the border pixels' outer edge. */
  Reflect,
  /** a b c d | a b c d | a b c d. */
  Wrap,
  /** The border pixel, repeated. */
  Nearest,
  /** A constant value. */
  Constant,
}

/** Maps a coordinate outside [0, n − 1] back inside by `mode`; Constant keeps (−1, n) for interpolation, NaN beyond. */
function mapCoordinate(c: number, n: number, mode: FillMode): number {
  if (c >= 0 && c <= n - 1) return c;
  if (mode === FillMode.Constant) return c > -1 && c < n ? c : NaN;
  if (mode === FillMode.Nearest) return c < 0 ? 0 : n - 1;
  if (mode === FillMode.Wrap) {
    const m = ((c % n) + n) % n;
    return m > n - 1 ? n - 1 : m;
  }
  // Reflect about the outer edges −0.5 and n − 0.5: period 2n.
  let m = (((c + 0.5) % (2 * n)) + 2 * n) % (2 * n);
  if (m >= n) m = 2 * n - m;
  m -= 0.5;
  return m < 0 ? 0 : m > n - 1 ? n - 1 : m;
}

/** One channel value at integer (iy, ix) after the fill rule, or `fill` where Constant leaves it outside. */
function pixel(x: Float32Array, base: number, H: number, W: number, C: number, iy: number, ix: number, c: number, fill: number): number {
  if (iy < 0 || iy >= H || ix < 0 || ix >= W) return fill;
  return x[base + (iy * W + ix) * C + c];
}

/**
 * Resamples every NHWC image by its own affine map: output pixel (oy, ox) of image b reads the input at
 *   (sy, sx) = (t[3] ·ox + t[4] ·oy + t[5], t[0] ·ox + t[1] ·oy + t[2])   with t = transforms[6b … 6b + 5],
 * rows and columns in pixel units, outside points mapped by `mode`, read by nearest neighbour or bilinear
 * interpolation. `y` has the input's shape.
 */
export function affineSample2d(
  x: Float32Array, shape: readonly number[], transforms: Float64Array, mode: FillMode, fill: number, bilinear: boolean, y: Float32Array,
): void {
  const [B, H, W, C] = shape;
  for (let b = 0; b < B; b++) {
    const t = 6 * b;
    const base = b * H * W * C;
    for (let oy = 0; oy < H; oy++) {
      for (let ox = 0; ox < W; ox++) {
        const o = base + (oy * W + ox) * C;
        const sx = mapCoordinate(transforms[t] * ox + transforms[t + 1] * oy + transforms[t + 2], W, mode);
        const sy = mapCoordinate(transforms[t + 3] * ox + transforms[t + 4] * oy + transforms[t + 5], H, mode);
        if (Number.isNaN(sx) || Number.isNaN(sy)) {
          y.fill(fill, o, o + C);
          continue;
        }
        if (!bilinear) {
          const iy = Math.round(sy);
          const ix = Math.round(sx);
          for (let c = 0; c < C; c++) y[o + c] = pixel(x, base, H, W, C, iy, ix, c, fill);
          continue;
        }
        const y0 = Math.floor(sy);
        const x0 = Math.floor(sx);
        const fy = sy - y0;
        const fx = sx - x0;
        for (let c = 0; c < C; c++) {
          const top = (1 - fx) * pixel(x, base, H, W, C, y0, x0, c, fill) + fx * pixel(x, base, H, W, C, y0, x0 + 1, c, fill);
          const bottom = (1 - fx) * pixel(x, base, H, W, C, y0 + 1, x0, c, fill) + fx * pixel(x, base, H, W, C, y0 + 1, x0 + 1, c, fill);
          y[o + c] = (1 - fy) * top + fy * bottom;
        }
      }
    }
  }
}
