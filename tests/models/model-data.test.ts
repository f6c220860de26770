import { describe, expect, it } from 'vitest';
import { setSeed } from '../../src/util/random.js';
import { Sequential } from '../../src/models/sequential.js';
import { Dense } from '../../src/layers/dense.js';
import { SGD } from '../../src/optimizers/sgd.js';
import { fromArrays } from '../../src/data/from-arrays.js';
import { ProgbarLogger } from '../../src/training/progress-logger.js';
import { seedData } from '../training/linear-model.js';

function net(): Sequential {
  setSeed(4);
  const m = new Sequential([new Dense(3, { activation: 'tanh', inputShape: [2] }), new Dense(1, { activation: 'sigmoid' })], { name: 'clf' });
  m.compile({ optimizer: new SGD({ learningRate: 0.2 }), loss: 'binary_crossentropy', metrics: ['accuracy'] });
  return m;
}

describe('Model: datasets, on-batch methods, names', () => {
  const { x, y } = seedData(40, 2);

  it('fit(dataset) and fitDataset equal fit(x, y) in order; evaluate / predict take a dataset and return promises', async () => {
    const a = net();
    const b = net();
    const c = net();
    const ha = await a.fit(x, y, { epochs: 2, batchSize: 10, shuffle: false, verbose: 0 });
    const hb = await b.fit(fromArrays(x, y).batch(10), { epochs: 2, verbose: 0 });
    const hc = await c.fitDataset(fromArrays(x, y).batch(10), { epochs: 2, verbose: 0 });
    expect(hb.history).toEqual(ha.history);
    expect(hc.history).toEqual(ha.history);
    expect(Object.keys(ha.history)).toEqual(['loss', 'accuracy']);
    const ev = await b.evaluate(fromArrays(x, y).batch(8));
    expect(ev).toEqual(a.evaluate(x, y, { batchSize: 8 }));
    const p = await b.predict(fromArrays(x).batch(16));
    expect(Array.from(p.data)).toEqual(Array.from(a.predict(x).data));
  });

  it('x keyed by the input name and y by the output name (Keras: `<first layer>_input`, the last layer); trainOnBatch / testOnBatch / predictOnBatch', () => {
    const m = net();
    const [first, last] = m.layers;
    expect(m.inputNames).toEqual([`${first.name}_input`]);
    expect(m.outputNames).toEqual([last.name]);
    const keyed = m.evaluate({ [`${first.name}_input`]: x }, { [last.name]: y });
    expect(keyed).toEqual(m.evaluate(x, y));
    expect(() => m.evaluate({ input_2: x }, y)).toThrow(/unknown name 'input_2'; the model's names are '.*_input'/);
    const test = m.testOnBatch(x, y);
    const train = m.trainOnBatch(x, y);
    expect(train).toEqual(test);
    expect(m.testOnBatch(x, y).loss).not.toBe(test.loss);
    expect(m.predictOnBatch(x).shape).toEqual([40, 1]);
  });

  it('a second fit on a Model still training is refused with a clear error', async () => {
    const m = net();
    const first = m.fit(x, y, { epochs: 3, verbose: 0, yieldEvery: 0 });
    await expect(m.fit(x, y, { verbose: 0 })).rejects.toThrow(/fit: this model is still training/);
    await first;
  });

  it('ProgbarLogger countMode samples counts samples; fit then draws no bar of its own', async () => {
    const m = net();
    let out = '';
    const env = { write: (s: string) => void (out += s), isTTY: false, clock: () => 0 };
    await m.fit(x, y, { epochs: 1, batchSize: 16, verbose: 1, callbacks: [new ProgbarLogger({ countMode: 'samples' }, env)] });
    expect(out).toMatch(/^Epoch 1\/1\n40\/40 \[=+\]/);
    expect(out.match(/Epoch 1\/1/g)).toHaveLength(1);
    expect(() => new ProgbarLogger({ countMode: 'rows' } as never)).toThrow(/countMode 'steps' or 'samples'/);
  });
});
