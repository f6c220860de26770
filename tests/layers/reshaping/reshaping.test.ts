import { describe, expect, it } from 'vitest';
import type * as tfTypes from '@tensorflow/tfjs';
import { ZeroPadding2D } from '../../../src/layers/reshaping/zero-padding2d.js';
import { Cropping2D } from '../../../src/layers/reshaping/cropping2d.js';
import { UpSampling2D } from '../../../src/layers/reshaping/up-sampling2d.js';
import { Reshape } from '../../../src/layers/reshaping/reshape.js';
import { Permute } from '../../../src/layers/reshaping/permute.js';
import { RepeatVector } from '../../../src/layers/reshaping/repeat-vector.js';
import { GlobalAveragePooling2D, GlobalMaxPooling2D } from '../../../src/layers/pooling/global-pooling2d.js';
import { Flatten } from '../../../src/layers/flatten.js';
import { Conv2D } from '../../../src/layers/conv2d.js';
import { Dense } from '../../../src/layers/dense.js';
import { Sequential } from '../../../src/models/sequential.js';
import { resize } from '../../../src/ops/resize.js';
import { tensor } from '../../../src/tensor/creation.js';
import { ShapeError, ValueError } from '../../../src/util/errors.js';
import { expectClose } from '../../helpers/close.js';
import { gradcheck } from '../../helpers/gradcheck.js';
import { seededTensor } from '../../helpers/seeded.js';
import { tfCpu, tfData } from '../../helpers/tf.js';
import { cleanUpDirs, freshDir, loadInTf, predictWith, tfPredict } from '../../io/tf-files.js';
import { checkLayer, expectErrorMentioning, gradcheckLayer } from '../harness.js';
import { compareWithTf, expectRelClose } from '../tf-compare.js';

cleanUpDirs();

