import { ShapeError, ValueError } from '../util/errors.js';
import { formatShape } from '../util/shape.js';
import { gemm } from '../kernels/gemm.js';
import { Tensor } from '../tensor/tensor.js';
import { record } from '../autograd/record.js';

/** Options of `matmul`: use an operand transposed (its last two axes swapped) without copying it. */
export interface MatmulOptions {
  transposeA?: boolean;
  transposeB?: boolean;
}

/** Sizes of a (batched) product op(A)·op(B) and how each operand's batch maps onto the output's. */
interface Product {
  batch: number;
  m: number;
  n: number;
  k: number;
  /** Whether each operand holds one matrix shared by every batch item (rank 2 or batch 1). */
  sharedA: boolean;
  sharedB: boolean;
  shape: number[];
}

/** Checks ranks, batch sizes and inner dimensions; ShapeError naming matmul and both shapes. */
function resolve(a: Tensor, b: Tensor, transA: boolean, transB: boolean): Product {
  const describe = (): string =>
    `a ${formatShape(a.shape)} (transposeA=${transA}) and b ${formatShape(b.shape)} (transposeB=${transB})`;
  if (a.rank < 2 || a.rank > 3 || b.rank < 2 || b.rank > 3) {
    throw new ShapeError(`matmul: expected operands of rank 2 ([rows, cols]) or 3 ([batch, rows, cols]), received ${describe()}`);
  }
  const [ra, ca] = a.shape.slice(-2);
  const [rb, cb] = b.shape.slice(-2);
  const m = transA ? ca : ra;
  const k = transA ? ra : ca;
  const kb = transB ? cb : rb;
  const n = transB ? rb : cb;
  if (k !== kb) {
    throw new ShapeError(`matmul: inner dimensions differ: op(a) has ${k} columns but op(b) has ${kb} rows, for ${describe()}`);
  }
  const batchA = a.rank === 3 ? a.shape[0] : 1;
  const batchB = b.rank === 3 ? b.shape[0] : 1;
  if (batchA !== batchB && batchA !== 1 && batchB !== 1) {
    throw new ShapeError(`matmul: batch sizes ${batchA} and ${batchB} differ (each must match or be 1), for ${describe()}`);
  }
  const batch = Math.max(batchA, batchB);
  const shape = a.rank === 3 || b.rank === 3 ? [batch, m, n] : [m, n];
  return { batch, m, n, k, sharedA: batchA === 1, sharedB: batchB === 1, shape };
}

/**
 * Matrix product op(a)·op(b) of rank-2 operands, or batched over rank-3 operands
 * ([batch, m, k]·[batch, k, n]); a rank-2 operand or a batch of 1 is shared by every batch item.
 * @example matmul(tensor([[1, 2]]), tensor([[3], [4]])).toArray(); // [[11]]
 */
export function matmul(a: Tensor, b: Tensor, { transposeA = false, transposeB = false }: MatmulOptions = {}): Tensor {
  if (!(a instanceof Tensor) || !(b instanceof Tensor)) {
    throw new ValueError(`matmul: expected two Tensors, received ${a instanceof Tensor ? 'a Tensor' : typeof a} and ${b instanceof Tensor ? 'a Tensor' : typeof b}`);
  }
  const p = resolve(a, b, transposeA, transposeB);
  const { batch, m, n, k } = p;
  const sa = p.sharedA ? 0 : m * k;
  const sb = p.sharedB ? 0 : k * n;
  const out = new Float32Array(batch * m * n);
  for (let i = 0; i < batch; i++) {
    gemm(m, n, k, a.data.subarray(i * sa, i * sa + m * k), transposeA, b.data.subarray(i * sb, i * sb + k * n), transposeB, out.subarray(i * m * n, (i + 1) * m * n));
  }
  return record(new Tensor(out, p.shape), 'matmul', [a, b], (dy) => {
    // C = op(A)·op(B) ⇒ d op(A) = dC·op(B)ᵀ and d op(B) = op(A)ᵀ·dC; a stored transpose flips
    // the product (dA = (dC·op(B)ᵀ)ᵀ = op(B)·dCᵀ, dB = dCᵀ·op(A)). A shared operand sums over
    // the batch, which gemm's accumulate does without a temporary.
    const da = a.requiresGrad ? new Float32Array(a.size) : null;
    const db = b.requiresGrad ? new Float32Array(b.size) : null;
    for (let i = 0; i < batch; i++) {
      const g = dy.subarray(i * m * n, (i + 1) * m * n);
      const ai = a.data.subarray(i * sa, i * sa + m * k);
      const bi = b.data.subarray(i * sb, i * sb + k * n);
      if (da !== null) {
        const target = da.subarray(i * sa, i * sa + m * k);
        const add = p.sharedA && i > 0;
        if (transposeA) gemm(k, m, n, bi, transposeB, g, true, target, add);
        else gemm(m, k, n, g, false, bi, !transposeB, target, add);
      }
      if (db !== null) {
        const target = db.subarray(i * sb, i * sb + k * n);
        const add = p.sharedB && i > 0;
        if (transposeB) gemm(n, k, m, g, true, ai, transposeA, target, add);
        else gemm(k, n, m, ai, !transposeA, g, false, target, add);
      }
    }
    return [da, db];
  });
}
