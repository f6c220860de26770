// Naive float64 twins of the fast kernels, written from the definitions with one loop per index.
// They share no code with src/ (not even the padding rule), so a bug there cannot hide in both.

type Values = ArrayLike<number>;

/** Sliding-window settings of the references: [height, width] pairs and TF's padding names. */
export interface WindowRef {
  strides: [number, number];
  padding: 'valid' | 'same';
  dilations?: [number, number];
}

/**
 * C = op(A)·op(B) (+ C0 when given), float64. A is m×k (stored k×m when transA), B is k×n
 * (stored n×k when transB).
 */
export function gemmRef(
  m: number, n: number, k: number,
  a: Values, transA: boolean, b: Values, transB: boolean,
  c0?: Values,
): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = c0 === undefined ? 0 : c0[i * n + j];
      for (let p = 0; p < k; p++) {
        const aip = transA ? a[p * m + i] : a[i * k + p];
        const bpj = transB ? b[j * k + p] : b[p * n + j];
        s += aip * bpj;
      }
      c[i * n + j] = s;
    }
  }
  return c;
}

/**
 * Output size and padding before the first element along one axis, from TF's documented rule:
 * 'valid' counts the window positions that fit; 'same' → ⌈in / s⌉ outputs, padding
 * max((out−1)·s + (k−1)·d + 1 − in, 0) split with the smaller half first.
 */
export function axisRef(size: number, k: number, s: number, d: number, padding: 'valid' | 'same'): { out: number; before: number } {
  const span = (k - 1) * d + 1;
  // 'valid': window starts 0, s, 2s, … while start + span <= size.
  if (padding === 'valid') return { out: Math.floor((size - span) / s) + 1, before: 0 };
  const out = Math.ceil(size / s);
  const total = Math.max((out - 1) * s + span - size, 0);
  return { out, before: Math.floor(total / 2) };
}

/** Geometry of a window over an NHWC input (output sizes and leading padding). */
function windowRef(xShape: number[], kh: number, kw: number, w: WindowRef) {
  const [sh, sw] = w.strides;
  const [dh, dw] = w.dilations ?? [1, 1];
  const rows = axisRef(xShape[1], kh, sh, dh, w.padding);
  const cols = axisRef(xShape[2], kw, sw, dw, w.padding);
  return { sh, sw, dh, dw, oh: rows.out, ow: cols.out, top: rows.before, left: cols.before };
}

/**
 * y[b, oy, ox, co] = Σ_{ky, kx, ci} x[b, oy·sh − top + ky·dh, ox·sw − left + kx·dw, ci]·f[ky, kx, ci, co]
 * (+ bias[co]), zero outside the input. x NHWC, f [kh, kw, inC, outC].
 */
export function conv2dRef(x: Values, xShape: number[], f: Values, fShape: number[], w: WindowRef, bias?: Values): { data: Float64Array; shape: number[] } {
  const [batch, h, wd, c] = xShape;
  const [kh, kw, , co] = fShape;
  const g = windowRef(xShape, kh, kw, w);
  const y = new Float64Array(batch * g.oh * g.ow * co);
  for (let b = 0; b < batch; b++) for (let oy = 0; oy < g.oh; oy++) for (let ox = 0; ox < g.ow; ox++) for (let o = 0; o < co; o++) {
    let s = bias === undefined ? 0 : bias[o];
    for (let ky = 0; ky < kh; ky++) for (let kx = 0; kx < kw; kx++) {
      const iy = oy * g.sh - g.top + ky * g.dh;
      const ix = ox * g.sw - g.left + kx * g.dw;
      if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
      for (let ci = 0; ci < c; ci++) s += x[((b * h + iy) * wd + ix) * c + ci] * f[((ky * kw + kx) * c + ci) * co + o];
    }
    y[((b * g.oh + oy) * g.ow + ox) * co + o] = s;
  }
  return { data: y, shape: [batch, g.oh, g.ow, co] };
}

/**
 * Gradients of Σ y·dy for y = conv2d(x, f): by the same loops as `conv2dRef`, each product
 * x·f contributes dy·f to dx and dy·x to df.
 */
