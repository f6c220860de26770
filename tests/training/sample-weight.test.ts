import { describe, expect, it } from 'vitest';
import { Tensor } from '../../src/tensor/tensor.js';
import { variable } from '../../src/tensor/creation.js';
import { mul } from '../../src/ops/arithmetic.js';
import { SGD } from '../../src/optimizers/sgd.js';
import { fit } from '../../src/training/fit.js';
import { evaluate, predict } from '../../src/training/evaluate.js';
import { resolveCompile } from '../../src/training/compile.js';
import { predictOnBatch, testOnBatch, trainOnBatch } from '../../src/training/on-batch.js';
import { Trainable } from '../../src/training/trainable.js';
import { ShapeError, ValueError } from '../../src/util/errors.js';
import { expectClose } from '../helpers/close.js';
import { seededArray } from '../helpers/seeded.js';
import { LinearModel, referenceBce, seedData } from './linear-model.js';

const silent = { write: () => {}, isTTY: false, clock: () => 0 };
const bce = () => resolveCompile({ optimizer: new SGD({ learningRate: 0.3 }), loss: 'binary_crossentropy', metrics: ['accuracy'] });

/** y[n, t, 0] = x[n, t, 0] · w[t]: a sequence output for per-timestep weights. */
class PerStep implements Trainable {
  readonly inputNames = ['x'];
  readonly outputNames = ['y'];
  stopTraining = false;
  readonly w = variable(new Tensor(Float32Array.of(0.5, -1, 2), [3, 1]));
  forward(xs: Tensor[]): Tensor[] {
    return [mul(xs[0], this.w)];
  }
  get trainableWeights(): Tensor[] {
    return [this.w];
  }
  getWeights(): Tensor[] {
    return [new Tensor(new Float32Array(this.w.data), this.w.shape)];
  }
  setWeights(ws: readonly Tensor[]): void {
    this.w.data.set(ws[0].data);
  }
}

