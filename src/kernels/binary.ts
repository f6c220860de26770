import { broadcastIndex, shapesEqual } from '../util/shape.js';

/** Elementwise binary operations the kernel knows; the switch sits outside every loop. */
export const enum BinaryOp {
  Add,
  Sub,
  Mul,
  Div,
  Maximum,
  Minimum,
  Pow,
}

/**
 * `out[i] = a[ia(i)] ∘ b[ib(i)]` over `outShape`, NumPy broadcasting. Fast paths for equal shapes and
 * a scalar operand; otherwise precomputed broadcast index maps.
 */
export function binaryKernel(
  op: BinaryOp,
  a: Float32Array,
  aShape: readonly number[],
  b: Float32Array,
  bShape: readonly number[],
  out: Float32Array,
  outShape: readonly number[],
): void {
  const n = out.length;
  if (a.length === n && b.length === n && shapesEqual(aShape, bShape)) {
    sameShape(op, a, b, out, n);
    return;
  }
  if (b.length === 1 && a.length === n) {
    scalarRight(op, a, b[0], out, n);
    return;
  }
  const ia = a.length === n ? null : broadcastIndex(aShape, outShape);
  const ib = b.length === n ? null : broadcastIndex(bShape, outShape);
  indexed(op, a, ia, b, ib, out, n);
}

function sameShape(op: BinaryOp, a: Float32Array, b: Float32Array, out: Float32Array, n: number): void {
  switch (op) {
    case BinaryOp.Add: for (let i = 0; i < n; i++) out[i] = a[i] + b[i]; break;
    case BinaryOp.Sub: for (let i = 0; i < n; i++) out[i] = a[i] - b[i]; break;
    case BinaryOp.Mul: for (let i = 0; i < n; i++) out[i] = a[i] * b[i]; break;
    case BinaryOp.Div: for (let i = 0; i < n; i++) out[i] = a[i] / b[i]; break;
    case BinaryOp.Maximum: for (let i = 0; i < n; i++) out[i] = maximum(a[i], b[i]); break;
    case BinaryOp.Minimum: for (let i = 0; i < n; i++) out[i] = minimum(a[i], b[i]); break;
    case BinaryOp.Pow: for (let i = 0; i < n; i++) out[i] = Math.pow(a[i], b[i]); break;
  }
}

function scalarRight(op: BinaryOp, a: Float32Array, s: number, out: Float32Array, n: number): void {
  switch (op) {
    case BinaryOp.Add: for (let i = 0; i < n; i++) out[i] = a[i] + s; break;
    case BinaryOp.Sub: for (let i = 0; i < n; i++) out[i] = a[i] - s; break;
    case BinaryOp.Mul: for (let i = 0; i < n; i++) out[i] = a[i] * s; break;
    case BinaryOp.Div: for (let i = 0; i < n; i++) out[i] = a[i] / s; break;
    case BinaryOp.Maximum: for (let i = 0; i < n; i++) out[i] = maximum(a[i], s); break;
    case BinaryOp.Minimum: for (let i = 0; i < n; i++) out[i] = minimum(a[i], s); break;
    case BinaryOp.Pow: for (let i = 0; i < n; i++) out[i] = Math.pow(a[i], s); break;
  }
}

function indexed(op: BinaryOp, a: Float32Array, ia: Int32Array | null, b: Float32Array, ib: Int32Array | null, out: Float32Array, n: number): void {
  // NOTE: a null map means that operand already has the output's layout.
  for (let i = 0; i < n; i++) {
    const x = a[ia === null ? i : ia[i]];
    const y = b[ib === null ? i : ib[i]];
    switch (op) {
      case BinaryOp.Add: out[i] = x + y; break;
      case BinaryOp.Sub: out[i] = x - y; break;
      case BinaryOp.Mul: out[i] = x * y; break;
      case BinaryOp.Div: out[i] = x / y; break;
      case BinaryOp.Maximum: out[i] = maximum(x, y); break;
      case BinaryOp.Minimum: out[i] = minimum(x, y); break;
      case BinaryOp.Pow: out[i] = Math.pow(x, y); break;
    }
  }
}

/** max that propagates NaN, as TF.js does. */
function maximum(x: number, y: number): number {
  return x !== x || y !== y ? NaN : x > y ? x : y;
}

/** min that propagates NaN, as TF.js does. */
function minimum(x: number, y: number): number {
  return x !== x || y !== y ? NaN : x < y ? x : y;
}
