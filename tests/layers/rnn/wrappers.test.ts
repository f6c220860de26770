import { describe, expect, it } from 'vitest';
import { Tensor } from '../../../src/tensor/tensor.js';
import { Dense } from '../../../src/layers/dense.js';
import { Conv2D } from '../../../src/layers/conv2d.js';
import { GRUCell } from '../../../src/layers/rnn/gru-cell.js';
import { LSTMCell } from '../../../src/layers/rnn/lstm-cell.js';
import { SimpleRNNCell } from '../../../src/layers/rnn/simple-rnn-cell.js';
import { RNN } from '../../../src/layers/rnn/rnn.js';
import { StackedRNNCells } from '../../../src/layers/rnn/stacked-rnn-cells.js';
import { TimeDistributed } from '../../../src/layers/rnn/time-distributed.js';
import { layerFromConfig } from '../../../src/layers/serialization.js';
import { ShapeError, ValueError } from '../../../src/util/errors.js';
import { seededTensor } from '../../helpers/seeded.js';
import { tfCpu } from '../../helpers/tf.js';
import { checkLayer, expectErrorMentioning, gradcheckLayer } from '../harness.js';
import { compareWithTf, expectRelClose } from '../tf-compare.js';
import { loopReference } from './reference-loop.js';
import { compareMultiWithTf, lengthMask } from './tf-multi.js';

const x = seededTensor([3, 4, 5], 1);

describe('TimeDistributed', () => {
  it('passes the layer harness and equals TF.js forward and gradients (Dense, Conv2D per frame)', async () => {
    const tf = await tfCpu();
    checkLayer(new TimeDistributed(new Dense(2)), x, [[5, 2], [2]]);
    await compareWithTf(new TimeDistributed(new Dense(3, { activation: 'tanh' })), tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 3, activation: 'tanh' }) }), x);
    const frames = seededTensor([2, 3, 4, 4, 2], 2);
    await compareWithTf(
      new TimeDistributed(new Conv2D(2, 3, { padding: 'same' })),
      tf.layers.timeDistributed({ layer: tf.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'same' }) }),
      frames,
    );
    expect(new TimeDistributed(new Dense(2)).computeOutputShape([null, 7, 5])).toEqual([null, 7, 2]);
  });

  it('reads the config TF.js writes; refuses inputs of rank < 3', async () => {
    const tf = await tfCpu();
    const model = tf.sequential({ layers: [tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 2 }), inputShape: [4, 5] })] });
    const spec = (model.toJSON(null, false) as unknown as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers[0];
    const ours = layerFromConfig(spec.class_name, spec.config) as TimeDistributed;
    expect(ours.layer.className).toBe('Dense');
    expect(ours.getConfig()).toEqual(spec.config);
    expectErrorMentioning(() => new TimeDistributed(new Dense(2), { name: 'td' }).apply(seededTensor([3, 5], 1)), ShapeError, 'td (TimeDistributed)', 'rank >= 3', '[3, 5]');
    expectErrorMentioning(() => new TimeDistributed('dense' as never), ValueError, 'expected a layer');
  });
});

