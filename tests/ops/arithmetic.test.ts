import { describe, expect, it } from 'vitest';
import { tensor, variable } from '../../src/tensor/creation.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { add, div, maximum, minimum, mul, pow, sub } from '../../src/ops/arithmetic.js';
import { backward } from '../../src/autograd/backward.js';
import { ShapeError, ValueError } from '../../src/util/errors.js';
import { expectClose } from '../helpers/close.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { seededTensor } from '../helpers/seeded.js';
import { compareTf } from './tf-compare.js';
import { naiveBinary } from './naive.js';

type Binary = (a: Tensor, b: Tensor) => Tensor;

const OPS: [string, Binary, (x: number, y: number) => number][] = [
  ['add', add, (x, y) => x + y],
  ['sub', sub, (x, y) => x - y],
  ['mul', mul, (x, y) => x * y],
  ['div', div, (x, y) => x / y],
  ['pow', pow, (x, y) => Math.pow(x, y)],
  ['maximum', maximum, (x, y) => Math.max(x, y)],
  ['minimum', minimum, (x, y) => Math.min(x, y)],
];

// Shape pairs broadcasting both ways, with size-1, scalar and zero-size dimensions.
const PAIRS: [number[], number[]][] = [
  [[3, 5], [3, 5]],
  [[3, 1, 4], [2, 1]],
  [[1, 5], [3, 1]],
  [[4], [2, 3, 4]],
  [[2, 3], []],
  [[], [3]],
  [[0, 3], [1, 3]],
  [[2, 1], [2, 0]],
];

/** Gradients (d/da, d/db) of Σ f(a, b) through our backward. */
function grads(f: Binary, a: number[], b: number[]): [Float32Array, Float32Array] {
  const va = variable(a);
  const vb = variable(b);
  backward(f(va, vb));
  return [va.grad!.data, vb.grad!.data];
}

describe('pow, maximum, minimum', () => {
  it('match hand-derived values and gradients', () => {
    expectClose(pow(tensor([2, 3, 4]), tensor([3, 2, 0.5])), [8, 9, 2]);
    expectClose(pow(tensor([0, -2]), 2), [0, 4]);
    expect(Number.isNaN(pow(tensor([-8]), 1 / 3).data[0])).toBe(true);
    // d(aᵇ)/da = b·aᵇ⁻¹ = 12 at (2, 3); d/db = aᵇ·log a = 8·log 2; for a <= 0 the b-gradient is 0, as TF.js.
    const [ga, gb] = grads(pow, [2, -2], [3, 2]);
    expectClose(ga, [12, -4]);
    expectClose(gb, [8 * Math.log(2), 0]);
    expectClose(maximum(tensor([1, 5, 2]), tensor([3, 4, 2])), [3, 5, 2]);
    expectClose(minimum(tensor([1, 5, 2]), tensor([3, 4, 2])), [1, 4, 2]);
    expectClose(maximum(tensor([NaN, 1]), tensor([1, NaN])), [NaN, NaN]);
    // Ties go to a, for maximum (a >= b) and minimum (a <= b) alike, as TF.js.
    const [xa, xb] = grads(maximum, [1, 5, 2], [3, 4, 2]);
    expectClose(xa, [0, 1, 1]);
    expectClose(xb, [1, 0, 0]);
    const [na, nb] = grads(minimum, [1, 5, 2], [3, 4, 2]);
    expectClose(na, [1, 0, 1]);
    expectClose(nb, [0, 1, 0]);
  });

  it('all binary ops match a naive float64 broadcasting reference', () => {
    PAIRS.forEach(([sa, sb], k) => {
      const a = seededTensor(sa, 20 + k, 0.2, 2);
      const b = seededTensor(sb, 40 + k, -2, 2);
      for (const [name, f, ref] of OPS) {
        const want = naiveBinary(a.data, sa, b.data, sb, ref);
        const y = f(a, b);
        expect(y.shape, `${name} ${JSON.stringify([sa, sb])}`).toEqual(want.shape);
        expectClose(y, want.data, { rtol: 2e-6 });
      }
    });
  });

  it('gradients match central finite differences, broadcasting both ways', () => {
    const a = seededTensor([3, 1, 4], 1, 0.5, 2);
    const b = seededTensor([2, 1], 2, -1.5, 1.5);
    gradcheck(pow, [a, b]);
    // Distinct values everywhere (|a − b| > 2·eps) so no finite-difference step crosses a tie.
    const c = seededTensor([3, 1, 4], 3, -1, 1);
    const d = new Tensor(new Float32Array([0.33, -0.47]), [2, 1]);
    gradcheck(maximum, [c, d]);
    gradcheck(minimum, [c, d]);
  });

  it('all binary ops match TF.js forward and gradient with broadcasting', async () => {
    const a = seededTensor([3, 1, 4], 5, 0.2, 2);
    const b = seededTensor([2, 1], 6, -2, 2);
    await compareTf(add, (tf, x, y) => tf.add(x, y), [a, b]);
    await compareTf(sub, (tf, x, y) => tf.sub(x, y), [a, b]);
    await compareTf(mul, (tf, x, y) => tf.mul(x, y), [a, b]);
    await compareTf(div, (tf, x, y) => tf.div(x, y), [a, b]);
    // pow's gradient goes through float32 powers and logs in TF.js: 1e-5 relative still holds.
    await compareTf(pow, (tf, x, y) => tf.pow(x, y), [a, b]);
    // TF.js's maximum/minimum gradients do not sum over broadcast axes (they fail on these shapes),
    // so TF.js broadcasts explicitly first; broadcastTo's own gradient does the summing there.
    const full = [3, 2, 4];
    await compareTf(maximum, (tf, x, y) => tf.maximum(tf.broadcastTo(x, full), tf.broadcastTo(y, full)), [a, b]);
    await compareTf(minimum, (tf, x, y) => tf.minimum(tf.broadcastTo(x, full), tf.broadcastTo(y, full)), [b, a]);
    // Ties and a negative base, where the conventions matter.
    const t = tensor([1, 2, -3, 0.5]);
    const u = tensor([1, 3, 2, 0.5]);
    await compareTf(maximum, (tf, x, y) => tf.maximum(x, y), [t, u]);
    await compareTf(minimum, (tf, x, y) => tf.minimum(x, y), [t, u]);
    await compareTf(pow, (tf, x, y) => tf.pow(x, y), [t, u]);
  });

  it('reject bad arguments: ShapeError naming the op and both shapes, ValueError for non-tensors', () => {
    for (const [name, f] of OPS) {
      expect(() => f(tensor([[1, 2, 3]]), tensor([1, 2]))).toThrow(ShapeError);
      expect(() => f(tensor([[1, 2, 3]]), tensor([1, 2]))).toThrow(new RegExp(`^${name}: shapes \\[1, 3\\] and \\[2\\] cannot be broadcast`));
      expect(() => f('x' as never, tensor([1]))).toThrow(ValueError);
    }
  });
});
