import { describe, expect, it } from 'vitest';
import { Tensor } from '../../src/tensor/tensor.js';
import { tensor } from '../../src/tensor/creation.js';
import { noGrad } from '../../src/autograd/record.js';
import { Dense } from '../../src/layers/dense.js';
import { Embedding } from '../../src/layers/core/embedding.js';
import { Masking } from '../../src/layers/core/masking.js';
import { Conv1D } from '../../src/layers/conv/conv1d.js';
import { MaxPooling1D } from '../../src/layers/pooling/max-pooling1d.js';
import { AveragePooling1D } from '../../src/layers/pooling/average-pooling1d.js';
import { GlobalAveragePooling1D } from '../../src/layers/pooling/global-average-pooling1d.js';
import { GlobalMaxPooling1D } from '../../src/layers/pooling/global-max-pooling1d.js';
import { LayerNormalization } from '../../src/layers/normalization/layer-normalization.js';
import { Layer } from '../../src/layers/layer.js';
import { UpSampling1D } from '../../src/layers/reshaping/up-sampling1d.js';
import { ZeroPadding1D } from '../../src/layers/reshaping/zero-padding1d.js';
import { Cropping1D } from '../../src/layers/reshaping/cropping1d.js';
import { Sequential } from '../../src/models/sequential.js';
import { saveModel } from '../../src/models/persistence.js';
import { loadModel } from '../../src/models/load-model.js';
import { expectClose } from '../helpers/close.js';
import { seededTensor } from '../helpers/seeded.js';
import { tfCpu } from '../helpers/tf.js';
import { cleanUpDirs, freshDir, loadInTf, predictWith, randomizeWeights, saveFromTf, tfPredict } from '../io/tf-files.js';

cleanUpDirs();

const tokens = tensor([[3, 7, 1, 9, 2, 2, 5, 8], [6, 1, 1, 4, 9, 3, 7, 2]]);

/** Runs `layers` in order on `x`, handing each layer's mask to the next (as a Keras graph does). */
function runWithMasks(layers: Layer[], x: Tensor): Tensor {
  return noGrad(() => {
    let y = x;
    let mask: Tensor | null = null;
    for (const layer of layers) {
      const next = layer.apply(y, { mask: mask ?? undefined });
      mask = layer.computeMask(y, mask) as Tensor | null;
      y = next;
    }
    return y;
  });
}

