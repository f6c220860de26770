import { describe, expect, it } from 'vitest';
import type * as tfType from '@tensorflow/tfjs';
import { Tensor } from '../../src/tensor/tensor.js';
import { backward } from '../../src/autograd/backward.js';
import { mul } from '../../src/ops/arithmetic.js';
import { sum } from '../../src/ops/reduction.js';
import { add } from '../../src/ops/arithmetic.js';
import { noGrad } from '../../src/autograd/record.js';
import { Model } from '../../src/models/model.js';
import { SymbolicTensor } from '../../src/graph/symbolic-tensor.js';
import { SGD } from '../../src/optimizers/sgd.js';
import { loadModel } from '../../src/models/load-model.js';
import { expectClose } from '../helpers/close.js';
import { seededTensor } from '../helpers/seeded.js';
import { tfCpu, tfData } from '../helpers/tf.js';
import { cleanUpDirs, freshDir, loadInTf, randomizeWeights, saveFromTf } from '../io/tf-files.js';
import { copyWeights, GraphPair, residual, sharedEmbedding, sharedLayer, twoInTwoOut } from './functional-graphs.js';

cleanUpDirs();

type Build = (tf: typeof tfType) => GraphPair;
const graphs: [string, Build][] = [
  ['two inputs, two outputs', twoInTwoOut],
  ['a residual block with Add', residual],
  ['a layer shared by two inputs', sharedLayer],
  ['one Embedding shared by two token inputs', sharedEmbedding],
];

function tfOutputs(theirs: tfType.LayersModel, inputs: Tensor[], tf: typeof tfType): Float32Array[] {
  const xs = inputs.map((x) => tf.tensor(Array.from(x.data), [...x.shape]));
  const ys = theirs.predict(xs.length === 1 ? xs[0] : xs) as tfType.Tensor | tfType.Tensor[];
  return (Array.isArray(ys) ? ys : [ys]).map(tfData);
}

function ourOutputs(ours: Model<SymbolicTensor | SymbolicTensor[]>, inputs: Tensor[]): Tensor[] {
  return noGrad(() => ours.runModel(inputs, false));
}

