import { describe, expect, it } from 'vitest';
import type * as tfType from '@tensorflow/tfjs';
import { Sequential } from '../../src/models/sequential.js';
import { Conv1D } from '../../src/layers/conv/conv1d.js';
import { Embedding } from '../../src/layers/core/embedding.js';
import { LayerNormalization } from '../../src/layers/normalization/layer-normalization.js';
import { MultiHeadAttention } from '../../src/layers/attention/multi-head-attention.js';
import { Layer } from '../../src/layers/layer.js';
import { layerFromConfig } from '../../src/layers/serialization.js';
import { saveModel } from '../../src/models/persistence.js';
import { SGD } from '../../src/optimizers/sgd.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { l1, l1l2, l2 } from '../../src/regularizers/regularizers.js';
import { maxNorm, nonNeg } from '../../src/constraints/constraints.js';
import { ValueError } from '../../src/util/errors.js';
import { expectClose } from '../helpers/close.js';
import { seededArray, seededTensor } from '../helpers/seeded.js';
import { tfCpu, tfData } from '../helpers/tf.js';
import { expectErrorMentioning } from '../layers/harness.js';
import { cleanUpDirs, freshDir, loadInTf, predictWith, tfPredict } from '../io/tf-files.js';

cleanUpDirs();

/** A layer with penalties, TF.js's twin, the input (shape and values) and the target shape. */
interface Case {
  ours: () => Layer;
  theirs: (tf: typeof tfType) => tfType.layers.Layer;
  x: () => { shape: number[]; data: Float32Array };
  yShape: number[];
}

const indices = (): { shape: number[]; data: Float32Array } => ({ shape: [4, 3], data: Float32Array.from(seededArray(12, 1, 0, 5), (v) => Math.floor(v)) });

// Weight penalties here are on TF.js layers' own weights, so TF.js's fit counts them (unlike an RNN cell's).
const CASES: Record<string, Case> = {
  Conv1D: {
    ours: () => new Conv1D(3, 2, { inputShape: [5, 2], kernelRegularizer: l1l2({ l1: 0.01, l2: 0.05 }), biasRegularizer: l2(0.2), kernelConstraint: maxNorm({ maxValue: 0.7 }), biasConstraint: nonNeg() }),
    theirs: (tf) => tf.layers.conv1d({ filters: 3, kernelSize: 2, inputShape: [5, 2], kernelRegularizer: tf.regularizers.l1l2({ l1: 0.01, l2: 0.05 }), biasRegularizer: tf.regularizers.l2({ l2: 0.2 }), kernelConstraint: tf.constraints.maxNorm({ maxValue: 0.7 }), biasConstraint: tf.constraints.nonNeg() }),
    x: () => ({ shape: [4, 5, 2], data: seededArray(40, 2) }),
    yShape: [4, 4, 3],
  },
  Embedding: {
    ours: () => new Embedding(5, 4, { inputShape: [3], embeddingsRegularizer: l2(0.1), embeddingsConstraint: maxNorm({ maxValue: 0.5, axis: 1 }) }),
    theirs: (tf) => tf.layers.embedding({ inputDim: 5, outputDim: 4, inputShape: [3], embeddingsRegularizer: tf.regularizers.l2({ l2: 0.1 }), embeddingsConstraint: tf.constraints.maxNorm({ maxValue: 0.5, axis: 1 }) }),
    x: indices,
    yShape: [4, 3, 4],
  },
  LayerNormalization: {
    ours: () => new LayerNormalization({ inputShape: [4], betaRegularizer: l2(0.3), gammaRegularizer: l2(0.2) }),
    theirs: (tf) => tf.layers.layerNormalization({ inputShape: [4], betaRegularizer: tf.regularizers.l2({ l2: 0.3 }), gammaRegularizer: tf.regularizers.l2({ l2: 0.2 }) }),
    x: () => ({ shape: [4, 4], data: seededArray(16, 3) }),
    yShape: [4, 4],
  },
};

