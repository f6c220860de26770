import { describe, expect, it } from 'vitest';
import { SimpleRNN, SimpleRNNOptions } from '../../../src/layers/rnn/simple-rnn.js';
import { SimpleRNNCell } from '../../../src/layers/rnn/simple-rnn-cell.js';
import { RNN } from '../../../src/layers/rnn/rnn.js';
import { tensor } from '../../../src/tensor/creation.js';
import { NeuriteError, ShapeError, ValueError } from '../../../src/util/errors.js';
import { expectClose } from '../../helpers/close.js';
import { seededTensor } from '../../helpers/seeded.js';
import { tfCpu } from '../../helpers/tf.js';
import { tfjsGoldens } from '../goldens.js';
import { checkLayer, expectErrorMentioning, gradcheckLayer } from '../harness.js';
import { compareWithTf } from '../tf-compare.js';

const input = [3, 4, 5];

describe('SimpleRNN', () => {
  it('passes the layer harness; kernel [in, u], recurrent [u, u], bias [u]', () => {
    checkLayer(new SimpleRNN(3), seededTensor(input, 1), [[5, 3], [3, 3], [3]]);
    checkLayer(new SimpleRNN(2, { returnSequences: true, goBackwards: true }), seededTensor(input, 2), [[5, 2], [2, 2], [2]]);
  });

  it('computes h_t = tanh(x_t·W + h_{t−1}·U + b) by hand', () => {
    const rnn = new SimpleRNN(1, { returnSequences: true });
    rnn.ensureBuilt([null, 2, 1]);
    rnn.setWeights([tensor([[2]]), tensor([[0.5]]), tensor([0.1])]);
    const h1 = Math.tanh(2 * 1 + 0.1);
    const h2 = Math.tanh(2 * -1 + 0.5 * h1 + 0.1);
    expectClose(rnn.apply(tensor([[[1], [-1]]])), [h1, h2]);
  });

  it('equals TF.js forward and gradients', async () => {
    const tf = await tfCpu();
    const cases: SimpleRNNOptions[] = [
      {},
      { returnSequences: true },
      { goBackwards: true },
      { goBackwards: true, returnSequences: true, activation: 'relu', useBias: false },
    ];
    for (const [k, options] of cases.entries()) {
      const theirs = tf.layers.simpleRNN({
        units: 3,
        activation: (options.activation ?? 'tanh') as 'tanh',
        returnSequences: options.returnSequences,
        goBackwards: options.goBackwards,
        useBias: options.useBias,
      });
      await compareWithTf(new SimpleRNN(3, options), theirs, seededTensor(input, 50 + k));
    }
    await compareWithTf(new RNN(new SimpleRNNCell(2)), tf.layers.rnn({ cell: tf.layers.simpleRNNCell({ units: 2 }) }), seededTensor([2, 3, 4], 5));
  });

  it('passes finite differences', () => {
    gradcheckLayer(new SimpleRNN(3, { returnSequences: true, goBackwards: true, biasInitializer: 'random_normal' }), seededTensor([2, 4, 2], 9));
  });

  it('writes the config TF.js writes', () => {
    const golden = tfjsGoldens.simpleRnn.config;
    const ours = new SimpleRNN(3, {
      returnSequences: true,
      inputShape: [5, 2],
      name: golden.name as string,
      kernelInitializer: golden.kernel_initializer as never,
    });
    expect(ours.getConfig()).toEqual(golden);
  });

  it('refuses bad config and bad input', () => {
    expectErrorMentioning(() => new SimpleRNN(1.5), ValueError, 'units', '1.5');
    expectErrorMentioning(() => new SimpleRNN(2, { returnSequences: 1 as never }), ValueError, 'returnSequences');
    expectErrorMentioning(() => new RNN({} as never), ValueError, 'recurrent cell');
    expectErrorMentioning(() => new SimpleRNN(2, { returnState: 1 as never }), ValueError, 'returnState');
    expectErrorMentioning(() => new SimpleRNN(2, { dropuot: 0.2 } as never), ValueError, 'SimpleRNN', "unknown option 'dropuot'");
    expectErrorMentioning(() => new SimpleRNN(2, { name: 's_in' }).apply(seededTensor([2, 3, 4, 5], 1)), ShapeError, 's_in (SimpleRNN)', '[2, 3, 4, 5]');
    expect(new SimpleRNN(2).apply(seededTensor([2, 3, 4], 1)).shape).toEqual([2, 2]);
  });
});
