import { describe, expect, it } from 'vitest';
import { UpSampling1D } from '../../../src/layers/reshaping/up-sampling1d.js';
import { ZeroPadding1D } from '../../../src/layers/reshaping/zero-padding1d.js';
import { Cropping1D } from '../../../src/layers/reshaping/cropping1d.js';
import { tensor } from '../../../src/tensor/creation.js';
import { ShapeError, ValueError } from '../../../src/util/errors.js';
import { seededTensor } from '../../helpers/seeded.js';
import { checkLayer, expectErrorMentioning, gradcheckLayer } from '../harness.js';

// TF.js has none of these three layers: the expected values are written out by hand from Keras's
// definitions, and the gradients are checked by finite differences.
const x = tensor([[[1, 2], [3, 4], [5, 6]]]);

describe('UpSampling1D, ZeroPadding1D, Cropping1D', () => {
  it('UpSampling1D repeats each step size times (s0 s0 s1 s1 …)', () => {
    expect(checkLayer(new UpSampling1D({ size: 2 }), x, []).toArray()).toEqual([[[1, 2], [1, 2], [3, 4], [3, 4], [5, 6], [5, 6]]]);
    gradcheckLayer(new UpSampling1D({ size: 3 }), seededTensor([2, 3, 2], 1));
    expect(new UpSampling1D({ size: 3, name: 'u' }).getConfig()).toEqual({ size: 3, name: 'u', trainable: true });
  });

  it('ZeroPadding1D adds zero steps before and after', () => {
    expect(checkLayer(new ZeroPadding1D({ padding: [1, 2] }), x, []).toArray()).toEqual([[[0, 0], [1, 2], [3, 4], [5, 6], [0, 0], [0, 0]]]);
    expect(new ZeroPadding1D().apply(x).shape).toEqual([1, 5, 2]);
    expect(new ZeroPadding1D({ padding: [0, 1] }).apply(x).toArray()).toEqual([[[1, 2], [3, 4], [5, 6], [0, 0]]]);
    gradcheckLayer(new ZeroPadding1D({ padding: [2, 1] }), seededTensor([2, 3, 2], 2));
  });

  it('Cropping1D removes steps at the start and end', () => {
    expect(checkLayer(new Cropping1D({ cropping: [1, 0] }), x, []).toArray()).toEqual([[[3, 4], [5, 6]]]);
    expect(new Cropping1D().apply(x).toArray()).toEqual([[[3, 4]]]);
    gradcheckLayer(new Cropping1D({ cropping: [1, 2] }), seededTensor([2, 5, 2], 3));
  });

  it('refuse bad options and input', () => {
    expectErrorMentioning(() => new UpSampling1D({ size: 0 }), ValueError, 'size');
    expectErrorMentioning(() => new ZeroPadding1D({ padding: [1, -1] }), ValueError, 'padding', '-1');
    expectErrorMentioning(() => new Cropping1D({ cropping: [1, 2, 3] as never }), ValueError, 'cropping');
    expectErrorMentioning(() => new Cropping1D({ crop: 1 } as never), ValueError, "unknown option 'crop'");
    expectErrorMentioning(() => new Cropping1D({ cropping: [2, 1], name: 'cr' }).apply(x), ShapeError, 'cr (Cropping1D)', 'leaves no steps', '[1, 3, 2]');
    expectErrorMentioning(() => new UpSampling1D().apply(tensor([[1, 2]])), ShapeError, 'rank 3');
  });
});
