import { describe, expect, it } from 'vitest';
import { Tensor } from '../../src/tensor/tensor.js';
import { tensor } from '../../src/tensor/creation.js';
import { setSeed } from '../../src/util/random.js';
import { Adam } from '../../src/optimizers/adam.js';
import { SGD } from '../../src/optimizers/sgd.js';
import { fit } from '../../src/training/fit.js';
import { evaluate, predict } from '../../src/training/evaluate.js';
import { resolveCompile } from '../../src/training/compile.js';
import { Callback, TerminateOnNaN } from '../../src/training/callbacks.js';
import { ProgressEnvironment } from '../../src/training/progress-logger.js';
import { expectClose } from '../helpers/close.js';
import { LinearModel, referenceBce, seedData } from './linear-model.js';

/** A silent environment whose clock only moves when the test moves it. */
function quiet(): ProgressEnvironment & { out: string; now: number } {
  const env = { out: '', now: 0, isTTY: false, write: (s: string) => void (env.out += s), clock: () => env.now };
  return env;
}

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

describe('fit', () => {
  it('learns the seed task (x0 + x1 > 1) with Adam: loss falls, accuracy > 0.9', async () => {
    setSeed(3);
    const { x, y } = seedData();
    const model = new LinearModel(2);
    const compiled = resolveCompile({ optimizer: new Adam({ learningRate: 0.1 }), loss: 'binary_crossentropy', metrics: ['accuracy'] });
    const history = await fit(model, compiled, x, y, { epochs: 60, verbose: 0 }, quiet());
    const loss = history.history.loss;
    expect(loss).toHaveLength(60);
    expect(loss[59]).toBeLessThan(loss[0] / 2);
    expect(history.history.accuracy[59]).toBeGreaterThan(0.9);
    expect(history.epoch).toEqual(Array.from({ length: 60 }, (_, i) => i));
  });

  it('with a zero learning rate, the logged loss and accuracy equal float64 values over the whole epoch', async () => {
    // Weights never move, so the sample-weighted mean of batch losses must equal the mean over all samples.
    const { x, y } = seedData(70);
    const model = new LinearModel(2, { w: [1.5, -0.5], b: -0.2 });
    const compiled = resolveCompile({ optimizer: new SGD({ learningRate: 0 }), loss: 'binary_crossentropy', metrics: ['accuracy'] });
    const history = await fit(model, compiled, x, y, { epochs: 1, batchSize: 32, verbose: 0 }, quiet());
    expectClose(history.history.loss[0], mean(referenceBce([1.5, -0.5], -0.2, x, y)), { rtol: 1e-5 });
    const hits = x.filter((r, i) => (1 / (1 + Math.exp(-(1.5 * r[0] - 0.5 * r[1] - 0.2))) > 0.5 ? 1 : 0) === y[i]).length;
    expectClose(history.history.accuracy[0], hits / 70, { rtol: 1e-7 });
  });

  it('batches with a partial last batch, training=true, and a fresh shuffle every epoch', async () => {
    setSeed(5);
    const { x, y } = seedData(80);
    const model = new LinearModel(2);
    const sizes: number[] = [];
    const cb: Callback = { onBatchBegin: (_b, logs) => void sizes.push(logs!.size) };
    await fit(model, resolveCompile({ optimizer: 'sgd', loss: 'mse' }), x, y, { epochs: 2, batchSize: 32, verbose: 0, callbacks: [cb] }, quiet());
    expect(sizes).toEqual([32, 32, 16, 32, 32, 16]);
    const training = model.calls.filter((c) => c.training);
    expect(training.map((c) => c.size)).toEqual([32, 32, 16, 32, 32, 16]);
    const epoch1 = training.slice(0, 3).flatMap((c) => c.firstFeature);
    const epoch2 = training.slice(3).flatMap((c) => c.firstFeature);
    const sorted = (v: number[]) => [...v].sort((a, b) => a - b);
    // Each epoch sees every sample once, in a different order than the data and than each other.
    expect(sorted(epoch1)).toEqual(sorted(x.map((r) => Math.fround(r[0]))));
    expect(sorted(epoch2)).toEqual(sorted(epoch1));
    expect(epoch1).not.toEqual(x.map((r) => Math.fround(r[0])));
    expect(epoch2).not.toEqual(epoch1);
  });

  it('shuffle: false keeps the data order', async () => {
    const { x, y } = seedData(10);
    const model = new LinearModel(2);
    await fit(model, resolveCompile({ optimizer: 'sgd', loss: 'mse' }), x, y, { batchSize: 4, shuffle: false, verbose: 0 }, quiet());
    expect(model.calls.filter((c) => c.training).flatMap((c) => c.firstFeature)).toEqual(x.map((r) => Math.fround(r[0])));
  });

  it('validationSplit holds out the last fraction before shuffling and logs val_ keys', async () => {
    setSeed(7);
    const { x, y } = seedData(50);
    const model = new LinearModel(2, { w: [0.3, 0.7], b: -0.5 });
    const compiled = resolveCompile({ optimizer: new SGD({ learningRate: 0 }), loss: 'binary_crossentropy', metrics: ['accuracy', 'auc'] });
    const history = await fit(model, compiled, x, y, { epochs: 2, batchSize: 8, validationSplit: 0.2, verbose: 0 }, quiet());
    expect(Object.keys(history.history)).toEqual(['loss', 'accuracy', 'auc', 'val_loss', 'val_accuracy', 'val_auc']);
    const trained = new Set(model.calls.filter((c) => c.training).flatMap((c) => c.firstFeature));
    expect(trained).toEqual(new Set(x.slice(0, 40).map((r) => Math.fround(r[0]))));
    expectClose(history.history.val_loss[1], mean(referenceBce([0.3, 0.7], -0.5, x.slice(40), y.slice(40))), { rtol: 1e-5 });
    expect(history.params!.samples).toBe(40);
    expect(history.params!.steps).toBe(5);
  });

  it('validationData takes precedence over validationSplit', async () => {
    const { x, y } = seedData(20);
    const val = seedData(6, 9);
    const model = new LinearModel(2, { w: [1, 1], b: -1 });
    const compiled = resolveCompile({ optimizer: new SGD({ learningRate: 0 }), loss: 'binary_crossentropy' });
    const history = await fit(model, compiled, x, y, { validationData: [val.x, val.y], validationSplit: 0.5, verbose: 0 }, quiet());
    expectClose(history.history.val_loss[0], mean(referenceBce([1, 1], -1, val.x, val.y)), { rtol: 1e-5 });
    expect(history.params!.samples).toBe(20);
  });

  it('classWeight scales each sample loss by its class weight (Σ w·l / n)', async () => {
    const { x, y } = seedData(40);
    const model = new LinearModel(2, { w: [0.5, 0.5], b: 0 });
    const compiled = resolveCompile({ optimizer: new SGD({ learningRate: 0 }), loss: 'binary_crossentropy' });
    const history = await fit(model, compiled, x, y, { classWeight: { 0: 1, 1: 3 }, batchSize: 40, verbose: 0 }, quiet());
    const per = referenceBce([0.5, 0.5], 0, x, y);
    expectClose(history.history.loss[0], mean(per.map((l, i) => l * (y[i] === 1 ? 3 : 1))), { rtol: 1e-5 });
  });

  it('initialEpoch resumes the epoch count', async () => {
    const { x, y } = seedData(10);
    const epochs: number[] = [];
    const history = await fit(new LinearModel(2), resolveCompile({ optimizer: 'adam', loss: 'mse' }), x, y,
      { epochs: 5, initialEpoch: 3, verbose: 0, callbacks: [{ onEpochBegin: (e) => void epochs.push(e) }] }, quiet());
    expect(history.epoch).toEqual([3, 4]);
    expect(epochs).toEqual([3, 4]);
  });

  it('awaits promise-returning hooks in order, and passes setModel / setParams', async () => {
    const { x, y } = seedData(8);
    const model = new LinearModel(2);
    const events: string[] = [];
    const slow = (name: string) => async () => {
      await new Promise((r) => setTimeout(r, 1));
      events.push(name);
    };
    const cb: Callback = {
      setModel: (m) => void events.push(m === model ? 'setModel' : 'wrong model'),
      setParams: (p) => void events.push(`setParams steps=${p.steps}`),
      onTrainBegin: slow('trainBegin'),
      onEpochBegin: slow('epochBegin'),
      onBatchEnd: slow('batchEnd'),
      onEpochEnd: slow('epochEnd'),
      onTrainEnd: slow('trainEnd'),
    };
    const other: Callback = { onEpochEnd: () => void events.push('second callback epochEnd') };
    await fit(model, resolveCompile({ optimizer: 'adam', loss: 'mse' }), x, y, { batchSize: 4, verbose: 0, callbacks: [cb, other] }, quiet());
    expect(events).toEqual(['setModel', 'setParams steps=2', 'trainBegin', 'epochBegin', 'batchEnd', 'batchEnd', 'epochEnd', 'second callback epochEnd', 'trainEnd']);
  });

  it('stopTraining set by a callback ends fit after the current batch; the epoch still ends', async () => {
    const { x, y } = seedData(40);
    const model = new LinearModel(2);
    const seen: string[] = [];
    const cb: Callback = {
      setModel: () => {},
      onBatchEnd: (b) => {
        seen.push(`batch ${b}`);
        if (b === 1) model.stopTraining = true;
      },
      onEpochEnd: (e) => void seen.push(`epoch ${e}`),
    };
    const history = await fit(model, resolveCompile({ optimizer: 'adam', loss: 'mse' }), x, y, { epochs: 5, batchSize: 8, verbose: 0, callbacks: [cb] }, quiet());
    expect(seen).toEqual(['batch 0', 'batch 1', 'epoch 0']);
    expect(history.epoch).toEqual([0]);
  });

  it('TerminateOnNaN stops on a non-finite batch loss', async () => {
    const { x, y } = seedData(16);
    const model = new LinearModel(2, { activation: 'linear', w: [1e30, 1e30] });
    const stop = new TerminateOnNaN();
    const history = await fit(model, resolveCompile({ optimizer: new SGD({ learningRate: 1e30 }), loss: 'mse' }), x, y,
      { epochs: 10, batchSize: 4, verbose: 0, callbacks: [stop] }, quiet());
    expect(stop.stoppedAtBatch).not.toBeNull();
    expect(history.epoch).toEqual([0]);
    expect(Number.isFinite(history.history.loss[0])).toBe(false);
  });

  it('yields to the event loop once the clock says yieldEvery ms have passed, and not before', async () => {
    const { x, y } = seedData(40);
    for (const [step, expectRan] of [[0, false], [150, true]] as const) {
      const env = quiet();
      const model = new LinearModel(2);
      const forward = model.forward.bind(model);
      model.forward = (t, training) => {
        env.now += step;
        return forward(t, training);
      };
      let ran = false;
      setImmediate(() => (ran = true));
      let ranDuringFit = false;
      const cb: Callback = { onTrainEnd: () => void (ranDuringFit = ran) };
      await fit(model, resolveCompile({ optimizer: 'adam', loss: 'mse' }), x, y, { batchSize: 4, verbose: 0, callbacks: [cb] }, env);
      expect(ranDuringFit).toBe(expectRan);
      await new Promise((r) => setImmediate(r));
    }
  });

  it('is deterministic: setSeed twice gives bit-identical history and weights', async () => {
    const run = async () => {
      setSeed('determinism');
      const { x, y } = seedData(50);
      const model = new LinearModel(2);
      const compiled = resolveCompile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy', 'auc'] });
      const history = await fit(model, compiled, x, y, { epochs: 5, batchSize: 16, validationSplit: 0.2, verbose: 0 }, quiet());
      return { history: history.history, weights: model.getWeights().map((w) => Array.from(w.data)) };
    };
    const a = await run();
    const b = await run();
    expect(b.history).toEqual(a.history);
    expect(b.weights).toEqual(a.weights);
  });

  it('verbose 1 / 2 write the progress display through the environment', async () => {
    const { x, y } = seedData(10);
    const env = quiet();
    await fit(new LinearModel(2), resolveCompile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] }), x, y, { epochs: 2, batchSize: 5, verbose: 1 }, env);
    expect(env.out).toMatch(/^Epoch 1\/2\n2\/2 \[=+\] - 0s 0s\/step - loss: \d\.\d{4} - accuracy: \d\.\d{4}\nEpoch 2\/2\n/);
    const env2 = quiet();
    await fit(new LinearModel(2), resolveCompile({ optimizer: 'adam', loss: 'mse' }), x, y, { verbose: 2 }, env2);
    expect(env2.out).toMatch(/^Epoch 1\/1\n1\/1 - 0s - loss: \d\.\d{4} - 0ms\/epoch - 0s\/step\n$/);
  });
});

