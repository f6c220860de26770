import { describe, expect, it } from 'vitest';
import { getInitializer, initializerIds } from '../../src/initializers/initializers.js';
import {
  checkInitializerSpec,
  deserializeInitializer,
  initializerClassNames,
  resolveInitializer,
  serializeInitializer,
} from '../../src/initializers/serialization.js';
import { setSeed } from '../../src/util/random.js';
import { NeuriteError, ValueError } from '../../src/util/errors.js';

// Goldens: `kernel_initializer` of a Dense layer as TF.js 4.22 writes it in model.json
// (tf.sequential([...]).save(tf.io.withSaveHandler(...)) in a scratch script).
const tfjsWritten = {
  glorotUniform: { class_name: 'VarianceScaling', config: { scale: 1, mode: 'fan_avg', distribution: 'uniform', seed: null } },
  glorotNormal: { class_name: 'VarianceScaling', config: { scale: 1, mode: 'fan_avg', distribution: 'normal', seed: null } },
  heNormalSeeded: { class_name: 'VarianceScaling', config: { scale: 2, mode: 'fan_in', distribution: 'normal', seed: 9 } },
  fanOutUniform: { class_name: 'VarianceScaling', config: { scale: 2, mode: 'fan_out', distribution: 'uniform', seed: 4 } },
  truncatedVs: { class_name: 'VarianceScaling', config: { scale: 1, mode: 'fan_in', distribution: 'truncated_normal', seed: null } },
  orthogonal: { class_name: 'Orthogonal', config: { gain: 2, seed: null } },
  randomNormal: { class_name: 'RandomNormal', config: { mean: 1, stddev: 2, seed: 3 } },
  randomUniform: { class_name: 'RandomUniform', config: { minval: -1, maxval: 2, seed: null } },
  truncatedNormal: { class_name: 'TruncatedNormal', config: { mean: 0, stddev: 0.05, seed: null } },
  constant: { class_name: 'Constant', config: { value: 0.5 } },
  zeros: { class_name: 'Zeros', config: {} },
  ones: { class_name: 'Ones', config: {} },
};

describe('initializer serialization', () => {
  it('writes ids in their Keras class form', () => {
    expect(serializeInitializer('glorot_uniform')).toEqual({ class_name: 'GlorotUniform', config: { seed: null } });
    expect(serializeInitializer('heNormal')).toEqual({ class_name: 'HeNormal', config: { seed: null } });
    expect(serializeInitializer('zeros')).toEqual({ class_name: 'Zeros', config: {} });
    expect(serializeInitializer('orthogonal')).toEqual({ class_name: 'Orthogonal', config: { gain: 1, seed: null } });
  });

  it('every id round-trips: deserialize(serialize(id)) draws what getInitializer(id) draws', () => {
    for (const id of initializerIds) {
      const config = serializeInitializer(id);
      expect(JSON.parse(JSON.stringify(config)), id).toEqual(config);
      setSeed(3);
      const direct = getInitializer(id)([4, 5]).data;
      setSeed(3);
      const viaConfig = deserializeInitializer(config)([4, 5]).data;
      expect(Array.from(viaConfig), id).toEqual(Array.from(direct));
    }
  });

  it('loads every config TF.js writes and keeps it on re-serialization', () => {
    for (const [what, config] of Object.entries(tfjsWritten)) {
      const init = deserializeInitializer(config);
      expect(init([3, 4]).shape, what).toEqual([3, 4]);
      expect(serializeInitializer(config), what).toEqual(config);
    }
  });

  it('applies the loaded parameters', () => {
    // fan_out uniform with scale 2 on [3, 4]: limit sqrt(3·2/4).
    const limit = Math.sqrt(6 / 4);
    const v = deserializeInitializer(tfjsWritten.fanOutUniform)([30, 4]).data;
    expect(Math.max(...Array.from(v, Math.abs))).toBeLessThanOrEqual(limit);
    expect(Math.max(...Array.from(v, Math.abs))).toBeGreaterThan(0.8 * limit);
    expect(Array.from(deserializeInitializer(tfjsWritten.constant)([2]).data)).toEqual([0.5, 0.5]);
    // Seeded configs give the same values on every call, as in Keras.
    const a = deserializeInitializer(tfjsWritten.randomNormal)([5]).data;
    const b = deserializeInitializer(tfjsWritten.randomNormal)([5]).data;
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it('accepts Keras 3 extras (module, registered_name) and both LeCun spellings', () => {
    const keras3 = { module: 'keras.initializers', class_name: 'GlorotUniform', config: { seed: 1 }, registered_name: null };
    expect(deserializeInitializer(keras3)([2, 2]).shape).toEqual([2, 2]);
    expect(deserializeInitializer({ class_name: 'LeCunNormal', config: { seed: null } })([2, 2]).shape).toEqual([2, 2]);
    expect(deserializeInitializer({ class_name: 'LecunUniform', config: {} })([2, 2]).shape).toEqual([2, 2]);
  });

  it('refuses unknown classes (listing the supported ones), unknown keys and bad values', () => {
    expect(() => deserializeInitializer({ class_name: 'Glorot', config: {} })).toThrow(NeuriteError);
    expect(() => deserializeInitializer({ class_name: 'Glorot', config: {} })).toThrow(initializerClassNames.join(', '));
    expect(() => deserializeInitializer({ class_name: 'Zeros', config: { value: 1 } })).toThrow(/unknown config key 'value'/);
    expect(() => deserializeInitializer({ class_name: 'VarianceScaling', config: { mode: 'fan_sideways' } })).toThrow(/fan_in/);
    expect(() => deserializeInitializer({ class_name: 'VarianceScaling', config: { distribution: 'cauchy' } })).toThrow(ValueError);
    expect(() => deserializeInitializer({ class_name: 'RandomNormal', config: { stddev: 'big' } })).toThrow(/stddev/);
  });

  it('a function initializer works but cannot be serialized', () => {
    const f = getInitializer('ones');
    expect(resolveInitializer(f)).toBe(f);
    expect(() => serializeInitializer(f)).toThrow(NeuriteError);
  });

  it('checkInitializerSpec names the caller', () => {
    expect(() => checkInitializerSpec('nope', 'dense (Dense) kernelInitializer')).toThrow(/^dense \(Dense\) kernelInitializer: Unknown initializer/);
    expect(() => checkInitializerSpec(42 as never, 'x')).toThrow(ValueError);
    expect(() => checkInitializerSpec('he_uniform', 'x')).not.toThrow();
  });
});
