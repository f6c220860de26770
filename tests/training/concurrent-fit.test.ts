import { describe, expect, it } from 'vitest';
import { setSeed } from '../../src/util/random.js';
import { Sequential } from '../../src/models/sequential.js';
import { Dense } from '../../src/layers/dense.js';
import { Dropout } from '../../src/layers/dropout.js';
import { seededTensor } from '../helpers/seeded.js';

/** A small model whose training uses both shuffling and (unseeded) Dropout. */
function makeModel(units: number): Sequential {
  const model = new Sequential([new Dense(units, { activation: 'relu', inputShape: [3] }), new Dropout(0.5), new Dense(1, { activation: 'sigmoid' })]);
  model.compile({ optimizer: 'sgd', loss: 'binary_crossentropy' });
  return model;
}

const x = seededTensor([24, 3], 1);
const y = seededTensor([24, 1], 2, 0, 1);
const opts = { epochs: 3, batchSize: 4, shuffle: true, verbose: 0 as const, yieldEvery: 0 };

async function run(concurrent: boolean): Promise<{ weights: Float32Array[][]; losses: number[][] }> {
  setSeed(11);
  const a = makeModel(5);
  const b = makeModel(6);
  let histories;
  if (concurrent) {
    histories = await Promise.all([a.fit(x, y, opts), b.fit(x, y, opts)]);
  } else {
    histories = [await a.fit(x, y, opts), await b.fit(x, y, opts)];
  }
  return { weights: [a, b].map((m) => m.getWeights().map((w) => w.data)), losses: histories.map((h) => h.history.loss) };
}

describe('concurrent fit', () => {
  it('two fits run with Promise.all give the same weights and losses, bit for bit, as the same fits run one after the other', async () => {
    const sequential = await run(false);
    const concurrent = await run(true);
    expect(concurrent.losses).toEqual(sequential.losses);
    concurrent.weights.forEach((ws, m) => ws.forEach((w, i) => expect(Array.from(w)).toEqual(Array.from(sequential.weights[m][i]))));
  });

  it('the fits really do interleave and really use randomness (the test could fail)', async () => {
    // Interleaving: a callback records which model's batch ran; both must appear before either finishes.
    setSeed(11);
    const a = makeModel(5);
    const b = makeModel(6);
    const order: string[] = [];
    const tag = (name: string) => ({ onBatchEnd: () => void order.push(name) });
    await Promise.all([a.fit(x, y, { ...opts, callbacks: [tag('a')] }), b.fit(x, y, { ...opts, callbacks: [tag('b')] })]);
    expect(order.slice(0, 4)).toEqual(['a', 'b', 'a', 'b']);
    // Randomness: another seed gives other weights.
    const first = await run(false);
    setSeed(12);
    const c = makeModel(5);
    await c.fit(x, y, opts);
    expect(Array.from(c.getWeights()[0].data)).not.toEqual(Array.from(first.weights[0][0]));
  });
});
