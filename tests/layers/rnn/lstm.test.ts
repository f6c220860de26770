import { describe, expect, it } from 'vitest';
import { LSTM, LSTMOptions } from '../../../src/layers/rnn/lstm.js';
import { LSTMCell } from '../../../src/layers/rnn/lstm-cell.js';
import { RNN } from '../../../src/layers/rnn/rnn.js';
import { backward } from '../../../src/autograd/backward.js';
import { ShapeError, ValueError } from '../../../src/util/errors.js';
import { expectClose } from '../../helpers/close.js';
import { seededTensor } from '../../helpers/seeded.js';
import { tfCpu } from '../../helpers/tf.js';
import { tfjsGoldens } from '../goldens.js';
import { checkLayer, expectErrorMentioning, gradcheckLayer, probeWeights, weightedSum } from '../harness.js';
import { compareWithTf } from '../tf-compare.js';

const input = [3, 4, 5];

describe('LSTM', () => {
  it('passes the layer harness; kernel [in, 4u], recurrent [u, 4u], bias [4u]', () => {
    checkLayer(new LSTM(3), seededTensor(input, 1), [[5, 12], [3, 12], [12]]);
    checkLayer(new LSTM(2, { returnSequences: true, useBias: false }), seededTensor(input, 2), [[5, 8], [2, 8]]);
  });

  it('equals TF.js forward and gradients (both gate activations, sequences, backwards)', async () => {
    const tf = await tfCpu();
    const cases: LSTMOptions[] = [
      { recurrentActivation: 'sigmoid' },
      { recurrentActivation: 'legacy_hard_sigmoid', returnSequences: true },
      { recurrentActivation: 'sigmoid', goBackwards: true, returnSequences: true },
      { recurrentActivation: 'legacy_hard_sigmoid', goBackwards: true },
      { recurrentActivation: 'sigmoid', activation: 'relu', useBias: false, returnSequences: true },
    ];
    for (const [k, options] of cases.entries()) {
      const theirs = tf.layers.lstm({
        units: 3,
        recurrentActivation: (options.recurrentActivation === 'legacy_hard_sigmoid' ? 'hardSigmoid' : 'sigmoid') as 'sigmoid',
        activation: (options.activation ?? 'tanh') as 'tanh',
        returnSequences: options.returnSequences,
        goBackwards: options.goBackwards,
        useBias: options.useBias,
      });
      await compareWithTf(new LSTM(3, options), theirs, seededTensor(input, 50 + k));
    }
  });

  it('the generic RNN with an LSTMCell equals TF.js; a cell alone is one step from zero', async () => {
    const tf = await tfCpu();
    const ours = new RNN(new LSTMCell(2), { goBackwards: true });
    const theirs = tf.layers.rnn({ cell: tf.layers.lstmCell({ units: 2, recurrentActivation: 'sigmoid' }), goBackwards: true });
    await compareWithTf(ours, theirs, seededTensor([2, 3, 4], 11));
    const step = seededTensor([2, 1, 4], 12);
    const viaCell = ours.cell.apply(seededTensor([2, 4], 12));
    expectClose(viaCell, new RNN(ours.cell).apply(step));
  });

  it('passes finite differences', () => {
    gradcheckLayer(new LSTM(2, { returnSequences: true, biasInitializer: 'random_normal' }), seededTensor([2, 3, 2], 9));
  });

  it('initializes the forget-gate bias to 1 (unitForgetBias, Keras default) and the rest from biasInitializer', () => {
    const lstm = new LSTM(3);
    lstm.apply(seededTensor(input, 1));
    expect(Array.from(lstm.getWeights()[2].data)).toEqual([0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
    const plain = new LSTM(2, { unitForgetBias: false, biasInitializer: 'ones' });
    plain.apply(seededTensor(input, 1));
    expect(Array.from(plain.getWeights()[2].data)).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
  });

  it('backpropagates through 300 steps without overflowing the stack', () => {
    const lstm = new LSTM(4);
    const x = seededTensor([1, 300, 2], 13);
    const y = lstm.apply(x);
    backward(weightedSum(y, probeWeights(y.size)));
    for (const w of lstm.trainableWeights) expect(w.grad!.data.every(Number.isFinite)).toBe(true);
  });

  it('writes the config TF.js writes', () => {
    const golden = tfjsGoldens.lstmKeras.config;
    const ours = new LSTM(4, {
      goBackwards: true,
      recurrentActivation: 'sigmoid',
      inputShape: [5, 3],
      name: golden.name as string,
      kernelInitializer: golden.kernel_initializer as never,
    });
    expect(ours.getConfig()).toEqual(golden);
  });

  it('refuses bad config and bad input, leaving the layer unchanged', () => {
    expectErrorMentioning(() => new LSTM(-1), ValueError, 'units', '-1');
    expectErrorMentioning(() => new LSTM(2, { recurrentActivation: 'hard_tanh' as never }), ValueError, 'hard_tanh');
    const lstm = new LSTM(2, { name: 'l_in' });
    expectErrorMentioning(() => lstm.apply(seededTensor([2, 3], 1)), ShapeError, 'l_in (LSTM)', '[2, 3]');
    expectErrorMentioning(() => lstm.apply(seededTensor([2, 0, 3], 1)), ShapeError, 'timesteps >= 1');
    lstm.apply(seededTensor([1, 3, 4], 1));
    const before = lstm.getWeights();
    expectErrorMentioning(() => lstm.apply(seededTensor([1, 3, 2], 1)), ShapeError, 'l_in', '[1, 3, 2]');
    expectErrorMentioning(() => lstm.setWeights([before[0], seededTensor([2, 6], 1), before[2]]), ShapeError, 'recurrent_kernel', '[2, 8]', '[2, 6]');
    lstm.getWeights().forEach((w, i) => expect(Array.from(w.data)).toEqual(Array.from(before[i].data)));
  });
});
