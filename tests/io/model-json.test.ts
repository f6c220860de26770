import { describe, expect, it } from 'vitest';
import { NeuriteError } from '../../src/util/errors.js';
import { parseModelJSON, sequentialLayers, toJsonValue } from '../../src/io/model-json.js';
import { ModelArtifacts, toModelJSON } from '../../src/io/artifacts.js';
import { tfCpu } from '../helpers/tf.js';

/** A model.json exactly as TF.js writes it for a small Sequential model. */
async function tfModelJson(): Promise<Record<string, unknown>> {
  const tf = await tfCpu();
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [2], name: 'hidden' }), tf.layers.dense({ units: 1, name: 'out' })] });
  let json: Record<string, unknown> = {};
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      json = { format: a.format, generatedBy: a.generatedBy, convertedBy: a.convertedBy, modelTopology: a.modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }] };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return json;
}

function expectError(f: () => unknown, pattern: RegExp): void {
  expect(f).toThrow(NeuriteError);
  expect(f).toThrow(pattern);
}

describe('parseModelJSON', () => {
  it('accepts what TF.js writes and keeps layers, names and the manifest', async () => {
    const raw = await tfModelJson();
    const json = parseModelJSON(JSON.stringify(raw), 'm/model.json');
    expect(json.format).toBe('layers-model');
    expect(json.generatedBy).toMatch(/TensorFlow\.js/);
    expect(json.modelTopology.class_name).toBe('Sequential');
    expect(json.modelTopology.config.layers.map((l) => [l.class_name, l.config.name])).toEqual([
      ['Dense', 'hidden'],
      ['Dense', 'out'],
    ]);
    expect(json.weightsManifest[0].weights.map((w) => `${w.name} ${w.shape}`)).toEqual(['hidden/kernel 2,3', 'hidden/bias 3', 'out/kernel 3,1', 'out/bias 1']);
  });

  it('unwraps model_config (the Keras converter) and accepts a missing format (older files)', async () => {
    const raw = await tfModelJson();
    const wrapped = { modelTopology: { keras_version: '2.15.0', backend: 'tensorflow', model_config: raw.modelTopology }, weightsManifest: raw.weightsManifest };
    const json = parseModelJSON(wrapped);
    expect(json.modelTopology.class_name).toBe('Sequential');
    expect(json.modelTopology.keras_version).toBe('2.15.0');
    expect(json.modelTopology.config.layers).toHaveLength(2);
  });

  it('accepts the old Keras form of a Sequential config, a bare list of layers', () => {
    const json = parseModelJSON({ modelTopology: { class_name: 'Sequential', config: [{ class_name: 'Dense', config: { units: 1 } }] }, weightsManifest: [] });
    expect(json.modelTopology.config.layers[0].class_name).toBe('Dense');
  });

  it('round-trips toModelJSON output', () => {
    const artifacts: ModelArtifacts = {
      modelTopology: { class_name: 'Sequential', config: { name: 's', layers: [{ class_name: 'Flatten', config: { name: 'f' } }] } },
      weightSpecs: [{ name: 'iter', shape: [], dtype: 'int32', group: 'optimizer' }],
      weightData: new ArrayBuffer(4),
      trainingConfig: { loss: 'mean_squared_error', optimizer_config: { class_name: 'SGD', config: { learningRate: 0.1 } } },
    };
    const json = toModelJSON(artifacts);
    expect(parseModelJSON(JSON.stringify(json))).toEqual(json);
    expect(json.weightsManifest).toEqual([{ paths: ['weights.bin'], weights: artifacts.weightSpecs }]);
  });

  it('says what is wrong and where for malformed or foreign files', async () => {
    const raw = await tfModelJson();
    expectError(() => parseModelJSON('{"modelTopology": ', 'a/model.json'), /a\/model\.json: is not valid JSON/);
    expectError(() => parseModelJSON('[1, 2]'), /expected a JSON object/);
    expectError(() => parseModelJSON({ ...raw, format: 'graph-model' }), /"format": "layers-model", received "graph-model".*graph model/);
    expectError(() => parseModelJSON({ weightsManifest: [] }), /no "modelTopology"/);
    expectError(() => parseModelJSON({ modelTopology: raw.modelTopology }), /no "weightsManifest"/);
    expectError(() => parseModelJSON({ modelTopology: { class_name: 'Sequential' }, weightsManifest: [] }), /config\.layers/);
    expectError(() => parseModelJSON({ modelTopology: { config: { layers: [] } }, weightsManifest: [] }), /"class_name"/);
    const layerWithoutConfig = { modelTopology: { class_name: 'Sequential', config: { layers: [{ class_name: 'Dense' }] } }, weightsManifest: [] };
    expectError(() => parseModelJSON(layerWithoutConfig), /config\.layers\[0\] \(Dense\).*"config" object/);
    expectError(() => parseModelJSON({ ...raw, weightsManifest: {} }), /weightsManifest: expected an array/);
    expectError(() => parseModelJSON({ ...raw, weightsManifest: [{ paths: 'w.bin', weights: [] }] }), /"paths"/);
    const manifest = raw.weightsManifest as { paths: string[]; weights: { name: string; shape: number[] }[] }[];
    const badShape = [{ paths: manifest[0].paths, weights: manifest[0].weights.map((w, i) => (i === 1 ? { ...w, shape: [3, -1] } : w)) }];
    expectError(() => parseModelJSON({ ...raw, weightsManifest: badShape }, 'b/model.json'), /b\/model\.json: weightsManifest\[0\]\.weights\[1\] \('hidden\/bias'\).*\[3,-1\]/);
    expectError(() => parseModelJSON({ ...raw, trainingConfig: { loss: 'mse' } }), /trainingConfig.*optimizer_config/);
  });
});