describe('functional models against TF.js (same graph, same weights)', () => {
  for (const [title, build] of graphs) {
    it(`${title}: outputs equal`, async () => {
      const tf = await tfCpu();
      const pair = build(tf);
      randomizeWeights(pair.ours, 10);
      copyWeights(pair, tf);
      const ours = ourOutputs(pair.ours, pair.inputs);
      const theirs = tfOutputs(pair.theirs, pair.inputs, tf);
      expect(ours.length).toBe(theirs.length);
      ours.forEach((y, i) => expectClose(y.data, theirs[i], { rtol: 1e-5, atol: 1e-6 }));
    });

    it(`${title}: gradients of every weight equal`, async () => {
      const tf = await tfCpu();
      const pair = build(tf);
      randomizeWeights(pair.ours, 20);
      copyWeights(pair, tf);
      const outs = ourOutputs(pair.ours, pair.inputs);
      // A fixed random weighting of each output (a plain sum would hide permutations).
      const r = outs.map((y, i) => seededTensor([...y.shape], 100 + i));
      for (const w of pair.ours.trainableWeights) w.grad = null;
      const ys = pair.ours.runModel(pair.inputs, false);
      backward(ys.map((y, i) => sum(mul(y, r[i]))).reduce((a, b) => add(a, b)));

      const xs = pair.inputs.map((x) => tf.tensor(Array.from(x.data), [...x.shape]));
      const vars: tfType.Variable[] = [];
      const ourGrads: Float32Array[] = [];
      for (const layer of pair.ours.layers) {
        const ws = layer.trainableWeights;
        const tws = pair.theirs.getLayer(layer.name).trainableWeights;
        ws.forEach((w, j) => {
          ourGrads.push(w.grad!.data);
          vars.push((tws[j] as unknown as { val: tfType.Variable }).val);
        });
      }
      const { grads } = tf.variableGrads(() => {
        const tys = pair.theirs.apply(xs.length === 1 ? xs[0] : xs) as tfType.Tensor | tfType.Tensor[];
        const list = Array.isArray(tys) ? tys : [tys];
        return list.map((y, i) => tf.sum(tf.mul(y, tf.tensor(Array.from(r[i].data), [...r[i].shape])))).reduce((a, b) => tf.add(a, b)) as tfType.Scalar;
      }, vars);
      expect(vars.length).toBeGreaterThan(0);
      vars.forEach((v, k) => expectClose(ourGrads[k], tfData(grads[v.name]), { rtol: 1e-4, atol: 1e-5 }));
    });

    it(`${title}: saved by neurite, TF.js loads it and predicts the same; saved by TF.js, neurite loads it`, async () => {
      const tf = await tfCpu();
      const pair = build(tf);
      randomizeWeights(pair.ours, 30);
      const dir = freshDir();
      await pair.ours.save(dir);
      const fromOurs = await loadInTf(dir);
      const expected = ourOutputs(pair.ours, pair.inputs);
      tfOutputs(fromOurs, pair.inputs, tf).forEach((y, i) => expectClose(y, expected[i].data, { rtol: 1e-5, atol: 1e-6 }));

      copyWeights(pair, tf);
      const dir2 = freshDir();
      await saveFromTf(pair.theirs, dir2);
      const back = await loadModel<SymbolicTensor[]>(dir2);
      expect(back.layers.map((l) => l.name).sort()).toEqual(pair.ours.layers.map((l) => l.name).sort());
      ourOutputs(back, pair.inputs).forEach((y, i) => expectClose(y.data, expected[i].data, { rtol: 1e-5, atol: 1e-6 }));
    });
  }

  it('the residual model trains like TF.js: SGD, MSE, 3 epochs in order', async () => {
    const tf = await tfCpu();
    const pair = residual(tf);
    randomizeWeights(pair.ours, 40);
    copyWeights(pair, tf);
    const x = pair.inputs[0];
    const y = seededTensor([4, 2], 41);
    pair.ours.compile({ optimizer: new SGD({ learningRate: 0.002 }), loss: 'mse' });
    const ours = await pair.ours.fit(x, y, { epochs: 3, batchSize: 2, shuffle: false, verbose: 0 });
    pair.theirs.compile({ optimizer: tf.train.sgd(0.002), loss: 'meanSquaredError' });
    const theirs = await pair.theirs.fit(tf.tensor(Array.from(x.data), [...x.shape]), tf.tensor(Array.from(y.data), [4, 2]), { epochs: 3, batchSize: 2, shuffle: false, verbose: 0 });
    expectClose(ours.history.loss, theirs.history.loss as number[], { rtol: 1e-4 });
    expect(ours.history.loss[2]).toBeLessThan(ours.history.loss[0]);
    for (const layer of pair.ours.layers) {
      const tws = pair.theirs.getLayer(layer.name).getWeights();
      layer.getWeights().forEach((w, j) => expectClose(w.data, tfData(tws[j]), { rtol: 1e-4, atol: 1e-5 }));
    }
  });

  it('the two-input, two-output model trains like TF.js: a loss per output, History keys as Keras (lossWeights, which TF.js ignores, are checked in the training tests)', async () => {
    const tf = await tfCpu();
    const pair = twoInTwoOut(tf);
    randomizeWeights(pair.ours, 50);
    copyWeights(pair, tf);
    const priority = new Tensor(Float32Array.from([1, 0, 1, 1, 0]), [5, 1]);
    const department = new Tensor(Float32Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0, 1, 0, 0]), [5, 3]);
    pair.ours.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: ['binary_crossentropy', 'categorical_crossentropy'] });
    const ours = await pair.ours.fit(pair.inputs, [priority, department], { epochs: 3, batchSize: 5, shuffle: false, verbose: 0 });
    pair.theirs.compile({ optimizer: tf.train.sgd(0.1), loss: ['binaryCrossentropy', 'categoricalCrossentropy'] });
    const toTf = (t: Tensor) => tf.tensor(Array.from(t.data), [...t.shape]);
    const theirs = await pair.theirs.fit(pair.inputs.map(toTf), [toTf(priority), toTf(department)], { epochs: 3, batchSize: 5, shuffle: false, verbose: 0 });
    expect(Object.keys(ours.history).sort()).toEqual(['department_loss', 'loss', 'priority_loss']);
    expectClose(ours.history.loss, theirs.history.loss as number[], { rtol: 1e-4 });
    expectClose(ours.history.priority_loss, theirs.history.priority_loss as number[], { rtol: 1e-4 });
    expectClose(ours.history.department_loss, theirs.history.department_loss as number[], { rtol: 1e-4 });
    for (const layer of pair.ours.layers) {
      const tws = pair.theirs.getLayer(layer.name).getWeights();
      layer.getWeights().forEach((w, j) => expectClose(w.data, tfData(tws[j]), { rtol: 1e-4, atol: 1e-5 }));
    }
  });
});
