import { describe, expect, it } from 'vitest';
import { Flatten } from '../../src/layers/flatten.js';
import { tensor } from '../../src/tensor/creation.js';
import { ShapeError } from '../../src/util/errors.js';
import { seededTensor } from '../helpers/seeded.js';
import { tfCpu } from '../helpers/tf.js';
import { tfjsGoldens } from './goldens.js';
import { checkLayer, expectErrorMentioning } from './harness.js';
import { compareWithTf } from './tf-compare.js';

describe('Flatten', () => {
  it('passes the layer harness', () => {
    checkLayer(new Flatten(), seededTensor([2, 3, 4], 1), []);
    checkLayer(new Flatten(), seededTensor([3, 2, 2, 5], 2), []);
  });

  it('keeps row-major order: [b, h, w, c] → [b, h·w·c]', () => {
    const y = new Flatten().apply(tensor([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]));
    expect(y.toArray()).toEqual([[1, 2, 3, 4], [5, 6, 7, 8]]);
    expect(new Flatten().computeOutputShape([null, 3, null])).toEqual([null, null]);
  });

  it('Keras 3 on rank 2 and rank 1: [b, n] stays [b, n] (the same values), [b] becomes [b, 1]', () => {
    const x = seededTensor([3, 4], 4);
    const y = new Flatten().apply(x);
    expect(y.shape).toEqual([3, 4]);
    expect(Array.from(y.data)).toEqual(Array.from(x.data));
    expect(new Flatten().computeOutputShape([null, 4])).toEqual([null, 4]);
    const v = new Flatten().apply(tensor([1, 2, 3]));
    expect(v.shape).toEqual([3, 1]);
    expect(new Flatten().computeOutputShape([null])).toEqual([null, 1]);
  });

  it('equals TF.js forward and gradients', async () => {
    const tf = await tfCpu();
    await compareWithTf(new Flatten(), tf.layers.flatten(), seededTensor([2, 3, 5, 2], 3));
  });

  it('writes the config TF.js writes and refuses a scalar', () => {
    const golden = tfjsGoldens.flatten.config;
    expect(new Flatten({ inputShape: [2, 3], name: golden.name as string }).getConfig()).toEqual(golden);
    expectErrorMentioning(() => new Flatten({ name: 'f0' }).apply(tensor(3)), ShapeError, 'f0', 'batch axis');
  });
});
