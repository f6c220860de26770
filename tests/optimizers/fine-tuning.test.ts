import { describe, expect, it } from 'vitest';
import { Sequential } from '../../src/models/sequential.js';
import { Dense } from '../../src/layers/dense.js';
import { Adam } from '../../src/optimizers/adam.js';
import { RMSprop } from '../../src/optimizers/rmsprop.js';
import { Optimizer } from '../../src/optimizers/optimizer.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { expectClose } from '../helpers/close.js';
import { seededArray } from '../helpers/seeded.js';
import { tfCpu, tfData } from '../helpers/tf.js';

const n = 16;
const xData = seededArray(n * 3, 21);
const yData = Float32Array.from({ length: n }, (_, i) => xData[3 * i] - 0.5 * xData[3 * i + 2]);
const init = [seededArray(12, 31, -0.5, 0.5), seededArray(4, 32, -0.1, 0.1), seededArray(4, 33, -0.5, 0.5), seededArray(1, 34, -0.1, 0.1)];
const shapes = [[3, 4], [4], [4, 1], [1]];
const fitOptions = { epochs: 2, batchSize: 8, shuffle: false, verbose: 0 as const };

function ourNet(activation: 'tanh' | 'linear'): Sequential {
  const model = new Sequential([new Dense(4, { activation, inputShape: [3] }), new Dense(1)]);
  model.setWeights(init.map((d, i) => new Tensor(Float32Array.from(d), shapes[i])));
  return model;
}

describe('fine-tuning keeps optimizer state per variable', () => {
  /** Train 2 epochs, freeze the last layer and recompile, 2 epochs, unfreeze and recompile, 2 epochs: in neurite and TF.js. */
  async function freezeRecompileRun(ours: Optimizer, theirs: (tf: Awaited<ReturnType<typeof tfCpu>>) => import('@tensorflow/tfjs').Optimizer) {
    const tf = await tfCpu();
    const model = ourNet('tanh');
    const x = new Tensor(xData, [n, 3]);
    const y = new Tensor(yData, [n, 1]);
    const losses: number[] = [];
    const peer = tf.sequential({ layers: [tf.layers.dense({ units: 4, activation: 'tanh', inputShape: [3] }), tf.layers.dense({ units: 1 })] });
    peer.setWeights(init.map((d, i) => tf.tensor(d, shapes[i])));
    const peerOpt = theirs(tf);
    const peerLosses: number[] = [];
    for (const frozen of [false, true, false]) {
      model.layers[1].trainable = !frozen;
      model.compile({ optimizer: ours, loss: 'mse' });
      losses.push(...(await model.fit(x, y, fitOptions)).history.loss);
      peer.layers[1].trainable = !frozen;
      peer.compile({ optimizer: peerOpt, loss: 'meanSquaredError' });
      peerLosses.push(...((await peer.fit(tf.tensor(xData, [n, 3]), tf.tensor(yData, [n, 1]), fitOptions)).history.loss as number[]));
    }
    return { model, losses, peerLosses, peerWeights: peer.getWeights().map(tfData) };
  }

  it('freeze, recompile with the same RMSprop (momentum), unfreeze: same weights and losses as TF.js', async () => {
    // TF.js keeps slots by position in the variable list; freezing the last layer keeps the positions of the
    // others, so its numbers are the per-variable ones here. Uncentered RMSprop is the same formula in both.
    const r = await freezeRecompileRun(new RMSprop({ learningRate: 0.01, momentum: 0.5 }), (tf) => tf.train.rmsprop(0.01, 0.9, 0.5, 1e-7));
    expectClose(r.losses, r.peerLosses, { rtol: 1e-5, atol: 1e-7 });
    r.model.getWeights().forEach((w, i) => expectClose(w.data, r.peerWeights[i], { rtol: 1e-5, atol: 1e-6 }));
    // The frozen epochs really froze the last layer: its weights differ from the start but not between those epochs.
    expect(Array.from(r.model.getWeights()[2].data)).not.toEqual(Array.from(init[2]));
  });

  it('the same with Adam: one step count for the optimizer, as TF.js and Keras', async () => {
    const r = await freezeRecompileRun(new Adam({ learningRate: 0.01 }), (tf) => tf.train.adam(0.01, 0.9, 0.999, 1e-7));
    // ε placement differs (see tests/models/training.test.ts); each weight moves at most lr per step, 12 steps.
    expectClose(r.losses, r.peerLosses, { rtol: 1e-3, atol: 1e-5 });
    r.model.getWeights().forEach((w, i) => expectClose(w.data, r.peerWeights[i], { rtol: 0, atol: 0.01 * 12 * 0.01 }));
  });

  it('freezing the first layer during fit (a callback) matches a float64 per-variable Adam reference', async () => {
    const model = ourNet('linear');
    const opt = new Adam({ learningRate: 0.05 });
    model.compile({ optimizer: opt, loss: 'mse' });
    const first = model.layers[0];
    // Frozen after epoch 0, unfrozen after epoch 2: batches (steps) 3–6 leave the first layer alone.
    const callback = { onEpochEnd: (epoch: number) => { if (epoch === 0) first.trainable = false; if (epoch === 2) first.trainable = true; } };
    await model.fit(new Tensor(xData, [n, 3]), new Tensor(yData, [n, 1]), { ...fitOptions, epochs: 4, callbacks: [callback] });
    const want = referenceRun(8, (step) => step <= 2 || step >= 7);
    model.getWeights().forEach((w, i) => expectClose(w.data, want[i], { rtol: 1e-4, atol: 1e-5 }));
    expect(opt.iterations).toBe(8);
  });

  it('a layer frozen from the start records no gradients, so unfreezing it later steps from fresh ones', async () => {
    const model = new Sequential([new Dense(4, { inputShape: [3], trainable: false }), new Dense(1)]);
    model.setWeights(init.map((d, i) => new Tensor(Float32Array.from(d), shapes[i])));
    model.compile({ optimizer: new Adam({ learningRate: 0.05 }), loss: 'mse' });
    const x = new Tensor(xData, [n, 3]);
    const y = new Tensor(yData, [n, 1]);
    await model.fit(x, y, { ...fitOptions, epochs: 1 });
    const kernel = model.layers[0].nonTrainableWeights[0];
    expect(kernel.grad).toBeNull();
    model.layers[0].trainable = true;
    await model.fit(x, y, { ...fitOptions, epochs: 1 });
    const want = referenceRun(4, (step) => step >= 3);
    model.getWeights().forEach((w, i) => expectClose(w.data, want[i], { rtol: 1e-4, atol: 1e-5 }));
  });
});

