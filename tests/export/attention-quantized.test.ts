import { describe, it } from 'vitest';
import { Sequential } from '../../src/models/sequential.js';
import { Model } from '../../src/models/model.js';
import { Input } from '../../src/layers/input-layer.js';
import { Dense } from '../../src/layers/dense.js';
import { Conv2D } from '../../src/layers/conv2d.js';
import { Flatten } from '../../src/layers/flatten.js';
import { MultiHeadAttention } from '../../src/layers/attention/multi-head-attention.js';
import { quantize } from '../../src/compress/quantize.js';
import { setSeed } from '../../src/util/random.js';
import { expectOrtMatches, inputsFor } from './ort-helper.js';

describe('exportOnnx: MultiHeadAttention as MatMul / Softmax', () => {
  it('self-attention and cross-attention with a separate key, valueDim, outputShape, no bias', async () => {
    setSeed(1);
    const q = Input({ shape: [4, 6] });
    const v = Input({ shape: [3, 5] });
    const k = Input({ shape: [3, 2] });
    const self = new MultiHeadAttention({ numHeads: 2, keyDim: 3, biasInitializer: 'random_normal' }).apply([q, q]);
    const cross = new MultiHeadAttention({ numHeads: 3, keyDim: 2, valueDim: 4, outputShape: [2, 3], useBias: false }).apply([q, v, k]);
    const m = new Model({ inputs: [q, v, k], outputs: [self, cross] });
    await expectOrtMatches(m, (n) => inputsFor(m, n), { rtol: 1e-4 });
  });
});

describe('exportOnnx: quantized layers (int8 kernel + DequantizeLinear, input quantized as neurite does)', () => {
  it('int8 Dense and Conv2D, per-channel and per-tensor, dynamic input scales', async () => {
    for (const perChannel of [true, false]) {
      setSeed(2);
      const float = new Sequential([new Conv2D(3, 2, { inputShape: [5, 5, 2], activation: 'relu' }), new Flatten(), new Dense(4, { activation: 'tanh' }), new Dense(2)]);
      const m = quantize(float, 'int8', { perChannel });
      await expectOrtMatches(m, (n) => inputsFor(m, n), { rtol: 1e-4, atol: 1e-5 });
    }
  });

  it('int8 with calibrated input scales, and float16', async () => {
    setSeed(3);
    const float = new Sequential([new Conv2D(2, 3, { inputShape: [4, 4, 1], padding: 'same' }), new Flatten(), new Dense(3)]);
    const calibration = inputsFor(float, 8, 9)[0];
    await expectOrtMatches(quantize(float, 'int8', { calibration }), (n) => inputsFor(float, n), { rtol: 1e-4, atol: 1e-5 });
    await expectOrtMatches(quantize(float, 'float16'), (n) => inputsFor(float, n), { rtol: 1e-4, atol: 1e-5 });
  });

  it('int8 with 7-bit activation levels (activationBits 7), dynamic and calibrated', async () => {
    setSeed(4);
    const float = new Sequential([new Conv2D(4, 3, { inputShape: [5, 5, 2], activation: 'relu' }), new Flatten(), new Dense(3)]);
    const calibration = inputsFor(float, 8, 5)[0];
    await expectOrtMatches(quantize(float, 'int8', { activationBits: 7 }), (n) => inputsFor(float, n), { rtol: 1e-4, atol: 1e-5 });
    await expectOrtMatches(quantize(float, 'int8', { activationBits: 7, calibration }), (n) => inputsFor(float, n), { rtol: 1e-4, atol: 1e-5 });
  });
});