describe('sampleWeight and classWeight', () => {
  const { x, y } = seedData(30, 4);
  const w = Array.from(seededArray(30, 8, 0, 2));
  const model = () => new LinearModel(2, { w: [1.2, -0.7], b: 0.1 });

  it('evaluate: Σ loss·w / n (Keras sum_over_batch_size), any batch size; weighted accuracy', () => {
    const per = referenceBce([1.2, -0.7], 0.1, x, y);
    const expected = per.reduce((s, v, i) => s + v * w[i], 0) / 30;
    const ev = evaluate(model(), bce(), x, y, { sampleWeight: w, batchSize: 30 });
    expectClose(ev.loss, expected, { rtol: 1e-5 });
    // Over batches the loss is the sample-count-weighted mean of batch values (Keras), each Σ loss·w / batch.
    const batched = evaluate(model(), bce(), x, y, { sampleWeight: w, batchSize: 7 });
    expectClose(batched.loss, expected, { rtol: 1e-5 });
    const p = per.map((_, i) => 1 / (1 + Math.exp(-(1.2 * x[i][0] - 0.7 * x[i][1] + 0.1))));
    const hits = p.reduce((s, v, i) => s + ((v > 0.5 ? 1 : 0) === y[i] ? w[i] : 0), 0);
    expectClose(ev.accuracy, hits / w.reduce((a, b) => a + b, 0), { rtol: 1e-6 });
  });

  it('fit: sampleWeight times classWeight per sample; one full-batch SGD step equals the hand-derived gradient', async () => {
    const m = model();
    const cw = { 0: 0.5, 1: 3 };
    await fit(m, bce(), x, y, { sampleWeight: w, classWeight: cw, batchSize: 30, shuffle: false, verbose: 0 }, silent);
    // d/dz of BCE(sigmoid(z)) is p − y; the loss is Σ s_i·(bce_i) / n with s_i = w_i·cw[y_i].
    const g = [0, 0, 0];
    x.forEach((r, i) => {
      const p = 1 / (1 + Math.exp(-(1.2 * r[0] - 0.7 * r[1] + 0.1)));
      const s = (w[i] * cw[y[i] as 0 | 1]) / 30;
      g[0] += s * (p - y[i]) * r[0];
      g[1] += s * (p - y[i]) * r[1];
      g[2] += s * (p - y[i]);
    });
    expectClose(m.w.data, [1.2 - 0.3 * g[0], -0.7 - 0.3 * g[1]], { rtol: 1e-5 });
    expectClose(m.b.data, [0.1 - 0.3 * g[2]], { rtol: 1e-5, atol: 1e-7 });
  });

  it('validationData [x, y, sampleWeight]: val_loss is the weighted evaluation', async () => {
    const m = model();
    const c = resolveCompile({ optimizer: new SGD({ learningRate: 0 }), loss: 'binary_crossentropy' });
    const h = await fit(m, c, x, y, { epochs: 1, verbose: 0, validationData: [x, y, w] }, silent);
    expectClose(h.history.val_loss[0], evaluate(m, c, x, y, { sampleWeight: w }).loss, { rtol: 1e-6 });
    expect(h.history.val_loss[0]).not.toBeCloseTo(h.history.loss[0], 3);
  });

  it('per-timestep weights [n, steps] on a sequence output: Σ_{n,t} err²·w / (n·steps)', () => {
    const n = 4;
    const xs = new Tensor(seededArray(n * 3, 2), [n, 3, 1]);
    const ys = new Tensor(seededArray(n * 3, 3), [n, 3, 1]);
    const sw = new Tensor(seededArray(n * 3, 5, 0, 1), [n, 3]);
    const m = new PerStep();
    const ev = evaluate(m, resolveCompile({ optimizer: 'sgd', loss: 'mse' }), xs, ys, { sampleWeight: sw });
    let sum = 0;
    for (let i = 0; i < n * 3; i++) sum += (xs.data[i] * m.w.data[i % 3] - ys.data[i]) ** 2 * sw.data[i];
    expectClose(ev.loss, sum / (n * 3), { rtol: 1e-5 });
    expect(() => evaluate(new LinearModel(2), bce(), x, y, { sampleWeight: new Tensor(new Float32Array(60), [30, 2]) })).toThrow(/per-timestep sampleWeight \[30, 2\] needs a sequence output \[batch, 2, …\]/);
  });

  it('bad weights: wrong length, negative, NaN — before any state changes', async () => {
    const m = model();
    const c = bce();
    for (const [bad, kind, message] of [
      [w.slice(1), ShapeError, /expected one weight per sample \[30\]/],
      [w.map((v, i) => (i === 3 ? -1 : v)), ValueError, /expected finite weights >= 0, received -1 at position 3/],
      [w.map((v, i) => (i === 5 ? NaN : v)), ValueError, /expected finite weights >= 0, received NaN at position 5/],
    ] as const) {
      await expect(fit(m, c, x, y, { sampleWeight: bad, verbose: 0 }, silent)).rejects.toThrow(kind);
      await expect(fit(m, c, x, y, { sampleWeight: bad, verbose: 0 }, silent)).rejects.toThrow(message);
      expect(() => evaluate(m, c, x, y, { sampleWeight: bad })).toThrow(message);
    }
    expect(Array.from(m.w.data)).toEqual([1.2, -0.7].map(Math.fround));
    expect(c.optimizer.iterations).toBe(0);
    expect(m.calls).toHaveLength(0);
  });
});

describe('trainOnBatch / testOnBatch / predictOnBatch', () => {
  const { x, y } = seedData(12, 6);
  it('trainOnBatch: the loss before the step, then one step equal to a one-batch epoch of fit', async () => {
    const a = new LinearModel(2, { w: [0.4, 0.1], b: -0.2 });
    const b = new LinearModel(2, { w: [0.4, 0.1], b: -0.2 });
    const ca = bce();
    const before = testOnBatch(a, ca, x, y);
    const logs = trainOnBatch(a, ca, x, y);
    expect(logs).toEqual(before);
    const h = await fit(b, bce(), x, y, { batchSize: 12, shuffle: false, verbose: 0 }, silent);
    expect(logs.loss).toBe(h.history.loss[0]);
    expect(Array.from(a.w.data)).toEqual(Array.from(b.w.data));
    expect(ca.optimizer.iterations).toBe(1);
    expect(Array.from(predictOnBatch(a, x)[0].data)).toEqual(Array.from(predict(a, x)[0].data));
    expect(a.calls.at(-1)!.size).toBe(12);
  });

  it('bad input changes nothing', () => {
    const m = new LinearModel(2, { w: [0.4, 0.1] });
    const c = bce();
    expect(() => trainOnBatch(m, c, x, y.map(() => 2))).toThrow(/labels in \[0, 1\]/);
    expect(() => trainOnBatch(m, c, x, y, { epochs: 1 } as never)).toThrow(/unknown option 'epochs'/);
    expect(() => testOnBatch(m, null, x, y)).toThrow(/not compiled/);
    expect(Array.from(m.w.data)).toEqual([0.4, 0.1].map(Math.fround));
    expect(c.optimizer.iterations).toBe(0);
  });
});
