import { describe, expect, it } from 'vitest';
import { inspect } from 'node:util';
import { tensor } from '../../src/tensor/creation.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { formatNumber, formatValues } from '../../src/tensor/format.js';

describe('util.inspect / console.log of a tensor', () => {
  it('prints the shape and the values as nested rows, numbers right-aligned (like tf.print), not the internals', () => {
    const text = inspect(tensor([[1, 2], [3, 4.5]]));
    expect(text).toBe(['Tensor', '  shape: [2, 2]', '  values:', '    [[  1,   2],', '     [  3, 4.5]]'].join('\n'));
    expect(text).not.toMatch(/node|requiresGrad|Float32Array/);
  });

  it('scalars, vectors, and rank 3 with a blank line between the outer blocks', () => {
    expect(inspect(tensor(5))).toBe('Tensor\n  shape: []\n  values:\n    5');
    expect(formatValues(new Float32Array([1, 2, 3]), [3])).toBe('[1, 2, 3]');
    expect(formatValues(new Float32Array([1, 2, 3, 4, 5, 6, 7, 8]), [2, 2, 2])).toBe('[[[1, 2],\n  [3, 4]],\n\n [[5, 6],\n  [7, 8]]]');
  });

  it('large tensors show the first and last 3 of each long dimension around ...', () => {
    const data = Float32Array.from({ length: 30 }, (_, i) => i);
    expect(formatValues(data, [30])).toBe('[ 0,  1,  2, ..., 27, 28, 29]');
    expect(formatValues(new Float32Array(data.buffer, 0, 21), [3, 7])).toBe(
      '[[ 0,  1,  2, ...,  4,  5,  6],\n [ 7,  8,  9, ..., 11, 12, 13],\n [14, 15, 16, ..., 18, 19, 20]]',
    );
  });

  it('numbers: float32 noise cut at 7 decimals, NaN and Infinity spelled out', () => {
    expect(formatNumber(Math.fround(0.1))).toBe('0.1');
    expect(formatNumber(-1.5)).toBe('-1.5');
    expect(formatNumber(NaN)).toBe('NaN');
    expect(formatNumber(-Infinity)).toBe('-Infinity');
    expect(inspect([new Tensor(new Float32Array([0.25]), [1])])).toContain('[0.25]');
  });
});
