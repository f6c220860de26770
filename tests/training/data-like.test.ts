import { describe, expect, it } from 'vitest';
import { toTensor } from '../../src/training/data.js';

describe('fit / evaluate / predict inputs (DataLike)', () => {
  it('a typed array with its shape becomes that tensor; other typed arrays are vectors', () => {
    const t = toTensor({ values: new Uint8Array([1, 2, 3, 4, 5, 6]), shape: [3, 2] }, 'fit: x');
    expect(t.shape).toEqual([3, 2]);
    expect(Array.from(t.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(toTensor(new Float64Array([0.5, 1]), 'fit: y').data)).toEqual([0.5, 1]);
    expect(toTensor(new Int32Array([1, 0, 1]), 'fit: y').shape).toEqual([3]);
  });

  it('a shape that does not match the values, a string or a number is refused with what was received', () => {
    expect(() => toTensor({ values: new Float32Array(5), shape: [2, 2] }, 'fit: x')).toThrow(/fit: x: a typed array with shape: .*needs 4 values, received 5/);
    expect(() => toTensor({ values: new Float32Array(1), shape: [2, 2] }, 'fit: x')).toThrow(/shape \[2, 2\] needs 4 values, the typed array has 1/);
    expect(() => toTensor('hello', 'fit: x')).toThrow(/fit: x: expected a Tensor.*received string/);
    expect(() => toTensor(3, 'fit: x')).toThrow(/received number/);
  });
});
