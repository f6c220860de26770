import { ShapeError, ValueError } from '../util/errors.js';
import { broadcastShapes, formatShape, shapesEqual } from '../util/shape.js';
import { sumToShape } from '../kernels/broadcast.js';
import { Tensor } from '../tensor/tensor.js';
import { noGrad } from './record.js';

/** Every tensor `root` depends on through recorded ops, inputs before the ops that use them. */
function topologicalOrder(root: Tensor): Tensor[] {
  // Iterative depth-first post-order: an RNN unrolled over thousands of steps must not overflow the stack.
  const order: Tensor[] = [];
  const seen = new Set<Tensor>([root]);
  const stack: [Tensor, number][] = [[root, 0]];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const inputs = top[0].node?.inputs ?? [];
    if (top[1] < inputs.length) {
      const next = inputs[top[1]++];
      if (next.requiresGrad && !seen.has(next)) {
        seen.add(next);
        stack.push([next, 0]);
      }
    } else {
      order.push(top[0]);
      stack.pop();
    }
  }
  return order;
}

/** Brings a gradient an op returned to its input's shape, summing over broadcast axes. */
function fitToInput(g: Float32Array, input: Tensor, output: Tensor, op: string): Float32Array {
  if (g.length === input.size) return g;
  if (g.length === output.size) {
    const fits = (() => {
      try {
        return shapesEqual(broadcastShapes(input.shape, output.shape, op), output.shape);
      } catch {
        return false;
      }
    })();
    if (fits) {
      const out = new Float32Array(input.size);
      sumToShape(g, output.shape, input.shape, out);
      return out;
    }
  }
  throw new ShapeError(
    `${op} (backward): gradient of ${g.length} values fits neither the input shape ${formatShape(input.shape)} ` +
      `nor the output shape ${formatShape(output.shape)}`,
  );
}

function released(op: string): never {
  throw new ValueError(`backward: the graph through '${op}' was already used by an earlier backward(); run the forward computation again`);
}

/**
 * Gradients of `loss` (seeded with ones) with respect to every leaf it depends on, or only to `targets`.
 * The graph is released afterwards.
 */
function computeGradients(loss: Tensor, targets?: ReadonlySet<Tensor>): Map<Tensor, Float32Array> {
  if (!loss.requiresGrad) {
    throw new ValueError(
      'backward: the loss does not depend on any tensor that requires a gradient ' +
        '(use variable(), or compute it outside noGrad())',
    );
  }
  const order = topologicalOrder(loss);
  const pending = new Map<Tensor, Float32Array>([[loss, new Float32Array(loss.size).fill(1)]]);
  const leaves = new Map<Tensor, Float32Array>();
  noGrad(() => {
    for (let i = order.length - 1; i >= 0; i--) {
      const t = order[i];
      const g = pending.get(t);
      pending.delete(t);
      const node = t.node;
      if (g === undefined) continue;
      if (node === null) {
        if (targets === undefined || targets.has(t)) leaves.set(t, g);
        continue;
      }
      const grads = node.backward(g);
      node.inputs.forEach((input, k) => {
        const gk = grads[k];
        if (!input.requiresGrad || gk == null) return;
        const fitted = fitToInput(gk, input, t, node.op);
        const prior = pending.get(input);
        if (prior === undefined) {
          pending.set(input, fitted);
        } else {
          // Never add in place: an op may hand the same array to several inputs.
          const sum = new Float32Array(prior.length);
          for (let j = 0; j < sum.length; j++) sum[j] = prior[j] + fitted[j];
          pending.set(input, sum);
        }
      });
      node.inputs = [];
      node.backward = () => released(node.op);
    }
  });
  return leaves;
}

/**
 * Adds d(loss)/d(leaf) into `leaf.grad` for every leaf with `requiresGrad` that `loss` depends on.
 * A non-scalar `loss` is seeded with ones (the gradient of its sum).
 * @example const w = variable([3]); backward(mul(w, w)); w.grad!.data; // [6]
 */
export function backward(loss: Tensor): void {
  for (const [leaf, g] of computeGradients(loss)) {
    if (leaf.grad === null) {
      leaf.grad = new Tensor(new Float32Array(g), leaf.shape);
    } else {
      const acc = leaf.grad.data;
      for (let j = 0; j < acc.length; j++) acc[j] += g[j];
    }
  }
}

/**
 * Turns `f` into a function returning its value and the gradients of that value with respect to
 * each argument. No `.grad` of any tensor is touched.
 * @example const { value, grads } = valueAndGrad((x) => sum(square(x)))(tensor([1, 2]));
 */
export function valueAndGrad(f: (...xs: Tensor[]) => Tensor): (...xs: Tensor[]) => { value: Tensor; grads: Tensor[] } {
  return (...xs: Tensor[]) => {
    const leaves = xs.map((x) => {
      const leaf = new Tensor(x.data, x.shape);
      leaf.requiresGrad = true;
      return leaf;
    });
    const value = f(...leaves);
    if (!(value instanceof Tensor)) throw new ValueError(`valueAndGrad: f must return a Tensor, received ${typeof value}`);
    const found = value.requiresGrad ? computeGradients(value, new Set(leaves)) : new Map<Tensor, Float32Array>();
    const grads = leaves.map((leaf) => new Tensor(new Float32Array(found.get(leaf) ?? new Float32Array(leaf.size)), leaf.shape));
    const plain = new Tensor(value.data, value.shape);
    return { value: plain, grads };
  };
}

/**
 * Like `valueAndGrad`, returning only the gradients.
 * @example
 * const [g] = grad((a) => sum(square(a)))(tensor([1, 2, 3]));
 * g.toArray(); // [2, 4, 6]
 */
export function grad(f: (...xs: Tensor[]) => Tensor): (...xs: Tensor[]) => Tensor[] {
  const vg = valueAndGrad(f);
  return (...xs: Tensor[]) => vg(...xs).grads;
}