describe('sequentialLayers', () => {
  const layer = (class_name: string, config: Record<string, unknown> = {}) => ({ class_name, config: config as never });

  it('returns the layers of a Sequential topology', () => {
    const layers = sequentialLayers({ class_name: 'Sequential', config: { name: 's', layers: [layer('Dense', { units: 2 })] } });
    expect(layers).toEqual([layer('Dense', { units: 2 })]);
  });

  it('folds a leading InputLayer into the next layer (Keras 2 batch_input_shape, Keras 3 batch_shape)', () => {
    for (const key of ['batch_input_shape', 'batch_shape']) {
      const topology = { class_name: 'Sequential', config: { name: 's', layers: [layer('InputLayer', { [key]: [null, 5] }), layer('Dense', { units: 2 })] } };
      expect(sequentialLayers(topology)).toEqual([layer('Dense', { units: 2, batch_input_shape: [null, 5] })]);
      // The topology itself is not modified.
      expect(topology.config.layers[1].config).toEqual({ units: 2 });
    }
  });

  it('rejects functional models and misplaced InputLayers', () => {
    expectError(() => sequentialLayers({ class_name: 'Functional', config: { name: 'f', layers: [] } }, 'x.json'), /x\.json: modelTopology: only Sequential.*'Functional'/);
    const late = { class_name: 'Sequential', config: { name: 's', layers: [layer('Dense'), layer('InputLayer', { batch_input_shape: [null, 1] })] } };
    expectError(() => sequentialLayers(late), /InputLayer may only come first/);
    const shapeless = { class_name: 'Sequential', config: { name: 's', layers: [layer('InputLayer'), layer('Dense')] } };
    expectError(() => sequentialLayers(shapeless), /no batch_input_shape/);
  });
});

describe('toJsonValue', () => {
  it('deep-copies plain JSON', () => {
    const value = { a: [1, null, 'x', { b: true }], c: { d: -0.5 } };
    const copy = toJsonValue(value, 'cfg');
    expect(copy).toEqual(value);
    expect(copy).not.toBe(value);
  });

  it('refuses what JSON.stringify would drop or change, naming the path', () => {
    expectError(() => toJsonValue({ act: () => 1 }, 'layer config'), /layer config\.act: a function cannot be written/);
    expectError(() => toJsonValue({ rate: NaN }, 'c'), /c\.rate: NaN cannot be written/);
    expectError(() => toJsonValue({ shape: [1, undefined] }, 'c'), /c\.shape\[1\]: undefined cannot be written/);
    expectError(() => toJsonValue({ t: new Float32Array(2) }, 'c'), /c\.t: a Float32Array instance/);
  });
});
