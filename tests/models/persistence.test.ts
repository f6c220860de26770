import { describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { NeuriteError, ShapeError } from '../../src/util/errors.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { Dense } from '../../src/layers/dense.js';
import { Conv2D } from '../../src/layers/conv2d.js';
import { MaxPooling2D } from '../../src/layers/max-pooling2d.js';
import { AveragePooling2D } from '../../src/layers/average-pooling2d.js';
import { Flatten } from '../../src/layers/flatten.js';
import { Dropout } from '../../src/layers/dropout.js';
import { Activation } from '../../src/layers/activation.js';
import { SimpleRNN } from '../../src/layers/rnn/simple-rnn.js';
import { LSTM } from '../../src/layers/rnn/lstm.js';
import { GRU } from '../../src/layers/rnn/gru.js';
import { Layer } from '../../src/layers/layer.js';
import { Model } from '../../src/models/model.js';
import { Sequential } from '../../src/models/sequential.js';
import { loadModelWeights, modelToArtifacts, saveModel, saveModelWeights } from '../../src/models/persistence.js';
import { expectClose } from '../helpers/close.js';
import { seededTensor } from '../helpers/seeded.js';
import { tfCpu } from '../helpers/tf.js';
import { cleanUpDirs, fileBuffer, freshDir, loadInTf, predictWith, randomizeWeights, tfPredict, weightsPathOf } from '../io/tf-files.js';

cleanUpDirs();

/** Runs a model on its batch once, so every layer has its weights. */
function built(spec: { model: Sequential; x: Tensor }): { model: Sequential; x: Tensor } {
  predictWith(spec.model, spec.x);
  return spec;
}

/** Small models covering every layer TF.js must read back, each with an input batch. */
const MODELS: Record<string, () => { model: Sequential; x: Tensor }> = {
  dense: () => built({
    model: new Sequential([new Dense(5, { activation: 'relu', inputShape: [4] }), new Dense(3, { activation: 'softmax' })]),
    x: seededTensor([3, 4], 1),
  }),
  conv: () => built({
    model: new Sequential([
      new Conv2D(3, 3, { padding: 'same', activation: 'relu', inputShape: [8, 7, 2] }),
      new MaxPooling2D({ poolSize: 2 }),
      new Conv2D(2, [2, 3], { strides: [1, 2], activation: 'tanh' }),
      new AveragePooling2D({ poolSize: [1, 2], padding: 'same' }),
      new Flatten(),
      new Dropout(0.3),
      new Dense(2),
      new Activation('sigmoid'),
    ]),
    x: seededTensor([2, 8, 7, 2], 2),
  }),
  rnn: () => built({
    model: new Sequential([
      new SimpleRNN(4, { returnSequences: true, inputShape: [5, 3] }),
      new LSTM(3, { returnSequences: true }),
      new GRU(2, { resetAfter: false }),
      new Dense(1, { activation: 'sigmoid' }),
    ]),
    x: seededTensor([2, 5, 3], 3),
  }),
};

describe('saveModel: neurite → TF.js', () => {
  for (const [kind, make] of Object.entries(MODELS)) {
    it(`TF.js loads a saved ${kind} model and predicts the same`, async () => {
      const tf = await tfCpu();
      const { model, x } = make();
      randomizeWeights(model, 10);
      const dir = freshDir();
      await saveModel(model, dir);
      expect(readdirSync(dir).sort()).toEqual(['model.json', basename(weightsPathOf(dir))]);
      expect(basename(weightsPathOf(dir))).toMatch(/^weights-[0-9a-f]{16}\.bin$/);
      const tfModel = await loadInTf(dir);
      expect(tfModel.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
      expectClose(tfPredict(tf, tfModel, x), predictWith(model, x), { rtol: 1e-5, atol: 1e-6 });
    });
  }

  it('writes the TF.js layout: format, topology, batch_input_shape on the first layer, manifest with TF.js weight names', async () => {
    const model = new Sequential([new LSTM(2, { inputShape: [3, 4], name: 'seq' }), new Dense(1, { name: 'head' })], { name: 'net' });
    predictWith(model, seededTensor([1, 3, 4], 7));
    const dir = freshDir();
    await saveModel(model, dir);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    expect(json.format).toBe('layers-model');
    expect(json.generatedBy).toBe('neurite');
    expect(json.convertedBy).toBeNull();
    expect(json.modelTopology.class_name).toBe('Sequential');
    expect(json.modelTopology.config.name).toBe('net');
    expect(json.modelTopology.config.layers.map((l: { class_name: string }) => l.class_name)).toEqual(['LSTM', 'Dense']);
    expect(json.modelTopology.config.layers[0].config.batch_input_shape).toEqual([null, 3, 4]);
    expect(json.weightsManifest).toEqual([
      {
        paths: [basename(weightsPathOf(dir))],
        weights: [
          { name: 'seq/kernel', shape: [4, 8], dtype: 'float32' },
          { name: 'seq/recurrent_kernel', shape: [2, 8], dtype: 'float32' },
          { name: 'seq/bias', shape: [8], dtype: 'float32' },
          { name: 'head/kernel', shape: [2, 1], dtype: 'float32' },
          { name: 'head/bias', shape: [1], dtype: 'float32' },
        ],
      },
    ]);
    // weights.bin is the weights in manifest order, float32 little-endian.
    const expected = model.getWeights().flatMap((w) => [...w.data]);
    expect(new Float32Array(fileBuffer(weightsPathOf(dir)))).toEqual(new Float32Array(expected));
  });

  it('derives batch_input_shape from the built shape when no inputShape was given', async () => {
    const tf = await tfCpu();
    const model = new Sequential([new Dense(3, { activation: 'tanh' }), new Dense(2)]);
    const x = seededTensor([4, 6], 4);
    predictWith(model, x);
    const config = modelToArtifacts(model).modelTopology.config.layers[0].config;
    expect(config.batch_input_shape).toEqual([null, 6]);
    const dir = freshDir();
    await saveModel(model, dir);
    expectClose(tfPredict(tf, await loadInTf(dir), x), predictWith(model, x));
  });
});

describe('saveModel refuses what it cannot save, before writing anything', () => {
  it('an unbuilt model', async () => {
    const dir = join(freshDir(), 'out');
    const model = new Sequential([new Dense(2, { name: 'lonely' })]);
    await expect(saveModel(model, dir)).rejects.toThrow(/layer 'lonely' of model .* has no weights yet; call the model on data once/);
    expect(() => readdirSync(dir)).toThrow();
  });

  it('a subclassed model (no Keras topology), pointing to saveWeights', async () => {
    class Net extends Model {
      d = new Dense(1, { inputShape: [2] });
      override call(x: Tensor): Tensor {
        return this.d.apply(x);
      }
    }
    const net = new Net();
    predictWith(net, seededTensor([1, 2], 5));
    await expect(saveModel(net, freshDir())).rejects.toThrow(/is a subclassed model.*saveWeights/);
  });

  it('a layer whose config cannot be written as JSON', async () => {
    const model = new Sequential([new Dense(2, { inputShape: [3], kernelInitializer: () => seededTensor([3, 2], 1) })]);
    predictWith(model, seededTensor([1, 3], 1));
    await expect(saveModel(model, freshDir())).rejects.toThrow(/function initializer cannot be saved|cannot be written to JSON/);
  });
});

describe('saveModel failures keep the previous model', () => {
  it('an error while serializing (injected into a layer) leaves the previous files byte-identical', async () => {
    const { model } = MODELS.dense();
    const dir = freshDir();
    await saveModel(model, dir);
    const before = [readFileSync(join(dir, 'model.json')), readFileSync(weightsPathOf(dir))];
    randomizeWeights(model, 3);
    const layer = model.layers[1] as Layer & { getConfig(): Record<string, unknown> };
    layer.getConfig = () => {
      throw new Error('injected failure');
    };
    await expect(saveModel(model, dir)).rejects.toThrow('injected failure');
    expect([readFileSync(join(dir, 'model.json')), readFileSync(weightsPathOf(dir))]).toEqual(before);
  });

  it('an error while writing (model.json cannot be replaced) leaves the previous weights.bin in place', async () => {
    const { model } = MODELS.dense();
    const dir = freshDir();
    mkdirSync(join(dir, 'model.json'));
    writeFileSync(join(dir, 'weights.bin'), 'previous');
    await expect(saveModel(model, dir)).rejects.toThrow(/could not write the model into .*left unchanged/);
    expect(readFileSync(join(dir, 'weights.bin'), 'utf8')).toBe('previous');
    expect(readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);
  });

  it('a directory that cannot be created (its parent is a regular file, which blocks root too)', async () => {
    const { model } = MODELS.dense();
    const dir = freshDir();
    writeFileSync(join(dir, 'file'), 'x');
    await expect(saveModel(model, join(dir, 'file', 'model'))).rejects.toThrow(/cannot create the directory/);
  });
});

describe('saveModelWeights / loadModelWeights', () => {
  class TwoTower extends Model {
    left = new Dense(3, { activation: 'relu', name: 'left' });
    right = [new Dense(2, { name: 'right_a' }), new LSTM(2, { name: 'right_b' })];
    override call(x: Tensor): Tensor {
      const seq = this.right[0].apply(this.left.apply(x));
      return this.right[1].apply(seq);
    }
  }
  const x = seededTensor([2, 4, 5], 6);

  it('round-trips a subclassed model bit-identically', async () => {
    const a = new TwoTower();
    predictWith(a, x);
    randomizeWeights(a, 20);
    const path = join(freshDir(), 'sub', 'weights.nw');
    await saveModelWeights(a, path);
    const b = new TwoTower();
    predictWith(b, x);
    await loadModelWeights(b, path);
    b.getWeights().forEach((w, i) => expect(w.data).toEqual(a.getWeights()[i].data));
    expect(predictWith(b, x).data).toEqual(predictWith(a, x).data);
  });

  it('matches by name whatever the layer order, and by position when only automatic names differ', async () => {
    const make = (): Sequential => built({ model: new Sequential([new Dense(3, { inputShape: [2] }), new Dense(1)]), x: seededTensor([1, 2], 1) }).model;
    const a = make();
    randomizeWeights(a, 30);
    const path = join(freshDir(), 'w.nw');
    await saveModelWeights(a, path);
    const b = make(); // same code, new automatic names (dense_4 …)
    expect(b.layers.map((l) => l.name)).not.toEqual(a.layers.map((l) => l.name));
    await loadModelWeights(b, path);
    b.getWeights().forEach((w, i) => expect(w.data).toEqual(a.getWeights()[i].data));
  });

  it('a missing, extra or mis-shaped weight is an error that leaves the model unchanged', async () => {
    const dir = freshDir();
    const x2 = seededTensor([1, 2], 2);
    const small = built({ model: new Sequential([new Dense(3, { inputShape: [2], name: 'p' }), new Dense(1, { name: 'q' })]), x: x2 }).model;
    await saveModelWeights(small, join(dir, 'small.nw'));
    const other = built({ model: new Sequential([new Dense(4, { inputShape: [2], name: 'p' }), new Dense(1, { name: 'r' })]), x: x2 }).model;
    randomizeWeights(other, 40);
    const before = other.getWeights();
    const load = loadModelWeights(other, join(dir, 'small.nw'));
    await expect(load).rejects.toThrow(NeuriteError);
    await expect(loadModelWeights(other, join(dir, 'small.nw'))).rejects.toThrow(
      /missing from the file: 'r\/kernel' \[4, 1\], 'r\/bias' \[1\]; in the file but not in the model: 'q\/kernel' \[3, 1\], 'q\/bias' \[1\]; wrong shape: 'p\/kernel' is \[2, 3\] in the file, the model needs \[2, 4\]/,
    );
    other.getWeights().forEach((w, i) => expect(w.data).toEqual(before[i].data));
    const reshaped = built({ model: new Sequential([new Dense(2, { inputShape: [2], name: 'p' }), new Dense(1, { name: 'q' })]), x: x2 }).model;
    await expect(loadModelWeights(reshaped, join(dir, 'small.nw'))).rejects.toThrow(ShapeError);
  });

  it('a truncated, missing or foreign file is a clear error', async () => {
    const dir = freshDir();
    const model = built({ model: new Sequential([new Dense(3, { inputShape: [2], name: 'd' })]), x: seededTensor([1, 2], 3) }).model;
    await saveModelWeights(model, join(dir, 'w.nw'));
    const bytes = readFileSync(join(dir, 'w.nw'));
    writeFileSync(join(dir, 'cut.nw'), bytes.subarray(0, bytes.byteLength - 5));
    await expect(loadModelWeights(model, join(dir, 'cut.nw'))).rejects.toThrow(/cut\.nw.*truncated/);
    await expect(loadModelWeights(model, join(dir, 'none.nw'))).rejects.toThrow(/loadWeights: cannot read '.*none\.nw' \(no such file\)/);
    await saveModel(model, join(dir, 'full'));
    await expect(loadModelWeights(model, join(dir, 'full', 'model.json'))).rejects.toThrow(/not a neurite weights file.*loadModel/);
  });

  it('refuses models whose layers are not built or share a name', async () => {
    await expect(saveModelWeights(new Sequential([new Dense(1)]), join(freshDir(), 'w.nw'))).rejects.toThrow(/has no weights yet/);
    class Twins extends Model {
      a = new Dense(1, { name: 'same' });
      b = new Dense(1, { name: 'same' });
      override call(x: Tensor): Tensor {
        return this.b.apply(this.a.apply(x));
      }
    }
    const twins = new Twins();
    predictWith(twins, seededTensor([1, 2], 1));
    await expect(saveModelWeights(twins, join(freshDir(), 'w.nw'))).rejects.toThrow(/two layers .* are named 'same'/);
  });
});
