import { describe, expect, it } from 'vitest';
import { Dense } from '../../src/layers/dense.js';
import { tensor } from '../../src/tensor/creation.js';
import { NeuriteError, ShapeError, ValueError } from '../../src/util/errors.js';
import { setSeed } from '../../src/util/random.js';
import { expectClose } from '../helpers/close.js';
import { seededTensor } from '../helpers/seeded.js';
import { tfCpu } from '../helpers/tf.js';
import { tfjsGoldens } from './goldens.js';
import { checkLayer, expectErrorMentioning, gradcheckLayer } from './harness.js';
import { compareWithTf } from './tf-compare.js';

describe('Dense', () => {
  it('passes the layer harness (rank 2 and rank 3 inputs)', () => {
    checkLayer(new Dense(3), seededTensor([2, 4], 1), [[4, 3], [3]]);
    checkLayer(new Dense(5, { useBias: false, activation: 'tanh' }), seededTensor([2, 3, 4], 2), [[4, 5]]);
  });

  it('computes x·W + b by hand', () => {
    const d = new Dense(2, { inputShape: [2] });
    d.ensureBuilt([null, 2]);
    d.setWeights([tensor([[1, 2], [3, 4]]), tensor([0.5, -1])]);
    expectClose(d.apply(tensor([[1, 1], [2, 0]])), [4.5, 5, 2.5, 3]);
  });

  it('equals TF.js forward and gradients on several configurations', async () => {
    const tf = await tfCpu();
    const cases: [Dense, ReturnType<typeof tf.layers.dense>, number[]][] = [
      [new Dense(3, { activation: 'relu' }), tf.layers.dense({ units: 3, activation: 'relu' }), [2, 4]],
      [new Dense(5, { useBias: false, activation: 'tanh' }), tf.layers.dense({ units: 5, useBias: false, activation: 'tanh' }), [2, 3, 7]],
      [new Dense(1, { activation: 'sigmoid' }), tf.layers.dense({ units: 1, activation: 'sigmoid' }), [1, 2, 3, 5]],
      [new Dense(4, { activation: 'softmax', biasInitializer: 'random_normal' }), tf.layers.dense({ units: 4, activation: 'softmax' }), [3, 6]],
    ];
    for (const [ours, theirs, shape] of cases) await compareWithTf(ours, theirs, seededTensor(shape, shape.length + 10));
  });

  it('passes a finite-difference gradient check', () => {
    gradcheckLayer(new Dense(3, { activation: 'tanh', biasInitializer: 'random_normal' }), seededTensor([2, 4], 3));
  });

  it('writes the config TF.js writes', () => {
    const golden = tfjsGoldens.denseRelu.config;
    const d = new Dense(3, {
      activation: 'relu',
      inputShape: [4],
      name: 'dense_Dense1',
      kernelInitializer: { class_name: 'VarianceScaling', config: { scale: 1, mode: 'fan_avg', distribution: 'normal', seed: null } },
    });
    expect(d.getConfig()).toEqual(golden);
  });

  it('defaults to Keras: glorot_uniform kernel within ±sqrt(6/(in+out)), zero bias, linear', () => {
    setSeed(4);
    const d = new Dense(30);
    d.apply(seededTensor([1, 20], 1));
    const [kernel, bias] = d.getWeights();
    expect(Math.max(...Array.from(kernel.data, Math.abs))).toBeLessThanOrEqual(Math.sqrt(6 / 50));
    expect(Array.from(bias.data).every((v) => v === 0)).toBe(true);
    expect(d.getConfig()).toMatchObject({ activation: 'linear', kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } } });
  });

  it('refuses bad config with a message naming the layer and the option', () => {
    for (const units of [0, -2, 1.5]) expectErrorMentioning(() => new Dense(units, { name: 'd_bad' }), ValueError, 'd_bad', 'units', String(units));
    expectErrorMentioning(() => new Dense(2, { activation: 'relu7' as never }), ValueError, 'relu7');
    expectErrorMentioning(() => new Dense(2, { kernelInitializer: 'glorot' }), ValueError, 'kernelInitializer', 'glorot');
  });

  it('refuses bad input and leaves the layer unchanged', () => {
    const d = new Dense(3, { name: 'd_in' });
    expectErrorMentioning(() => d.apply(tensor([1, 2])), ShapeError, 'd_in', '[2]');
    expect(d.built).toBe(false);
    d.apply(seededTensor([2, 4], 1));
    const before = d.getWeights();
    expectErrorMentioning(() => d.apply(seededTensor([2, 5], 1)), ShapeError, 'd_in (Dense)', '[4, 3]', '[2, 5]');
    expectErrorMentioning(() => d.setWeights([tensor([[1, 2, 3]]), tensor([1, 2, 3])]), ShapeError, 'd_in', 'kernel', '[4, 3]', '[1, 3]');
    expectErrorMentioning(() => d.setWeights([before[0]]), NeuriteError, 'd_in', 'expected 2 tensors');
    d.getWeights().forEach((w, i) => expect(Array.from(w.data)).toEqual(Array.from(before[i].data)));
  });

  it('checks a declared inputShape', () => {
    const d = new Dense(2, { inputShape: [3], name: 'd_decl' });
    expectErrorMentioning(() => d.apply(seededTensor([2, 4], 1)), ShapeError, 'd_decl', '[None, 3]', '[2, 4]');
  });
});
