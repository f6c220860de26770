import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type * as tfType from '@tensorflow/tfjs';
import { NeuriteError, ShapeError } from '../../src/util/errors.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { Dense } from '../../src/layers/dense.js';
import { LSTM } from '../../src/layers/rnn/lstm.js';
import { Sequential } from '../../src/models/sequential.js';
import { saveModel, modelToArtifacts } from '../../src/models/persistence.js';
import { Adam } from '../../src/optimizers/adam.js';
import { SGD } from '../../src/optimizers/sgd.js';
import { RMSprop } from '../../src/optimizers/rmsprop.js';
import { Optimizer } from '../../src/optimizers/optimizer.js';
import { setSeed } from '../../src/util/random.js';
import { loadModel, modelFromArtifacts } from '../../src/models/load-model.js';
import { expectClose } from '../helpers/close.js';
import { seededTensor } from '../helpers/seeded.js';
import { tfCpu } from '../helpers/tf.js';
import { cleanUpDirs, freshDir, loadInTf, predictWith, randomizeWeights, saveFromTf, tfPredict } from '../io/tf-files.js';

cleanUpDirs();

type Tf = typeof tfType;

/** Models built in TF.js covering the layers neurite reads, each with an input batch. */
const TF_MODELS: Record<string, (tf: Tf) => { model: tfType.Sequential; x: Tensor }> = {
  dense: (tf) => ({
    model: tf.sequential({
      layers: [
        tf.layers.dense({ units: 6, activation: 'relu', inputShape: [5], biasInitializer: 'randomNormal' }),
        tf.layers.dropout({ rate: 0.2 }),
        tf.layers.dense({ units: 3, activation: 'softmax', biasInitializer: 'randomNormal' }),
      ],
    }),
    x: seededTensor([4, 5], 1),
  }),
  conv: (tf) => ({
    model: tf.sequential({
      layers: [
        tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [9, 8, 3], biasInitializer: 'randomNormal' }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.conv2d({ filters: 2, kernelSize: [2, 3], strides: [2, 1], activation: 'tanh', biasInitializer: 'randomNormal' }),
        tf.layers.averagePooling2d({ poolSize: [1, 2], padding: 'same' }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 2, activation: 'sigmoid' }),
      ],
    }),
    x: seededTensor([2, 9, 8, 3], 2),
  }),
  rnn: (tf) => ({
    model: tf.sequential({
      layers: [
        tf.layers.simpleRNN({ units: 4, returnSequences: true, inputShape: [6, 3], biasInitializer: 'randomNormal' }),
        tf.layers.lstm({ units: 3, returnSequences: true, biasInitializer: 'randomNormal' }),
        tf.layers.gru({ units: 2, biasInitializer: 'randomNormal' }), // TF.js's GRU is always reset_after: false
        tf.layers.dense({ units: 1 }),
      ],
    }),
    x: seededTensor([2, 6, 3], 3),
  }),
};

