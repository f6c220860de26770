import { describe, expect, it } from 'vitest';
import type * as tfTypes from '@tensorflow/tfjs';
import { CenterCrop, Rescaling, Resizing } from '../../../src/layers/preprocessing/image-preprocessing.js';
import { RandomFlip, RandomRotation, RandomTranslation, RandomZoom } from '../../../src/layers/preprocessing/random-transforms.js';
import { Tensor } from '../../../src/tensor/tensor.js';
import { tensor } from '../../../src/tensor/creation.js';
import { ShapeError, ValueError } from '../../../src/util/errors.js';
import { expectClose } from '../../helpers/close.js';
import { seededTensor } from '../../helpers/seeded.js';
import { tfCpu, tfData } from '../../helpers/tf.js';
import { checkLayer, expectErrorMentioning } from '../harness.js';
import { compareWithTf, expectRelClose } from '../tf-compare.js';

/** A 1×h×w×1 image whose pixel (r, c) is 10·r + c. */
function grid(h: number, w: number): Tensor {
  return new Tensor(Float32Array.from({ length: h * w }, (_, i) => 10 * Math.floor(i / w) + (i % w)), [1, h, w, 1]);
}

describe('image preprocessing layers', () => {
  it('Rescaling, Resizing and CenterCrop pass the harness and equal TF.js / tf.image.resize', async () => {
    const tf = await tfCpu();
    const x = seededTensor([2, 6, 5, 3], 1, 0, 255);
    checkLayer(new Rescaling(1 / 255, { offset: -0.5 }), x, []);
    checkLayer(new Resizing(4, 7), x, []);
    checkLayer(new Resizing(3, 3, { cropToAspectRatio: true, interpolation: 'nearest' }), x, []);
    checkLayer(new CenterCrop(3, 4), x, []);
    await compareWithTf(new Rescaling(1 / 127.5, { offset: -1 }), tf.layers.rescaling({ scale: 1 / 127.5, offset: -1 }), x);
    // Keras's offsets ⌊(H − h) / 2⌋, ⌊(W − w) / 2⌋: rows 1–3, columns 0–3 of a 6×5 image. (TF.js 4.22's
    // CenterCrop goes through cropAndResize and disagrees with Keras on odd margins, so it is not the oracle.)
    expect(Array.from(new CenterCrop(3, 4).apply(grid(6, 5)).data)).toEqual([10, 11, 12, 13, 20, 21, 22, 23, 30, 31, 32, 33]);
    const bilinear = tf.image.resizeBilinear(tf.tensor(Array.from(x.data), [2, 6, 5, 3]) as tfTypes.Tensor4D, [4, 7], false, true);
    expectRelClose(new Resizing(4, 7).apply(x).data, tfData(bilinear), 1e-5, 'Resizing bilinear');
    // Crop to aspect ratio 1:1 of a 6×5 image: the centered 5×5 window (rows 0–4), then resize.
    expectClose(new Resizing(5, 5, { cropToAspectRatio: true }).apply(x), Array.from(x.data.subarray(0, 5 * 5 * 3)).concat(Array.from(x.data.subarray(90, 90 + 75))), { rtol: 1e-6 });
    // A target larger than the image: Keras 3 resizes (crop to the aspect ratio, then resize) instead of cropping.
    expect(new CenterCrop(8, 8).apply(x).shape).toEqual([2, 8, 8, 3]);
  });

  it('random augmentation is the identity in inference and seeded-reproducible in training', () => {
    const make = () => [
      new RandomFlip('horizontal_and_vertical', { seed: 1 }),
      new RandomRotation(0.1, { seed: 2 }),
      new RandomZoom([-0.2, 0.3], null, { seed: 3 }),
      new RandomTranslation(0.2, [-0.1, 0.3], { seed: 4, fillMode: 'constant', fillValue: -1 }),
    ];
    const x = seededTensor([4, 6, 7, 2], 5);
    for (const l of make()) {
      checkLayer(l, x, [], { training: true });
      expect(l.apply(x, { training: false })).toBe(x);
    }
    const a = make().map((l) => Array.from(l.apply(x, { training: true }).data));
    const b = make().map((l) => Array.from(l.apply(x, { training: true }).data));
    expect(a).toEqual(b);
    a.forEach((out, k) => expect(out, `layer ${k}`).not.toEqual(Array.from(x.data)));
  });

  it('exact transforms by hand: a 1-pixel shift with each fill mode, a half turn, zero zoom, flips', () => {
    const g = grid(2, 4); // rows [0 1 2 3], [10 11 12 13]
    const shift = (fillMode: 'constant' | 'reflect' | 'wrap' | 'nearest') =>
      Array.from(new RandomTranslation(0, [0.25, 0.25], { fillMode, fillValue: -1 }).apply(g, { training: true }).data);
    expect(shift('constant')).toEqual([-1, 0, 1, 2, -1, 10, 11, 12]);
    expect(shift('reflect')).toEqual([0, 0, 1, 2, 10, 10, 11, 12]);
    expect(shift('wrap')).toEqual([3, 0, 1, 2, 13, 10, 11, 12]);
    expect(shift('nearest')).toEqual([0, 0, 1, 2, 10, 10, 11, 12]);
    expectClose(new RandomRotation([0.5, 0.5]).apply(g, { training: true }), [13, 12, 11, 10, 3, 2, 1, 0], { atol: 1e-4 });
    expectClose(new RandomZoom([0, 0]).apply(g, { training: true }), g);
    // A flipped image is the original or its mirror.
    const flips = new RandomFlip('horizontal', { seed: 7 }).apply(new Tensor(new Float32Array([...grid(2, 4).data, ...grid(2, 4).data, ...grid(2, 4).data]), [3, 2, 4, 1]), { training: true });
    for (let b = 0; b < 3; b++) {
      const img = Array.from(flips.data.subarray(8 * b, 8 * b + 8));
      expect([[0, 1, 2, 3, 10, 11, 12, 13], [3, 2, 1, 0, 13, 12, 11, 10]]).toContainEqual(img);
    }
    // Zooming in by half on a 3×3 image samples around the center.
    expectClose(new RandomZoom([-0.5, -0.5], null, { interpolation: 'bilinear' }).apply(tensor([0, 1, 2, 3, 4, 5, 6, 7, 8], [1, 3, 3, 1]), { training: true }), [2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5, 6]);
  });

  it('refuse bad factors and options', () => {
    expectErrorMentioning(() => new RandomRotation([0.3, 0.1], { name: 'rr' }), ValueError, 'rr (RandomRotation) factor', '[0.3,0.1]');
    expectErrorMentioning(() => new RandomZoom([-2, 0]), ValueError, 'heightFactor', '>= -1');
    expectErrorMentioning(() => new RandomTranslation(0.1, 0.1, { fillMode: 'mirror' as never }), ValueError, 'fillMode', 'mirror');
    expectErrorMentioning(() => new RandomFlip('diagonal' as never), ValueError, 'diagonal');
    expectErrorMentioning(() => new RandomFlip('horizontal', { fillMode: 'wrap' } as never), ValueError, "unknown option 'fillMode'");
    expectErrorMentioning(() => new Resizing(0, 4), ValueError, 'height', '0');
    expectErrorMentioning(() => new CenterCrop(2, 2).apply(seededTensor([2, 3], 1)), ShapeError, 'rank 4', '[2, 3]');
  });
});
