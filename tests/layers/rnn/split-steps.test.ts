import { describe, expect, it } from 'vitest';
import { splitSteps } from '../../../src/layers/rnn/split-steps.js';
import { stack } from '../../../src/ops/concat.js';
import { noGrad } from '../../../src/autograd/record.js';
import { expectClose } from '../../helpers/close.js';
import { gradcheck } from '../../helpers/gradcheck.js';
import { seededTensor } from '../../helpers/seeded.js';

describe('splitSteps', () => {
  it('returns step t of [batch, steps, width] as [batch, width], with and without a graph', () => {
    const x = seededTensor([2, 7, 3], 1);
    for (const steps of [noGrad(() => splitSteps(x)), splitSteps(Object.assign(seededTensor([2, 7, 3], 1), { requiresGrad: true }))]) {
      expect(steps.length).toBe(7);
      steps.forEach((s, t) => {
        expect(s.shape).toEqual([2, 3]);
        expectClose(s, [...x.data.subarray(t * 3, t * 3 + 3), ...x.data.subarray(21 + t * 3, 21 + t * 3 + 3)]);
      });
    }
  });

  it('routes each step’s gradient back to its place (odd step counts)', () => {
    for (const steps of [1, 2, 5]) gradcheck((x) => stack(splitSteps(x).reverse(), 1), [seededTensor([2, steps, 3], steps)]);
  });
});