describe('loadModel: TF.js → neurite', () => {
  for (const [kind, make] of Object.entries(TF_MODELS)) {
    it(`loads a ${kind} model saved by TF.js and predicts the same`, async () => {
      const tf = await tfCpu();
      const { model, x } = make(tf);
      const dir = freshDir();
      await saveFromTf(model, dir);
      const loaded = await loadModel(dir);
      expect(loaded).toBeInstanceOf(Sequential);
      expect(loaded.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
      expect(loaded.layers.map((l) => l.className)).toEqual(model.layers.map((l) => l.getClassName()));
      expectClose(predictWith(loaded, x), tfPredict(tf, model, x), { rtol: 1e-5, atol: 1e-6 });
    });
  }

  it('loads from the model.json path as well as from the directory', async () => {
    const tf = await tfCpu();
    const { model, x } = TF_MODELS.dense(tf);
    const dir = freshDir();
    await saveFromTf(model, dir);
    const loaded = await loadModel(join(dir, 'model.json'));
    expectClose(predictWith(loaded, x), tfPredict(tf, model, x));
  });

  it("reads Keras-converter files: model_config wrapper, InputLayer, layer/cell/weight names", async () => {
    const tf = await tfCpu();
    const tfModel = tf.sequential({ layers: [tf.layers.lstm({ units: 2, inputShape: [4, 3], name: 'lstm', biasInitializer: 'randomNormal' })] });
    const x = seededTensor([2, 4, 3], 4);
    const dir = freshDir();
    await saveFromTf(tfModel, dir);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    const layers = json.modelTopology.config.layers;
    const shape = layers[0].config.batch_input_shape;
    delete layers[0].config.batch_input_shape;
    layers.unshift({ class_name: 'InputLayer', config: { batch_input_shape: shape, dtype: 'float32', name: 'input_1' } });
    json.modelTopology = { keras_version: '2.15.0', backend: 'tensorflow', model_config: json.modelTopology };
    for (const w of json.weightsManifest[0].weights) w.name = w.name.replace('lstm/', 'lstm/lstm_cell/');
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
    const loaded = await loadModel(dir);
    expectClose(predictWith(loaded, x), tfPredict(tf, tfModel, x));
  });
});

describe('neurite → neurite', () => {
  it('a saved and loaded model has bit-identical weights, config and predictions', async () => {
    const model = new Sequential([new LSTM(3, { inputShape: [4, 2], returnSequences: false }), new Dense(2, { activation: 'softmax' })], { name: 'clf' });
    const x = seededTensor([3, 4, 2], 5);
    predictWith(model, x);
    randomizeWeights(model, 50);
    const dir = freshDir();
    await saveModel(model, dir);
    const loaded = await loadModel(dir);
    expect(loaded.name).toBe('clf');
    expect(loaded.layers.map((l) => l.getConfig())).toEqual(model.layers.map((l) => l.getConfig()));
    loaded.getWeights().forEach((w, i) => expect(w.data).toEqual(model.getWeights()[i].data));
    expect(predictWith(loaded, x).data).toEqual(predictWith(model, x).data);
  });

  it('works in memory through the artifacts object, without files', () => {
    const model = new Sequential([new Dense(2, { inputShape: [3] })]);
    predictWith(model, seededTensor([1, 3], 6));
    randomizeWeights(model, 60);
    const artifacts = modelToArtifacts(model);
    const loaded = modelFromArtifacts(artifacts);
    loaded.getWeights().forEach((w, i) => expect(w.data).toEqual(model.getWeights()[i].data));
    // In-memory artifacts are checked like files.
    expect(() => modelFromArtifacts({ ...artifacts, modelTopology: { class_name: 'Sequential' } as never }, 'mem')).toThrow(/mem: modelTopology: expected "config\.layers"/);
    expect(() => modelFromArtifacts({ ...artifacts, weightData: artifacts.weightData.slice(4) }, 'mem')).toThrow(/mem: .*truncated/);
    expect(() => modelFromArtifacts({ ...artifacts, weightData: [] as never }, 'mem')).toThrow(/weightData: an ArrayBuffer/);
  });
});

describe('includeOptimizer: training resumes where it stopped', () => {
  const x = seededTensor([12, 3], 8);
  const y = new Tensor(Float32Array.from(seededTensor([12, 1], 9).data, (v) => (v > 0 ? 1 : 0)), [12, 1]);
  const fitOptions = { epochs: 2, batchSize: 4, verbose: 0 as const };

  function classifier(optimizer: Optimizer): Sequential {
    const model = new Sequential([new Dense(4, { activation: 'tanh', inputShape: [3], name: 'h' }), new Dense(1, { activation: 'sigmoid', name: 'o' })]);
    predictWith(model, x);
    randomizeWeights(model, 70);
    model.compile({ optimizer, loss: 'binary_crossentropy', metrics: ['accuracy'] });
    return model;
  }

  const OPTIMIZERS: Record<string, () => Optimizer> = {
    adam: () => new Adam({ learningRate: 0.05 }),
    sgd: () => new SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true }),
    rmsprop: () => new RMSprop({ learningRate: 0.01, momentum: 0.5, centered: true }),
  };

  for (const [kind, makeOptimizer] of Object.entries(OPTIMIZERS)) {
    it(`${kind}: fit, save, fit more == load, fit more (bit-identical weights and history)`, async () => {
      const a = classifier(makeOptimizer());
      await a.fit(x, y, fitOptions);
      const dir = freshDir();
      await saveModel(a, dir, { includeOptimizer: true });
      setSeed(5);
      const continued = await a.fit(x, y, fitOptions);

      const b = await loadModel(dir);
      expect(b.optimizer?.className).toBe(a.optimizer?.className);
      expect(b.optimizer?.getConfig()).toEqual(a.optimizer?.getConfig());
      expect(b.optimizer?.iterations).toBe(6);
      setSeed(5);
      const resumed = await b.fit(x, y, fitOptions);
      expect(resumed.history).toEqual(continued.history);
      b.getWeights().forEach((w, i) => expect(w.data).toEqual(a.getWeights()[i].data));
    });
  }

  it('without the optimizer state (a fresh optimizer) the continuation differs: the state matters', async () => {
    const a = classifier(new Adam({ learningRate: 0.05 }));
    await a.fit(x, y, fitOptions);
    const dir = freshDir();
    await saveModel(a, dir);
    await a.fit(x, y, { ...fitOptions, shuffle: false });
    const b = await loadModel(dir);
    expect(b.optimizer).toBeNull();
    b.compile({ optimizer: new Adam({ learningRate: 0.05 }), loss: 'binary_crossentropy' });
    await b.fit(x, y, { ...fitOptions, shuffle: false });
    expect(b.getWeights()[0].data).not.toEqual(a.getWeights()[0].data);
  });

  it('a compiled model that never trained saves only the step count, and loads compiled', async () => {
    const a = classifier(new SGD({ learningRate: 0.2 }));
    const dir = freshDir();
    await saveModel(a, dir, { includeOptimizer: true });
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    expect(json.trainingConfig).toEqual({
      loss: 'binary_crossentropy',
      metrics: ['accuracy'],
      optimizer_config: { class_name: 'SGD', config: { learningRate: 0.2, momentum: 0, nesterov: false } },
    });
    expect(json.weightsManifest[0].weights.filter((w: { group?: string }) => w.group === 'optimizer')).toEqual([
      { name: 'iter', shape: [], dtype: 'int32', group: 'optimizer' },
    ]);
    const b = await loadModel(dir);
    expect(b.optimizer?.iterations).toBe(0);
    await b.fit(x, y, { ...fitOptions, shuffle: false });
    await a.fit(x, y, { ...fitOptions, shuffle: false });
    b.getWeights().forEach((w, i) => expect(w.data).toEqual(a.getWeights()[i].data));
  });

  it('refuses includeOptimizer on an uncompiled model or with a custom loss', async () => {
    const model = new Sequential([new Dense(1, { inputShape: [3] })]);
    predictWith(model, x);
    await expect(saveModel(model, freshDir(), { includeOptimizer: true })).rejects.toThrow(/needs a compiled model/);
    model.compile({ optimizer: 'sgd', loss: function myLoss(yTrue: Tensor, yPred: Tensor) {
      void yTrue;
      return yPred;
    } });
    await expect(saveModel(model, freshDir(), { includeOptimizer: true })).rejects.toThrow(/custom loss function/);
  });

  it('rejects a file whose optimizer state does not fit, naming the slot', async () => {
    const a = classifier(new Adam());
    await a.fit(x, y, fitOptions);
    const dir = freshDir();
    await saveModel(a, dir, { includeOptimizer: true });
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    const v = json.weightsManifest[0].weights.find((w: { name: string }) => w.name === 'o/bias/v');
    v.name = 'o/bias/velocity';
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
    await expect(loadModel(dir)).rejects.toThrow(/optimizer state.*missing from the file: 'o\/bias\/v' \[1\]; in the file but not in the model: 'o\/bias\/velocity'/);
    json.trainingConfig.optimizer_config = { class_name: 'Adagrad', config: {} };
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
    await expect(loadModel(dir)).rejects.toThrow(/trainingConfig optimizer Adagrad: Unknown optimizer/);
    json.trainingConfig.optimizer_config = { class_name: 'Adam', config: { learning_rate: 0.1, amsgrad: true } };
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
    await expect(loadModel(dir)).rejects.toThrow(/'amsgrad' = true is not supported/);
  });
});

