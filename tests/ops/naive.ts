// Naive float64 references for the ops, written from the definitions with explicit multi-indices.
// They share no code with src/ (not even the shape helpers) so a bug there cannot hide in both.

/** Product of the dimensions. */
export function count(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

/** Multi-index of flat position `i` in a row-major `shape`. */
export function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let ax = shape.length - 1; ax >= 0; ax--) {
    idx[ax] = i % shape[ax];
    i = Math.floor(i / shape[ax]);
  }
  return idx;
}

/** Flat row-major position of multi-index `idx` in `shape`. */
export function ravel(idx: readonly number[], shape: readonly number[]): number {
  let i = 0;
  for (let ax = 0; ax < shape.length; ax++) i = i * shape[ax] + idx[ax];
  return i;
}

/** f applied to every value, in float64. */
export function naiveMap(x: ArrayLike<number>, f: (v: number) => number): Float64Array {
  return Float64Array.from(Array.from(x, f));
}

/** NumPy broadcasting of a ∘ b: right-aligned dims, a 1 stretches. */
export function naiveBinary(
  a: ArrayLike<number>,
  aShape: readonly number[],
  b: ArrayLike<number>,
  bShape: readonly number[],
  f: (x: number, y: number) => number,
): { data: Float64Array; shape: number[] } {
  const rank = Math.max(aShape.length, bShape.length);
  const pa = [...new Array(rank - aShape.length).fill(1), ...aShape];
  const pb = [...new Array(rank - bShape.length).fill(1), ...bShape];
  const shape = pa.map((d, k) => (d === 1 ? pb[k] : d));
  const data = new Float64Array(count(shape));
  for (let i = 0; i < data.length; i++) {
    const idx = unravel(i, shape);
    const ia = ravel(idx.map((v, k) => (pa[k] === 1 ? 0 : v)), pa);
    const ib = ravel(idx.map((v, k) => (pb[k] === 1 ? 0 : v)), pb);
    data[i] = f(a[ia], b[ib]);
  }
  return { data, shape };
}

/** Folds `f` over the `axes` of x starting from `init`; the result has the kept axes (as keepDims=false). */
export function naiveReduce(
  x: ArrayLike<number>,
  shape: readonly number[],
  axes: readonly number[],
  init: number,
  f: (acc: number, v: number) => number,
): { data: Float64Array; shape: number[] } {
  const keptAxes = shape.map((_, ax) => ax).filter((ax) => !axes.includes(ax));
  const outShape = keptAxes.map((ax) => shape[ax]);
  const data = new Float64Array(count(outShape)).fill(init);
  for (let i = 0; i < count(shape); i++) {
    const idx = unravel(i, shape);
    const o = ravel(keptAxes.map((ax) => idx[ax]), outShape);
    data[o] = f(data[o], x[i]);
  }
  return { data, shape: outShape };
}

/** out[idx] = x[idx permuted back]: output axis k is input axis perm[k]. */
export function naiveTranspose(x: ArrayLike<number>, shape: readonly number[], perm: readonly number[]): Float64Array {
  const outShape = perm.map((p) => shape[p]);
  const out = new Float64Array(count(shape));
  for (let i = 0; i < out.length; i++) {
    const o = unravel(i, outShape);
    const idx = new Array<number>(shape.length);
    perm.forEach((p, k) => (idx[p] = o[k]));
    out[i] = x[ravel(idx, shape)];
  }
  return out;
}

/** The box begin .. begin + size of x. */
export function naiveSlice(x: ArrayLike<number>, shape: readonly number[], begin: readonly number[], size: readonly number[]): Float64Array {
  const out = new Float64Array(count(size));
  for (let i = 0; i < out.length; i++) out[i] = x[ravel(unravel(i, size).map((v, k) => v + begin[k]), shape)];
  return out;
}

/** out[pre, j..., post] = x[pre, idx[j...], post]. */
export function naiveGather(x: ArrayLike<number>, shape: readonly number[], idx: ArrayLike<number>, idxShape: readonly number[], axis: number): Float64Array {
  const outShape = [...shape.slice(0, axis), ...idxShape, ...shape.slice(axis + 1)];
  const out = new Float64Array(count(outShape));
  for (let i = 0; i < out.length; i++) {
    const o = unravel(i, outShape);
    const j = ravel(o.slice(axis, axis + idxShape.length), idxShape);
    const src = [...o.slice(0, axis), idx[j], ...o.slice(axis + idxShape.length)];
    out[i] = x[ravel(src, shape)];
  }
  return out;
}

/** softmax (or log-softmax) along `axis` straight from the definition, float64, no max shift. */
export function naiveSoftmax(x: ArrayLike<number>, shape: readonly number[], axis: number, log: boolean): Float64Array {
  const out = new Float64Array(count(shape));
  for (let i = 0; i < out.length; i++) {
    const idx = unravel(i, shape);
    let s = 0;
    for (let r = 0; r < shape[axis]; r++) {
      const j = [...idx];
      j[axis] = r;
      s += Math.exp(x[ravel(j, shape)]);
    }
    out[i] = log ? x[i] - Math.log(s) : Math.exp(x[i]) / s;
  }
  return out;
}
