import { describe, expect, it } from 'vitest';
import { Sequential } from '../../src/models/sequential.js';
import { Dense } from '../../src/layers/dense.js';
import { layerFromConfig } from '../../src/layers/serialization.js';
import { SGD } from '../../src/optimizers/sgd.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { tensor } from '../../src/tensor/creation.js';
import { l1, l1l2, l2, Regularizer, resolveRegularizer } from '../../src/regularizers/regularizers.js';
import { maxNorm, minMaxNorm, nonNeg, resolveConstraint, unitNorm } from '../../src/constraints/constraints.js';
import { ValueError } from '../../src/util/errors.js';
import { expectClose } from '../helpers/close.js';
import { seededArray } from '../helpers/seeded.js';
import { tfCpu, tfData } from '../helpers/tf.js';
import { expectErrorMentioning } from '../layers/harness.js';

/** Float64 column norms of a [rows, cols] matrix (Keras's axis 0). */
function columnNorms(w: Float32Array, rows: number, cols: number): number[] {
  return Array.from({ length: cols }, (_, j) => {
    let s = 0;
    for (let i = 0; i < rows; i++) s += w[i * cols + j] ** 2;
    return Math.sqrt(s);
  });
}

describe('regularizers', () => {
  it('penalties by hand: l1·Σ|w| + l2·Σw²', () => {
    const w = tensor([1, -2, 3]);
    expectClose(l1(0.1).penalty(w), 0.6);
    expectClose(l2(0.1).penalty(w), 1.4);
    expectClose(l1l2({ l1: 0.1, l2: 0.1 }).penalty(w), 2.0);
    expect(l1().l1).toBe(0.01);
    expect(l2().l2).toBe(0.01);
    expect(l1l2().l1 + l1l2().l2).toBe(0);
  });

  it('adds kernel, bias and activity penalties to the fit loss and gradients; weights after one SGD step equal TF.js', async () => {
    const tf = await tfCpu();
    const x = seededArray(8 * 3, 1);
    const y = seededArray(8 * 2, 2);
    const k0 = seededArray(6, 3, -0.5, 0.5);
    const b0 = seededArray(2, 4, -0.5, 0.5);
    const ours = new Sequential([new Dense(2, { inputShape: [3], kernelRegularizer: l2(0.05), biasRegularizer: l1(0.1) })]);
    ours.setWeights([new Tensor(Float32Array.from(k0), [3, 2]), new Tensor(Float32Array.from(b0), [2])]);
    ours.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'mse' });
    const h = await ours.fit(new Tensor(x, [8, 3]), new Tensor(y, [8, 2]), { epochs: 2, batchSize: 8, shuffle: false, verbose: 0 });

    const ref = tf.sequential({
      layers: [tf.layers.dense({ units: 2, inputShape: [3], kernelRegularizer: tf.regularizers.l2({ l2: 0.05 }), biasRegularizer: tf.regularizers.l1({ l1: 0.1 }) })],
    });
    ref.setWeights([tf.tensor(Array.from(k0), [3, 2]), tf.tensor(Array.from(b0), [2])]);
    ref.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
    const th = await ref.fit(tf.tensor(Array.from(x), [8, 3]), tf.tensor(Array.from(y), [8, 2]), { epochs: 2, batchSize: 8, shuffle: false, verbose: 0 });
    expectClose(h.history.loss, th.history.loss as number[], { rtol: 1e-5 });
    const [k, b] = ref.getWeights();
    expectClose(ours.getWeights()[0], tfData(k), { rtol: 1e-5, atol: 1e-6 });
    expectClose(ours.getWeights()[1], tfData(b), { rtol: 1e-5, atol: 1e-6 });
    // The penalty is part of the reported loss: without it the loss is smaller by exactly the penalty.
    const plain = ours.evaluate(new Tensor(x, [8, 3]), new Tensor(y, [8, 2])).loss;
    const w = ours.getWeights();
    const penalty = 0.05 * w[0].data.reduce((s, v) => s + v * v, 0) + 0.1 * w[1].data.reduce((s, v) => s + Math.abs(v), 0);
    const layer = ours.layers[0] as Dense;
    const mse = ((): number => {
      const p = layer.apply(new Tensor(x, [8, 3])).data;
      return p.reduce((s, v, i) => s + (v - y[i]) ** 2, 0) / 16;
    })();
    expectClose(plain, mse + penalty, { rtol: 1e-5 });
  });

  it('activity regularizer: Keras 3 adds l1·Σ|y| of the output (no division by the batch)', () => {
    const d = new Dense(2, { activityRegularizer: l1(0.5), kernelInitializer: 'ones' });
    const y = d.apply(tensor([[1, -2], [3, 1]]));
    // y = [[-1, -1], [4, 4]]: Σ|y| = 10.
    expect(Array.from(y.data)).toEqual([-1, -1, 4, 4]);
    const losses = d.regularizationLosses();
    expect(losses).toHaveLength(1);
    expectClose(losses[0], 5);
  });

  it('frozen layers contribute no weight penalty', () => {
    const d = new Dense(2, { kernelRegularizer: l2(1), kernelInitializer: 'ones' });
    d.apply(tensor([[1, 1]]));
    expect(d.regularizationLosses()).toHaveLength(1);
    d.trainable = false;
    expect(d.regularizationLosses()).toHaveLength(0);
  });

  it('saves both ways: TF.js\'s L1L2 form, Keras 3\'s L1 / L2 classes and string ids', () => {
    const d = new Dense(2, { kernelRegularizer: l2(0.02), biasRegularizer: 'l1', activityRegularizer: l1l2({ l1: 0.1, l2: 0.2 }), kernelConstraint: maxNorm({ maxValue: 3 }), biasConstraint: 'non_neg' });
    const c = d.getConfig();
    expect(c.kernel_regularizer).toEqual({ class_name: 'L1L2', config: { l1: 0, l2: 0.02 } });
    expect(c.bias_regularizer).toEqual({ class_name: 'L1L2', config: { l1: 0.01, l2: 0 } });
    expect(c.activity_regularizer).toEqual({ class_name: 'L1L2', config: { l1: 0.1, l2: 0.2 } });
    expect(c.kernel_constraint).toEqual({ class_name: 'MaxNorm', config: { max_value: 3, axis: 0 } });
    expect(c.bias_constraint).toEqual({ class_name: 'NonNeg', config: {} });
    const twin = layerFromConfig('Dense', { ...c, name: 'twin' });
    expect(twin.getConfig()).toEqual({ ...c, name: 'twin' });
    const keras3 = resolveRegularizer({ class_name: 'L2', config: { l2: 0.003 } }, 'k') as Regularizer;
    expect([keras3.l1, keras3.l2]).toEqual([0, 0.003]);
  });

  it('refuses negative factors and unknown ids, listing the known', () => {
    expectErrorMentioning(() => l2(-1), ValueError, 'l2', '>= 0', '-1');
    expectErrorMentioning(() => new Dense(2, { name: 'dr', kernelRegularizer: 'l3' }), ValueError, 'dr (Dense) kernelRegularizer', '"l3"', 'l1, l2');
    expectErrorMentioning(() => new Dense(2, { kernelConstraint: 'positive' }), ValueError, 'kernelConstraint', '"positive"', 'max_norm');
    expectErrorMentioning(() => maxNorm({ maxValue: -2 }), ValueError, 'maxValue', '-2');
    expectErrorMentioning(() => resolveConstraint({ class_name: 'MinMaxNorm', config: { rate: -1 } }, 'kc'), ValueError, 'kc', 'rate', '-1');
    expectErrorMentioning(() => new Dense(2, { kernelRegulariser: l2() } as never), ValueError, "unknown option 'kernelRegulariser'");
  });
});

