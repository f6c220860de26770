import { describe, expect, it } from 'vitest';
import { tensor, variable } from '../../src/tensor/creation.js';
import { add, mul, sub, div } from '../../src/ops/arithmetic.js';
import { backward, grad, valueAndGrad } from '../../src/autograd/backward.js';
import { noGrad } from '../../src/autograd/record.js';
import { NeuriteError } from '../../src/util/errors.js';
import { expectClose } from '../helpers/close.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { seededTensor } from '../helpers/seeded.js';

describe('backward', () => {
  it('fills leaf gradients with hand-derived values: d(w·w + 3w)/dw = 2w + 3', () => {
    const w = variable([1, -2, 0.5]);
    backward(add(mul(w, w), mul(w, 3)));
    expectClose(w.grad!, [5, -1, 4]);
  });

  it('accumulates across calls, as Keras/PyTorch-style leaves do', () => {
    const w = variable([2]);
    backward(mul(w, w));
    backward(mul(w, w));
    expectClose(w.grad!, [8]);
  });

  it('sums gradients over broadcast axes back to the input shape', () => {
    const b = variable([1, 2, 3]);
    const x = tensor([[1, 1, 1], [2, 2, 2]]);
    backward(mul(add(x, b), 1));
    expect(b.grad!.shape).toEqual([3]);
    expectClose(b.grad!, [2, 2, 2]);
  });

  it('runs a chain of 100,000 ops without overflowing the stack', () => {
    const w = variable([1]);
    let y = w;
    for (let i = 0; i < 100_000; i++) y = add(y, 0);
    backward(y);
    expectClose(w.grad!, [1]);
  });

  it('records nothing inside noGrad', () => {
    const w = variable([1]);
    const y = noGrad(() => mul(w, 2));
    expect(y.requiresGrad).toBe(false);
    expect(() => backward(y)).toThrow(NeuriteError);
  });

  it('refuses a second backward through a released graph with a clear error', () => {
    const w = variable([1]);
    const y = mul(add(w, 1), 2);
    backward(y);
    expect(() => backward(y)).toThrow(/already used/);
  });

  it('valueAndGrad returns gradients without touching .grad', () => {
    const x = tensor([1, 2, 3]);
    const w = variable([1, 1, 1]);
    const { value, grads } = valueAndGrad((a) => mul(mul(a, a), w))(x);
    expectClose(value, [1, 4, 9]);
    expectClose(grads[0], [2, 4, 6]);
    expect(w.grad).toBeNull();
    expectClose(grad((a, b) => mul(a, b))(x, tensor([4, 5, 6]))[1], [1, 2, 3]);
  });

  it('arithmetic gradients match finite differences with broadcasting both ways', () => {
    const a = seededTensor([3, 1, 4], 1);
    const b = seededTensor([2, 1], 2, 0.5, 2);
    gradcheck((x, y) => add(x, y), [a, b]);
    gradcheck((x, y) => sub(x, y), [a, b]);
    gradcheck((x, y) => mul(x, y), [a, b]);
    gradcheck((x, y) => div(x, y), [a, b]);
  });
});
