import { describe, it } from 'vitest';
import { Sequential } from '../../src/models/sequential.js';
import { Conv2D } from '../../src/layers/conv2d.js';
import { Conv1D } from '../../src/layers/conv/conv1d.js';
import { Conv2DTranspose } from '../../src/layers/conv/conv2d-transpose.js';
import { DepthwiseConv2D } from '../../src/layers/conv/depthwise-conv2d.js';
import { SeparableConv2D } from '../../src/layers/conv/separable-conv2d.js';
import { MaxPooling2D } from '../../src/layers/max-pooling2d.js';
import { AveragePooling2D } from '../../src/layers/average-pooling2d.js';
import { MaxPooling1D } from '../../src/layers/pooling/max-pooling1d.js';
import { AveragePooling1D } from '../../src/layers/pooling/average-pooling1d.js';
import { GlobalAveragePooling1D } from '../../src/layers/pooling/global-average-pooling1d.js';
import { GlobalMaxPooling1D } from '../../src/layers/pooling/global-max-pooling1d.js';
import { GlobalAveragePooling2D, GlobalMaxPooling2D } from '../../src/layers/pooling/global-pooling2d.js';
import { ZeroPadding2D } from '../../src/layers/reshaping/zero-padding2d.js';
import { ZeroPadding1D } from '../../src/layers/reshaping/zero-padding1d.js';
import { Cropping2D } from '../../src/layers/reshaping/cropping2d.js';
import { Cropping1D } from '../../src/layers/reshaping/cropping1d.js';
import { UpSampling2D } from '../../src/layers/reshaping/up-sampling2d.js';
import { UpSampling1D } from '../../src/layers/reshaping/up-sampling1d.js';
import { Flatten } from '../../src/layers/flatten.js';
import { Dense } from '../../src/layers/dense.js';
import { setSeed } from '../../src/util/random.js';
import { expectOrtMatches, inputsFor } from './ort-helper.js';

async function check(layers: ConstructorParameters<typeof Sequential>[0], seed: number): Promise<void> {
  setSeed(seed);
  const m = new Sequential(layers);
  await expectOrtMatches(m, (n) => inputsFor(m, n, seed), { batches: [1, 3], rtol: 1e-4, atol: 1e-5 });
}

describe('exportOnnx: convolutions (NHWC kept at the boundary, Transposes inside)', () => {
  it('Conv2D valid / same, strides, dilation, activation, then Flatten + Dense (channels-last flatten order)', async () => {
    await check([
      new Conv2D(3, [3, 2], { inputShape: [7, 6, 2], strides: [2, 1], padding: 'same', activation: 'relu' }),
      new Conv2D(2, 2, { dilationRate: 2, useBias: false }),
      new Flatten(),
      new Dense(2),
    ], 1);
  });

  it('Conv1D valid / same / causal with dilation', async () => {
    await check([
      new Conv1D(3, 3, { inputShape: [9, 2], padding: 'causal', dilationRate: 2 }),
      new Conv1D(2, 2, { padding: 'same', strides: 2 }),
      new Conv1D(2, 2, { activation: 'tanh' }),
    ], 2);
  });

  it('DepthwiseConv2D with depth multiplier, SeparableConv2D', async () => {
    await check([
      new DepthwiseConv2D(3, { inputShape: [6, 6, 2], depthMultiplier: 2, padding: 'same', biasInitializer: 'random_normal' }),
      new SeparableConv2D(3, 2, { depthMultiplier: 2, strides: 2, biasInitializer: 'random_normal', activation: 'sigmoid' }),
    ], 3);
  });

  it('Conv2DTranspose same / valid, kernel larger, equal and smaller than the stride', async () => {
    await check([new Conv2DTranspose(2, 3, { inputShape: [3, 4, 2], strides: 2, padding: 'same', biasInitializer: 'random_normal' })], 4);
    await check([new Conv2DTranspose(2, [3, 2], { inputShape: [3, 4, 2], strides: 2, padding: 'valid' })], 5);
    await check([new Conv2DTranspose(2, 1, { inputShape: [3, 3, 2], strides: 2, padding: 'same' })], 6);
    await check([new Conv2DTranspose(2, 2, { inputShape: [3, 3, 2], strides: 3, padding: 'valid' })], 7);
    await check([new Conv2DTranspose(2, 4, { inputShape: [3, 3, 2], strides: 1, padding: 'same' })], 8);
  });
});

describe('exportOnnx: pooling, padding, cropping, up-sampling', () => {
  it('2-D pooling valid and same (average counts real pixels only), global pooling', async () => {
    await check([new MaxPooling2D({ inputShape: [5, 5, 2], poolSize: 2, padding: 'same' }), new AveragePooling2D({ poolSize: 2, strides: 1, padding: 'same' }), new GlobalAveragePooling2D()], 9);
    await check([new AveragePooling2D({ inputShape: [5, 5, 2], poolSize: 3, strides: 2 }), new GlobalMaxPooling2D({ keepdims: true })], 10);
  });

  it('1-D pooling and global pooling', async () => {
    await check([new MaxPooling1D({ inputShape: [7, 2], poolSize: 2, padding: 'same' }), new AveragePooling1D({ poolSize: 2, padding: 'same', strides: 1 }), new GlobalMaxPooling1D()], 11);
    await check([new AveragePooling1D({ inputShape: [7, 2], poolSize: 3 }), new GlobalAveragePooling1D({ keepdims: true })], 12);
  });

  it('ZeroPadding / Cropping / UpSampling 1-D and 2-D (nearest and bilinear)', async () => {
    await check([new ZeroPadding2D({ inputShape: [3, 4, 2], padding: [[1, 2], [0, 1]] }), new Cropping2D({ cropping: [[1, 0], [2, 1]] }), new UpSampling2D({ size: [2, 3] })], 13);
    await check([new UpSampling2D({ inputShape: [3, 4, 2], size: 2, interpolation: 'bilinear' })], 14);
    await check([new ZeroPadding1D({ inputShape: [4, 2], padding: [2, 1] }), new Cropping1D({ cropping: [1, 2] }), new UpSampling1D({ size: 3 })], 15);
  });
});

describe('exportOnnx: Resizing', () => {
  it('bilinear and nearest, up and down, odd ratios', async () => {
    const { Resizing } = await import('../../src/layers/preprocessing/image-preprocessing.js');
    for (const interpolation of ['bilinear', 'nearest'] as const) {
      await check([new Resizing(5, 9, { inputShape: [7, 4, 2], interpolation })], 16);
      await check([new Resizing(3, 2, { inputShape: [7, 5, 1], interpolation })], 17);
    }
  });
});
