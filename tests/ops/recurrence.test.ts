import { describe, it } from 'vitest';
import { Tensor } from '../../src/tensor/tensor.js';
import { recurrence, RecurrenceOptions } from '../../src/ops/recurrence.js';
import { RnnActivation } from '../../src/kernels/rnn/activation.js';
import { RnnKind } from '../../src/kernels/rnn/config.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { seededArray, seededTensor } from '../helpers/seeded.js';

const [batch, steps, units] = [2, 4, 3];
/** Sample 0 skips its second step, sample 1 its first and last. */
const stepMask = Float32Array.from([1, 0, 1, 1, 0, 1, 1, 0]);
const dropMask = (seed: number): Float32Array => Float32Array.from(seededArray(batch * units, seed), (v) => (v > -0.4 ? 1 / 0.7 : 0));

interface Case {
  kind: RnnKind;
  resetAfter?: boolean;
  recurrentMasks?: boolean;
}

const cases: Case[] = [
  { kind: RnnKind.Simple },
  { kind: RnnKind.Simple, recurrentMasks: true },
  { kind: RnnKind.Lstm },
  { kind: RnnKind.Lstm, recurrentMasks: true },
  { kind: RnnKind.Gru, resetAfter: true },
  { kind: RnnKind.Gru, resetAfter: true, recurrentMasks: true },
  { kind: RnnKind.Gru, resetAfter: false },
  { kind: RnnKind.Gru, resetAfter: false, recurrentMasks: true },
];

function options(c: Case, extra: Partial<RecurrenceOptions>): RecurrenceOptions {
  const gates = c.kind === RnnKind.Simple ? 1 : c.kind === RnnKind.Lstm ? 4 : 3;
  return {
    kind: c.kind, activation: RnnActivation.Tanh, gate: RnnActivation.Sigmoid, resetAfter: c.resetAfter ?? false,
    goBackwards: false, returnSequences: true, zeroOutputForMask: false, stepMask,
    recurrentMasks: c.recurrentMasks ? Array.from({ length: gates }, (_, g) => dropMask(60 + g)) : null,
    statesNeedGrad: false, ...extra,
  };
}

describe('recurrence (fused RNN op) gradients', () => {
  it('equal central differences for xw, the recurrent kernel, the GRU recurrent bias and the initial states, through a step mask', () => {
    for (const [k, c] of cases.entries()) {
      const gates = c.kind === RnnKind.Simple ? 1 : c.kind === RnnKind.Lstm ? 4 : 3;
      const xw = seededTensor([batch, steps, gates * units], 10 + k);
      const kernel = seededTensor([units, gates * units], 20 + k, -0.8, 0.8);
      const states = Array.from({ length: c.kind === RnnKind.Lstm ? 2 : 1 }, (_, s) => seededTensor([batch, units], 30 + s));
      const withBias = c.kind === RnnKind.Gru && c.resetAfter === true;
      const bias = seededTensor([gates * units], 40 + k);
      for (const extra of [{}, { goBackwards: true, returnSequences: false, zeroOutputForMask: true }] as Partial<RecurrenceOptions>[]) {
        const inputs = withBias ? [xw, kernel, bias, ...states] : [xw, kernel, ...states];
        const split = (ts: Tensor[]): [Tensor, Tensor, Tensor | null, Tensor[]] =>
          withBias ? [ts[0], ts[1], ts[2], ts.slice(3)] : [ts[0], ts[1], null, ts.slice(2)];
        try {
          gradcheck((...ts) => {
            const [a, u, b, s] = split(ts);
            return recurrence(a, u, b, s, options(c, extra)).output;
          }, inputs);
          // The last state alone (LSTM: c), through the packed output the op uses when states are differentiated.
          gradcheck((...ts) => {
            const [a, u, b, s] = split(ts);
            const r = recurrence(a, u, b, s, options(c, { ...extra, statesNeedGrad: true }));
            return r.states[r.states.length - 1];
          }, inputs);
        } catch (e) {
          throw new Error(`${JSON.stringify(c)} ${JSON.stringify(extra)}: ${(e as Error).message}`);
        }
      }
    }
  });
});