describe('includeOptimizer with TF.js', () => {
  it('TF.js reads the Adam state neurite saves (step count and every moment)', async () => {
    const tf = await tfCpu();
    const model = new Sequential([new Dense(3, { activation: 'relu', inputShape: [2], name: 'h' }), new Dense(1, { name: 'o' })]);
    const x = seededTensor([8, 2], 10);
    predictWith(model, x);
    model.compile({ optimizer: new Adam({ learningRate: 0.01 }), loss: 'mse' });
    await model.fit(x, seededTensor([8, 1], 11), { epochs: 3, batchSize: 4, verbose: 0 });
    const dir = freshDir();
    await saveModel(model, dir, { includeOptimizer: true });
    const tfModel = await loadInTf(dir);
    const weights = await tfModel.optimizer.getWeights();
    expect(weights[0].name).toBe('iter');
    expect(weights[0].tensor.dataSync()[0]).toBe(6);
    const state = model.optimizer!.getState();
    // TF.js lists all first moments, then all second moments; neurite keeps them per parameter.
    const expected = [0, 1].flatMap((slot) => [0, 1, 2, 3].map((p) => state.slots[p * 2 + slot]));
    weights.slice(1).forEach((w, i) => expect(Float32Array.from(w.tensor.dataSync() as Float32Array)).toEqual(expected[i]));
  });

  it('neurite reads the Adam state TF.js saves and continues like TF.js', async () => {
    const tf = await tfCpu();
    const tfModel = tf.sequential({ layers: [tf.layers.dense({ units: 3, activation: 'tanh', inputShape: [2] }), tf.layers.dense({ units: 1 })] });
    tfModel.compile({ optimizer: tf.train.adam(0.02), loss: 'meanSquaredError' });
    const x = seededTensor([8, 2], 12);
    const yv = seededTensor([8, 1], 13);
    await tfModel.fit(tf.tensor(x.data, [8, 2]), tf.tensor(yv.data, [8, 1]), { epochs: 2, batchSize: 4, shuffle: false, verbose: 0 });
    const dir = freshDir();
    await saveFromTf(tfModel, dir, true);
    const loaded = await loadModel(dir);
    expect(loaded.optimizer?.className).toBe('Adam');
    expect(loaded.optimizer?.iterations).toBe(4);
    const tfWeights = await tfModel.optimizer.getWeights();
    const state = loaded.optimizer!.getState();
    const expected = [0, 1].flatMap((slot) => [0, 1, 2, 3].map((p) => state.slots[p * 2 + slot]));
    tfWeights.slice(1).forEach((w, i) => expect(expected[i]).toEqual(Float32Array.from(w.tensor.dataSync() as Float32Array)));
    // One more identical epoch on both sides: Adam's update forms differ only in where epsilon enters.
    await tfModel.fit(tf.tensor(x.data, [8, 2]), tf.tensor(yv.data, [8, 1]), { epochs: 1, batchSize: 4, shuffle: false, verbose: 0 });
    await loaded.fit(x, yv, { epochs: 1, batchSize: 4, shuffle: false, verbose: 0 });
    tfModel.getWeights().forEach((w, i) => expectClose(loaded.getWeights()[i], Float32Array.from(w.dataSync() as Float32Array), { rtol: 1e-4, atol: 1e-5 }));
  });
});

