import { Tensor } from '../../src/tensor/tensor.js';
import { randomNormal, variable } from '../../src/tensor/creation.js';
import { add, mul } from '../../src/ops/arithmetic.js';
import { sum } from '../../src/ops/reduction.js';
import { sigmoid } from '../../src/ops/activations.js';
import { Trainable } from '../../src/training/trainable.js';
import { seededArray } from '../helpers/seeded.js';

/**
 * A tiny Trainable for the loop tests: y = sigmoid(x·w + b) (or the logit without the sigmoid), built from
 * variables and ops in the test. Its weights are drawn from the library's seeded stream, like a layer's.
 * It records the batches it sees.
 */
export class LinearModel implements Trainable {
  readonly w: Tensor;
  readonly b: Tensor;
  stopTraining = false;
  /** Every forward call: batch size, training flag, and the first feature of each sample. */
  calls: { size: number; training: boolean; firstFeature: number[] }[] = [];
  private readonly activation: 'sigmoid' | 'linear';

  constructor(features: number, { activation = 'sigmoid', w, b }: { activation?: 'sigmoid' | 'linear'; w?: number[]; b?: number } = {}) {
    this.w = variable(w !== undefined ? new Tensor(Float32Array.from(w), [1, features]) : randomNormal([1, features], { stddev: 0.1 }));
    this.b = variable([b ?? 0]);
    this.activation = activation;
  }

  readonly inputNames = ['x'];
  readonly outputNames = ['y'];

  forward(xs: Tensor[], training: boolean): Tensor[] {
    const x = xs[0];
    const d = x.shape[1];
    this.calls.push({ size: x.shape[0], training, firstFeature: Array.from({ length: x.shape[0] }, (_, i) => x.data[i * d]) });
    const logit = add(sum(mul(x, this.w), -1, true), this.b);
    return [this.activation === 'sigmoid' ? sigmoid(logit) : logit];
  }

  get trainableWeights(): Tensor[] {
    return [this.w, this.b];
  }

  getWeights(): Tensor[] {
    return [this.w, this.b].map((t) => new Tensor(new Float32Array(t.data), t.shape));
  }

  setWeights(weights: readonly Tensor[]): void {
    this.w.data.set(weights[0].data);
    this.b.data.set(weights[1].data);
  }
}

/** The seed example's data: n points in [0, 1)², labelled 1 when x0 + x1 > 1. */
export function seedData(n = 100, seed = 1): { x: number[][]; y: number[] } {
  const v = seededArray(2 * n, seed, 0, 1);
  const x = Array.from({ length: n }, (_, i) => [v[2 * i], v[2 * i + 1]]);
  return { x, y: x.map(([a, b]) => (a + b > 1 ? 1 : 0)) };
}

/** Float64 binary cross-entropy (clipped as Keras) of the linear model with weights w, b on (x, y), per sample. */
export function referenceBce(w: ArrayLike<number>, b: number, x: number[][], y: number[]): number[] {
  return x.map((row, i) => {
    const z = row.reduce((s, v, j) => s + v * w[j], b);
    const p = Math.min(Math.max(1 / (1 + Math.exp(-z)), 1e-7), 1 - 1e-7);
    return -(y[i] * Math.log(p) + (1 - y[i]) * Math.log(1 - p));
  });
}
