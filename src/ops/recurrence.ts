import { ShapeError } from '../util/errors.js';
import { formatShape } from '../util/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { isGradEnabled, record } from '../autograd/record.js';
import { RnnActivation } from '../kernels/rnn/activation.js';
import { gateCount, RnnConfig, RnnKind } from '../kernels/rnn/config.js';
import { rnnForward } from '../kernels/rnn/forward.js';
import { rnnBackward } from '../kernels/rnn/backward.js';

/** The cell and loop options of a fused recurrence (see `RnnConfig`), plus the constant masks. */
export interface RecurrenceOptions {
  kind: RnnKind;
  activation: RnnActivation;
  gate: RnnActivation;
  resetAfter: boolean;
  goBackwards: boolean;
  returnSequences: boolean;
  zeroOutputForMask: boolean;
  /** `[batch, steps]`, nonzero keeps a step. */
  stepMask: Float32Array | null;
  /** Recurrent dropout masks `[batch·units]` (one, or one per gate). */
  recurrentMasks: Float32Array[] | null;
  /** Whether the caller differentiates the final states (`returnState`); else they come back detached. */
  statesNeedGrad: boolean;
}

/**
 * A recurrent cell run over a whole sequence as one op: `xw` `[batch, steps, G·units]` (the input
 * projection of every step, done beforehand in one product), the recurrent kernel `[units, G·units]`,
 * the GRU's recurrent bias or null, and the initial states. Returns the output (every step, or the
 * last) and the final states.
 * NOTE: fused for speed: per step one product h·U and one pass of gate math, no per-step tensors;
 * the backward pass is backpropagation through time in one loop, and the recurrent kernel's gradient
 * one product over all steps. Equals the per-step graph of the cells (tests/layers/rnn/fused.test.ts).
 */
export function recurrence(xw: Tensor, recurrentKernel: Tensor, recurrentBias: Tensor | null, initial: Tensor[], o: RecurrenceOptions): { output: Tensor; states: Tensor[] } {
  const [batch, steps, width] = xw.shape;
  const units = recurrentKernel.shape[0];
  const G = gateCount(o.kind);
  if (xw.rank !== 3 || width !== G * units || recurrentKernel.shape[1] !== G * units) {
    throw new ShapeError(`recurrence: expected xw [batch, steps, ${G}·units] and a recurrent kernel [units, ${G}·units], received ${formatShape(xw.shape)} and ${formatShape(recurrentKernel.shape)}`);
  }
  const config: RnnConfig = {
    kind: o.kind, batch, steps, units, activation: o.activation, gate: o.gate, resetAfter: o.resetAfter,
    goBackwards: o.goBackwards, returnSequences: o.returnSequences, zeroOutputForMask: o.zeroOutputForMask,
  };
  const arrays = {
    xw: xw.data, recurrentKernel: recurrentKernel.data, recurrentBias: recurrentBias?.data ?? null,
    initial: initial.map((s) => s.data), stepMask: o.stepMask, recurrentMasks: o.recurrentMasks,
  };
  const { output, states, tape } = rnnForward(config, arrays);
  const outShape = o.returnSequences ? [batch, steps, units] : [batch, units];
  const inputs = recurrentBias === null ? [xw, recurrentKernel, ...initial] : [xw, recurrentKernel, recurrentBias, ...initial];
  const grads = (dOutput: Float32Array | null, dStates: (Float32Array | null)[]): (Float32Array | null)[] => {
    const g = rnnBackward(tape, dOutput, dStates);
    const head = recurrentBias === null ? [g.dxw, g.dKernel] : [g.dxw, g.dKernel, g.dBias];
    return [...head, ...g.dInitial];
  };
  if (!(o.statesNeedGrad && isGradEnabled())) {
    const y = record(new Tensor(output, outShape), 'recurrence', inputs, (dy) => grads(dy, []));
    return { output: y, states: states.map((s) => new Tensor(s, [batch, units])) };
  }
  // The output and the states as one tensor, so one node carries every gradient back through time.
  const packed = new Float32Array(output.length + states.length * batch * units);
  packed.set(output);
  states.forEach((s, k) => packed.set(s, output.length + k * batch * units));
  const all = record(new Tensor(packed, [packed.length]), 'recurrence', inputs, (dy) => {
    const dStates = states.map((_, k) => dy.subarray(output.length + k * batch * units, output.length + (k + 1) * batch * units));
    return grads(dy.subarray(0, output.length), dStates);
  });
  return {
    output: part(all, 0, outShape),
    states: states.map((_, k) => part(all, output.length + k * batch * units, [batch, units])),
  };
}

/** A contiguous range of a flat tensor, reshaped; its gradient lands back in the range. */
function part(all: Tensor, offset: number, shape: number[]): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const out = new Tensor(all.data.slice(offset, offset + size), shape);
  return record(out, 'recurrencePart', [all], (dy) => {
    const dx = new Float32Array(all.size);
    dx.set(dy, offset);
    return [dx];
  });
}
