import { describe, expect, it } from 'vitest';
import type * as tfType from '@tensorflow/tfjs';
import { Sequential } from '../../../src/models/sequential.js';
import { SimpleRNN } from '../../../src/layers/rnn/simple-rnn.js';
import { LSTM } from '../../../src/layers/rnn/lstm.js';
import { GRU } from '../../../src/layers/rnn/gru.js';
import { RNN } from '../../../src/layers/rnn/rnn.js';
import { LSTMCell } from '../../../src/layers/rnn/lstm-cell.js';
import { layerFromConfig } from '../../../src/layers/serialization.js';
import { saveModel } from '../../../src/models/persistence.js';
import { loadModel } from '../../../src/models/load-model.js';
import { SGD } from '../../../src/optimizers/sgd.js';
import { Tensor } from '../../../src/tensor/tensor.js';
import { l1, l1l2, l2 } from '../../../src/regularizers/regularizers.js';
import { maxNorm, nonNeg, unitNorm } from '../../../src/constraints/constraints.js';
import { ValueError } from '../../../src/util/errors.js';
import { expectClose } from '../../helpers/close.js';
import { seededArray, seededTensor } from '../../helpers/seeded.js';
import { tfCpu, tfData } from '../../helpers/tf.js';
import { expectErrorMentioning } from '../harness.js';
import { cleanUpDirs, freshDir, loadInTf, predictWith, saveFromTf, tfPredict } from '../../io/tf-files.js';

cleanUpDirs();

const sumAbs = (t: Tensor): number => t.data.reduce((s, v) => s + Math.abs(v), 0);
const sumSq = (t: Tensor): number => t.data.reduce((s, v) => s + v * v, 0);

