import { describe, expect, it } from 'vitest';
import { concat } from '../../../src/ops/concat.js';
import { slice } from '../../../src/ops/slice.js';
import { GRU } from '../../../src/layers/rnn/gru.js';
import { LSTM } from '../../../src/layers/rnn/lstm.js';
import { SimpleRNN } from '../../../src/layers/rnn/simple-rnn.js';
import { RNN } from '../../../src/layers/rnn/rnn.js';
import { layerFromConfig } from '../../../src/layers/serialization.js';
import { NeuriteError, ShapeError, ValueError } from '../../../src/util/errors.js';
import { expectClose } from '../../helpers/close.js';
import { seededTensor } from '../../helpers/seeded.js';
import { tfCpu } from '../../helpers/tf.js';
import { expectErrorMentioning } from '../harness.js';
import { expectRelClose } from '../tf-compare.js';
import { loopReference } from './reference-loop.js';
import { compareMultiWithTf, lengthMask } from './tf-multi.js';

const x = seededTensor([3, 4, 5], 1);

describe('RNN returnState and initialState', () => {
  it('returnState gives [output, ...states], equal to TF.js forward and gradients (with initial states too)', async () => {
    const tf = await tfCpu();
    const h0 = seededTensor([3, 3], 2);
    const c0 = seededTensor([3, 3], 3);
    await compareMultiWithTf(new LSTM(3, { returnState: true }), tf.layers.lstm({ units: 3, returnState: true, recurrentActivation: 'sigmoid' }), x);
    await compareMultiWithTf(
      new LSTM(3, { returnState: true, returnSequences: true, goBackwards: true }),
      tf.layers.lstm({ units: 3, returnState: true, returnSequences: true, goBackwards: true, recurrentActivation: 'sigmoid' }),
      x,
      { initialState: [h0, c0] },
    );
    await compareMultiWithTf(new GRU(3, { returnState: true, resetAfter: false }), tf.layers.gru({ units: 3, returnState: true, recurrentActivation: 'sigmoid' }), x, {
      initialState: [h0],
    });
    await compareMultiWithTf(new SimpleRNN(3, { returnState: true, returnSequences: true }), tf.layers.simpleRNN({ units: 3, returnState: true, returnSequences: true }), x, {
      initialState: [h0],
    });
    // Without returnState an initial state still applies.
    await compareMultiWithTf(new SimpleRNN(3), tf.layers.simpleRNN({ units: 3 }), x, { initialState: [h0] });
  });

  it('GRU resetAfter (not in TF.js) with initial state and returnState equals the float64 reference', () => {
    const gru = new GRU(3, { returnState: true, returnSequences: true });
    gru.ensureBuilt([...x.shape]);
    gru.setWeights(gru.getWeights().map((w, k) => seededTensor([...w.shape], 20 + k, -0.6, 0.6)));
    const h0 = seededTensor([3, 3], 4);
    const [y, h] = gru.applyMulti(x, { initialState: [h0] });
    const expected = loopReference(x, gru.getWeights(), { kind: 'gru', units: 3, resetAfter: true, returnSequences: true, initialState: [h0.data] });
    expectRelClose(y.data, expected.output, 1e-4, 'sequence');
    expectRelClose(h.data, expected.states[0], 1e-4, 'final state');
  });

  it('computeOutputShape and computeMask list the states; apply refuses several outputs', () => {
    const lstm = new LSTM(3, { returnState: true, returnSequences: true });
    expect(lstm.computeOutputShape([null, 4, 5])).toEqual([[null, 4, 3], [null, 3], [null, 3]]);
    const shapes = lstm.applyMulti(x).map((t) => [...t.shape]);
    expect(shapes).toEqual([[3, 4, 3], [3, 3], [3, 3]]);
    const mask = lengthMask([4, 2, 1], 4);
    expect(lstm.computeMask(x, mask)).toEqual([mask, null, null]);
    expect(new LSTM(3, { returnSequences: true }).computeMask(x, mask)).toBe(mask);
    expect(new LSTM(3).computeMask(x, mask)).toBeNull();
    expectErrorMentioning(() => lstm.apply(x), ValueError, 'applyMulti');
  });

  it('takes the initial states as extra inputs [x, ...states] (TF.js and Keras graphs), the same as initialState', () => {
    const lstm = new LSTM(3, { returnSequences: true });
    const h0 = seededTensor([3, 3], 8);
    const c0 = seededTensor([3, 3], 9);
    const viaList = lstm.apply([x, h0, c0]);
    expect(Array.from(viaList.data)).toEqual(Array.from(lstm.apply(x, { initialState: [h0, c0] }).data));
    expect(Array.from(viaList.data)).not.toEqual(Array.from(lstm.apply(x).data));
    expect(lstm.computeOutputShape([[null, 4, 5], [null, 3], [null, 3]])).toEqual([null, 4, 3]);
    expectErrorMentioning(() => lstm.apply([x, h0, c0], { initialState: [h0, c0] }), ValueError, 'given twice');
  });

  it('refuses initial states of the wrong count or shape, naming the layer and the shapes', () => {
    const lstm = new LSTM(3, { name: 'l_state' });
    expectErrorMentioning(() => lstm.apply(x, { initialState: [seededTensor([3, 3], 1)] }), ValueError, 'l_state (LSTM)', 'expected 2 state tensors', 'received 1');
    expectErrorMentioning(() => lstm.apply(x, { initialState: [seededTensor([3, 3], 1), seededTensor([2, 3], 1)] }), ShapeError, 'state 1', '[3, 3]', '[2, 3]');
  });
});

