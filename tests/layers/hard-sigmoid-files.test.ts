import { describe, expect, it } from 'vitest';
import { Dense } from '../../src/layers/dense.js';
import { LSTM } from '../../src/layers/rnn/lstm.js';
import { Activation } from '../../src/layers/activation.js';
import { Sequential } from '../../src/models/sequential.js';
import { modelToArtifacts, saveModel } from '../../src/models/persistence.js';
import { loadModel, modelFromArtifacts } from '../../src/models/load-model.js';
import { ModelArtifacts } from '../../src/io/artifacts.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { expectClose } from '../helpers/close.js';
import { seededTensor } from '../helpers/seeded.js';
import { tfCpu } from '../helpers/tf.js';
import { cleanUpDirs, freshDir, loadInTf, predictWith, saveFromTf, tfPredict } from '../io/tf-files.js';

cleanUpDirs();

// The two definitions, in float64 from their formulas.
const keras3 = (v: number): number => Math.min(6, Math.max(0, v + 3)) / 6;
const legacy = (v: number): number => Math.min(1, Math.max(0, 0.2 * v + 0.5));

/** f(x·W + b) in float64 for a Dense of `units` on [batch, n] inputs. */
function denseReference(x: Tensor, kernel: Tensor, bias: Tensor, f: (v: number) => number): number[] {
  const [batch, n] = x.shape;
  const units = bias.size;
  const out: number[] = [];
  for (let b = 0; b < batch; b++) {
    for (let u = 0; u < units; u++) {
      let z = bias.data[u];
      for (let i = 0; i < n; i++) z += x.data[b * n + i] * kernel.data[i * units + u];
      out.push(f(z));
    }
  }
  return out;
}

/** A Dense model with weights large enough that x·W + b spans both hard sigmoids' kinks (±2.5, ±3). */
function denseModel(activation: 'hard_sigmoid' | 'legacy_hard_sigmoid'): Sequential {
  const model = new Sequential([new Dense(4, { activation, inputShape: [3] })]);
  const [kernel, bias] = model.getWeights();
  model.setWeights([seededTensor([...kernel.shape], 5, -3, 3), seededTensor([...bias.shape], 6, -1, 1)]);
  return model;
}

const x = seededTensor([6, 3], 9, -2, 2);

/** The artifacts with the topology rewritten by `edit` (a JSON copy). */
function withTopology(artifacts: ModelArtifacts, edit: (topology: Record<string, unknown>) => void): ModelArtifacts {
  const topology = JSON.parse(JSON.stringify(artifacts.modelTopology)) as Record<string, unknown>;
  edit(topology);
  return { ...artifacts, modelTopology: topology as never };
}

function firstLayerConfig(topology: Record<string, unknown>): Record<string, unknown> {
  return ((topology.config as { layers: { config: Record<string, unknown> }[] }).layers[0]).config;
}

