import { describe, expect, it } from 'vitest';
import { GRU, GRUOptions } from '../../../src/layers/rnn/gru.js';
import { GRUCell } from '../../../src/layers/rnn/gru-cell.js';
import { RNN } from '../../../src/layers/rnn/rnn.js';
import { ShapeError, ValueError } from '../../../src/util/errors.js';
import { seededTensor } from '../../helpers/seeded.js';
import { tfCpu } from '../../helpers/tf.js';
import { tfjsGoldens } from '../goldens.js';
import { checkLayer, expectErrorMentioning, gradcheckLayer } from '../harness.js';
import { compareWithTf, expectRelClose } from '../tf-compare.js';
import { gruReference, hardSigmoid64, sigmoid64 } from './reference.js';

const input = [3, 4, 5];

describe('GRU', () => {
  it('passes the layer harness; bias [2, 3u] with resetAfter (Keras 3 default), [3u] without', () => {
    checkLayer(new GRU(3), seededTensor(input, 1), [[5, 9], [3, 9], [2, 9]]);
    checkLayer(new GRU(3, { resetAfter: false, returnSequences: true }), seededTensor(input, 2), [[5, 9], [3, 9], [9]]);
    checkLayer(new GRU(2, { useBias: false }), seededTensor(input, 3), [[5, 6], [2, 6]]);
  });

  it('resetAfter: false equals TF.js forward and gradients (both gate activations, sequences, backwards)', async () => {
    const tf = await tfCpu();
    const cases: GRUOptions[] = [
      { recurrentActivation: 'legacy_hard_sigmoid' },
      { recurrentActivation: 'sigmoid', returnSequences: true },
      { recurrentActivation: 'sigmoid', goBackwards: true, returnSequences: true },
      { recurrentActivation: 'legacy_hard_sigmoid', goBackwards: true, useBias: false },
    ];
    for (const [k, options] of cases.entries()) {
      const theirs = tf.layers.gru({
        units: 3,
        recurrentActivation: (options.recurrentActivation === 'legacy_hard_sigmoid' ? 'hardSigmoid' : 'sigmoid') as 'sigmoid',
        returnSequences: options.returnSequences,
        goBackwards: options.goBackwards,
        useBias: options.useBias,
      });
      await compareWithTf(new GRU(3, { ...options, resetAfter: false }), theirs, seededTensor(input, 50 + k));
    }
  });

  it('the float64 reference agrees with TF.js (resetAfter: false), so it can judge resetAfter: true', async () => {
    const tf = await tfCpu();
    const x = seededTensor(input, 7);
    const gru = new GRU(3, { resetAfter: false, recurrentActivation: 'legacy_hard_sigmoid', returnSequences: true });
    gru.ensureBuilt([...x.shape]);
    gru.setWeights(gru.getWeights().map((w, k) => seededTensor([...w.shape], 60 + k, -0.6, 0.6)));
    const theirs = tf.layers.gru({ units: 3, returnSequences: true });
    theirs.apply(tf.zeros(x.shape as number[]));
    theirs.setWeights(gru.getWeights().map((w) => tf.tensor(Array.from(w.data), [...w.shape])));
    const expected = (theirs.apply(tf.tensor(Array.from(x.data), [...x.shape])) as ReturnType<typeof tf.zeros>).dataSync();
    const reference = gruReference(x, gru.getWeights(), { units: 3, resetAfter: false, gate: hardSigmoid64, returnSequences: true });
    expectRelClose(reference, expected, 1e-4, 'reference vs TF.js');
  });

  it('resetAfter: true (TF.js lacks it) equals the float64 reference and passes finite differences', () => {
    for (const [k, options] of ([{}, { returnSequences: true, goBackwards: true }, { recurrentActivation: 'legacy_hard_sigmoid' }] as GRUOptions[]).entries()) {
      const x = seededTensor(input, 70 + k);
      const gru = new GRU(3, options);
      gru.ensureBuilt([...x.shape]);
      gru.setWeights(gru.getWeights().map((w, j) => seededTensor([...w.shape], 80 + j, -0.6, 0.6)));
      const gate = options.recurrentActivation === 'legacy_hard_sigmoid' ? hardSigmoid64 : sigmoid64;
      const expected = gruReference(x, gru.getWeights(), { units: 3, resetAfter: true, gate, ...options });
      expectRelClose(gru.apply(x).data, expected, 1e-4, `resetAfter ${JSON.stringify(options)}`);
    }
    const small = new GRU(2, { returnSequences: true, biasInitializer: 'random_normal' });
    gradcheckLayer(small, seededTensor([2, 3, 2], 9));
  });

  it('resetAfter: false passes finite differences', () => {
    gradcheckLayer(new GRU(2, { resetAfter: false, biasInitializer: 'random_normal' }), seededTensor([2, 3, 2], 10));
  });

  it('the generic RNN with a GRUCell equals TF.js', async () => {
    const tf = await tfCpu();
    const ours = new RNN(new GRUCell(2, { resetAfter: false }), { returnSequences: true });
    const theirs = tf.layers.rnn({ cell: tf.layers.gruCell({ units: 2, recurrentActivation: 'sigmoid' }), returnSequences: true });
    await compareWithTf(ours, theirs, seededTensor([2, 3, 4], 11));
  });

  it('writes the config TF.js writes', () => {
    const golden = tfjsGoldens.gru.config;
    const ours = new GRU(2, {
      resetAfter: false,
      recurrentActivation: 'legacy_hard_sigmoid',
      inputShape: [5, 3],
      name: golden.name as string,
      kernelInitializer: golden.kernel_initializer as never,
    });
    expect(ours.getConfig()).toEqual(golden);
  });

  it('refuses bad config and bad input, leaving the layer unchanged', () => {
    expectErrorMentioning(() => new GRU(0), ValueError, 'units', '0');
    expectErrorMentioning(() => new GRU(2, { resetAfter: 'yes' as never }), ValueError, 'resetAfter');
    const gru = new GRU(2, { name: 'g_in' });
    expectErrorMentioning(() => gru.apply(seededTensor([3, 4], 1)), ShapeError, 'g_in (GRU)', '[3, 4]');
    gru.apply(seededTensor([1, 3, 4], 1));
    const before = gru.getWeights();
    expectErrorMentioning(() => gru.apply(seededTensor([1, 3, 5], 1)), ShapeError, 'g_in', '4 input features', '[1, 3, 5]');
    expectErrorMentioning(() => gru.setWeights([before[0], before[1], seededTensor([6], 1)]), ShapeError, 'g_in', 'bias', '[2, 6]', '[6]');
    gru.getWeights().forEach((w, i) => expect(Array.from(w.data)).toEqual(Array.from(before[i].data)));
  });
});