describe('RNN masking', () => {
  it('skips masked steps: equals the same RNN on the unpadded sequences (post- and pre-padding), carries outputs as Keras', () => {
    const lengths = [4, 2, 3];
    for (const kind of ['simple', 'lstm', 'gru'] as const) {
      for (const pre of [false, true]) {
        const layer = kind === 'simple' ? new SimpleRNN(3, { returnSequences: true }) : kind === 'lstm' ? new LSTM(3, { returnSequences: true }) : new GRU(3, { returnSequences: true });
        layer.ensureBuilt([...x.shape]);
        layer.setWeights(layer.getWeights().map((w, k) => seededTensor([...w.shape], 30 + k, -0.6, 0.6)));
        const mask = lengthMask(lengths, 4, pre);
        const y = layer.apply(x, { mask });
        lengths.forEach((n, b) => {
          const start = pre ? 4 - n : 0;
          const alone = layer.apply(slice(x, [b, start, 0], [1, n, 5]));
          for (let i = 0; i < 4; i++) {
            const got = Array.from(y.data.slice((b * 4 + i) * 3, (b * 4 + i + 1) * 3));
            // Before the first kept step the output is zero; after it, the latest kept step's output.
            const j = i - start;
            const want = j < 0 ? [0, 0, 0] : Array.from(alone.data.slice(Math.min(j, n - 1) * 3, (Math.min(j, n - 1) + 1) * 3));
            expectClose(got, want, { rtol: 1e-5, atol: 1e-6 });
          }
        });
      }
    }
  });

  it('equals TF.js with a mask (forward and gradients; last output, sequences, backwards, states)', async () => {
    const tf = await tfCpu();
    const mask = lengthMask([4, 2, 3], 4);
    await compareMultiWithTf(new LSTM(3), tf.layers.lstm({ units: 3, recurrentActivation: 'sigmoid' }), x, { mask });
    await compareMultiWithTf(new LSTM(3, { returnSequences: true, goBackwards: true, returnState: true }),
      tf.layers.lstm({ units: 3, returnSequences: true, goBackwards: true, returnState: true, recurrentActivation: 'sigmoid' }), x, { mask });
    await compareMultiWithTf(new GRU(3, { resetAfter: false, returnSequences: true }), tf.layers.gru({ units: 3, returnSequences: true, recurrentActivation: 'sigmoid' }), x, {
      mask: lengthMask([1, 4, 2], 4, true),
    });
    await compareMultiWithTf(new SimpleRNN(3, { returnState: true }), tf.layers.simpleRNN({ units: 3, returnState: true }), x, { mask });
  });

  it('zeroOutputForMask outputs zeros at masked steps (the float64 reference); refuses a mask of the wrong shape', () => {
    const lstm = new LSTM(3, { returnSequences: true, zeroOutputForMask: true, name: 'l_mask' });
    lstm.ensureBuilt([...x.shape]);
    const mask = lengthMask([4, 2, 3], 4, true);
    const expected = loopReference(x, lstm.getWeights(), { kind: 'lstm', units: 3, returnSequences: true, mask: mask.data, zeroOutputForMask: true });
    expectRelClose(lstm.apply(x, { mask }).data, expected.output, 1e-4, 'zero outputs');
    expect(lstm.getConfig().zero_output_for_mask).toBe(true);
    expectErrorMentioning(() => lstm.apply(x, { mask: lengthMask([4, 2], 4) }), ShapeError, 'l_mask (LSTM)', '[3, 4]', '[2, 4]');
  });
});

