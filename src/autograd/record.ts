import { BackwardFn, Tensor } from '../tensor/tensor.js';

let recording = true;

/** Whether ops currently record the graph for `backward()`. */
export function isGradEnabled(): boolean {
  return recording;
}

/**
 * Runs `fn` without recording any op, so nothing inside can be differentiated and no graph is kept.
 * `fn` must be synchronous.
 * @example const y = noGrad(() => model.call(x));
 */
export function noGrad<T>(fn: () => T): T {
  const previous = recording;
  recording = false;
  try {
    return fn();
  } finally {
    recording = previous;
  }
}

/**
 * Attaches the op that made `out` to it, so `backward()` can reach `inputs`. Does nothing when
 * recording is off or no input needs a gradient. Returns `out`.
 */
export function record(out: Tensor, op: string, inputs: readonly Tensor[], backward: BackwardFn): Tensor {
  if (!recording) return out;
  let needed = false;
  for (const x of inputs) if (x.requiresGrad) needed = true;
  if (!needed) return out;
  out.requiresGrad = true;
  out.node = { op, inputs, backward };
  return out;
}
