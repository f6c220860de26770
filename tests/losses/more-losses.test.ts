import { describe, expect, it } from 'vitest';
import { Tensor } from '../../src/tensor/tensor.js';
import { tensor, variable } from '../../src/tensor/creation.js';
import { backward } from '../../src/autograd/backward.js';
import { binaryCrossentropy, categoricalCrossentropy } from '../../src/losses/losses.js';
import { cosineSimilarity, huber, klDivergence, logCosh, meanAbsolutePercentageError, meanSquaredLogarithmicError, poisson } from '../../src/losses/regression.js';
import { categoricalHinge, hinge, squaredHinge } from '../../src/losses/hinge.js';
import { binaryFocalCrossentropy, categoricalFocalCrossentropy } from '../../src/losses/focal.js';
import * as L from '../../src/losses/loss-classes.js';
import { getLoss } from '../../src/losses/registry.js';
import { ValueError } from '../../src/util/errors.js';
import { expectClose } from '../helpers/close.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { seededTensor } from '../helpers/seeded.js';
import { tfCpu, tfData } from '../helpers/tf.js';

// Literal values from Keras 3's keras/src/losses/losses_test.py (and its docstring examples).
const t23 = tensor([[1, 9, 2], [-5, -2, 6]]);
const p23 = tensor([[4, 8, 12], [8, 1, 3]]);
const hingeT = tensor([[0, 1], [0, 0]]);
const hingeP = tensor([[0.6, 0.4], [0.4, 0.6]]);

