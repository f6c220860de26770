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
