/** Reductions the kernels know. */
export const enum ReduceOp {
  Sum,
  Max,
  Min,
}

/**
 * Reduces `x` (laid out in `shape`) over `axes` (sorted, unique) into `out`, whose size is the product
 * of the kept dimensions. Accumulates in float64. An empty reduction gives the identity: 0 for Sum,
 * −Infinity for Max, +Infinity for Min. Max and Min propagate NaN.
 */
export function reduceKernel(op: ReduceOp, x: Float32Array, shape: readonly number[], axes: readonly number[], out: Float32Array): void {
  // Merge neighbouring axes of the same kind, so [2, 3, 4, 5] over axes [2, 3] is [6] kept, [20] reduced.
  const sizes: number[] = [];
  const reduced: boolean[] = [];
  for (let ax = 0; ax < shape.length; ax++) {
    const r = axes.includes(ax);
    if (sizes.length > 0 && reduced[reduced.length - 1] === r) sizes[sizes.length - 1] *= shape[ax];
    else {
      sizes.push(shape[ax]);
      reduced.push(r);
    }
  }
  // One pass per reduced run, last run first; each pass is an [outer, n, inner] → [outer, inner] loop.
  let src: Float32Array | Float64Array = x;
  for (let g = sizes.length - 1; g >= 0; g--) {
    if (!reduced[g]) continue;
    let outer = 1;
    let inner = 1;
    for (let k = 0; k < g; k++) outer *= sizes[k];
    for (let k = g + 1; k < sizes.length; k++) inner *= sizes[k];
    const dst = new Float64Array(outer * inner);
    reducePass(op, src, outer, sizes[g], inner, dst);
    sizes[g] = 1;
    src = dst;
  }
  for (let i = 0; i < out.length; i++) out[i] = src[i];
}

function reducePass(op: ReduceOp, src: Float32Array | Float64Array, outer: number, n: number, inner: number, dst: Float64Array): void {
  dst.fill(op === ReduceOp.Sum ? 0 : op === ReduceOp.Max ? -Infinity : Infinity);
  // NOTE: `v !== v` catches a NaN; once an accumulator is NaN, `v > acc` is false for every v, so it stays NaN.
  if (inner === 1) {
    // Rows are contiguous: accumulate each in a local.
    for (let o = 0; o < outer; o++) {
      const base = o * n;
      let acc = dst[o];
      switch (op) {
        case ReduceOp.Sum: for (let r = 0; r < n; r++) acc += src[base + r]; break;
        case ReduceOp.Max: for (let r = 0; r < n; r++) { const v = src[base + r]; if (v > acc || v !== v) acc = v; } break;
        case ReduceOp.Min: for (let r = 0; r < n; r++) { const v = src[base + r]; if (v < acc || v !== v) acc = v; } break;
      }
      dst[o] = acc;
    }
    return;
  }
  for (let o = 0; o < outer; o++) {
    const d = o * inner;
    for (let r = 0; r < n; r++) {
      const s = (o * n + r) * inner;
      switch (op) {
        case ReduceOp.Sum: for (let i = 0; i < inner; i++) dst[d + i] += src[s + i]; break;
        case ReduceOp.Max: for (let i = 0; i < inner; i++) { const v = src[s + i]; if (v > dst[d + i] || v !== v) dst[d + i] = v; } break;
        case ReduceOp.Min: for (let i = 0; i < inner; i++) { const v = src[s + i]; if (v < dst[d + i] || v !== v) dst[d + i] = v; } break;
      }
    }
  }
}

/**
 * Gradient of Max / Min: `dx[i] = dy[k]` where `x[i]` equals the extremum `y[k]` of its group
 * (every tie receives it, as TF.js), else 0. `index[i]` is the flat index k of element i's group.
 */
export function extremumGradKernel(x: Float32Array, y: Float32Array, dy: Float32Array, index: Int32Array, dx: Float32Array): void {
  for (let i = 0; i < x.length; i++) {
    const k = index[i];
    dx[i] = x[i] === y[k] ? dy[k] : 0;
  }
}

/**
 * Index of the largest (`max`) or smallest value along the middle axis of an [outer, n, inner] layout,
 * as a float. Ties go to the first index; a NaN is never chosen unless it comes first (as TF.js).
 * `n` must be at least 1.
 */
export function argReduceKernel(max: boolean, x: Float32Array, outer: number, n: number, inner: number, out: Float32Array): void {
  const best = new Float32Array(inner);
  for (let o = 0; o < outer; o++) {
    const d = o * inner;
    const base = o * n * inner;
    for (let i = 0; i < inner; i++) {
      best[i] = x[base + i];
      out[d + i] = 0;
    }
    for (let r = 1; r < n; r++) {
      const s = base + r * inner;
      if (max) {
        for (let i = 0; i < inner; i++) if (x[s + i] > best[i]) { best[i] = x[s + i]; out[d + i] = r; }
      } else {
        for (let i = 0; i < inner; i++) if (x[s + i] < best[i]) { best[i] = x[s + i]; out[d + i] = r; }
      }
    }
  }
}