describe('constraints', () => {
  it('are applied after each optimizer step, as Keras 3: float64 projections of the SGD-updated weights', async () => {
    const x = seededArray(6 * 3, 5);
    const y = seededArray(6 * 4, 6);
    const k0 = seededArray(12, 7, -2, 2);
    const b0 = seededArray(4, 8, -1, 1);
    for (const [name, constraint, project] of [
      ['maxNorm', maxNorm({ maxValue: 1 }), (n: number) => Math.min(n, 1) / (n + 1e-7)],
      ['unitNorm', unitNorm(), (n: number) => 1 / (n + 1e-7)],
      ['minMaxNorm', minMaxNorm({ minValue: 0.5, maxValue: 0.8, rate: 0.5 }), (n: number) => (0.5 * Math.min(Math.max(n, 0.5), 0.8) + 0.5 * n) / (n + 1e-7)],
    ] as const) {
      const model = new Sequential([new Dense(4, { inputShape: [3], kernelConstraint: constraint, biasConstraint: nonNeg() })]);
      model.setWeights([new Tensor(Float32Array.from(k0), [3, 4]), new Tensor(Float32Array.from(b0), [4])]);
      const twin = new Sequential([new Dense(4, { inputShape: [3] })]);
      twin.setWeights([new Tensor(Float32Array.from(k0), [3, 4]), new Tensor(Float32Array.from(b0), [4])]);
      for (const m of [model, twin]) m.compile({ optimizer: new SGD({ learningRate: 0.5 }), loss: 'mse' });
      await model.fit(new Tensor(x, [6, 3]), new Tensor(y, [6, 4]), { epochs: 1, batchSize: 6, verbose: 0 });
      await twin.fit(new Tensor(x, [6, 3]), new Tensor(y, [6, 4]), { epochs: 1, batchSize: 6, verbose: 0 });
      const [kFree, bFree] = twin.getWeights();
      const norms = columnNorms(kFree.data, 3, 4);
      const expected = Array.from(kFree.data, (v, i) => v * project(norms[i % 4]));
      const [k, b] = model.getWeights();
      try {
        expectClose(k, expected, { rtol: 1e-5, atol: 1e-6 });
      } catch (e) {
        throw new Error(`${name}: ${(e as Error).message}`);
      }
      expectClose(b, Array.from(bFree.data, (v) => Math.max(v, 0)));
    }
  });

  it('maxNorm agrees with TF.js\'s constraint on the same matrix (axis 0 and 1)', async () => {
    const tf = await tfCpu();
    const w = new Tensor(seededArray(12, 9, -2, 2), [3, 4]);
    for (const axis of [0, 1]) {
      const theirs = tf.constraints.maxNorm({ maxValue: 1.5, axis }).apply(tf.tensor(Array.from(w.data), [3, 4]));
      expectClose(maxNorm({ maxValue: 1.5, axis }).project(w), tfData(theirs), { rtol: 1e-5, atol: 1e-6 });
      const unit = tf.constraints.unitNorm({ axis }).apply(tf.tensor(Array.from(w.data), [3, 4]));
      expectClose(unitNorm({ axis }).project(w), tfData(unit), { rtol: 1e-5, atol: 1e-6 });
    }
  });
});