describe('loadModel rejects broken or foreign files with a NeuriteError, returning nothing', () => {
  async function savedDense(): Promise<string> {
    const model = new Sequential([new Dense(4, { inputShape: [3], name: 'a' }), new Dense(2, { name: 'b' })]);
    predictWith(model, seededTensor([1, 3], 7));
    const dir = freshDir();
    await saveModel(model, dir);
    return dir;
  }
  const editJson = (dir: string, edit: (json: any) => void): void => {
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    edit(json);
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
  };

  it('a truncated weights.bin', async () => {
    const dir = await savedDense();
    const bytes = readFileSync(join(dir, 'weights.bin'));
    writeFileSync(join(dir, 'weights.bin'), bytes.subarray(0, bytes.byteLength - 4));
    await expect(loadModel(dir)).rejects.toThrow(ShapeError);
    await expect(loadModel(dir)).rejects.toThrow(/hold 100 bytes.*needing 104 bytes \(the file is truncated\)/);
  });

  it('a weight shape changed in model.json (same byte count, then a different one)', async () => {
    const dir = await savedDense();
    editJson(dir, (j) => (j.weightsManifest[0].weights[0].shape = [4, 3]));
    await expect(loadModel(dir)).rejects.toThrow(/wrong shape: 'a\/kernel' is \[4, 3\] in the file, the model needs \[3, 4\]/);
    editJson(dir, (j) => (j.weightsManifest[0].weights[0].shape = [3, 5]));
    await expect(loadModel(dir)).rejects.toThrow(/the file has extra bytes|the file is truncated/);
  });

  it('a missing weights.bin or model.json, and invalid JSON', async () => {
    const dir = await savedDense();
    unlinkSync(join(dir, 'weights.bin'));
    await expect(loadModel(dir)).rejects.toThrow(/weight file 'weights\.bin' named in .* \(no such file\)/);
    await expect(loadModel(join(dir, 'nothing-here'))).rejects.toThrow(NeuriteError);
    writeFileSync(join(dir, 'model.json'), '{"modelTopology": {');
    await expect(loadModel(dir)).rejects.toThrow(/model\.json: is not valid JSON/);
  });

  it('an unknown layer class, listing the supported ones', async () => {
    const dir = await savedDense();
    editJson(dir, (j) => (j.modelTopology.config.layers[1].class_name = 'LocallyConnected2D'));
    await expect(loadModel(dir)).rejects.toThrow(/layer 1 'b' \(LocallyConnected2D\): Unknown layer class "LocallyConnected2D"; supported: .*Dense.*LSTM/);
  });

  it('a bad layer config, a missing input shape, a functional model, a weight the model lacks', async () => {
    const dir = await savedDense();
    editJson(dir, (j) => (j.modelTopology.config.layers[0].config.units = -2));
    await expect(loadModel(dir)).rejects.toThrow(/layer 0 'a' \(Dense\)/);
    editJson(dir, (j) => {
      j.modelTopology.config.layers[0].config.units = 4;
      delete j.modelTopology.config.layers[0].config.batch_input_shape;
    });
    await expect(loadModel(dir)).rejects.toThrow(/no batch_input_shape/);
    editJson(dir, (j) => {
      j.modelTopology.config.layers[0].config.batch_input_shape = [null, 3];
      j.modelTopology.class_name = 'Functional';
    });
    await expect(loadModel(dir)).rejects.toThrow(/only Sequential models can be loaded/);
    editJson(dir, (j) => {
      j.modelTopology.class_name = 'Sequential';
      j.weightsManifest[0].weights[3].name = 'c/bias';
    });
    await expect(loadModel(dir)).rejects.toThrow(/missing from the file: 'b\/bias' \[2\]; in the file but not in the model: 'c\/bias' \[2\]/);
  });

  it('a foreign dtype or format', async () => {
    const dir = await savedDense();
    editJson(dir, (j) => (j.weightsManifest[0].weights[1].dtype = 'complex64'));
    await expect(loadModel(dir)).rejects.toThrow(/unsupported dtype "complex64"/);
    editJson(dir, (j) => (j.format = 'graph-model'));
    await expect(loadModel(dir)).rejects.toThrow(/graph model/);
  });
});
