import { ShapeError, ValueError } from '../../util/errors.js';
import { formatShape } from '../../util/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { zeros } from '../../tensor/creation.js';
import { add, mul } from '../../ops/arithmetic.js';
import { Masks } from '../layer.js';
import { SequencePass } from './cell-base.js';

/** The mask of one step: 1/0 per sample as `[batch, 1]`, its complement, and whether it keeps all or none. */
export interface StepMask {
  keep: Tensor;
  drop: Tensor;
  all: boolean;
  none: boolean;
}

/**
 * Reads an RNN's `mask` (`[batch, steps]`, nonzero keeps a step, as TF.js casts it to bool) into one
 * constant per step, or null when there is no mask. `what` names the layer in the message.
 */
export function stepMasks(mask: Masks | undefined, batch: number, steps: number, what: string): StepMask[] | null {
  const m = sequenceMask(mask, batch, steps, what);
  if (m === null) return null;
  const out: StepMask[] = [];
  for (let t = 0; t < steps; t++) {
    const keep = new Float32Array(batch);
    const drop = new Float32Array(batch);
    let kept = 0;
    for (let b = 0; b < batch; b++) {
      keep[b] = m.data[b * steps + t] !== 0 ? 1 : 0;
      drop[b] = 1 - keep[b];
      kept += keep[b];
    }
    out.push({ keep: new Tensor(keep, [batch, 1]), drop: new Tensor(drop, [batch, 1]), all: kept === batch, none: kept === 0 });
  }
  return out;
}

/** An RNN's `mask` checked to be `[batch, steps]` (or null when there is none); `what` names the layer in the message. */
export function sequenceMask(mask: Masks | undefined, batch: number, steps: number, what: string): Tensor | null {
  const m = Array.isArray(mask) ? (mask[0] ?? null) : (mask ?? null);
  if (m === null) return null;
  if (!(m instanceof Tensor)) throw new ValueError(`${what}: expected the mask to be a Tensor [batch, steps], received ${typeof m}`);
  if (m.rank !== 2 || m.shape[0] !== batch || m.shape[1] !== steps) {
    throw new ShapeError(`${what}: expected a mask of shape ${formatShape([batch, steps])} for an input of ${batch} sequences of ${steps} steps, received ${formatShape(m.shape)}`);
  }
  return m;
}

/** What the loop returns: every step's output (when asked), the last output and the final states. */
export interface LoopResult {
  outputs: Tensor[];
  last: Tensor;
  states: Tensor[];
}

/** m·new + (1 − m)·old, the masked update of Keras's backend `rnn`. */
function blend(next: Tensor, old: Tensor, mask: StepMask): Tensor {
  if (mask.all) return next;
  if (mask.none) return old;
  return add(mul(next, mask.keep), mul(old, mask.drop));
}

/**
 * Steps through time, `order` 1 forwards or −1 from the last step. At a masked step the states keep
 * their previous values and the output is the previous output (zeros before the first kept step),
 * or zeros with `zeroOutputForMask`, as Keras 3's backend `rnn`; the mask is read in processing order.
 */
export function runLoop(
  pass: SequencePass,
  initial: Tensor[],
  masks: StepMask[] | null,
  { steps, order, returnSequences, zeroOutputForMask }: { steps: number; order: 1 | -1; returnSequences: boolean; zeroOutputForMask: boolean },
): LoopResult {
  const { inputs, step } = pass;
  const outputs: Tensor[] = [];
  let states = initial;
  let last: Tensor | null = null;
  for (let i = 0; i < steps; i++) {
    const t = order === 1 ? i : steps - 1 - i;
    const next = step(inputs[t], states);
    let output = next.output;
    if (masks !== null) {
      const mask = masks[t];
      const previous = zeroOutputForMask || last === null ? zeros(output.shape) : last;
      output = blend(output, previous, mask);
      const old = states;
      states = next.states.map((s, k) => blend(s, old[k], mask));
    } else {
      states = next.states;
    }
    last = output;
    if (returnSequences) outputs.push(output);
  }
  return { outputs, last: last!, states };
}
