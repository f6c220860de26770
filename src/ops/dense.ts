import { ShapeError, ValueError } from '../util/errors.js';
import { formatShape, sizeOf } from '../util/shape.js';
import { gemm } from '../kernels/gemm.js';
import { broadcastRows, sumRows } from '../kernels/bias.js';
import { Tensor } from '../tensor/tensor.js';
import { record } from '../autograd/record.js';

/** Checks dense's operands; ShapeError naming dense and the shapes involved. */
function check(x: Tensor, kernel: Tensor, bias: Tensor | null): void {
  if (!(x instanceof Tensor) || !(kernel instanceof Tensor) || (bias !== null && !(bias instanceof Tensor))) {
    throw new ValueError('dense: expected x, kernel (and bias, if given) to be Tensors');
  }
  if (x.rank < 2) {
    throw new ShapeError(`dense: expected x of rank >= 2 ([..., inFeatures]), received shape ${formatShape(x.shape)}`);
  }
  if (kernel.rank !== 2 || kernel.shape[0] !== x.shape[x.rank - 1]) {
    throw new ShapeError(
      `dense: expected a kernel of shape [${x.shape[x.rank - 1]}, units] for x of shape ${formatShape(x.shape)}, ` +
        `received kernel shape ${formatShape(kernel.shape)}`,
    );
  }
  if (bias !== null && (bias.rank !== 1 || bias.shape[0] !== kernel.shape[1])) {
    throw new ShapeError(`dense: expected a bias of shape [${kernel.shape[1]}] for kernel ${formatShape(kernel.shape)}, received bias shape ${formatShape(bias.shape)}`);
  }
}

/**
 * x·kernel + bias over the last axis of `x` (any rank >= 2): kernel [inFeatures, units], bias [units].
 * NOTE: fused for speed: the bias seeds the output and one GEMM accumulates onto it; the backward
 * pass is three products (dx = dy·Wᵀ, dW = xᵀ·dy, db = column sums of dy) with no temporaries.
 * @example dense(tensor([[1, 2]]), tensor([[1], [1]]), tensor([0.5])).toArray(); // [[3.5]]
 */
export function dense(x: Tensor, kernel: Tensor, bias?: Tensor | null): Tensor {
  const b = bias ?? null;
  check(x, kernel, b);
  const [inFeatures, units] = kernel.shape;
  const shape = [...x.shape.slice(0, -1), units];
  const rows = sizeOf(x.shape.slice(0, -1));
  const y = new Float32Array(rows * units);
  if (b !== null) broadcastRows(b.data, rows, units, y);
  gemm(rows, units, inFeatures, x.data, false, kernel.data, false, y, b !== null);
  const inputs = b === null ? [x, kernel] : [x, kernel, b];
  return record(new Tensor(y, shape), 'dense', inputs, (dy) => {
    let dx: Float32Array | null = null;
    let dw: Float32Array | null = null;
    let db: Float32Array | null = null;
    if (x.requiresGrad) {
      dx = new Float32Array(x.size);
      gemm(rows, inFeatures, units, dy, false, kernel.data, true, dx);
    }
    if (kernel.requiresGrad) {
      dw = new Float32Array(kernel.size);
      gemm(inFeatures, units, rows, x.data, true, dy, false, dw);
    }
    if (b !== null && b.requiresGrad) {
      db = new Float32Array(units);
      sumRows(dy, rows, units, db);
    }
    return b === null ? [dx, dw] : [dx, dw, db];
  });
}
