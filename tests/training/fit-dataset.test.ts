import { describe, expect, it, vi } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tensor } from '../../src/tensor/creation.js';
import { SGD } from '../../src/optimizers/sgd.js';
import { fit } from '../../src/training/fit.js';
import { evaluate, evaluateDataset, predict, predictDataset } from '../../src/training/evaluate.js';
import { resolveCompile } from '../../src/training/compile.js';
import { fromArrays, generator } from '../../src/data/from-arrays.js';
import { csv } from '../../src/data/csv.js';
import { ShapeError, ValueError } from '../../src/util/errors.js';
import { LinearModel, seedData } from './linear-model.js';
import type { LossName } from '../../src/losses/registry.js';

const silent = () => {
  const env = { out: '', isTTY: false, write: (s: string) => void (env.out += s), clock: () => 0 };
  return env;
};
/** fit on a dataset: no y. */
const fitDs = (model: LinearModel, c: ReturnType<typeof sgd>, ds: unknown, opts: object, env = silent()) => fit(model, c, ds, undefined, opts, env);
const sgd = (loss: LossName = 'binary_crossentropy') => resolveCompile({ optimizer: new SGD({ learningRate: 0.5 }), loss, metrics: ['accuracy'] });

describe('fit / evaluate / predict on datasets', () => {
  it('a dataset of batches trains exactly as the same arrays in order (bit-identical history and weights)', async () => {
    const { x, y } = seedData(50);
    const a = new LinearModel(2, { w: [0.2, -0.1], b: 0.05 });
    const b = new LinearModel(2, { w: [0.2, -0.1], b: 0.05 });
    const ha = await fit(a, sgd(), x, y, { epochs: 3, batchSize: 16, shuffle: false, verbose: 0 }, silent());
    const hb = await fitDs(b, sgd(), fromArrays(x, y).batch(16).prefetch(2), { epochs: 3, verbose: 0 });
    expect(hb.history).toEqual(ha.history);
    expect(Array.from(b.w.data)).toEqual(Array.from(a.w.data));
    expect(Array.from(b.b.data)).toEqual(Array.from(a.b.data));
    const compiled = sgd();
    expect(await evaluateDataset(b, compiled, fromArrays(x, y).batch(7))).toEqual(evaluate(b, compiled, x, y, { batchSize: 7 }));
    const [p] = await predictDataset(b, fromArrays(x).batch(9));
    expect(Array.from(p.data)).toEqual(Array.from(predict(b, x)[0].data));
  });

  it('stepsPerEpoch on an endless dataset: one iterator runs on across epochs; without it, a clear error first', async () => {
    const { x, y } = seedData(40);
    const model = new LinearModel(2, { w: [0.2, -0.1] });
    const before = Array.from(model.w.data);
    const endless = fromArrays(x, y).batch(10).repeat();
    await expect(fitDs(model, sgd(), endless, { epochs: 2, verbose: 0 })).rejects.toThrow(/the dataset is endless .* pass stepsPerEpoch/);
    expect(Array.from(model.w.data)).toEqual(before);
    expect(model.calls).toHaveLength(0);
    const firsts: number[] = [];
    const h = await fitDs(model, sgd(), endless, { epochs: 2, stepsPerEpoch: 3, verbose: 0 });
    model.calls.filter((c) => c.training).forEach((c) => firsts.push(c.firstFeature[0]));
    expect(h.history.loss).toHaveLength(2);
    // Six training batches: the second epoch continues where the first stopped (batches 4, 5, then 1 again… of 4).
    const batchFirst = [0, 10, 20, 30].map((i) => x[i][0]);
    expect(firsts).toEqual([0, 1, 2, 3, 0, 1].map((k) => batchFirst[k]).map(Math.fround));
  });

  it('a dataset that runs out before stepsPerEpoch ends training with a warning', async () => {
    const { x, y } = seedData(30);
    const model = new LinearModel(2);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const h = await fitDs(model, sgd(), generator(function* () {
      for (let i = 0; i < 3; i++) yield { xs: x.slice(i * 10, i * 10 + 10), ys: y.slice(i * 10, i * 10 + 10) };
    }), { epochs: 5, stepsPerEpoch: 2, verbose: 0 });
    expect(h.epoch).toEqual([0, 1]);
    expect(warn.mock.calls[0][0]).toMatch(/ran out of batches after 1 of 2 steps/);
    warn.mockRestore();
  });

  it('validationData as a dataset (validationSteps), and the bar counting steps of a dataset of unknown size', async () => {
    const { x, y } = seedData(48);
    const model = new LinearModel(2, { w: [0.3, 0.3], b: -0.3 });
    const train = generator(function* () {
      for (let i = 0; i < 4; i++) yield { xs: tensor(x.slice(i * 8, i * 8 + 8)), ys: tensor(y.slice(i * 8, i * 8 + 8)) };
    });
    const env = silent();
    const h = await fitDs(model, sgd(), train, { epochs: 2, verbose: 2, validationData: fromArrays(x.slice(32), y.slice(32)).batch(4), validationSteps: 2 }, env);
    expect(Object.keys(h.history)).toEqual(['loss', 'accuracy', 'val_loss', 'val_accuracy']);
    expect(model.calls.filter((c) => !c.training).map((c) => c.size)).toEqual([8, 4, 4, 4, 4, 4]); // probe, probe, 2 × 2 validation
    expect(env.out).toMatch(/Epoch 1\/2\n4\/Unknown - /);
    expect(env.out).toMatch(/Epoch 2\/2\n4\/4 - /);
  });

  it('a CSV file trains like the same rows in memory', async () => {
    const { x, y } = seedData(40, 5);
    const dir = mkdtempSync(join(tmpdir(), 'neurite-fit-csv-'));
    const path = join(dir, 'train.csv');
    writeFileSync(path, ['a,b,label', ...x.map((r, i) => `${r[0]},${r[1]},${y[i]}`)].join('\n'));
    const a = new LinearModel(2, { w: [0.1, 0.2] });
    const b = new LinearModel(2, { w: [0.1, 0.2] });
    const ha = await fit(a, sgd(), x.map((r) => r.map(Math.fround)), y, { epochs: 2, batchSize: 8, shuffle: false, verbose: 0 }, silent());
    const hb = await fitDs(b, sgd(), csv(path, { labelColumn: 'label', batchSize: 8 }), { epochs: 2, verbose: 0 });
    expect(hb.history).toEqual(ha.history);
  });

  it('bad input: a changing feature shape, bad elements, options that do not apply, y next to a dataset', async () => {
    const { x, y } = seedData(20);
    const model = new LinearModel(2);
    const shifting = generator(function* () {
      yield { xs: x.slice(0, 10), ys: y.slice(0, 10) };
      yield { xs: x.slice(10).map((r) => [...r, 0]), ys: y.slice(10) };
    });
    await expect(fitDs(model, sgd(), shifting, { verbose: 0 })).rejects.toThrow(ShapeError);
    await expect(fitDs(model, sgd(), shifting, { verbose: 0 })).rejects.toThrow(/batch 1 has 'x' samples of shape \[3\], the first batch had \[2\]; a dataset must keep its feature shapes/);
    const bad = (element: unknown) => generator(function* () { yield element; });
    await expect(fit(model, sgd(), bad([x, y]), { verbose: 0 })).rejects.toThrow(/expected an element \{ xs, ys, sampleWeight\? \}/);
    await expect(fit(model, sgd(), bad({ xs: x, labels: y }), { verbose: 0 })).rejects.toThrow(/unknown key 'labels'/);
    await expect(fit(model, sgd(), bad({ xs: x }), { verbose: 0 })).rejects.toThrow(/expected targets 'ys'/);
    await expect(fit(model, sgd(), bad({ xs: x, ys: y.slice(1) }), { verbose: 0 })).rejects.toThrow(/xs has 20 samples but ys 'y' has 19/);
    await expect(fit(model, sgd(), bad({ xs: x, ys: y, sampleWeight: y.map(() => -1) }), { verbose: 0 })).rejects.toThrow(/sampleWeight: expected finite weights >= 0, received -1/);
    await expect(fit(model, sgd(), fromArrays(x, y).batch(4), { batchSize: 4, verbose: 0 })).rejects.toThrow(/option 'batchSize' does not apply to a dataset/);
    await expect(fit(model, sgd(), fromArrays(x, y).batch(4), y, { verbose: 0 })).rejects.toThrow(ValueError);
    await expect(fit(model, sgd(), generator(function* () {}), { verbose: 0 })).rejects.toThrow(/yielded no batch/);
    await expect(fit(model, sgd(), x, y, { stepsPerEpoch: 2, verbose: 0 })).rejects.toThrow(/stepsPerEpoch is for a dataset/);
  });
});