describe('evaluate / predict', () => {
  it('evaluate returns the loss and metrics over all samples, as plain numbers', () => {
    const { x, y } = seedData(45);
    const model = new LinearModel(2, { w: [2, 1], b: -1.4 });
    const result = evaluate(model, resolveCompile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] }), x, y, { batchSize: 10 });
    expectClose(result.loss, mean(referenceBce([2, 1], -1.4, x, y)), { rtol: 1e-5 });
    const hits = x.filter((r, i) => (2 * r[0] + r[1] - 1.4 > 0 ? 1 : 0) === y[i]).length;
    expectClose(result.accuracy, hits / 45, { rtol: 1e-7 });
    expect(model.calls.every((c) => !c.training)).toBe(true);
  });

  it('predict runs in batches without recording gradients and returns one Tensor per output', () => {
    const { x } = seedData(23);
    const model = new LinearModel(2, { w: [1, -1], b: 0.5 });
    const outs = predict(model, x, { batchSize: 5 });
    expect(outs).toHaveLength(1);
    const out = outs[0];
    expect(out).toBeInstanceOf(Tensor);
    expect(out.shape).toEqual([23, 1]);
    expect(out.requiresGrad).toBe(false);
    expect(model.calls.map((c) => c.size)).toEqual([5, 5, 5, 5, 3]);
    expectClose(out, x.map((r) => 1 / (1 + Math.exp(-(r[0] - r[1] + 0.5)))), { rtol: 1e-6 });
    expectClose(predict(model, tensor(x))[0], out);
  });
});
