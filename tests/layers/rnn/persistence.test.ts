import { describe, expect, it } from 'vitest';
import type * as tfType from '@tensorflow/tfjs';
import { Dense } from '../../../src/layers/dense.js';
import { GRU } from '../../../src/layers/rnn/gru.js';
import { GRUCell } from '../../../src/layers/rnn/gru-cell.js';
import { LSTM } from '../../../src/layers/rnn/lstm.js';
import { LSTMCell } from '../../../src/layers/rnn/lstm-cell.js';
import { RNN } from '../../../src/layers/rnn/rnn.js';
import { SimpleRNN } from '../../../src/layers/rnn/simple-rnn.js';
import { Bidirectional } from '../../../src/layers/rnn/bidirectional.js';
import { TimeDistributed } from '../../../src/layers/rnn/time-distributed.js';
import { Sequential } from '../../../src/models/sequential.js';
import { saveModel } from '../../../src/models/persistence.js';
import { loadModel } from '../../../src/models/load-model.js';
import { expectClose } from '../../helpers/close.js';
import { seededTensor } from '../../helpers/seeded.js';
import { tfCpu } from '../../helpers/tf.js';
import { cleanUpDirs, freshDir, loadInTf, predictWith, randomizeWeights, saveFromTf, tfPredict } from '../../io/tf-files.js';

cleanUpDirs();

const x = seededTensor([2, 4, 3], 1);

/** Sequence models neurite writes and TF.js must read (TF.js has no GRU resetAfter, so those GRUs are resetAfter: false). */
const OURS: Record<string, () => Sequential> = {
  bidirectional: () => new Sequential([
    new Bidirectional(new LSTM(3, { returnSequences: true, recurrentActivation: 'legacy_hard_sigmoid' }), { inputShape: [4, 3], mergeMode: 'sum' }),
    new Bidirectional(new GRU(2, { resetAfter: false }), { mergeMode: 'concat' }),
    new Dense(1),
  ]),
  timeDistributed: () => new Sequential([new SimpleRNN(3, { returnSequences: true, inputShape: [4, 3], dropout: 0.2 }), new TimeDistributed(new Dense(2, { activation: 'relu' }))]),
  stackedCells: () => new Sequential([new RNN([new LSTMCell(3), new GRUCell(2, { resetAfter: false })], { inputShape: [4, 3], goBackwards: true })]),
};

describe('sequence layers in files', () => {
  for (const [kind, make] of Object.entries(OURS)) {
    it(`TF.js loads a ${kind} model neurite saved and predicts the same; neurite reloads it bit-identically`, async () => {
      const tf = await tfCpu();
      const model = make();
      predictWith(model, x);
      randomizeWeights(model, 7);
      const dir = freshDir();
      await saveModel(model, dir);
      const theirs = await loadInTf(dir);
      expectClose(predictWith(model, x), tfPredict(tf, theirs, x), { rtol: 1e-4, atol: 1e-5 });
      const back = await loadModel(dir);
      expect(Array.from(predictWith(back, x).data)).toEqual(Array.from(predictWith(model, x).data));
    });
  }

  it('a GRU with resetAfter (Keras 3 default, bias [2, 3u]) round-trips in neurite', async () => {
    const model = new Sequential([new Bidirectional(new GRU(3), { inputShape: [4, 3] })]);
    predictWith(model, x);
    randomizeWeights(model, 3);
    const dir = freshDir();
    await saveModel(model, dir);
    const back = await loadModel(dir);
    expect(back.getWeights().map((w) => [...w.shape])).toEqual(model.getWeights().map((w) => [...w.shape]));
    expect(Array.from(predictWith(back, x).data)).toEqual(Array.from(predictWith(model, x).data));
  });

  it('neurite loads Bidirectional, TimeDistributed and stacked-cell models TF.js saved', async () => {
    const tf = await tfCpu();
    const models: tfType.LayersModel[] = [
      tf.sequential({ layers: [
        tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 2, returnSequences: true }) as never, inputShape: [4, 3], mergeMode: 'ave' }),
        tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 2 }) }),
      ] }),
      tf.sequential({ layers: [tf.layers.rnn({ cell: [tf.layers.gruCell({ units: 2 }), tf.layers.simpleRNNCell({ units: 3 })], inputShape: [4, 3], returnSequences: true })] }),
      tf.sequential({ layers: [tf.layers.bidirectional({ layer: tf.layers.simpleRNN({ units: 2, goBackwards: true }) as never, inputShape: [4, 3], mergeMode: 'mul' })] }),
    ];
    for (const model of models) {
      const dir = freshDir();
      await saveFromTf(model, dir);
      const loaded = await loadModel(dir);
      expect(loaded.layers.map((l) => l.className)).toEqual(model.layers.map((l) => l.getClassName()));
      expectClose(predictWith(loaded, x), tfPredict(tf, model, x), { rtol: 1e-4, atol: 1e-5 });
    }
  });
});
