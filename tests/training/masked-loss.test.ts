import { describe, expect, it } from 'vitest';
import { tensor } from '../../src/tensor/creation.js';
import { noGrad } from '../../src/autograd/record.js';
import { Embedding } from '../../src/layers/core/embedding.js';
import { SimpleRNN } from '../../src/layers/rnn/simple-rnn.js';
import { Dense } from '../../src/layers/dense.js';
import { Sequential } from '../../src/models/sequential.js';
import { Input } from '../../src/layers/input-layer.js';
import { Model } from '../../src/models/model.js';
import { setSeed } from '../../src/util/random.js';
import { seededTensor } from '../helpers/seeded.js';

// Padded token ids (0 = padding): sample 0 has 2 real steps, sample 1 has 3, of 4.
const ids = tensor([[3, 1, 0, 0], [2, 4, 1, 0]]);
const mask = [[1, 1, 0, 0], [1, 1, 1, 0]];
const y = seededTensor([2, 4, 2], 5);

/** MSE per step (mean over the last axis), averaged over the unmasked steps only, in float64. */
function maskedMse(pred: Float32Array, weights: number[] = [1, 1]): number {
  let sum = 0;
  let count = 0;
  for (let b = 0; b < 2; b++) {
    for (let t = 0; t < 4; t++) {
      if (mask[b][t] === 0) continue;
      let se = 0;
      for (let k = 0; k < 2; k++) se += (pred[(b * 4 + t) * 2 + k] - y.data[(b * 4 + t) * 2 + k]) ** 2;
      sum += (se / 2) * weights[b];
      count += 1;
    }
  }
  return sum / count;
}

describe('losses on sequence outputs ignore masked steps (Keras)', () => {
  it('a Sequential Embedding(maskZero) → SimpleRNN(returnSequences): evaluate averages the unmasked steps', () => {
    setSeed(1);
    const model = new Sequential([new Embedding(5, 3, { maskZero: true, inputShape: [4] }), new SimpleRNN(2, { returnSequences: true })]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const pred = noGrad(() => model.predict(ids)).data;
    expect(model.evaluate(ids, y).loss).toBeCloseTo(maskedMse(pred), 6);
    // Per-sample weights combine with the mask.
    expect(model.evaluate(ids, y, { sampleWeight: tensor([2, 0.5]) } as never).loss).toBeCloseTo(maskedMse(pred, [2, 0.5]), 6);
  });

  it('a functional graph: the mask reaches the output through Dense on each step, and fit trains on unmasked steps only', async () => {
    setSeed(2);
    const input = Input({ shape: [4], dtype: 'int32' });
    const h = new SimpleRNN(3, { returnSequences: true }).apply(new Embedding(5, 3, { maskZero: true }).apply(input));
    const model = new Model({ inputs: input, outputs: new Dense(2).apply(h) });
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const pred = noGrad(() => model.predict(ids)).data;
    expect(model.evaluate(ids, y).loss).toBeCloseTo(maskedMse(pred), 6);
    // Targets at masked steps do not matter: changing them leaves the trained weights bit-identical.
    const yOther = tensor(Array.from(y.data).map((v, i) => (mask[Math.floor(i / 8)][Math.floor(i / 2) % 4] === 0 ? v + 100 : v)), [2, 4, 2]);
    const w0 = model.getWeights();
    await model.fit(ids, y, { epochs: 2, shuffle: false, verbose: 0 });
    const a = model.getWeights();
    model.setWeights(w0);
    await model.fit(ids, yOther, { epochs: 2, shuffle: false, verbose: 0 });
    model.getWeights().forEach((w, i) => expect(Array.from(w.data)).toEqual(Array.from(a[i].data)));
  });
});
