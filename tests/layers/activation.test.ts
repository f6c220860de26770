import { describe, expect, it } from 'vitest';
import { Activation } from '../../src/layers/activation.js';
import { getActivation } from '../../src/activations/activations.js';
import { ValueError } from '../../src/util/errors.js';
import { expectClose } from '../helpers/close.js';
import { seededTensor } from '../helpers/seeded.js';
import { tfCpu } from '../helpers/tf.js';
import { tfjsGoldens } from './goldens.js';
import { checkLayer, expectErrorMentioning } from './harness.js';
import { compareWithTf } from './tf-compare.js';

describe('Activation', () => {
  it('passes the layer harness', () => {
    checkLayer(new Activation('relu'), seededTensor([2, 5], 1), []);
    checkLayer(new Activation('softmax'), seededTensor([2, 3, 4], 2), []);
  });

  it('applies the registry function; camelCase names work', () => {
    const x = seededTensor([3, 4], 3, -3, 3);
    expectClose(new Activation('hardSigmoid').apply(x), getActivation('hard_sigmoid')(x));
    expect(new Activation('hardSigmoid').activation).toBe('hard_sigmoid');
  });

  it('equals TF.js forward and gradients', async () => {
    const tf = await tfCpu();
    await compareWithTf(new Activation('softmax'), tf.layers.activation({ activation: 'softmax' }), seededTensor([2, 3, 5], 4));
    await compareWithTf(new Activation('elu'), tf.layers.activation({ activation: 'elu' }), seededTensor([3, 4], 5, -2, 2));
  });

  it('writes the config TF.js writes; unknown names list the valid ones', () => {
    const golden = tfjsGoldens.activation.config;
    expect(new Activation('softmax', { inputShape: [3], name: golden.name as string }).getConfig()).toEqual(golden);
    expectErrorMentioning(() => new Activation('sofmax' as never), ValueError, 'sofmax', 'softmax', 'relu');
  });
});