describe('reshaping and global pooling layers', () => {
  it('pass the layer harness', () => {
    const img = seededTensor([2, 4, 5, 3], 1);
    checkLayer(new ZeroPadding2D({ padding: [[1, 0], [2, 3]] }), img, []);
    checkLayer(new Cropping2D({ cropping: [1, 2] }), img, []);
    checkLayer(new UpSampling2D({ size: [2, 3] }), img, []);
    checkLayer(new UpSampling2D({ interpolation: 'bilinear' }), img, []);
    checkLayer(new GlobalAveragePooling2D(), img, []);
    checkLayer(new GlobalMaxPooling2D({ keepdims: true }), img, []);
    checkLayer(new Reshape([-1, 3]), img, []);
    checkLayer(new Permute([3, 1, 2]), img, []);
    checkLayer(new RepeatVector(3), seededTensor([2, 4], 2), []);
  });

  it('equal TF.js forward and gradients', async () => {
    const tf = await tfCpu();
    const img = seededTensor([2, 4, 5, 3], 3);
    await compareWithTf(new ZeroPadding2D({ padding: [[1, 0], [2, 3]] }), tf.layers.zeroPadding2d({ padding: [[1, 0], [2, 3]] }), img);
    await compareWithTf(new ZeroPadding2D(), tf.layers.zeroPadding2d({}), img);
    await compareWithTf(new Cropping2D({ cropping: [[1, 2], [0, 3]] }), tf.layers.cropping2D({ cropping: [[1, 2], [0, 3]] }), img);
    // NOTE: TF.js 4.22's ResizeNearestNeighborGrad disagrees with finite differences on these inputs: the
    // gradients of nearest up-sampling are checked by finite differences below instead.
    await compareWithTf(new UpSampling2D({ size: [2, 3] }), tf.layers.upSampling2d({ size: [2, 3] }), img, { gradients: false });
    await compareWithTf(new UpSampling2D({ size: 2 }), tf.layers.upSampling2d({ size: [2, 2] }), img, { gradients: false });
    await compareWithTf(new GlobalAveragePooling2D(), tf.layers.globalAveragePooling2d({}), img);
    await compareWithTf(new GlobalMaxPooling2D(), tf.layers.globalMaxPooling2d({}), img);
    await compareWithTf(new Reshape([2, -1, 3]), tf.layers.reshape({ targetShape: [2, -1, 3] }), img);
    await compareWithTf(new Permute([3, 1, 2]), tf.layers.permute({ dims: [3, 1, 2] }), img);
    await compareWithTf(new RepeatVector(3), tf.layers.repeatVector({ n: 3 }), seededTensor([2, 4], 4));
  });

  it('bilinear resize equals tf.image.resizeBilinear (half-pixel centers, as Keras 3) and the legacy grid; gradients by finite differences', async () => {
    const tf = await tfCpu();
    const x = seededTensor([2, 3, 4, 2], 6);
    for (const [size, half] of [[[6, 8], true], [[7, 5], true], [[2, 3], true], [[6, 8], false], [[5, 7], false]] as const) {
      const theirs = tf.image.resizeBilinear(tf.tensor(Array.from(x.data), [2, 3, 4, 2]) as tfTypes.Tensor4D, [size[0], size[1]], false, half);
      expectRelClose(resize(x, [size[0], size[1]], { halfPixelCenters: half }).data, tfData(theirs), 1e-5, `bilinear ${size} half ${half}`);
      const near = tf.image.resizeNearestNeighbor(tf.tensor(Array.from(x.data), [2, 3, 4, 2]) as tfTypes.Tensor4D, [size[0], size[1]], false, half);
      expectRelClose(resize(x, [size[0], size[1]], { interpolation: 'nearest', halfPixelCenters: half }).data, tfData(near), 1e-6, `nearest ${size} half ${half}`);
    }
    gradcheck((t) => resize(t, [5, 7]), [seededTensor([1, 3, 4, 2], 7)]);
    gradcheckLayer(new UpSampling2D({ interpolation: 'bilinear', size: [2, 3] }), seededTensor([1, 2, 3, 2], 8));
    gradcheckLayer(new UpSampling2D({ size: [2, 3] }), seededTensor([2, 2, 3, 2], 9));
  });

  it('hand-derived values: 2× nearest up-sampling, cropping, padding', () => {
    const x = tensor([1, 2, 3, 4], [1, 2, 2, 1]);
    expect(Array.from(new UpSampling2D().apply(x).data)).toEqual([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
    expect(Array.from(new ZeroPadding2D({ padding: [[1, 0], [0, 1]] }).apply(x).data)).toEqual([0, 0, 0, 1, 2, 0, 3, 4, 0]);
    expect(Array.from(new Cropping2D({ cropping: [[1, 0], [0, 1]] }).apply(x).data)).toEqual([3]);
    // Bilinear 2× with half-pixel centers on [1, 3]: sources −0.25, 0.25, 0.75, 1.25 → 1, 1.5, 2.5, 3.
    expectClose(new UpSampling2D({ size: [1, 2], interpolation: 'bilinear' }).apply(tensor([1, 3], [1, 1, 2, 1])), [1, 1.5, 2.5, 3]);
    // Keras 3's Flatten keeps a rank-2 input as it is.
    expect(new Flatten().apply(seededTensor([3, 4], 1)).shape).toEqual([3, 4]);
  });

  it('a model with them saves files TF.js loads and predicts alike', async () => {
    const tf = await tfCpu();
    const model = new Sequential([
      new ZeroPadding2D({ padding: 1, inputShape: [4, 4, 2] }),
      new Conv2D(3, 3),
      new UpSampling2D(),
      new Cropping2D({ cropping: [[1, 1], [2, 0]] }),
      new Permute([2, 1, 3]),
      // (TF.js cannot infer a -1 of Reshape when loading a model, so the file uses explicit sizes.)
      new Reshape([36, 3]),
      new Flatten(),
      new RepeatVector(2),
      new Reshape([2, 2, 54]),
      new GlobalMaxPooling2D(),
      new Dense(2),
    ]);
    const x = seededTensor([2, 4, 4, 2], 9);
    const dir = freshDir();
    await model.save(dir);
    const theirs = await loadInTf(dir);
    expectRelClose(tfPredict(tf, theirs, x), predictWith(model, x).data, 1e-5, 'TF.js prediction');
  });

  it('refuse bad input and config, naming the layer and both shapes', () => {
    expectErrorMentioning(() => new Reshape([4, -1], { name: 'rs' }).apply(seededTensor([2, 6], 1)), ShapeError, 'rs (Reshape)', '[2, 6]', '[4, -1]', 'not a multiple of 4');
    expectErrorMentioning(() => new Reshape([5]).apply(seededTensor([2, 6], 1)), ShapeError, '[2, 6]', '[5]');
    expectErrorMentioning(() => new Reshape([-1, 2, -1], { name: 'r2' }), ValueError, 'r2', 'more than one -1');
    expectErrorMentioning(() => new Permute([1, 3]), ValueError, 'permutation', '[1,3]');
    expectErrorMentioning(() => new Permute([2, 1]).apply(seededTensor([2, 3, 4, 5], 1)), ShapeError, 'rank 3', '[2, 3, 4, 5]');
    expectErrorMentioning(() => new Cropping2D({ cropping: 2 }).apply(seededTensor([1, 4, 6, 1], 1)), ShapeError, 'leaves nothing', '[1, 4, 6, 1]');
    expectErrorMentioning(() => new ZeroPadding2D({ padding: -1 }), ValueError, 'padding', '-1');
    expectErrorMentioning(() => new UpSampling2D({ interpolation: 'bicubic' as never }), ValueError, 'bicubic');
    expectErrorMentioning(() => new RepeatVector(2).apply(seededTensor([2, 3, 4], 1)), ShapeError, 'rank 2', '[2, 3, 4]');
    expectErrorMentioning(() => new GlobalAveragePooling2D({ keepDims: true } as never), ValueError, "unknown option 'keepDims'");
  });
});