export function conv2dGradRef(x: Values, xShape: number[], f: Values, fShape: number[], w: WindowRef, dy: Values): { dx: Float64Array; df: Float64Array } {
  const [batch, h, wd, c] = xShape;
  const [kh, kw, , co] = fShape;
  const g = windowRef(xShape, kh, kw, w);
  const dx = new Float64Array(batch * h * wd * c);
  const df = new Float64Array(kh * kw * c * co);
  for (let b = 0; b < batch; b++) for (let oy = 0; oy < g.oh; oy++) for (let ox = 0; ox < g.ow; ox++) for (let o = 0; o < co; o++) {
    const gy = dy[((b * g.oh + oy) * g.ow + ox) * co + o];
    for (let ky = 0; ky < kh; ky++) for (let kx = 0; kx < kw; kx++) {
      const iy = oy * g.sh - g.top + ky * g.dh;
      const ix = ox * g.sw - g.left + kx * g.dw;
      if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
      for (let ci = 0; ci < c; ci++) {
        const xi = ((b * h + iy) * wd + ix) * c + ci;
        const fi = ((ky * kw + kx) * c + ci) * co + o;
        dx[xi] += gy * f[fi];
        df[fi] += gy * x[xi];
      }
    }
  }
  return { dx, df };
}

/** The input positions (flat NHWC indices) a pooling window reads: real pixels only, row-major. */
function poolTaps(xShape: number[], ph: number, pw: number, g: ReturnType<typeof windowRef>, b: number, oy: number, ox: number, ch: number): number[] {
  const [, h, wd, c] = xShape;
  const taps: number[] = [];
  for (let ky = 0; ky < ph; ky++) for (let kx = 0; kx < pw; kx++) {
    const iy = oy * g.sh - g.top + ky * g.dh;
    const ix = ox * g.sw - g.left + kx * g.dw;
    if (iy >= 0 && iy < h && ix >= 0 && ix < wd) taps.push(((b * h + iy) * wd + ix) * c + ch);
  }
  return taps;
}

/** Visits every output of a pooling window with its output index and the input positions it reads. */
function eachWindow(xShape: number[], pool: [number, number], w: WindowRef, visit: (o: number, taps: number[]) => void): number[] {
  const [batch, , , c] = xShape;
  const g = windowRef(xShape, pool[0], pool[1], w);
  for (let b = 0; b < batch; b++) for (let oy = 0; oy < g.oh; oy++) for (let ox = 0; ox < g.ow; ox++) for (let ch = 0; ch < c; ch++) {
    visit(((b * g.oh + oy) * g.ow + ox) * c + ch, poolTaps(xShape, pool[0], pool[1], g, b, oy, ox, ch));
  }
  return [batch, g.oh, g.ow, c];
}

/**
 * Max pooling: y = the largest real pixel of each window; `argmax` = the first position (window
 * order) holding it, the one TF sends the gradient to.
 */
export function maxPoolRef(x: Values, xShape: number[], pool: [number, number], w: WindowRef): { data: Float64Array; shape: number[]; argmax: number[] } {
  const values: number[] = [];
  const argmax: number[] = [];
  const shape = eachWindow(xShape, pool, w, (o, taps) => {
    let best = taps[0];
    for (const t of taps) if (x[t] > x[best]) best = t;
    values[o] = x[best];
    argmax[o] = best;
  });
  return { data: Float64Array.from(values), shape, argmax };
}

/** Average pooling: the mean of each window's real pixels (padding is not counted, as TF/Keras). */
export function avgPoolRef(x: Values, xShape: number[], pool: [number, number], w: WindowRef): { data: Float64Array; shape: number[] } {
  const values: number[] = [];
  const shape = eachWindow(xShape, pool, w, (o, taps) => {
    let s = 0;
    for (const t of taps) s += x[t];
    values[o] = s / taps.length;
  });
  return { data: Float64Array.from(values), shape };
}

/** Gradient of Σ y·dy for average pooling: each window spreads dy / (its real pixel count) over them. */
export function avgPoolGradRef(xShape: number[], pool: [number, number], w: WindowRef, dy: Values): Float64Array {
  const dx = new Float64Array(xShape.reduce((p, d) => p * d, 1));
  eachWindow(xShape, pool, w, (o, taps) => {
    for (const t of taps) dx[t] += dy[o] / taps.length;
  });
  return dx;
}

/** Gradient of Σ y·dy for max pooling: each dy goes to its window's first maximum. */
export function maxPoolGradRef(x: Values, xShape: number[], pool: [number, number], w: WindowRef, dy: Values): Float64Array {
  const dx = new Float64Array(xShape.reduce((p, d) => p * d, 1));
  maxPoolRef(x, xShape, pool, w).argmax.forEach((t, o) => (dx[t] += dy[o]));
  return dx;
}
