import { describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import { dotProductAttention } from '../../../src/layers/attention/dot-product-attention.js';
import { Tensor } from '../../../src/tensor/tensor.js';
import { seededTensor } from '../../helpers/seeded.js';

/** Identity values `[batch, heads, n, n]`, so the attention output is the (dropped-out) weights themselves. */
function identityValues(batch: number, heads: number, n: number): Tensor {
  const data = new Float32Array(batch * heads * n * n);
  for (let m = 0; m < batch * heads; m++) for (let i = 0; i < n; i++) data[(m * n + i) * n + i] = 1;
  return new Tensor(data, [batch, heads, n, n]);
}

describe('dotProductAttention dropout', () => {
  it('drops each weight with probability rate and scales the kept ones by 1 / (1 − rate)', () => {
    const [batch, heads, n, dim] = [4, 2, 16, 3];
    const query = seededTensor([batch, heads, n, dim], 1);
    const key = seededTensor([batch, heads, n, dim], 2);
    const rate = 0.3;
    const { output, scores } = dotProductAttention({ query, key, value: identityValues(batch, heads, n) }, null, { rate, rng: seedrandom('dropout-stats') });
    let dropped = 0;
    for (let i = 0; i < output.size; i++) {
      if (output.data[i] === 0) dropped++;
      else expect(output.data[i]).toBeCloseTo(scores.data[i] / (1 - rate), 5);
    }
    // 2 048 weights: the dropped fraction has standard deviation √(0.3·0.7/2048) ≈ 0.010; allow 4 of them.
    expect(Math.abs(dropped / output.size - rate)).toBeLessThan(0.04);
  });
});