describe("hard_sigmoid: Keras 3's in code and Keras 3 files, TF.js's in TF.js and Keras 2 files", () => {
  it('code: hard_sigmoid is relu6(x + 3) / 6, legacy_hard_sigmoid is clip(0.2x + 0.5) (float64 references)', () => {
    for (const [id, f] of [['hard_sigmoid', keras3], ['legacy_hard_sigmoid', legacy]] as const) {
      const model = denseModel(id);
      const [kernel, bias] = model.getWeights();
      const expected = denseReference(x, kernel, bias, f);
      expectClose(predictWith(model, x), expected, { rtol: 1e-5, atol: 1e-6 });
      // The two really differ on these inputs, so the comparison above can tell them apart.
      const other = denseReference(x, kernel, bias, f === keras3 ? legacy : keras3);
      expect(Math.max(...expected.map((v, i) => Math.abs(v - other[i])))).toBeGreaterThan(0.05);
    }
  });

  it('a file says hard_sigmoid: Keras 3 (keras_version 3.x, string or function object) means relu6(x + 3) / 6, TF.js and Keras 2 mean 0.2x + 0.5', () => {
    const model = denseModel('legacy_hard_sigmoid');
    const [kernel, bias] = model.getWeights();
    const artifacts = modelToArtifacts(model);
    expect(firstLayerConfig(artifacts.modelTopology as never).activation).toBe('hard_sigmoid');
    const cases: [string, (t: Record<string, unknown>) => void, (v: number) => number, string][] = [
      ['neurite / TF.js file', () => undefined, legacy, 'legacy_hard_sigmoid'],
      ['tfjs-layers keras_version', (t) => { t.keras_version = 'tfjs-layers 4.22.0'; }, legacy, 'legacy_hard_sigmoid'],
      ['Keras 2 file', (t) => { t.keras_version = '2.15.0'; }, legacy, 'legacy_hard_sigmoid'],
      ['Keras 3 file', (t) => { t.keras_version = '3.8.0'; }, keras3, 'hard_sigmoid'],
      ['Keras 3 function object', (t) => {
        t.keras_version = '3.8.0';
        firstLayerConfig(t).activation = { module: 'keras.activations', class_name: 'function', config: 'hard_sigmoid', registered_name: 'function' };
      }, keras3, 'hard_sigmoid'],
    ];
    for (const [what, edit, f, id] of cases) {
      const loaded = modelFromArtifacts(withTopology(artifacts, edit), what);
      expect((loaded.layers[0] as Dense).activation, what).toBe(id);
      expectClose(predictWith(loaded, x), denseReference(x, kernel, bias, f), { rtol: 1e-5, atol: 1e-6 });
    }
  });

  it('saving round-trips both without changing the math; hard_sigmoid is written keras_hard_sigmoid', () => {
    const model = new Sequential([
      new LSTM(3, { recurrentActivation: 'hard_sigmoid', returnSequences: true, inputShape: [4, 3] }),
      new LSTM(2, { recurrentActivation: 'legacy_hard_sigmoid', returnSequences: true }),
      new Activation('hard_sigmoid'),
      new Dense(2, { activation: 'legacy_hard_sigmoid' }),
    ]);
    const seq = seededTensor([2, 4, 3], 3, -3, 3);
    const before = predictWith(model, seq);
    const artifacts = modelToArtifacts(model);
    const layers = (artifacts.modelTopology.config as unknown as { layers: { config: Record<string, unknown> }[] }).layers;
    expect(layers.map((l) => l.config.recurrent_activation ?? l.config.activation)).toEqual(['keras_hard_sigmoid', 'hard_sigmoid', 'keras_hard_sigmoid', 'hard_sigmoid']);
    const back = modelFromArtifacts(artifacts);
    expect(back.layers.map((l) => (l as unknown as { cell?: { recurrentActivation: string }; activation?: string }).cell?.recurrentActivation ?? (l as Dense).activation))
      .toEqual(['hard_sigmoid', 'legacy_hard_sigmoid', 'hard_sigmoid', 'legacy_hard_sigmoid']);
    expect(Array.from(predictWith(back, seq).data)).toEqual(Array.from(before.data));
  });

  it("an LSTM file TF.js wrote (recurrent_activation hard_sigmoid, TF.js's default) predicts as TF.js", async () => {
    const tf = await tfCpu();
    const theirs = tf.sequential({ layers: [
      tf.layers.lstm({ units: 3, inputShape: [5, 2], returnSequences: true, recurrentActivation: 'hardSigmoid', kernelInitializer: 'randomUniform', recurrentInitializer: 'randomUniform', biasInitializer: 'randomUniform' }),
      tf.layers.gru({ units: 2, recurrentActivation: 'hardSigmoid' }),
      tf.layers.dense({ units: 2, activation: 'hardSigmoid' }),
    ] });
    // Scaled weights push the gates' pre-activations past ±2.5, where the two hard sigmoids part.
    theirs.setWeights(theirs.getWeights().map((w) => tf.mul(w, 4)));
    const dir = freshDir();
    await saveFromTf(theirs, dir);
    const ours = await loadModel(dir);
    expect((ours.layers[0] as LSTM).cell.recurrentActivation).toBe('legacy_hard_sigmoid');
    const seq = seededTensor([3, 5, 2], 4, -2, 2);
    expectClose(predictWith(ours, seq), tfPredict(tf, theirs, seq), { rtol: 1e-4, atol: 1e-5 });
    // Read with Keras 3's meaning the same weights predict something else, so the test can fail.
    const keras3Reading = new Sequential([
      new LSTM(3, { inputShape: [5, 2], returnSequences: true, recurrentActivation: 'hard_sigmoid', unitForgetBias: false }),
      new (await import('../../src/layers/rnn/gru.js')).GRU(2, { recurrentActivation: 'hard_sigmoid', resetAfter: false }),
      new Dense(2, { activation: 'hard_sigmoid' }),
    ]);
    predictWith(keras3Reading, seq);
    keras3Reading.setWeights(ours.getWeights());
    const a = predictWith(keras3Reading, seq).data;
    const b = predictWith(ours, seq).data;
    expect(Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])))).toBeGreaterThan(1e-3);
  });

  it('TF.js reads our legacy hard_sigmoid and predicts the same; it refuses keras_hard_sigmoid instead of computing another function', async () => {
    const tf = await tfCpu();
    const legacyModel = new Sequential([new LSTM(3, { recurrentActivation: 'legacy_hard_sigmoid', inputShape: [4, 3] }), new Dense(2, { activation: 'legacy_hard_sigmoid' })]);
    const seq = seededTensor([2, 4, 3], 8, -3, 3);
    predictWith(legacyModel, seq);
    legacyModel.setWeights(legacyModel.getWeights().map((w, i) => seededTensor([...w.shape], 20 + i, -2, 2)));
    const dir = freshDir();
    await saveModel(legacyModel, dir);
    expectClose(predictWith(legacyModel, seq), tfPredict(tf, await loadInTf(dir), seq), { rtol: 1e-4, atol: 1e-5 });
    const keras3Model = denseModel('hard_sigmoid');
    const dir3 = freshDir();
    await saveModel(keras3Model, dir3);
    await expect(loadInTf(dir3)).rejects.toThrow(/keras_hard_sigmoid|kerasHardSigmoid/);
  });
});