describe('regularizers and constraints on Conv1D, Embedding, LayerNormalization, MultiHeadAttention', () => {
  for (const [kind, c] of Object.entries(CASES)) {
    it(`${kind}: two SGD steps (loss with the penalty, constrained weights) equal TF.js's fit; the config round-trips and TF.js reads the file`, async () => {
      const tf = await tfCpu();
      const { shape, data } = c.x();
      const ySize = c.yShape.reduce((a, b) => a * b, 1);
      const y = seededArray(ySize, 4);
      const model = new Sequential([c.ours()]);
      model.setWeights(model.getWeights().map((w, i) => seededTensor([...w.shape], 10 + i, 0.2, 1.2)));
      // TF.js projects weights on setWeights too; starting from projected weights puts both at the same start.
      model.layers[0].applyConstraints();
      const weights = model.getWeights();
      model.compile({ optimizer: new SGD({ learningRate: 0.3 }), loss: 'mse' });
      const h = await model.fit(new Tensor(data, shape), new Tensor(y, c.yShape), { epochs: 2, batchSize: 4, shuffle: false, verbose: 0 });
      const ref = tf.sequential({ layers: [c.theirs(tf)] });
      ref.setWeights(weights.map((w) => tf.tensor(Array.from(w.data), [...w.shape])));
      ref.compile({ optimizer: tf.train.sgd(0.3), loss: 'meanSquaredError' });
      // TF.js's fit counts these layers' penalties but projects weights only when they are written (setWeights with
      // new tensors), not after optimizer steps: one step per fit call, then a write, is its step and then its constraints.
      const theirLosses: number[] = [];
      for (let step = 0; step < 2; step++) {
        const th = await ref.fit(tf.tensor(Array.from(data), shape), tf.tensor(Array.from(y), c.yShape), { epochs: 1, batchSize: 4, shuffle: false, verbose: 0 });
        theirLosses.push(...(th.history.loss as number[]));
        ref.setWeights(ref.getWeights().map((w) => w.clone()));
      }
      expectClose(h.history.loss, theirLosses, { rtol: 1e-5 });
      const after = ref.getWeights();
      model.getWeights().forEach((w, i) => expectClose(w, tfData(after[i]), { rtol: 1e-4, atol: 1e-6 }));
      expect(model.layers[0].regularizationLosses().length).toBeGreaterThan(0);
      if (kind === 'Conv1D') {
        // Every norm over axis 0 is within the max norm (without the write-time projection in the reference, the
        // weights above differ by ~2 %, so the comparison sees the constraint act).
        const k = model.getWeights()[0];
        const rest = k.size / k.shape[0];
        const norms = Array.from({ length: rest }, (_, j) => Math.sqrt(Array.from({ length: k.shape[0] }, (_, i) => k.data[i * rest + j] ** 2).reduce((a, b) => a + b, 0)));
        expect(Math.max(...norms)).toBeLessThanOrEqual(0.7 + 1e-6);
      }

      const layer = model.layers[0];
      const config = layer.getConfig();
      expect(layerFromConfig(layer.className, config).getConfig()).toEqual(config);
      const dir = freshDir();
      await saveModel(model, dir);
      const theirs = await loadInTf(dir);
      const x = new Tensor(data, shape);
      expectClose(predictWith(model, x), tfPredict(tf, theirs, x), { rtol: 1e-4, atol: 1e-5 });
      const tc = theirs.layers[0].getConfig() as Record<string, unknown>;
      const regKey = Object.keys(tc).find((k) => k.endsWith('Regularizer') && tc[k] !== null && k !== 'activityRegularizer');
      expect(regKey, `${kind}: TF.js read a regularizer`).toBeDefined();
    });
  }

  it('activity regularizers on Conv1D and Embedding add l·Σ|y| / l·Σy² of the output', () => {
    const conv = new Conv1D(2, 2, { activityRegularizer: l1(0.5) });
    const y = conv.apply(seededTensor([2, 4, 3], 7));
    expectClose(conv.regularizationLosses()[0], 0.5 * y.data.reduce((s, v) => s + Math.abs(v), 0), { rtol: 1e-5 });
    const emb = new Embedding(4, 2, { activityRegularizer: l2(0.25) });
    const e = emb.apply(new Tensor(Float32Array.from([0, 3, 1]), [1, 3]));
    expectClose(emb.regularizationLosses()[0], 0.25 * e.data.reduce((s, v) => s + v * v, 0), { rtol: 1e-5 });
  });

  it('MultiHeadAttention (TF.js has none): the four kernels and biases are penalized and constrained, by hand', async () => {
    const make = (): MultiHeadAttention => new MultiHeadAttention({ numHeads: 2, keyDim: 3, kernelRegularizer: l2(0.05), biasRegularizer: l1(0.1), kernelConstraint: maxNorm({ maxValue: 0.4, axis: [0, 1] }), biasConstraint: nonNeg(), biasInitializer: 'random_uniform' });
    const q = seededTensor([2, 4, 5], 21);
    const v = seededTensor([2, 3, 5], 22);
    const mha = make();
    mha.applyAttention(q, v);
    const named = mha.namedWeights();
    const kernels = named.filter((w) => w.name.endsWith('kernel')).map((w) => w.value);
    const biases = named.filter((w) => w.name.endsWith('bias')).map((w) => w.value);
    expect([kernels.length, biases.length]).toEqual([4, 4]);
    const expected = kernels.reduce((s2, k) => s2 + 0.05 * k.data.reduce((a, x) => a + x * x, 0), 0) + biases.reduce((s2, b) => s2 + 0.1 * b.data.reduce((a, x) => a + Math.abs(x), 0), 0);
    expectClose(mha.regularizationLosses().reduce((a, t) => a + t.data[0], 0), expected, { rtol: 1e-5 });
    // Moved off, then projected as fit does after each step: every bias >= 0, every kernel's norms over its first two axes <= 0.4.
    for (const w of mha.trainableWeights) w.data.set(w.data.map((x, i) => x + (i % 2 === 0 ? -0.5 : 0.5)));
    mha.applyConstraints();
    for (const b of biases) expect(Math.min(...b.data)).toBeGreaterThanOrEqual(0);
    for (const k of kernels) {
      const last = k.size / (k.shape[0] * k.shape[1]);
      for (let j = 0; j < last; j++) {
        let n = 0;
        for (let i = 0; i < k.shape[0] * k.shape[1]; i++) n += k.data[i * last + j] ** 2;
        expect(Math.sqrt(n)).toBeLessThanOrEqual(0.4 + 1e-5);
      }
    }
    const config = mha.getConfig();
    expect(config.kernel_regularizer).toEqual({ class_name: 'L1L2', config: { l1: 0, l2: 0.05 } });
    expect(config.bias_constraint).toEqual({ class_name: 'NonNeg', config: {} });
    expect(layerFromConfig('MultiHeadAttention', config).getConfig()).toEqual(config);
    expectErrorMentioning(() => layerFromConfig('MultiHeadAttention', { ...config, activity_regularizer: { class_name: 'L2', config: { l2: 1 } } }), Error, 'activity_regularizer');
  });

  it('refuses negative factors and unknown ids, naming the layer', () => {
    expectErrorMentioning(() => new Conv1D(2, 2, { name: 'c1', kernelRegularizer: 'l5' as never }), ValueError, 'c1 (Conv1D) kernelRegularizer', '"l5"');
    expectErrorMentioning(() => new Embedding(3, 2, { name: 'e1', embeddingsRegularizer: { class_name: 'L1', config: { l1: -0.5 } } }), ValueError, 'e1 (Embedding) embeddingsRegularizer', '-0.5');
    expectErrorMentioning(() => new LayerNormalization({ name: 'ln1', gammaConstraint: 'positive' as never }), ValueError, 'ln1 (LayerNormalization) gammaConstraint', '"positive"');
  });
});
