import { describe, expect, it } from 'vitest';
import { Tensor } from '../../../src/tensor/tensor.js';
import { Dense } from '../../../src/layers/dense.js';
import { LSTM } from '../../../src/layers/rnn/lstm.js';
import { GRU } from '../../../src/layers/rnn/gru.js';
import { Bidirectional } from '../../../src/layers/rnn/bidirectional.js';
import { TimeDistributed } from '../../../src/layers/rnn/time-distributed.js';
import { Sequential } from '../../../src/models/sequential.js';
import { Adam } from '../../../src/optimizers/adam.js';
import { setSeed } from '../../../src/util/random.js';
import { seededArray } from '../../helpers/seeded.js';

/** Sequences of 6 steps of ±1 noise; the label is whether the first step's value exceeds the last's. */
function task(n: number): { x: Tensor; y: Tensor } {
  const data = seededArray(n * 6, 3);
  const labels = new Float32Array(n);
  for (let i = 0; i < n; i++) labels[i] = data[i * 6] > data[i * 6 + 5] ? 1 : 0;
  return { x: new Tensor(data, [n, 6, 1]), y: new Tensor(labels, [n, 1]) };
}

async function train(): Promise<number[]> {
  setSeed(5);
  const model = new Sequential([
    new Bidirectional(new LSTM(4, { returnSequences: true, dropout: 0.1, recurrentDropout: 0.1 }), { inputShape: [6, 1] }),
    new TimeDistributed(new Dense(4, { activation: 'tanh' })),
    new GRU(4, { dropout: 0.1 }),
    new Dense(1, { activation: 'sigmoid' }),
  ]);
  model.compile({ optimizer: new Adam({ learningRate: 0.03 }), loss: 'binary_crossentropy' });
  const { x, y } = task(32);
  const history = await model.fit(x, y, { epochs: 14, batchSize: 16, verbose: 0 });
  return history.history.loss;
}

describe('recurrent layers in a trained model', () => {
  it('fit with dropout masks learns (the loss falls) and is bit-identical under the same setSeed', async () => {
    const first = await train();
    expect(first[first.length - 1]).toBeLessThan(first[0] * 0.8);
    expect(await train()).toEqual(first);
  });
});
