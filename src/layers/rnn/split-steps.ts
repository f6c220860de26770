import { Tensor } from '../../tensor/tensor.js';
import { isGradEnabled } from '../../autograd/record.js';
import { reshape } from '../../ops/reshape.js';
import { slice } from '../../ops/slice.js';

/**
 * Splits `[batch, steps, width]` into `steps` tensors `[batch, width]`, without copying the whole
 * sequence per step. Without a graph each step is one slice. With one, the sequence is halved
 * recursively: a slice's gradient is as large as its source, so slicing every step out of the full
 * sequence would cost O(steps²) in the backward pass; halving costs O(size·log steps) both ways.
 */
export function splitSteps(x: Tensor): Tensor[] {
  const [batch, steps, width] = x.shape;
  const out = new Array<Tensor>(steps);
  const leaf = (t: Tensor, at: number): Tensor => reshape(slice(t, [0, at, 0], [batch, 1, width]), [batch, width]);
  if (!(isGradEnabled() && x.requiresGrad)) {
    for (let t = 0; t < steps; t++) out[t] = leaf(x, t);
    return out;
  }
  const halve = (part: Tensor, offset: number, n: number): void => {
    if (n === 1) {
      out[offset] = reshape(part, [batch, width]);
      return;
    }
    const half = n >> 1;
    halve(slice(part, [0, 0, 0], [batch, half, width]), offset, half);
    halve(slice(part, [0, half, 0], [batch, n - half, width]), offset + half, n - half);
  };
  if (steps > 0) halve(x, 0, steps);
  return out;
}
