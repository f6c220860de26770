import { describe, expect, it } from 'vitest';
import { Sequential } from '../../src/models/sequential.js';
import { Model } from '../../src/models/model.js';
import { Input } from '../../src/layers/input-layer.js';
import { Dense } from '../../src/layers/dense.js';
import { Activation } from '../../src/layers/activation.js';
import { Dropout } from '../../src/layers/dropout.js';
import { Flatten } from '../../src/layers/flatten.js';
import { ReLU, LeakyReLU, ELU, Softmax, ThresholdedReLU } from '../../src/layers/activations/simple-activations.js';
import { PReLU } from '../../src/layers/activations/prelu.js';
import { Reshape } from '../../src/layers/reshaping/reshape.js';
import { Permute } from '../../src/layers/reshaping/permute.js';
import { RepeatVector } from '../../src/layers/reshaping/repeat-vector.js';
import { GaussianNoise, GaussianDropout, AlphaDropout } from '../../src/layers/regularization/noise-layers.js';
import { activationIds } from '../../src/activations/activations.js';
import { setSeed } from '../../src/util/random.js';
import { expectOrtMatches, inputsFor } from './ort-helper.js';
import { seededTensor } from '../helpers/seeded.js';
import { Tensor } from '../../src/tensor/tensor.js';

const seq = (layers: ConstructorParameters<typeof Sequential>[0]): Sequential => new Sequential(layers);

describe('exportOnnx: Dense and activations', () => {
  it('Dense (Gemm) with every activation id matches predict in ONNX Runtime, batch 1 and 4', async () => {
    setSeed(1);
    for (const id of activationIds) {
      const m = seq([new Dense(5, { activation: id, inputShape: [4] })]);
      await expectOrtMatches(m, (n) => [seededTensor([n, 4], n, -3, 3)], { batches: [1, 4] });
    }
  });

  it('Dense on rank-3 input (MatMul + Add), no bias', async () => {
    setSeed(2);
    const m = seq([new Dense(3, { inputShape: [2, 4], activation: 'tanh' }), new Dense(2, { useBias: false })]);
    await expectOrtMatches(m, (n) => inputsFor(m, n));
  });

  it('activation layers with their options', async () => {
    setSeed(3);
    const m = seq([
      new Dense(6, { inputShape: [3] }),
      new ReLU({ maxValue: 0.8, negativeSlope: 0.1, threshold: 0.05 }),
      new Dense(6),
      new ReLU(),
      new Dense(6),
      new LeakyReLU({ negativeSlope: 0.25 }),
      new ELU({ alpha: 0.7 }),
      new ThresholdedReLU({ theta: 0.1 }),
      new Dense(6),
      new Softmax(),
      new Activation('selu'),
    ]);
    await expectOrtMatches(m, (n) => [seededTensor([n, 3], 7 + n, -2, 2)]);
  });

  it('PReLU with trained (non-zero) alpha and shared axes', async () => {
    setSeed(4);
    const m = seq([new Reshape([2, 3], { inputShape: [6] }), new PReLU({ alphaInitializer: 'random_normal', sharedAxes: [1] })]);
    await expectOrtMatches(m, (n) => inputsFor(m, n));
  });
});

describe('exportOnnx: reshaping and inference-only layers', () => {
  it('Flatten / Reshape / Permute / RepeatVector, dropout and noise as identity', async () => {
    setSeed(5);
    const m = seq([
      new Reshape([3, 4], { inputShape: [12] }),
      new Permute([2, 1]),
      new Dropout(0.5),
      new GaussianNoise(0.3),
      new GaussianDropout(0.3),
      new AlphaDropout(0.3),
      new Flatten(),
      new Dense(2),
      new RepeatVector(3),
    ]);
    await expectOrtMatches(m, (n) => inputsFor(m, n));
  });

  it('a fixed batch size when dynamicBatch is false', async () => {
    setSeed(6);
    const m = seq([new Dense(2, { inputShape: [3] })]);
    const s = await expectOrtMatches(m, (n) => inputsFor(m, n), { batches: [2], options: { dynamicBatch: false, batchSize: 2 } });
    await expect(s.run({ [s.inputNames[0]]: new (await import('onnxruntime-node')).Tensor('float32', new Float32Array(9), [3, 3]) })).rejects.toThrow();
  });
});

describe('exportOnnx: model kinds', () => {
  it('functional model with two inputs and two outputs, custom names', async () => {
    setSeed(7);
    const a = Input({ shape: [3], name: 'a' });
    const h = new Dense(4, { activation: 'relu' }).apply(a);
    const y1 = new Dense(2).apply(h);
    const y2 = new Dense(1, { activation: 'sigmoid' }).apply(h);
    const m = new Model({ inputs: a, outputs: [y1, y2] });
    const s = await expectOrtMatches(m, (n) => inputsFor(m, n), { options: { inputNames: ['x'], outputNames: ['logits', 'p'] } });
    expect(s.inputNames).toEqual(['x']);
    expect(s.outputNames).toEqual(['logits', 'p']);
  });

  it('subclassed model traced through its layer.apply calls', async () => {
    setSeed(8);
    class Net extends Model {
      d1 = new Dense(4, { activation: 'relu' });
      d2 = new Dense(2);
      override call(x: Tensor): Tensor {
        return this.d2.apply(this.d1.apply(x));
      }
    }
    const m = new Net();
    m.predict(seededTensor([1, 3], 1));
    const bytes = (await import('../../src/export/export-onnx.js')).toOnnx(m);
    const { session, runOrt } = await import('./ort-helper.js');
    const s = await session(bytes);
    for (const n of [1, 5]) {
      const x = seededTensor([n, 3], n);
      const [got] = await runOrt(s, [x]);
      const want = m.predict(x) as Tensor;
      expect(got.shape).toEqual(want.shape);
      expect(Array.from(got.data).every((v, i) => Math.abs(v - want.data[i]) <= 1e-5 * (1 + Math.abs(want.data[i])))).toBe(true);
    }
    // The trace leaves no nodes behind on the layers.
    expect(m.d1.inboundNodes.length).toBe(0);
  });

  it('a Sequential nested in a functional model is inlined', async () => {
    setSeed(9);
    const inner = seq([new Dense(3, { inputShape: [2], activation: 'tanh' })]);
    const x = Input({ shape: [2] });
    const m = new Model({ inputs: x, outputs: new Dense(1).apply(inner.apply(x)) });
    await expectOrtMatches(m, (n) => inputsFor(m, n));
  });
});