describe('StackedRNNCells', () => {
  it('RNN over a list of cells equals TF.js forward and gradients (states in cell order as Keras 3; TF.js lists them last cell first)', async () => {
    const tf = await tfCpu();
    const ours = new RNN([new LSTMCell(3), new GRUCell(2, { resetAfter: false })], { returnSequences: true });
    const theirs = tf.layers.rnn({ cell: [tf.layers.lstmCell({ units: 3, recurrentActivation: 'sigmoid' }), tf.layers.gruCell({ units: 2, recurrentActivation: 'sigmoid' })], returnSequences: true });
    await compareWithTf(ours, theirs, x);
    expect(ours.cell).toBeInstanceOf(StackedRNNCells);
    const withStates = new RNN([new SimpleRNNCell(2), new LSTMCell(3)], { returnState: true });
    const tfStates = tf.layers.rnn({ cell: [tf.layers.simpleRNNCell({ units: 2 }), tf.layers.lstmCell({ units: 3, recurrentActivation: 'sigmoid' })], returnState: true });
    const initialState = [seededTensor([3, 2], 5), seededTensor([3, 3], 6), seededTensor([3, 3], 7)];
    // Ours [h1, h2, c2]; TF.js's [h2, c2, h1].
    const ys = await compareMultiWithTf(withStates, tfStates, x, { initialState, mask: lengthMask([4, 1, 3], 4), tfStateOrder: [1, 2, 0] });
    expect(ys.map((y) => [...y.shape])).toEqual([[3, 3], [3, 2], [3, 3], [3, 3]]);
  });

  it('passes the layer harness and finite differences; weights named RNNCell_k as TF.js saves them', () => {
    const rnn = new RNN(new StackedRNNCells([new GRUCell(2), new SimpleRNNCell(3)]));
    checkLayer(rnn, x, [[5, 6], [2, 6], [2, 6], [2, 3], [3, 3], [3]]);
    expect(rnn.namedWeights().map((w) => w.name)).toEqual([
      'RNNCell_0/kernel', 'RNNCell_0/recurrent_kernel', 'RNNCell_0/bias', 'RNNCell_1/kernel', 'RNNCell_1/recurrent_kernel', 'RNNCell_1/bias',
    ]);
    gradcheckLayer(new RNN([new LSTMCell(2, { biasInitializer: 'random_normal' }), new GRUCell(2)], { returnSequences: true }), seededTensor([2, 3, 2], 9));
  });

  it('the second cell reads the first cell\'s output each step (float64 references chained); dropout per cell', () => {
    const rnn = new RNN([new SimpleRNNCell(3), new GRUCell(2)], { returnSequences: true });
    rnn.ensureBuilt([...x.shape]);
    rnn.setWeights(rnn.getWeights().map((w, k) => seededTensor([...w.shape], 30 + k, -0.6, 0.6)));
    const w = rnn.getWeights();
    const first = loopReference(x, w.slice(0, 3), { kind: 'simple', units: 3, returnSequences: true });
    const hidden = new Tensor(Float32Array.from(first.output), [3, 4, 3]);
    const second = loopReference(hidden, w.slice(3), { kind: 'gru', units: 2, resetAfter: true, returnSequences: true });
    expectRelClose(rnn.apply(x).data, second.output, 1e-4, 'stacked vs chained references');
    const noisy = new RNN([new LSTMCell(2, { dropout: 0.5, seed: 1 }), new LSTMCell(2, { recurrentDropout: 0.5, seed: 2 })]);
    noisy.ensureBuilt([...x.shape]);
    expect(Array.from(noisy.apply(x, { training: true }).data)).not.toEqual(Array.from(noisy.apply(x).data));
  });

  it('reads the config TF.js writes (cells list) and writes it back', async () => {
    const tf = await tfCpu();
    const model = tf.sequential({ layers: [tf.layers.rnn({ cell: [tf.layers.lstmCell({ units: 2 }), tf.layers.gruCell({ units: 3 })], inputShape: [4, 5] })] });
    const spec = (model.toJSON(null, false) as unknown as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers[0];
    const ours = layerFromConfig(spec.class_name, spec.config) as RNN;
    expect((ours.cell as StackedRNNCells).cells.map((c) => c.className)).toEqual(['LSTMCell', 'GRUCell']);
    // TF.js writes unit_forget_bias: null for its default, false; neurite writes the value.
    const cells = (spec.config.cells as { config: Record<string, unknown> }[]).map((c) => ({ ...c, config: { ...c.config, ...(c.config.unit_forget_bias === null ? { unit_forget_bias: false } : {}) } }));
    const expected = { ...spec.config, cells, cell: { ...(spec.config.cell as object), config: { ...(spec.config.cell as { config: object }).config, cells } } };
    expect(ours.getConfig()).toEqual(expected);
    expectErrorMentioning(() => new StackedRNNCells([]), ValueError, 'non-empty array');
  });
});
