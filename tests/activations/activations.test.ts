import { describe, expect, it } from 'vitest';
import type * as tfTypes from '@tensorflow/tfjs';
import { activationIds, canonicalActivation, configActivationId, getActivation, serializeActivation } from '../../src/activations/activations.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { valueAndGrad } from '../../src/autograd/backward.js';
import { mul } from '../../src/ops/arithmetic.js';
import { sum } from '../../src/ops/reduction.js';
import { ValueError } from '../../src/util/errors.js';
import { expectClose } from '../helpers/close.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { seededArray, seededTensor } from '../helpers/seeded.js';
import { tfCpu, tfData } from '../helpers/tf.js';

// Names TF.js 4.22 writes in model.json for `activation` (a Dense saved with each TF.js name, in a
// scratch script with tf.io.withSaveHandler): its camelCase names converted to snake_case.
const tfjsWritten: Record<string, string> = {
  elu: 'elu', hardSigmoid: 'hard_sigmoid', linear: 'linear', relu: 'relu', relu6: 'relu6', selu: 'selu',
  sigmoid: 'sigmoid', softmax: 'softmax', softplus: 'softplus', softsign: 'softsign', tanh: 'tanh',
  swish: 'swish', mish: 'mish', gelu: 'gelu', gelu_new: 'gelu_new', logSoftmax: 'log_softmax',
};

// Inputs spread over [−8, 8], avoiding the kinks at 0 and 6 and hard_sigmoid's at ±2.5 where
// finite differences straddle two pieces.
function inputs(): Tensor {
  const x = seededTensor([3, 7], 21, -8, 8);
  for (let i = 0; i < x.size; i++) {
    for (const kink of [0, 6, 2.5, -2.5]) if (Math.abs(x.data[i] - kink) < 0.05) x.data[i] += 0.1;
  }
  return x;
}

describe('activation registry', () => {
  it('serializes every TF.js name as TF.js writes it, and reads that back', () => {
    for (const [tfName, written] of Object.entries(tfjsWritten)) {
      // In code, 'hardSigmoid' is Keras 3's relu6(x + 3) / 6; TF.js's function is 'legacyHardSigmoid'.
      const ours = tfName === 'hardSigmoid' ? 'legacyHardSigmoid' : tfName;
      expect(serializeActivation(ours), tfName).toBe(written);
      expect(serializeActivation(configActivationId(written) as string), written).toBe(written);
    }
    expect(serializeActivation('hard_sigmoid')).toBe('keras_hard_sigmoid');
    expect(configActivationId('keras_hard_sigmoid')).toBe('keras_hard_sigmoid');
    expect(canonicalActivation('keras_hard_sigmoid')).toBe('hard_sigmoid');
  });

  it('maps null to linear, silu to swish, and refuses unknown names listing the valid ones', () => {
    expect(canonicalActivation(null)).toBe('linear');
    expect(canonicalActivation(undefined)).toBe('linear');
    expect(canonicalActivation('silu')).toBe('swish');
    expect(canonicalActivation('leakyRelu')).toBe('leaky_relu');
    expect(() => getActivation('relu7')).toThrow(ValueError);
    expect(() => getActivation('relu7')).toThrow(activationIds.join(', '));
  });

  it('equals TF.js (forward and gradient) for every activation TF.js knows', async () => {
    const tf = await tfCpu();
    const x = inputs();
    const w = seededArray(x.size, 3);
    for (const [tfName, id] of Object.entries(tfjsWritten)) {
      // A config's id, read as a config is read ('hard_sigmoid' there is TF.js's form).
      const f = getActivation(configActivationId(id) as string);
      const { value, grads } = valueAndGrad((t) => sum(mul(f(t), new Tensor(w, x.shape))))(x);
      const layer = tf.layers.activation({ activation: tfName as never });
      const xTf = tf.tensor(Array.from(x.data), [...x.shape]);
      const wTf = tf.tensor(Array.from(w), [...x.shape]);
      const yTf = layer.apply(xTf) as tfTypes.Tensor;
      expectClose(f(x), tfData(yTf), { rtol: 1e-4, atol: 1e-5 });
      const g = tf.grad((t: tfTypes.Tensor) => tf.sum(tf.mul(layer.apply(t) as tfTypes.Tensor, wTf)))(xTf);
      expectClose(grads[0], tfData(g), { rtol: 1e-4, atol: 1e-5 });
      expect(value.shape).toEqual([]);
    }
  });

  it('leaky_relu and exponential (unknown to TF.js) follow their closed forms', () => {
    const x = inputs();
    expectClose(getActivation('leaky_relu')(x), Array.from(x.data, (v) => (v > 0 ? v : 0.2 * v)));
    expectClose(getActivation('exponential')(x), Array.from(x.data, Math.exp), { rtol: 1e-5 });
  });

  it('gradients of every activation pass a finite-difference check', () => {
    const x = seededTensor([2, 5], 4, -3, 3);
    for (let i = 0; i < x.size; i++) for (const kink of [0, 2.5, -2.5]) if (Math.abs(x.data[i] - kink) < 0.05) x.data[i] += 0.1;
    for (const id of activationIds) gradcheck(getActivation(id), [x], { eps: 1e-3 });
  });
});
