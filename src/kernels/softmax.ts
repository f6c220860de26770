/**
 * Softmax (or, with `log`, log-softmax) along the middle axis of an [outer, n, inner] layout.
 * Subtracts each group's max before exponentiating, so no eˣ overflows:
 * softmax = e^(x−m) / Σe^(x−m), logSoftmax = x − m − log Σe^(x−m). Sums in float64.
 */
export function softmaxKernel(x: Float32Array, outer: number, n: number, inner: number, log: boolean, out: Float32Array): void {
  const m = new Float64Array(inner);
  const s = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    const base = o * n * inner;
    m.fill(-Infinity);
    s.fill(0);
    for (let r = 0; r < n; r++) {
      const row = base + r * inner;
      for (let i = 0; i < inner; i++) if (x[row + i] > m[i] || x[row + i] !== x[row + i]) m[i] = x[row + i];
    }
    for (let r = 0; r < n; r++) {
      const row = base + r * inner;
      for (let i = 0; i < inner; i++) s[i] += Math.exp(x[row + i] - m[i]);
    }
    for (let i = 0; i < inner; i++) s[i] = log ? m[i] + Math.log(s[i]) : 1 / s[i];
    for (let r = 0; r < n; r++) {
      const row = base + r * inner;
      if (log) for (let i = 0; i < inner; i++) out[row + i] = x[row + i] - s[i];
      else for (let i = 0; i < inner; i++) out[row + i] = Math.exp(x[row + i] - m[i]) * s[i];
    }
  }
}

/**
 * Gradient of softmaxKernel from its output `y`: with g = Σ dy·y along the axis, dx = y·(dy − g);
 * for log-softmax, with g = Σ dy, dx = dy − e^y·g.
 */
export function softmaxGradKernel(y: Float32Array, dy: Float32Array, outer: number, n: number, inner: number, log: boolean, dx: Float32Array): void {
  const g = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    const base = o * n * inner;
    g.fill(0);
    for (let r = 0; r < n; r++) {
      const row = base + r * inner;
      if (log) for (let i = 0; i < inner; i++) g[i] += dy[row + i];
      else for (let i = 0; i < inner; i++) g[i] += dy[row + i] * y[row + i];
    }
    for (let r = 0; r < n; r++) {
      const row = base + r * inner;
      if (log) for (let i = 0; i < inner; i++) dx[row + i] = dy[row + i] - Math.exp(y[row + i]) * g[i];
      else for (let i = 0; i < inner; i++) dx[row + i] = y[row + i] * (dy[row + i] - g[i]);
    }
  }
}
