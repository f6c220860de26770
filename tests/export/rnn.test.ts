import { describe, it } from 'vitest';
import { Sequential } from '../../src/models/sequential.js';
import { Model } from '../../src/models/model.js';
import { Input } from '../../src/layers/input-layer.js';
import { Dense } from '../../src/layers/dense.js';
import { SimpleRNN } from '../../src/layers/rnn/simple-rnn.js';
import { LSTM } from '../../src/layers/rnn/lstm.js';
import { GRU } from '../../src/layers/rnn/gru.js';
import { Bidirectional } from '../../src/layers/rnn/bidirectional.js';
import { setSeed } from '../../src/util/random.js';
import { SymbolicTensor } from '../../src/graph/symbolic-tensor.js';
import { expectOrtMatches, inputsFor } from './ort-helper.js';

const T = 5;
const F = 3;

async function check(layers: ConstructorParameters<typeof Sequential>[0], seed: number): Promise<void> {
  setSeed(seed);
  const m = new Sequential(layers);
  await expectOrtMatches(m, (n) => inputsFor(m, n, seed, -2, 2), { batches: [1, 3], rtol: 1e-4, atol: 1e-5 });
}

/** Random (not zero) biases so the bias layout is exercised. */
const opts = { inputShape: [T, F], biasInitializer: 'random_normal' as const };

describe('exportOnnx: recurrent layers → ONNX RNN / LSTM / GRU', () => {
  it('SimpleRNN: last output, sequences, goBackwards, relu', async () => {
    await check([new SimpleRNN(4, { ...opts, returnSequences: true }), new SimpleRNN(3, { goBackwards: true, activation: 'relu' })], 1);
    await check([new SimpleRNN(4, { ...opts, returnSequences: true, goBackwards: true })], 2);
  });

  it('LSTM: gate order i,f,c,o → i,o,f,c, sequences, goBackwards, hard_sigmoid gates', async () => {
    await check([new LSTM(4, { ...opts, returnSequences: true }), new LSTM(3, { goBackwards: true })], 3);
    await check([new LSTM(4, { ...opts, returnSequences: true, goBackwards: true, recurrentActivation: 'hard_sigmoid' })], 4);
  });

  it('GRU: resetAfter true (linear_before_reset) and false', async () => {
    await check([new GRU(4, { ...opts, returnSequences: true }), new GRU(3, { resetAfter: false, biasInitializer: 'random_normal' })], 5);
    await check([new GRU(4, { ...opts, resetAfter: false, goBackwards: true, returnSequences: true })], 6);
  });

  it('Bidirectional LSTM / GRU / SimpleRNN with each merge mode', async () => {
    await check([new Bidirectional(new LSTM(3, { returnSequences: true, biasInitializer: 'random_normal' }), { inputShape: [T, F] }), new Bidirectional(new GRU(2), { mergeMode: 'sum' })], 7);
    await check([new Bidirectional(new SimpleRNN(3, { returnSequences: true }), { inputShape: [T, F], mergeMode: 'mul' })], 8);
    await check([new Bidirectional(new GRU(3, { resetAfter: false }), { inputShape: [T, F], mergeMode: 'ave' })], 9);
  });

  it('returnState outputs and initial states as graph inputs; Bidirectional with mergeMode null and states', async () => {
    setSeed(10);
    const x = Input({ shape: [T, F] });
    const h0 = Input({ shape: [4] });
    const c0 = Input({ shape: [4] });
    const [y, h, c] = new LSTM(4, { returnState: true, biasInitializer: 'random_normal' }).applyMulti(x, { initialState: [h0, c0] });
    const [gy, gh] = new GRU(4, { returnState: true, returnSequences: true }).applyMulti(x, { initialState: [h] });
    const bi = new Bidirectional(new LSTM(2, { returnState: true }), { mergeMode: null }).applyMulti(x) as SymbolicTensor[];
    const m = new Model({ inputs: [x, h0, c0], outputs: [y, h, c, gy, gh, new Dense(1).apply(c), ...bi] });
    await expectOrtMatches(m, (n) => inputsFor(m, n, 10), { rtol: 1e-4 });
  });
});

describe('exportOnnx: the generic RNN layer', () => {
  it('RNN(LSTMCell / GRUCell / SimpleRNNCell), RNN(StackedRNNCells), Bidirectional(RNN(cell))', async () => {
    const { RNN } = await import('../../src/layers/rnn/rnn.js');
    const { LSTMCell } = await import('../../src/layers/rnn/lstm-cell.js');
    const { GRUCell } = await import('../../src/layers/rnn/gru-cell.js');
    const { SimpleRNNCell } = await import('../../src/layers/rnn/simple-rnn-cell.js');
    const { StackedRNNCells } = await import('../../src/layers/rnn/stacked-rnn-cells.js');
    await check([new RNN(new LSTMCell(3, { biasInitializer: 'random_normal' }), { inputShape: [T, F], returnSequences: true }), new RNN(new GRUCell(2), { goBackwards: true })], 11);
    await check([new RNN(new SimpleRNNCell(3), { inputShape: [T, F], returnSequences: true, goBackwards: true })], 12);
    await check([new RNN(new StackedRNNCells([new GRUCell(2, { biasInitializer: 'random_normal' }), new LSTMCell(3)]), { inputShape: [T, F] })], 13);
    await check([new RNN(new StackedRNNCells([new SimpleRNNCell(2), new GRUCell(3, { resetAfter: false })]), { inputShape: [T, F], returnSequences: true, goBackwards: true })], 14);
    await check([new Bidirectional(new RNN(new GRUCell(2)), { inputShape: [T, F] })], 15);
  });
});