/**
 * Float64 reference, written from the definitions: y = (x·W1 + b1)·W2 + b2, loss = mean (y − t)² over a batch
 * of 8 in order, gradients by hand, Keras's Adam with one step count and slots per variable; the first layer
 * is updated only at steps where `firstTrains(step)`.
 */
function referenceRun(steps: number, firstTrains: (step: number) => boolean): number[][] {
  const w = init.map((a) => Array.from(a));
  const m = w.map((a) => a.map(() => 0));
  const v = w.map((a) => a.map(() => 0));
  const [lr, b1, b2, eps] = [0.05, 0.9, 0.999, 1e-7];
  for (let step = 1; step <= steps; step++) {
    const start = ((step - 1) % 2) * 8;
    const g = w.map((a) => a.map(() => 0));
    for (let s = start; s < start + 8; s++) {
      const xs = [0, 1, 2].map((k) => xData[3 * s + k]);
      const h = [0, 1, 2, 3].map((j) => w[1][j] + xs.reduce((acc, xk, k) => acc + xk * w[0][k * 4 + j], 0));
      const out = w[3][0] + h.reduce((acc, hj, j) => acc + hj * w[2][j], 0);
      const dy = (2 * (out - yData[s])) / 8;
      for (let j = 0; j < 4; j++) {
        g[2][j] += h[j] * dy;
        const dh = dy * w[2][j];
        g[1][j] += dh;
        for (let k = 0; k < 3; k++) g[0][k * 4 + j] += xs[k] * dh;
      }
      g[3][0] += dy;
    }
    const alpha = (lr * Math.sqrt(1 - b2 ** step)) / (1 - b1 ** step);
    for (let p = 0; p < 4; p++) {
      if (p < 2 && !firstTrains(step)) continue;
      for (let i = 0; i < w[p].length; i++) {
        m[p][i] = b1 * m[p][i] + (1 - b1) * g[p][i];
        v[p][i] = b2 * v[p][i] + (1 - b2) * g[p][i] ** 2;
        w[p][i] -= (alpha * m[p][i]) / (Math.sqrt(v[p][i]) + eps);
      }
    }
  }
  return w;
}
