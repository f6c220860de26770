import { describe, expect, it } from 'vitest';
import { Sequential } from '../../src/models/sequential.js';
import { Model } from '../../src/models/model.js';
import { Input } from '../../src/layers/input-layer.js';
import { Dense } from '../../src/layers/dense.js';
import { Embedding } from '../../src/layers/core/embedding.js';
import { Masking } from '../../src/layers/core/masking.js';
import { LSTM } from '../../src/layers/rnn/lstm.js';
import { GRU } from '../../src/layers/rnn/gru.js';
import { SimpleRNN } from '../../src/layers/rnn/simple-rnn.js';
import { Bidirectional } from '../../src/layers/rnn/bidirectional.js';
import { GlobalAveragePooling1D } from '../../src/layers/pooling/global-average-pooling1d.js';
import { MultiHeadAttention } from '../../src/layers/attention/multi-head-attention.js';
import { Add } from '../../src/layers/merge/add.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { setSeed } from '../../src/util/random.js';
import { toOnnx } from '../../src/export/export-onnx.js';
import { seededTensor } from '../helpers/seeded.js';
import { expectOrtMatches, paddedIds } from './ort-helper.js';

const STEPS = 6;

describe('exportOnnx: masks (Embedding maskZero, Masking) into the layers that read them', () => {
  it('masked LSTM / GRU / SimpleRNN (also goBackwards, returnState) with padding anywhere in the sequence', async () => {
    setSeed(1);
    const ids = Input({ shape: [STEPS] });
    const e = new Embedding(20, 4, { maskZero: true }).apply(ids);
    const d = new Dense(4, { activation: 'tanh' }).apply(e); // Dense passes the mask on
    const [lstm, h, c] = new LSTM(3, { returnState: true, biasInitializer: 'random_normal' }).applyMulti(d);
    const outs = [lstm, h, c, new GRU(3, { goBackwards: true }).apply(e), new SimpleRNN(2).apply(new Add().apply([e, d])), new GlobalAveragePooling1D().apply(d)];
    const m = new Model({ inputs: ids, outputs: outs });
    await expectOrtMatches(m, (n) => [paddedIds(n, STEPS, 20, 2 + n)], { batches: [1, 4], rtol: 1e-4 });
  });

  it('Masking layer into Bidirectional GRU', async () => {
    setSeed(2);
    const m = new Sequential([new Masking({ maskValue: 0, inputShape: [STEPS, 2] }), new Bidirectional(new GRU(3)), new Dense(1)]);
    const inputs = (n: number): Tensor[] => {
      const x = seededTensor([n, STEPS, 2], n);
      for (let i = 0; i < n * STEPS; i++) if (i % 3 === 1) x.data.fill(0, i * 2, i * 2 + 2);
      return [x];
    };
    await expectOrtMatches(m, inputs, { batches: [1, 3], rtol: 1e-4 });
  });

  it('a mask reaching a layer that would use it in a way not mapped is refused', () => {
    const ids = Input({ shape: [STEPS] });
    const e = new Embedding(20, 4, { maskZero: true }).apply(ids);
    const att = new Model({ inputs: ids, outputs: new MultiHeadAttention({ numHeads: 1, keyDim: 2 }).apply([e, e]) });
    expect(() => toOnnx(att)).toThrow(/multi_head_attention.*masks reaching it are not exported/);
    const seq = new Model({ inputs: ids, outputs: new LSTM(2, { returnSequences: true }).apply(e) });
    expect(() => toOnnx(seq)).toThrow(/returnSequences under a mask/);
  });
});

describe('exportOnnx: a fully padded sample', () => {
  it('gives the initial (zero) state, as Keras', async () => {
    setSeed(3);
    const m = new Sequential([new Embedding(20, 4, { maskZero: true, inputShape: [STEPS] }), new LSTM(3, { biasInitializer: 'random_normal' }), new Dense(2)]);
    await expectOrtMatches(m, (n) => {
      const ids = paddedIds(n, STEPS, 20, 7);
      ids.data.fill(0, 0, STEPS);
      return [ids];
    }, { batches: [1, 3], rtol: 1e-4 });
  });
});
