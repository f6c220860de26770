import { Tensor } from '../tensor/tensor.js';
import { valueAndGrad } from '../autograd/backward.js';
import { noGrad } from '../autograd/record.js';
import { mul, sum } from '../ops/index.js';
import { ShapeError, ValueError } from '../util/errors.js';
import { formatShape } from '../util/shape.js';

/** What to explain: a class (column) of the first output, or any function of the outputs giving one value per sample. */
export type Target = number | ((outputs: Tensor[]) => Tensor);

/** The minimal model surface the explainers need (any neurite Model: Sequential, functional, subclassed). */
export interface Forwardable {
  /** One tensor per input in, one tensor per output out (Model.forward). */
  forward(xs: Tensor[], training: boolean): Tensor[];
}

/** The per-sample target values [batch] of the outputs; each sample's value is the sum of its row of the target tensor. */
export function targetTensor(outputs: Tensor[], target: Target, batch: number, op: string): Tensor {
  if (typeof target === 'function') {
    const t = target(outputs);
    if (!(t instanceof Tensor)) throw new ValueError(`${op}: the target function must return a Tensor, returned ${typeof t}`);
    if (t.rank === 0 || t.shape[0] !== batch) {
      throw new ShapeError(`${op}: the target function must return one value (row) per sample, shape [${batch}, ...], returned ${formatShape(t.shape)}`);
    }
    return t.rank === 1 ? t : sum(t, Array.from({ length: t.rank - 1 }, (_, i) => i + 1));
  }
  const y = outputs[0];
  const classes = y.rank < 2 ? 1 : y.size / batch;
  if (!Number.isInteger(target) || target < 0 || target >= classes) {
    throw new ValueError(`${op}: target class index must be an integer in [0, ${classes}) (output shape ${formatShape(y.shape)}), received ${target}`);
  }
  // A one-hot mask picks column `target` with a recorded op, so the gradient flows only from it.
  const mask = new Float32Array(y.size);
  for (let n = 0; n < batch; n++) mask[n * classes + target] = 1;
  const picked = mul(y, new Tensor(mask, y.shape));
  return y.rank === 1 ? picked : sum(picked, Array.from({ length: y.rank - 1 }, (_, i) => i + 1));
}

/** Checks that `x` is a float tensor with a batch axis. */
export function checkInput(x: unknown, op: string): Tensor {
  if (!(x instanceof Tensor)) throw new ValueError(`${op}: expected x to be a Tensor, received ${x === null ? 'null' : typeof x}`);
  if (x.rank < 1 || x.shape[0] < 1) throw new ShapeError(`${op}: expected x with a batch axis of at least one sample, received shape ${formatShape(x.shape)}`);
  return x;
}

/** Checks a target before any model evaluation. */
export function checkTarget(target: unknown, op: string): Target {
  if (typeof target === 'function') return target as Target;
  if (typeof target !== 'number') throw new ValueError(`${op}: expected target to be a class index or a function of the outputs, received ${typeof target}`);
  return target;
}

/** Whether recorded ops lead from `root` back to `leaf` (checked before backward releases the graph). */
export function reaches(root: Tensor, leaf: Tensor): boolean {
  const seen = new Set<Tensor>();
  const stack = [root];
  while (stack.length > 0) {
    const t = stack.pop()!;
    if (t === leaf) return true;
    if (seen.has(t) || t.node === null) continue;
    seen.add(t);
    for (const input of t.node.inputs) if (input.requiresGrad) stack.push(input);
  }
  return false;
}

/** ∂target/∂x for every sample of the batch at once (samples are independent in inference), plus the target values. */
export function targetGradient(model: Forwardable, x: Tensor, target: Target, op: string): { grad: Float32Array; values: Float64Array } {
  const batch = x.shape[0];
  let values = new Float64Array(batch);
  const f = (leaf: Tensor): Tensor => {
    const t = targetTensor(model.forward([leaf], false), target, batch, op);
    values = Float64Array.from(t.data);
    if (!reaches(t, leaf)) {
      throw new ValueError(
        `${op}: the target does not depend differentiably on the input (integer inputs such as Embedding indices have no gradient); ` +
          'attribute at the embedding output instead (a model from that output on)',
      );
    }
    return sum(t);
  };
  const { grads } = valueAndGrad(f)(x);
  return { grad: grads[0].data, values };
}

/** The target values [batch] of `x` with no gradient recorded. */
export function targetValues(model: Forwardable, x: Tensor, target: Target, op: string): Float64Array {
  return noGrad(() => Float64Array.from(targetTensor(model.forward([x], false), target, x.shape[0], op).data));
}
