import { describe, expect, it } from 'vitest';
import { Sequential } from '../../src/models/sequential.js';
import { Dense } from '../../src/layers/dense.js';
import { Conv2D } from '../../src/layers/conv2d.js';
import { MaxPooling2D } from '../../src/layers/max-pooling2d.js';
import { Flatten } from '../../src/layers/flatten.js';
import { SimpleRNN } from '../../src/layers/rnn/simple-rnn.js';
import { Adam } from '../../src/optimizers/adam.js';
import { SGD } from '../../src/optimizers/sgd.js';
import { Optimizer } from '../../src/optimizers/optimizer.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { setSeed } from '../../src/util/random.js';
import { expectClose } from '../helpers/close.js';
import { seededArray } from '../helpers/seeded.js';
import { tfCpu, tfData } from '../helpers/tf.js';

describe('training end to end', () => {
  it('learns XOR to loss < 0.05', async () => {
    setSeed(3);
    const model = new Sequential([new Dense(8, { activation: 'tanh', inputShape: [2] }), new Dense(1, { activation: 'sigmoid' })]);
    model.compile({ optimizer: new Adam({ learningRate: 0.05 }), loss: 'binary_crossentropy', metrics: ['accuracy'] });
    const x = [[0, 0], [0, 1], [1, 0], [1, 1]];
    const y = [0, 1, 1, 0];
    const history = await model.fit(x, y, { epochs: 300, batchSize: 4, verbose: 0 });
    expect(history.history.loss.at(-1)!).toBeLessThan(0.05);
    expect(model.evaluate(x, y).accuracy).toBe(1);
  });

  /** The same full-batch 5-epoch run of a 2-layer Dense net (BCE) in neurite and in TF.js, from the same weights. */
  async function parityRun(ours: Optimizer, theirs: (tf: Awaited<ReturnType<typeof tfCpu>>) => import('@tensorflow/tfjs').Optimizer) {
    const tf = await tfCpu();
    const n = 16;
    const xData = seededArray(n * 3, 11);
    const yData = Float32Array.from({ length: n }, (_, i) => (xData[3 * i] + xData[3 * i + 1] > 0 ? 1 : 0));
    const init = [seededArray(12, 1, -0.5, 0.5), seededArray(4, 2, -0.1, 0.1), seededArray(4, 3, -0.5, 0.5), seededArray(1, 4, -0.1, 0.1)];
    const shapes = [[3, 4], [4], [4, 1], [1]];

    const model = new Sequential([new Dense(4, { activation: 'relu', inputShape: [3] }), new Dense(1, { activation: 'sigmoid' })]);
    model.setWeights(init.map((d, i) => new Tensor(Float32Array.from(d), shapes[i])));
    model.compile({ optimizer: ours, loss: 'binary_crossentropy' });
    const h = await model.fit(new Tensor(xData, [n, 3]), new Tensor(yData, [n, 1]), { epochs: 5, batchSize: n, shuffle: false, verbose: 0 });

    const peer = tf.sequential({ layers: [tf.layers.dense({ units: 4, activation: 'relu', inputShape: [3] }), tf.layers.dense({ units: 1, activation: 'sigmoid' })] });
    peer.setWeights(init.map((d, i) => tf.tensor(d, shapes[i])));
    peer.compile({ optimizer: theirs(tf), loss: 'binaryCrossentropy' });
    const th = await peer.fit(tf.tensor(xData, [n, 3]), tf.tensor(yData, [n, 1]), { epochs: 5, batchSize: n, shuffle: false, verbose: 0 });
    return { loss: h.history.loss, peerLoss: th.history.loss as number[], weights: model.getWeights(), peerWeights: peer.getWeights().map(tfData) };
  }

  it('matches TF.js weight by weight: full-batch 2-layer Dense net, BCE, Adam, 5 steps', async () => {
    // TF.js's adam default epsilon differs from Keras's 1e-7: set it explicitly.
    const r = await parityRun(new Adam({ learningRate: 0.01 }), (tf) => tf.train.adam(0.01, 0.9, 0.999, 1e-7));
    expectClose(r.loss, r.peerLoss, { rtol: 1e-4, atol: 1e-6 });
    // NOTE: Keras adds ε to sqrt(v) before the bias correction, TF.js to sqrt(v̂) after it. For a weight whose
    // gradient is near ε/sqrt(1-β2) (a nearly dead relu unit) the two steps then differ by a few percent of one
    // step; every weight moves at most lr per step, so 1 % of the total movement (5·lr) bounds the difference.
    // The same run with SGD, below, has no such term and matches to float32 rounding.
    r.weights.forEach((w, i) => expectClose(w.data, r.peerWeights[i], { rtol: 0, atol: 0.01 * 5 * 0.01 }));
  });

  it('matches TF.js to float32 rounding: the same run with SGD', async () => {
    const r = await parityRun(new SGD({ learningRate: 0.1 }), (tf) => tf.train.sgd(0.1));
    expectClose(r.loss, r.peerLoss, { rtol: 1e-5, atol: 1e-7 });
    r.weights.forEach((w, i) => expectClose(w.data, r.peerWeights[i], { rtol: 1e-5, atol: 1e-7 }));
  });

  it('a tiny conv net learns vertical vs horizontal bars', async () => {
    setSeed(5);
    const n = 64;
    const x = new Float32Array(n * 6 * 6);
    const y: number[] = [];
    for (let s = 0; s < n; s++) {
      const vertical = s % 2;
      const pos = (s >> 1) % 6;
      for (let k = 0; k < 6; k++) x[s * 36 + (vertical ? k * 6 + pos : pos * 6 + k)] = 1;
      y.push(vertical);
    }
    const model = new Sequential([
      new Conv2D(4, 3, { activation: 'relu', inputShape: [6, 6, 1], padding: 'same' }),
      new MaxPooling2D({ poolSize: 2 }),
      new Flatten(),
      new Dense(1, { activation: 'sigmoid' }),
    ]);
    model.compile({ optimizer: new Adam({ learningRate: 0.02 }), loss: 'binary_crossentropy', metrics: ['accuracy'] });
    await model.fit(new Tensor(x, [n, 6, 6, 1]), y, { epochs: 40, batchSize: 16, verbose: 0 });
    expect(model.evaluate(new Tensor(x, [n, 6, 6, 1]), y).accuracy).toBe(1);
  });

  it('a tiny RNN learns whether the first step is larger than the last (order matters)', async () => {
    setSeed(9);
    const n = 128;
    const steps = 5;
    const x = seededArray(n * steps, 21, 0, 1);
    const y = Array.from({ length: n }, (_, s) => (x[s * steps] > x[s * steps + steps - 1] ? 1 : 0));
    const model = new Sequential([new SimpleRNN(8, { inputShape: [steps, 1] }), new Dense(1, { activation: 'sigmoid' })]);
    model.compile({ optimizer: new Adam({ learningRate: 0.02 }), loss: 'binary_crossentropy', metrics: ['accuracy'] });
    await model.fit(new Tensor(x, [n, steps, 1]), y, { epochs: 60, batchSize: 32, verbose: 0 });
    expect(model.evaluate(new Tensor(x, [n, steps, 1]), y).accuracy).toBeGreaterThan(0.9);
  });

  it('is deterministic: the same seed gives bit-identical weights and history', async () => {
    const run = async () => {
      setSeed(123);
      const model = new Sequential([new Dense(5, { activation: 'relu', inputShape: [4] }), new Dense(1, { activation: 'sigmoid' })]);
      model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
      const x = Array.from({ length: 40 }, (_, i) => [i % 3, i % 5, i % 7, 1]);
      const y = x.map((r) => (r[0] + r[1] > r[2] ? 1 : 0));
      const h = await model.fit(x, y, { epochs: 5, batchSize: 8, validationSplit: 0.25, verbose: 0 });
      return { h: h.history, w: model.getWeights().map((t) => Array.from(t.data)) };
    };
    const a = await run();
    const b = await run();
    expect(b.h).toEqual(a.h);
    expect(b.w).toEqual(a.w);
  });
});
