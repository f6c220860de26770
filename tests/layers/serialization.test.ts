import { describe, expect, it } from 'vitest';
import type * as tfTypes from '@tensorflow/tfjs';
import { layerClassNames, layerFromConfig } from '../../src/layers/serialization.js';
import { Layer, Shape } from '../../src/layers/layer.js';
import { Dense } from '../../src/layers/dense.js';
import { GRU } from '../../src/layers/rnn/gru.js';
import { LSTM } from '../../src/layers/rnn/lstm.js';
import { RNN } from '../../src/layers/rnn/rnn.js';
import { MaxPooling2D } from '../../src/layers/max-pooling2d.js';
import { AveragePooling2D } from '../../src/layers/average-pooling2d.js';
import { NeuriteError } from '../../src/util/errors.js';
import { tfCpu } from '../helpers/tf.js';
import { tfjsGoldens } from './goldens.js';

/** TF.js's own reading of a layer config: a one-layer model from JSON, and its weight shapes. */
async function tfWeightShapes(entry: { class_name: string; config: Record<string, unknown> }): Promise<number[][]> {
  const tf = await tfCpu();
  const model = await tf.models.modelFromJSON({
    modelTopology: { class_name: 'Sequential', config: { name: 'probe', layers: [entry] } },
  } as unknown as tfTypes.io.ModelJSON);
  return model.layers[0].getWeights().map((w) => w.shape);
}

function built(layer: Layer, config: Record<string, unknown>): Layer {
  layer.ensureBuilt(config.batch_input_shape as Shape);
  return layer;
}

describe('layerFromConfig', () => {
  it('rebuilds every TF.js-written golden with exactly the same config', () => {
    for (const [what, golden] of Object.entries(tfjsGoldens)) {
      if (what === 'lstmTfjsDefaults') continue;
      const layer = layerFromConfig(golden.class_name, golden.config);
      expect(layer.className, what).toBe(golden.class_name);
      expect(layer.getConfig(), what).toEqual(golden.config);
    }
  });

  it("reads TF.js's unset unit_forget_bias (null) as its default, false", () => {
    const golden = tfjsGoldens.lstmTfjsDefaults;
    const layer = layerFromConfig(golden.class_name, golden.config) as LSTM;
    expect(layer.cell.unitForgetBias).toBe(false);
    expect(layer.cell.recurrentActivation).toBe('legacy_hard_sigmoid');
    expect(layer.getConfig()).toEqual({ ...golden.config, unit_forget_bias: false });
  });

  it('gives every golden the weight shapes TF.js gives it', async () => {
    for (const [what, golden] of Object.entries(tfjsGoldens)) {
      const layer = built(layerFromConfig(golden.class_name, golden.config), golden.config);
      expect(layer.getWeights().map((w) => [...w.shape]), what).toEqual(await tfWeightShapes(golden));
    }
  });

  it('writes configs TF.js loads back with the same weight shapes (TF.js-supported options)', async () => {
    const layers: Layer[] = [
      new Dense(3, { activation: 'legacy_hard_sigmoid', inputShape: [4], kernelInitializer: 'he_uniform' }),
      new LSTM(2, { recurrentActivation: 'legacy_hard_sigmoid', returnSequences: true, inputShape: [4, 3] }),
      new GRU(2, { resetAfter: false, inputShape: [4, 3], biasInitializer: 'ones' }),
      new MaxPooling2D({ poolSize: [2, 3], inputShape: [4, 6, 2] }),
    ];
    for (const layer of layers) {
      const config = layer.getConfig();
      built(layer, config);
      expect(await tfWeightShapes({ class_name: layer.className, config }), layer.name).toEqual(layer.getWeights().map((w) => [...w.shape]));
    }
  });

  it('accepts the aliases and lists the supported classes for unknown ones', () => {
    expect(layerFromConfig('MaxPool2D', { pool_size: [2, 2] })).toBeInstanceOf(MaxPooling2D);
    expect(layerFromConfig('AvgPool2D', {})).toBeInstanceOf(AveragePooling2D);
    expect(layerClassNames()).toEqual(expect.arrayContaining(['Dense', 'Conv2D', 'LSTM', 'GRU', 'SimpleRNN', 'RNN', 'Dropout', 'MaxPool2D']));
    expect(() => layerFromConfig('Conv3D', {})).toThrow(NeuriteError);
    expect(() => layerFromConfig('Conv3D', {})).toThrow(layerClassNames().join(', '));
  });

  it('reads a config in the Keras 3 shape (dtype policy object, module keys)', () => {
    // Hand-written in the layout Keras 3 uses for get_config(); not a recorded golden.
    const layer = layerFromConfig('Dense', {
      name: 'dense_k3',
      trainable: true,
      dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null },
      units: 3,
      activation: 'relu',
      use_bias: true,
      kernel_initializer: { module: 'keras.initializers', class_name: 'GlorotUniform', config: { seed: null }, registered_name: null },
      bias_initializer: { module: 'keras.initializers', class_name: 'Zeros', config: {}, registered_name: null },
      kernel_regularizer: null,
      bias_regularizer: null,
      kernel_constraint: null,
      bias_constraint: null,
    }) as Dense;
    expect(layer.units).toBe(3);
    expect(layer.getConfig().kernel_initializer).toEqual({ class_name: 'GlorotUniform', config: { seed: null } });
  });

  it('refuses configs using features neurite lacks, naming the key', () => {
    const dense = tfjsGoldens.denseRelu.config;
    expect(() => layerFromConfig('Dense', { ...dense, kernel_regularizer: { class_name: 'OrthogonalRegularizer', config: { factor: 0.01 } } })).toThrow(
      /kernelRegularizer: unknown regularizer "OrthogonalRegularizer"; known: .*L1L2/,
    );
    expect(() => layerFromConfig('Dense', { ...dense, dtype: 'float16' })).toThrow(/float32/);
    const lstm = tfjsGoldens.lstmKeras.config;
    expect(() => layerFromConfig('LSTM', { ...lstm, time_major: true })).toThrow(/time_major/);
    expect(() => layerFromConfig('LSTM', { ...lstm, recurrent_regularizer: { class_name: 'L3', config: { l3: 0.01 } } })).toThrow(/recurrentRegularizer/);
    const conv = tfjsGoldens.conv2dSame.config;
    expect(() => layerFromConfig('Conv2D', { ...conv, data_format: 'channels_first' })).toThrow(/channelsLast/);
    expect(() => layerFromConfig('Dense', { activation: 'relu' })).toThrow(/'units'/);
  });

  it('rebuilds a generic RNN with its nested cell', () => {
    const golden = tfjsGoldens.rnnGruCell;
    const layer = layerFromConfig('RNN', golden.config) as RNN;
    expect(layer.cell.className).toBe('GRUCell');
    expect(() => layerFromConfig('RNN', { ...golden.config, cell: { class_name: 'Dense', config: { units: 2 } } })).toThrow(/not a recurrent cell/);
  });
});