describe('stateful RNN', () => {
  it('carries the final states into the next call: two halves equal the whole; resetStates zeroes or sets them', () => {
    const full = new LSTM(3, { returnSequences: true });
    full.ensureBuilt([...x.shape]);
    full.setWeights(full.getWeights().map((w, k) => seededTensor([...w.shape], 50 + k, -0.6, 0.6)));
    const stateful = new LSTM(3, { returnSequences: true, stateful: true, batchInputShape: [3, null, 5] });
    stateful.ensureBuilt([3, null, 5]);
    stateful.setWeights(full.getWeights());
    const whole = full.apply(x);
    const first = stateful.apply(slice(x, [0, 0, 0], [3, 2, 5]));
    const second = stateful.apply(slice(x, [0, 2, 0], [3, 2, 5]));
    expectClose(concat([first, second], 1), whole, { rtol: 1e-5, atol: 1e-6 });
    stateful.resetStates();
    expectClose(stateful.apply(slice(x, [0, 0, 0], [3, 2, 5])), first, { rtol: 1e-6, atol: 1e-7 });
    const [, h, c] = new LSTM(3, { returnState: true }).applyMulti(x);
    stateful.resetStates([h, c]);
    expect(stateful.states!.map((s) => Array.from(s.data))).toEqual([Array.from(h.data), Array.from(c.data)]);
    const after = loopReference(x, full.getWeights(), { kind: 'lstm', units: 3, returnSequences: true, initialState: [h.data, c.data] });
    expectRelClose(stateful.apply(x).data, after.output, 1e-4, 'after resetStates(states)');
  });

  it('needs a fixed batch; refuses another batch size and bad states; round-trips stateful in the config', () => {
    expectErrorMentioning(() => new GRU(2, { stateful: true }).ensureBuilt([null, 3, 4]), NeuriteError, 'fixed batch size');
    const gru = new GRU(2, { stateful: true, name: 'g_st' });
    gru.apply(seededTensor([2, 3, 4], 1));
    expectErrorMentioning(() => gru.apply(seededTensor([3, 3, 4], 1)), ValueError, 'g_st (GRU)', 'batch size 2', '[3, 3, 4]');
    expectErrorMentioning(() => gru.resetStates([seededTensor([3, 2], 1)]), ShapeError, 'state 0', '[2, 2]', '[3, 2]');
    expectErrorMentioning(() => new GRU(2).resetStates(), NeuriteError, 'not stateful');
    const twin = layerFromConfig('GRU', { ...gru.getConfig(), name: 'g_st2', batch_input_shape: [2, 3, 4] }) as RNN;
    expect(twin.stateful).toBe(true);
  });

  it('accepts unroll as Keras (same result) and the TF.js form RNN({ cell })', () => {
    const rolled = new SimpleRNN(3);
    rolled.ensureBuilt([...x.shape]);
    const unrolled = new SimpleRNN(3, { unroll: true });
    unrolled.ensureBuilt([...x.shape]);
    unrolled.setWeights(rolled.getWeights());
    expect(Array.from(unrolled.apply(x).data)).toEqual(Array.from(rolled.apply(x).data));
    expect(unrolled.getConfig().unroll).toBe(true);
    const viaArgs = new RNN({ cell: (rolled as RNN).cell, returnSequences: true });
    expect(viaArgs.apply(x).shape).toEqual([3, 4, 3]);
    expect(viaArgs.cell).toBe(rolled.cell);
  });
});
