import { Tensor } from '../../src/tensor/tensor.js';
import { variable } from '../../src/tensor/creation.js';
import { add, matmul } from '../../src/ops/index.js';
import { concat } from '../../src/ops/concat.js';
import { sigmoid } from '../../src/ops/activations.js';
import { Trainable } from '../../src/training/trainable.js';
import { seededArray } from '../helpers/seeded.js';

/**
 * A hand-written two-input, two-output Trainable for the loop tests:
 *   prob  = sigmoid([a, b]·W1 + b1)   (a: [n, 2], b: [n, 3], W1: [5, 1])
 *   value = a·W2 + b2                 (W2: [2, 2])
 * The same graph in TF.js is tf.model with concatenate + two dense layers named 'prob' and 'value'.
 */
export class TwoInTwoOut implements Trainable {
  readonly inputNames = ['a', 'b'];
  readonly outputNames = ['prob', 'value'];
  stopTraining = false;
  readonly params: Tensor[];
  calls = 0;

  constructor(seed = 1) {
    const w = (shape: number[], s: number) => variable(new Tensor(seededArray(shape.reduce((p, d) => p * d, 1), s, -0.5, 0.5), shape));
    this.params = [w([5, 1], seed), w([1], seed + 1), w([2, 2], seed + 2), w([2], seed + 3)];
  }

  forward(xs: Tensor[], training: boolean): Tensor[] {
    void training;
    this.calls++;
    const [a, b] = xs;
    const [w1, b1, w2, b2] = this.params;
    return [sigmoid(add(matmul(concat([a, b], 1), w1), b1)), add(matmul(a, w2), b2)];
  }

  get trainableWeights(): Tensor[] {
    return this.params;
  }

  getWeights(): Tensor[] {
    return this.params.map((t) => new Tensor(new Float32Array(t.data), t.shape));
  }

  setWeights(weights: readonly Tensor[]): void {
    weights.forEach((w, i) => this.params[i].data.set(w.data));
  }
}

/** n samples: a, b uniform; prob labels 1 when Σa + Σb > 0; value targets a smooth function of a. */
export function twoInTwoOutData(n: number, seed = 7): { a: number[][]; b: number[][]; prob: number[][]; value: number[][] } {
  const va = seededArray(2 * n, seed);
  const vb = seededArray(3 * n, seed + 1);
  const a = Array.from({ length: n }, (_, i) => [va[2 * i], va[2 * i + 1]]);
  const b = Array.from({ length: n }, (_, i) => [vb[3 * i], vb[3 * i + 1], vb[3 * i + 2]]);
  const prob = a.map((r, i) => [r[0] + r[1] + b[i][0] + b[i][1] + b[i][2] > 0 ? 1 : 0]);
  const value = a.map((r) => [r[0] - 0.5 * r[1], Math.sin(r[0] + r[1])]);
  return { a, b, prob, value };
}
