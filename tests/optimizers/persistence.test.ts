import { afterAll, describe, expect, it } from 'vitest';
import { Dense } from '../../src/layers/dense.js';
import { Sequential } from '../../src/models/sequential.js';
import { saveModel } from '../../src/models/persistence.js';
import { loadModel } from '../../src/models/load-model.js';
import { Optimizer } from '../../src/optimizers/optimizer.js';
import { AdamW } from '../../src/optimizers/adam.js';
import { Nadam } from '../../src/optimizers/nadam.js';
import { Adagrad } from '../../src/optimizers/adagrad.js';
import { Ftrl } from '../../src/optimizers/ftrl.js';
import { Lion } from '../../src/optimizers/lion.js';
import { Adadelta } from '../../src/optimizers/adadelta.js';
import { CosineDecay, ExponentialDecay } from '../../src/optimizers/schedules/index.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { seededTensor } from '../helpers/seeded.js';
import { tfCpu } from '../helpers/tf.js';
import { cleanUpDirs, freshDir, loadInTf, predictWith } from '../io/tf-files.js';

afterAll(cleanUpDirs);

const x = seededTensor([8, 3], 41);
const y = seededTensor([8, 1], 42);
const fitOptions = { epochs: 1, batchSize: 4, shuffle: false, verbose: 0 as const };

function net(): Sequential {
  const model = new Sequential([new Dense(3, { activation: 'tanh', inputShape: [3], name: 'h' }), new Dense(1, { name: 'o' })]);
  predictWith(model, x);
  model.setWeights([seededTensor([3, 3], 43), seededTensor([3], 44), seededTensor([3, 1], 45), seededTensor([1], 46)]);
  return model;
}

describe('includeOptimizer with the added optimizers, schedules and EMA', () => {
  const makers: [string, () => Optimizer][] = [
    ['AdamW + ExponentialDecay', () => new AdamW({ learningRate: new ExponentialDecay(0.05, 2, 0.5), weightDecay: 0.01 })],
    ['Nadam + globalClipnorm', () => new Nadam({ learningRate: 0.02, globalClipnorm: 0.5 })],
    ['Adagrad + clipValue', () => new Adagrad({ learningRate: 0.1, clipValue: 0.2 })],
    ['Ftrl', () => new Ftrl({ learningRate: 0.1, l1RegularizationStrength: 0.01 })],
    ['Lion + useEma', () => new Lion({ learningRate: 0.01, useEma: true, emaMomentum: 0.9, emaOverwriteFrequency: 3 })],
    ['Adadelta + CosineDecay warmup', () => new Adadelta({ learningRate: new CosineDecay(0.5, 4, { warmupTarget: 1, warmupSteps: 2 }) })],
  ];
  for (const [label, make] of makers) {
    it(`${label}: save after 2 epochs, load, 1 more epoch = the same fits without saving (bit-identical)`, async () => {
      // Two fit calls, not one of 3 epochs: with useEma each fit ends by copying the averages in (as Keras).
      const straight = net();
      straight.compile({ optimizer: make(), loss: 'mse' });
      await straight.fit(x, y, { ...fitOptions, epochs: 2 });
      await straight.fit(x, y, fitOptions);
      const first = net();
      first.compile({ optimizer: make(), loss: 'mse' });
      await first.fit(x, y, { ...fitOptions, epochs: 2 });
      const dir = freshDir();
      await saveModel(first, dir, { includeOptimizer: true });
      const loaded = await loadModel(dir);
      expect(loaded.optimizer?.getConfig()).toEqual(first.optimizer?.getConfig());
      await loaded.fit(x, y, fitOptions);
      loaded.getWeights().forEach((w, i) => expect(Array.from(w.data)).toEqual(Array.from(straight.getWeights()[i].data)));
    });
  }

  it('TF.js loads a model saved with Adagrad state', async () => {
    await tfCpu();
    const model = net();
    model.compile({ optimizer: new Adagrad({ learningRate: 0.1 }), loss: 'mse' });
    await model.fit(x, y, fitOptions);
    const dir = freshDir();
    await saveModel(model, dir, { includeOptimizer: true });
    const tfModel = await loadInTf(dir);
    expect(tfModel.optimizer.getClassName()).toBe('Adagrad');
    const weights = await tfModel.optimizer.getWeights();
    const state = model.optimizer!.getState(model.trainableWeights);
    weights.slice(1).forEach((w, i) => expect(Float32Array.from(w.tensor.dataSync() as Float32Array)).toEqual(state.slots[i]));
  });

  it('a frozen layer: only the trainable weights are saved with their slots, and training resumes', async () => {
    const model = net();
    model.compile({ optimizer: new AdamW({ learningRate: 0.01 }), loss: 'mse' });
    await model.fit(x, y, fitOptions);
    model.layers[0].trainable = false;
    const dir = freshDir();
    await saveModel(model, dir, { includeOptimizer: true });
    const loaded = await loadModel(dir);
    expect(loaded.optimizer?.getState(loaded.trainableWeights).slots).toEqual(model.optimizer?.getState(model.trainableWeights).slots);
    void Tensor;
  });
});