describe('RNN regularizers and constraints', () => {
  it('penalties by hand: kernel, recurrent kernel, bias and the activity of the output, summed in float64', () => {
    const lstm = new LSTM(3, {
      kernelRegularizer: l2(0.05), recurrentRegularizer: l1(0.1), biasRegularizer: l1l2({ l1: 0.02, l2: 0.03 }), activityRegularizer: l2(0.5),
      returnSequences: true,
    });
    const y = lstm.apply(seededTensor([2, 4, 5], 1));
    const [kernel, recurrent, bias] = lstm.getWeights();
    const expected = 0.05 * sumSq(kernel) + 0.1 * sumAbs(recurrent) + 0.02 * sumAbs(bias) + 0.03 * sumSq(bias) + 0.5 * sumSq(y);
    const losses = lstm.regularizationLosses();
    expect(losses).toHaveLength(4);
    expectClose(losses.reduce((s, t) => s + t.data[0], 0), expected, { rtol: 1e-5 });
    // A cell in RNN(...) carries the same weight penalties (Keras puts the activity one on the loop only).
    const rnn = new RNN(new LSTMCell(2, { kernelRegularizer: l1(0.3) }));
    rnn.apply(seededTensor([1, 3, 2], 2));
    expectClose(rnn.regularizationLosses()[0], 0.3 * sumAbs(rnn.getWeights()[0]), { rtol: 1e-5 });
  });

  // TF.js's RNN layers accept these options but its fit drops a cell's penalties (LayersModel sums only the
  // layers' own losses, and an RNN's weights belong to its cell), so the reference is a TF.js step written
  // out: TF.js's layer, MSE + the penalties in tf ops, tf.train.sgd, then the TF.js constraints. |w| is written
  // sign(w)·w: its gradient sign(w) is 0 at 0 as in TensorFlow / Keras (tf.abs's gradient is −1 there), which
  // matters once nonNeg has put weights at exactly 0.
  type Pen = { l1: number; l2: number } | null;
  const cases: [string, () => SimpleRNN | LSTM | GRU, (tf: typeof tfType) => tfType.layers.Layer, Pen[], ((tf: typeof tfType) => { apply(w: tfType.Tensor): tfType.Tensor } | null)[]][] = [
    ['SimpleRNN', () => new SimpleRNN(3, { inputShape: [4, 2], kernelRegularizer: l2(0.05), recurrentRegularizer: l1(0.02), biasRegularizer: l2(0.1) }),
      (tf) => tf.layers.simpleRNN({ units: 3, inputShape: [4, 2] }),
      [{ l1: 0, l2: 0.05 }, { l1: 0.02, l2: 0 }, { l1: 0, l2: 0.1 }], []],
    ['LSTM', () => new LSTM(3, {
      inputShape: [4, 2], kernelRegularizer: l1l2({ l1: 0.01, l2: 0.02 }), recurrentRegularizer: l2(0.03), biasRegularizer: l1(0.05),
      kernelConstraint: maxNorm({ maxValue: 0.6 }), recurrentConstraint: unitNorm(), biasConstraint: nonNeg(),
    }), (tf) => tf.layers.lstm({ units: 3, inputShape: [4, 2], recurrentActivation: 'sigmoid' }),
    [{ l1: 0.01, l2: 0.02 }, { l1: 0, l2: 0.03 }, { l1: 0.05, l2: 0 }],
    [(tf) => tf.constraints.maxNorm({ maxValue: 0.6 }), (tf) => tf.constraints.unitNorm({}), (tf) => tf.constraints.nonNeg()]],
    ['GRU', () => new GRU(3, { inputShape: [4, 2], resetAfter: false, kernelRegularizer: l2(0.04), recurrentRegularizer: l1(0.03), recurrentConstraint: maxNorm({ maxValue: 0.5, axis: 1 }) }),
      (tf) => tf.layers.gru({ units: 3, inputShape: [4, 2], recurrentActivation: 'sigmoid' }),
      [{ l1: 0, l2: 0.04 }, { l1: 0.03, l2: 0 }, null], [() => null, (tf) => tf.constraints.maxNorm({ maxValue: 0.5, axis: 1 })]],
  ];

  for (const [kind, ours, theirs, pens, constraints] of cases) {
    it(`${kind}: the loss of two SGD steps (penalty included) and the constrained weights after them equal a TF.js step`, async () => {
      const tf = await tfCpu();
      const x = seededArray(6 * 4 * 2, 3);
      const y = seededArray(6 * 3, 4);
      const model = new Sequential([ours()]);
      const weights = model.getWeights().map((w, i) => seededTensor([...w.shape], 10 + i, -0.8, 0.8));
      model.setWeights(weights);
      model.compile({ optimizer: new SGD({ learningRate: 0.2 }), loss: 'mse' });
      const h = await model.fit(new Tensor(x, [6, 4, 2]), new Tensor(y, [6, 3]), { epochs: 2, batchSize: 6, shuffle: false, verbose: 0 });

      const ref = tf.sequential({ layers: [theirs(tf)] });
      ref.setWeights(weights.map((w) => tf.tensor(Array.from(w.data), [...w.shape])));
      const vars = ref.trainableWeights.map((w) => w.read() as tfType.Variable);
      const xTf = tf.tensor(Array.from(x), [6, 4, 2]);
      const yTf = tf.tensor(Array.from(y), [6, 3]);
      const sgd = tf.train.sgd(0.2);
      const losses: number[] = [];
      for (let step = 0; step < 2; step++) {
        const cost = sgd.minimize(() => {
          let loss = tf.losses.meanSquaredError(yTf, ref.apply(xTf) as tfType.Tensor) as tfType.Scalar;
          pens.forEach((p, i) => {
            if (p !== null) loss = tf.add(loss, tf.add(tf.mul(p.l1, tf.sum(tf.mul(tf.sign(vars[i]), vars[i]))), tf.mul(p.l2, tf.sum(tf.square(vars[i]))))) as tfType.Scalar;
          });
          return loss;
        }, true, vars);
        losses.push(cost!.dataSync()[0]);
        constraints.forEach((c, i) => {
          const constraint = c(tf);
          if (constraint !== null) vars[i].assign(constraint.apply(vars[i]));
        });
      }
      expectClose(h.history.loss, losses, { rtol: 1e-5 });
      model.getWeights().forEach((w, i) => expectClose(w, tfData(vars[i]), { rtol: 1e-4, atol: 1e-6 }));
      // Without the penalties the first loss is smaller, so the comparison above sees them.
      const plain = new Sequential([ours()]);
      plain.setWeights(weights);
      plain.compile({ optimizer: new SGD(), loss: 'mse' });
      const mse = tf.losses.meanSquaredError(yTf, tf.tensor(Array.from(predictWith(plain, new Tensor(x, [6, 4, 2])).data), [6, 3])).dataSync()[0];
      expect(h.history.loss[0]).toBeGreaterThan(mse + 1e-3);
    });
  }

  it('saves the penalties in TF.js spelling; layerFromConfig and TF.js read them back', async () => {
    const tf = await tfCpu();
    const lstm = new LSTM(3, {
      inputShape: [4, 2], kernelRegularizer: l2(0.02), recurrentRegularizer: 'l1', biasRegularizer: l1l2({ l1: 0.1, l2: 0.2 }), activityRegularizer: l1(0.3),
      kernelConstraint: maxNorm({ maxValue: 2 }), recurrentConstraint: 'unit_norm', biasConstraint: nonNeg(),
    });
    const c = lstm.getConfig();
    expect(c.kernel_regularizer).toEqual({ class_name: 'L1L2', config: { l1: 0, l2: 0.02 } });
    expect(c.recurrent_regularizer).toEqual({ class_name: 'L1L2', config: { l1: 0.01, l2: 0 } });
    expect(c.bias_regularizer).toEqual({ class_name: 'L1L2', config: { l1: 0.1, l2: 0.2 } });
    expect(c.activity_regularizer).toEqual({ class_name: 'L1L2', config: { l1: 0.3, l2: 0 } });
    expect(c.kernel_constraint).toEqual({ class_name: 'MaxNorm', config: { max_value: 2, axis: 0 } });
    expect(c.recurrent_constraint).toEqual({ class_name: 'UnitNorm', config: { axis: 0 } });
    expect(c.bias_constraint).toEqual({ class_name: 'NonNeg', config: {} });
    expect(layerFromConfig('LSTM', c).getConfig()).toEqual(c);
    const cell = new LSTMCell(2, { recurrentRegularizer: l2(0.4), biasConstraint: nonNeg() });
    expect(layerFromConfig('LSTMCell', cell.getConfig()).getConfig()).toEqual(cell.getConfig());

    // TF.js refuses an activity regularizer when applied, so its file carries the weight penalties only.
    const model = new Sequential([new GRU(3, { inputShape: [4, 2], resetAfter: false, kernelRegularizer: l2(0.02), recurrentRegularizer: l1(0.05), biasConstraint: nonNeg() })]);
    const dir = freshDir();
    await saveModel(model, dir);
    const theirs = await loadInTf(dir);
    const tc = theirs.layers[0].getConfig() as Record<string, { config: Record<string, number> } | null>;
    expect(tc.kernelRegularizer?.config).toEqual({ l1: 0, l2: 0.02 });
    expect(tc.recurrentRegularizer?.config).toEqual({ l1: 0.05, l2: 0 });
    expect((tc.biasConstraint as unknown as { className: string }).className).toBe('NonNeg');
    const x = seededTensor([2, 4, 2], 5);
    expectClose(predictWith(model, x), tfPredict(tf, theirs, x), { rtol: 1e-4, atol: 1e-5 });
    // And a TF.js-written file with penalties loads with them.
    const fromTf = tf.sequential({ layers: [tf.layers.simpleRNN({ units: 2, inputShape: [3, 2], kernelRegularizer: tf.regularizers.l1({ l1: 0.07 }), recurrentConstraint: tf.constraints.nonNeg() })] });
    const dir2 = freshDir();
    await saveFromTf(fromTf, dir2);
    const back = await loadModel(dir2);
    const bc = back.layers[0].getConfig();
    expect(bc.kernel_regularizer).toEqual({ class_name: 'L1L2', config: { l1: 0.07, l2: 0 } });
    expect(bc.recurrent_constraint).toEqual({ class_name: 'NonNeg', config: {} });
  });

  it('refuses a negative factor and an unknown id, naming the layer', () => {
    expectErrorMentioning(() => new LSTM(2, { name: 'lneg', recurrentRegularizer: { class_name: 'L2', config: { l2: -1 } } }), ValueError, '(LSTMCell) recurrentRegularizer', '-1');
    expectErrorMentioning(() => new GRU(2, { name: 'gbad', kernelRegularizer: 'l3' as never }), ValueError, 'kernelRegularizer', '"l3"', 'l1, l2');
    expectErrorMentioning(() => new SimpleRNN(2, { name: 'sbad', activityRegularizer: 'l4' as never }), ValueError, 'sbad (SimpleRNN) activityRegularizer', '"l4"');
  });
});