describe('sequence layers in TF.js files', () => {
  it('TF.js loads what neurite writes (Embedding, Conv1D, 1-D pooling, LayerNormalization, global pooling) and predicts the same', async () => {
    const tf = await tfCpu();
    const model = new Sequential([
      new Embedding(10, 4, { inputLength: 8 }),
      new Conv1D(5, 3, { padding: 'same', activation: 'relu' }),
      new MaxPooling1D({ poolSize: 2 }),
      new LayerNormalization({ epsilon: 1e-2 }),
      new Conv1D(3, 2, { dilationRate: 2 }),
      new AveragePooling1D({ poolSize: 2, strides: 1, padding: 'same' }),
      new GlobalMaxPooling1D(),
      new Dense(2, { activation: 'softmax' }),
    ]);
    randomizeWeights(model, 80);
    const dir = freshDir();
    await saveModel(model, dir);
    const theirs = await loadInTf(dir);
    expect(theirs.layers.map((l) => l.getClassName())).toEqual(model.layers.map((l) => l.className));
    expectClose(tfPredict(tf, theirs, tokens), predictWith(model, tokens), { rtol: 1e-4, atol: 1e-5 });
  });

  // NOTE: TF.js's GlobalAveragePooling1D ignores the mask (its call is a plain mean over the steps),
  // unlike Keras. So TF.js is the oracle for the files and the unmasked math, and Keras's definition,
  // the mean over the unpadded steps, is the oracle for the masked path: the same layers run on each
  // sequence with its padding cut off.
  it('neurite loads what TF.js writes; a masked Embedding → GlobalAveragePooling1D averages the unpadded steps', async () => {
    const tf = await tfCpu();
    const tfModel = tf.sequential({
      layers: [
        tf.layers.embedding({ inputDim: 10, outputDim: 3, maskZero: true, inputLength: 6, embeddingsInitializer: 'randomNormal' }),
        tf.layers.globalAveragePooling1d(),
        tf.layers.dense({ units: 2, biasInitializer: 'randomNormal' }),
      ],
    });
    const padded = tensor([[4, 2, 9, 0, 0, 0], [1, 0, 5, 5, 3, 0]]);
    const dir = freshDir();
    await saveFromTf(tfModel, dir);
    const loaded = await loadModel(dir);
    expect((loaded.layers[0] as Embedding).maskZero).toBe(true);
    // TF.js's GlobalAveragePooling1D ignores the mask; neurite's Sequential passes it on as Keras does, so
    // the whole model's prediction is the mean over the unpadded steps (checked below), not TF.js's.
    const masked = runWithMasks(loaded.layers, padded);
    const [, gap, dense] = loaded.layers;
    // The same table in an Embedding without the declared length, for the shorter sequences.
    const emb = new Embedding(10, 3);
    emb.ensureBuilt([null, null]);
    emb.setWeights(loaded.layers[0].getWeights());
    const unpadded = [[4, 2, 9], [1, 5, 5, 3]].map((row) => noGrad(() => dense.apply(new GlobalAveragePooling1D().apply(emb.apply(tensor([row]))))));
    expectClose(masked, [...unpadded[0].data, ...unpadded[1].data], { rtol: 1e-5, atol: 1e-6 });
    expectClose(predictWith(loaded, padded), masked, { rtol: 1e-6, atol: 1e-7 });
    void gap;
  });

  it('Masking → GlobalAveragePooling1D: TF.js reads the file; the masked mean covers the unmasked steps', async () => {
    const tf = await tfCpu();
    const model = new Sequential([new Masking({ maskValue: -1, inputShape: [4, 2] }), new GlobalAveragePooling1D(), new Dense(1)]);
    randomizeWeights(model, 90);
    const x = tensor([[[1, 2], [-1, -1], [3, -1], [-1, -1]], [[0.5, 1], [2, 2], [-1, -1], [4, 1]]]);
    const dir = freshDir();
    await saveModel(model, dir);
    const theirs = await loadInTf(dir);
    // TF.js reads the file (same weights); its pooling ignores masks, so predictions are compared with Keras's semantics below.
    expectClose(theirs.getWeights()[0].dataSync() as Float32Array, model.getWeights()[0].data);
    const kept = [[[1, 2], [3, -1]], [[0.5, 1], [2, 2], [4, 1]]];
    const dense = model.layers[2];
    const expected = kept.flatMap((steps) => Array.from(noGrad(() => dense.apply(new GlobalAveragePooling1D().apply(tensor([steps])))).data));
    expectClose(runWithMasks(model.layers, x), expected, { rtol: 1e-5, atol: 1e-6 });
    expectClose(predictWith(model, x), expected, { rtol: 1e-5, atol: 1e-6 });
  });
});

describe('sequence layers TF.js lacks, in neurite files', () => {
  it('a model with causal Conv1D, UpSampling1D, ZeroPadding1D, Cropping1D and keepdims pooling saves and loads bit-identically', async () => {
    const model = new Sequential([
      new Conv1D(3, 3, { padding: 'causal', dilationRate: 2, inputShape: [6, 2] }),
      new UpSampling1D({ size: 2 }),
      new ZeroPadding1D({ padding: [1, 2] }),
      new Cropping1D({ cropping: [2, 1] }),
      new GlobalAveragePooling1D({ keepdims: true }),
      new Dense(2),
    ]);
    randomizeWeights(model, 95);
    const x = seededTensor([2, 6, 2], 96);
    const dir = freshDir();
    await saveModel(model, dir);
    const loaded = await loadModel(dir);
    expect(loaded.layers.map((l) => l.getConfig())).toEqual(model.layers.map((l) => l.getConfig()));
    expect(predictWith(loaded, x).data).toEqual(predictWith(model, x).data);
    expect(predictWith(loaded, x).shape).toEqual([2, 1, 2]);
  });
});