describe('Keras test literals', () => {
  it('MAPE 211.8518, MSLE 1.4370', () => {
    expectClose(new L.MeanAbsolutePercentageError().call(t23, p23), [211.8518], { rtol: 1e-5 });
    expectClose(new L.MeanSquaredLogarithmicError().call(t23, p23), [1.437], { rtol: 1e-3 });
  });

  it('hinge 1.3 / sum 2.6, squared hinge 1.86 / 3.72, categorical hinge 1.4 / 2.8, and reduction none', () => {
    expectClose(new L.Hinge().call(hingeT, hingeP), [1.3], { rtol: 1e-5 });
    expectClose(new L.Hinge({ reduction: 'sum' }).call(hingeT, hingeP), [2.6], { rtol: 1e-5 });
    expectClose(new L.Hinge({ reduction: 'none' }).call(hingeT, hingeP), [1.1, 1.5], { rtol: 1e-5 });
    expectClose(new L.SquaredHinge().call(hingeT, hingeP), [1.86], { rtol: 1e-5 });
    expectClose(new L.SquaredHinge({ reduction: 'sum' }).call(hingeT, hingeP), [3.72], { rtol: 1e-5 });
    expectClose(new L.CategoricalHinge().call(hingeT, hingeP), [1.4], { rtol: 1e-5 });
    expectClose(new L.CategoricalHinge({ reduction: 'sum' }).call(hingeT, hingeP), [2.8], { rtol: 1e-5 });
  });

  it('huber: docstring 0.155, and the Keras numpy reference with weights', () => {
    expectClose(huber(hingeT, hingeP), [0.155], { rtol: 1e-5 });
    const yp = [[0.9, 0.2, 0.2], [0.8, 0.4, 0.6]];
    const yt = [[1, 0, 1], [1, 0, 0]];
    const ref = (d: number) => yp.flat().map((p, i) => {
      const e = Math.abs(p - yt.flat()[i]);
      const q = Math.min(e, d);
      return 0.5 * q * q + d * (e - q);
    });
    expectClose(new L.Huber().call(tensor(yt), tensor(yp)), [ref(1).reduce((a, b) => a + b) / 6], { rtol: 1e-5 });
    expectClose(new L.Huber({ delta: 0.1 }).call(tensor(yt), tensor(yp), [2.3, 2.3]), [(2.3 * ref(0.1).reduce((a, b) => a + b)) / 6], { rtol: 1e-5 });
    expect(new L.Huber({ delta: 2, reduction: 'sum', name: 'huber' }).getConfig()).toEqual({ name: 'huber', reduction: 'sum', delta: 2 });
  });

  it('log cosh: docstring 0.108 and the float64 definition', () => {
    expectClose(logCosh(tensor([[0, 1], [0, 0]]), tensor([[1, 1], [0, 0]])), [Math.log(Math.cosh(1)) / 4], { rtol: 1e-5 });
    const want = Array.from(t23.data, (t, i) => Math.log(Math.cosh(p23.data[i] - t)));
    expectClose(logCosh(t23, p23), [want.reduce((a, b) => a + b) / 6], { rtol: 1e-5 });
  });

  it('KL divergence and Poisson: Keras setups', () => {
    const kp = tensor([[0.4, 0.9, 0.12], [0.36, 0.3, 0.4]]);
    const kt = tensor([[0.5, 0.8, 0.12], [0.7, 0.43, 0.8]]);
    const kl = Array.from(kt.data).map((t, i) => t * Math.log(t / kp.data[i]));
    expectClose(new L.KLDivergence().call(kt, kp), [kl.reduce((a, b) => a + b) / 2], { rtol: 1e-5 });
    const pp = tensor([[1, 9, 2], [5, 2, 6]]);
    const pt = tensor([[4, 8, 12], [8, 1, 3]]);
    const pl = Array.from(pp.data).map((p, i) => p - pt.data[i] * Math.log(p));
    expectClose(new L.Poisson().call(pt, pp), [pl.reduce((a, b) => a + b) / 6], { rtol: 1e-5 });
  });

  it('cosine similarity: docstring per-sample values [−0, −1, 1] and the Keras setup', () => {
    const values = new L.CosineSimilarity({ reduction: 'none' }).call(tensor([[0, 1], [1, 1], [1, 1]]), tensor([[1, 0], [1, 1], [-1, -1]]));
    expectClose(values, [0, -1, 1], { rtol: 1e-6, atol: 1e-6 });
    const norm = (r: number[]) => Math.hypot(...r);
    const rows = [[1, 9, 2, 4, 8, 12], [-5, -2, 6, 8, 1, 3]].map((r) => -(r[0] * r[3] + r[1] * r[4] + r[2] * r[5]) / (norm(r.slice(0, 3)) * norm(r.slice(3))));
    expectClose(cosineSimilarity(t23, p23), [(rows[0] + rows[1]) / 2], { rtol: 1e-5 });
  });

  it('binary focal: docstring [0.330, 0.206]; Keras 0.268, logits γ = 3 → 0.799, weighted 1.23 → 0.3296', () => {
    expectClose(binaryFocalCrossentropy(hingeT, hingeP, { reduction: 'none' }), [0.33, 0.206], { rtol: 0, atol: 1e-3 });
    const yt = tensor([[1, 0], [1, 0]]);
    const yp = tensor([[0.9, 0.8], [0.7, 0.2]]);
    expectClose(new L.BinaryFocalCrossentropy({ gamma: 2 }).call(yt, yp), [0.268], { rtol: 0, atol: 1e-3 });
    expectClose(new L.BinaryFocalCrossentropy({ gamma: 2 }).call(yt, yp, [1.23, 1.23]), [0.3296], { rtol: 0, atol: 1e-3 });
    const logits = tensor([[1.5, -2.7, 2.9], [-3.8, 1.2, -4.5]]);
    expectClose(new L.BinaryFocalCrossentropy({ gamma: 3, fromLogits: true }).call(tensor([[1, 1, 0], [0, 1, 0]]), logits), [0.799], { rtol: 0, atol: 1e-3 });
    const eye = tensor([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    expectClose(new L.BinaryFocalCrossentropy({ gamma: 1.5 }).call(eye, eye), [0], { atol: 1e-3 });
  });

  it('categorical focal: docstring [2.634e-4, 0.6759]; Keras 0.02059 and logits 0.000345', () => {
    const v = categoricalFocalCrossentropy(tensor([[0, 1, 0], [0, 0, 1]]), tensor([[0.05, 0.9, 0.05], [0.1, 0.85, 0.05]]), { reduction: 'none' });
    expectClose(v, [2.634e-4, 0.675912], { rtol: 1e-3 });
    const eye = tensor([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    expectClose(new L.CategoricalFocalCrossentropy().call(eye, tensor([[0.9, 0.05, 0.05], [0.5, 0.89, 0.6], [0.05, 0.01, 0.94]])), [0.02059], { rtol: 0, atol: 1e-4 });
    expectClose(new L.CategoricalFocalCrossentropy({ fromLogits: true }).call(eye, tensor([[8, 1, 1], [0, 9, 1], [2, 3, 5]])), [0.000345], { rtol: 0, atol: 2e-5 });
  });

  it('label smoothing: BCE from logits (10 + 5s)/3, CCE from logits 400s/3', () => {
    expectClose(binaryCrossentropy(tensor([[1, 0, 1]]), tensor([[10, -10, -10]]), { fromLogits: true, labelSmoothing: 0.1 }), [(10 + 5 * 0.1) / 3], { rtol: 1e-4 });
    expectClose(categoricalCrossentropy(tensor([[1, 0, 0]]), tensor([[100, -100, -100]]), { fromLogits: true, labelSmoothing: 0.1 }), [(400 * 0.1) / 3], { rtol: 1e-4 });
    expect(() => binaryCrossentropy(tensor([1]), tensor([0.5]), { labelSmoothing: 2 })).toThrow(/labelSmoothing in \[0, 1\]/);
  });
});

describe('against TF.js (value and gradient) where it has the loss', () => {
  const yt = tensor(Array.from(seededTensor([4, 3], 1, 0, 1).data, (v) => (v > 0.5 ? 1 : 0)), [4, 3]);
  const yp = seededTensor([4, 3], 2, -2, 2);

  async function compare(ours: (t: Tensor, p: Tensor) => Tensor, theirs: (tf: Awaited<ReturnType<typeof tfCpu>>, t: import('@tensorflow/tfjs').Tensor, p: import('@tensorflow/tfjs').Tensor) => import('@tensorflow/tfjs').Tensor, t = yt, p0 = yp) {
    const tf = await tfCpu();
    const tt = tf.tensor(t.data, [...t.shape]);
    const p = variable(p0);
    const value = ours(t, p);
    expectClose(value, tfData(theirs(tf, tt, tf.tensor(p0.data, [...p0.shape]))), { rtol: 1e-5, atol: 1e-6 });
    backward(value);
    const g = tf.grad((x: import('@tensorflow/tfjs').Tensor) => theirs(tf, tt, x))(tf.tensor(p0.data, [...p0.shape]));
    expectClose(p.grad!, tfData(g), { rtol: 1e-4, atol: 1e-6 });
  }

  it('huber = tf.losses.huberLoss (no reduction, then the mean)', async () => {
    await compare((t, p) => huber(t, p, { delta: 0.7 }), (tf, t, p) => tf.losses.huberLoss(t, p, undefined, 0.7, tf.Reduction.NONE).mean());
  });

  it('hinge = tf.losses.hingeLoss (0/1 labels become −1/1 in both)', async () => {
    await compare((t, p) => hinge(t, p), (tf, t, p) => tf.losses.hingeLoss(t, p, undefined, tf.Reduction.NONE).mean());
  });

  it('MAPE and cosine similarity = tf.metrics.meanAbsolutePercentageError / cosineProximity', async () => {
    const pos = seededTensor([4, 3], 3, 0.5, 2);
    await compare((t, p) => meanAbsolutePercentageError(t, p), (tf, t, p) => tf.metrics.meanAbsolutePercentageError(t, p).mean(), pos, yp);
    await compare((t, p) => cosineSimilarity(t, p), (tf, t, p) => tf.metrics.cosineProximity(t, p).mean(), pos, yp);
  });
});

describe('gradients against central differences', () => {
  const t = tensor([[1, 0, 0], [0, 0, 1]]);
  const soft = tensor([[0.2, 0.5, 0.3], [0.6, 0.1, 0.3]]);
  const cases: [string, (p: Tensor) => Tensor, Tensor][] = [
    ['huber', (p) => huber(soft, p, { delta: 0.5 }), seededTensor([2, 3], 4, -1, 1)],
    ['logCosh', (p) => logCosh(soft, p), seededTensor([2, 3], 5, -2, 2)],
    ['hinge', (p) => hinge(t, p), seededTensor([2, 3], 6, -2, 2)],
    ['squaredHinge', (p) => squaredHinge(t, p), seededTensor([2, 3], 7, -2, 2)],
    ['categoricalHinge', (p) => categoricalHinge(t, p), seededTensor([2, 3], 8, -2, 2)],
    ['klDivergence', (p) => klDivergence(soft, p), seededTensor([2, 3], 9, 0.1, 0.9)],
    ['poisson', (p) => poisson(soft, p), seededTensor([2, 3], 10, 0.2, 2)],
    ['cosineSimilarity', (p) => cosineSimilarity(soft, p), seededTensor([2, 3], 11, -1, 1)],
    ['meanSquaredLogarithmicError', (p) => meanSquaredLogarithmicError(soft, p), seededTensor([2, 3], 12, 0.1, 2)],
    ['binaryFocalCrossentropy', (p) => binaryFocalCrossentropy(t, p, { applyClassBalancing: true, labelSmoothing: 0.1 }), seededTensor([2, 3], 13, 0.1, 0.9)],
    ['binaryFocalCrossentropy logits', (p) => binaryFocalCrossentropy(t, p, { fromLogits: true, gamma: 1.5 }), seededTensor([2, 3], 14, -2, 2)],
    ['categoricalFocalCrossentropy', (p) => categoricalFocalCrossentropy(t, p, { labelSmoothing: 0.2 }), seededTensor([2, 3], 15, 0.2, 1)],
    ['categoricalFocalCrossentropy logits', (p) => categoricalFocalCrossentropy(t, p, { fromLogits: true }), seededTensor([2, 3], 16, -2, 2)],
  ];
  for (const [name, f, at] of cases) it(name, () => gradcheck(f, [at], { eps: 1e-3 }));
});

describe('ids, classes and options', () => {
  it('snake_case, short and camelCase ids resolve to the same function; classes resolve to their id', () => {
    for (const [a, b] of [['huber', 'huberLoss'], ['log_cosh', 'logcosh'], ['kl_divergence', 'kld'], ['mean_absolute_percentage_error', 'mape'], ['binary_focal_crossentropy', 'binaryFocalCrossentropy']] as const) {
      expect(getLoss(a).fn).toBe(getLoss(b).fn);
    }
    expect(getLoss(new L.Huber()).id).toBe('huber');
    expect(getLoss(new L.Huber()).instance).toBeNull();
    expect(getLoss(new L.Huber({ delta: 3 })).instance).not.toBeNull();
  });

  it('unknown options and bad settings are refused at construction', () => {
    expect(() => new L.Huber({ dleta: 1 } as never)).toThrow(/Huber: unknown option 'dleta'/);
    expect(() => new L.Huber({ delta: -1 })).toThrow(ValueError);
    expect(() => new L.Hinge({ reduction: 'mean' as never })).toThrow(/reduction/);
    expect(() => huber(hingeT, hingeP, { alpha: 1 } as never)).toThrow(/unknown option 'alpha'/);
    expect(() => new L.BinaryFocalCrossentropy({ gamma: -1 })).toThrow(/gamma/);
  });
});

describe('a Loss object in compile and fit', () => {
  it('SparseCategoricalCrossentropy({ fromLogits: true }) trains on integer labels like the id on softmax outputs', async () => {
    const { Sequential } = await import('../../src/models/sequential.js');
    const { Dense } = await import('../../src/layers/dense.js');
    const { SGD } = await import('../../src/optimizers/sgd.js');
    const x = seededTensor([6, 3], 21);
    const labels = tensor([0, 1, 2, 1, 0, 2]);
    const init = [seededTensor([3, 3], 22), seededTensor([3], 23)];
    const run = async (activation: 'linear' | 'softmax', loss: Parameters<InstanceType<typeof Sequential>['compile']>[0]['loss']) => {
      const model = new Sequential([new Dense(3, { activation, inputShape: [3] })]);
      model.predict(x);
      model.setWeights(init);
      model.compile({ optimizer: new SGD({ learningRate: 0.5 }), loss });
      const h = await model.fit(x, labels, { epochs: 3, batchSize: 3, shuffle: false, verbose: 0 });
      return { loss: h.history.loss, w: model.getWeights() };
    };
    const logits = await run('linear', new L.SparseCategoricalCrossentropy({ fromLogits: true }));
    const probs = await run('softmax', 'sparse_categorical_crossentropy');
    expectClose(logits.loss, probs.loss, { rtol: 1e-4 });
    logits.w.forEach((w, i) => expectClose(w, probs.w[i], { rtol: 1e-4, atol: 1e-5 }));
  });
});
