import { expectClose } from '../helpers/close.js';
import { describe, expect, it } from 'vitest';
import { tensor, variable } from '../../src/tensor/creation.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { backward } from '../../src/autograd/backward.js';
import { mean, sum } from '../../src/ops/reduction.js';
import { mul } from '../../src/ops/arithmetic.js';
import { binaryCrossentropy } from '../../src/losses/losses.js';
import { SGD } from '../../src/optimizers/sgd.js';
import { Sequential } from '../../src/models/sequential.js';
import { Dense } from '../../src/layers/dense.js';
import { TerminateOnNaN } from '../../src/training/callbacks.js';

/** Float64 reference of BCE from logits: mean of max(x, 0) − x·z + log1p(exp(−|x|)), gradient (σ(x) − z) / n. */
function reference(z: number[], x: number[]): { loss: number; grad: number[] } {
  const n = x.length;
  const terms = x.map((xi, i) => Math.max(xi, 0) - xi * z[i] + Math.log1p(Math.exp(-Math.abs(xi))));
  const sigmoid = (v: number) => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)));
  return { loss: terms.reduce((a, b) => a + b / n, 0), grad: x.map((xi, i) => (sigmoid(xi) - z[i]) / n) };
}

describe('float32 extremes', () => {
  const cases: [number[], number[]][] = [
    [[0, 0, 0], [3e38, 3e38, 3e38]],
    [[1, 0], [-3e38, 3e38]],
    [[0.5, 0.5, 0.5], [3e38, -3e38, 3e38]],
    [[1, 0, 1, 0], [3.4e38, -3.4e38, 3e38, -3e38]],
  ];
  for (const [z, x] of cases) {
    it(`binaryCrossentropy fromLogits at logits ${x.join(', ')} is finite and equals the float64 value`, () => {
      const logits = variable(tensor(x.map((v) => [v])));
      const loss = binaryCrossentropy(tensor(z.map((v) => [v])), logits, { fromLogits: true });
      const want = reference(z, Array.from(new Float32Array(x)));
      expect(Number.isFinite(loss.data[0])).toBe(true);
      expect(loss.data[0]).toBe(Math.fround(want.loss));
      backward(loss);
      Array.from(logits.grad!.data).forEach((g, i) => expect(g).toBeCloseTo(want.grad[i], 6));
    });
  }

  it('mean of values near float32 max stays finite (divides before it sums)', () => {
    expect(mean(tensor([3e38, 3e38, 3e38])).data[0]).toBe(Math.fround(3e38));
    expect(Number.isNaN(mean(tensor([], [0])).data[0])).toBe(true);
  });

  it('clipNorm with a gradient that overflowed skips the step: no NaN weights, then clips normally', () => {
    const w = variable([1, 2]);
    const opt = new SGD({ learningRate: 1, clipNorm: 1 });
    w.grad = new Tensor(new Float32Array([Infinity, 0]), [2]);
    opt.apply([w]);
    expect(Array.from(w.data)).toEqual([1, 2]);
    expect(opt.lastStepNonFinite).toBe(true);
    expect(Array.from(w.grad.data)).toEqual([0, 0]);
    // A finite gradient [3, 4] (norm 5) is clipped to norm 1: [0.6, 0.8]; w − 1·that.
    w.grad.data.set([3, 4]);
    opt.apply([w]);
    expect(opt.lastStepNonFinite).toBe(false);
    // Within float32 rounding of the clipped gradient.
    expectClose(w.data, [0.4, 1.2], { rtol: 1e-6, atol: 1e-7 });
  });

  it('in fit, a step whose gradient overflows is logged as NaN, TerminateOnNaN stops, the weights stay finite', async () => {
    const model = new Sequential([new Dense(1, { inputShape: [1] })]);
    model.setWeights([tensor([[0.25]]), tensor([0])]);
    // loss = 3e38 · ŷ = 1.5e38 (finite), but d loss / d kernel = x · 3e38 = 6e38 overflows float32.
    model.compile({ optimizer: new SGD({ learningRate: 0.1, clipNorm: 1 }), loss: (_y: Tensor, yPred: Tensor) => sum(mul(yPred, 3e38)) });
    const stop = new TerminateOnNaN();
    const history = await model.fit(tensor([[2]]), tensor([[0]]), { epochs: 3, verbose: 0, callbacks: [stop] });
    expect(history.history.loss).toHaveLength(1);
    expect(Number.isNaN(history.history.loss[0])).toBe(true);
    expect(stop.stoppedAtBatch).toBe(0);
    expect(model.getWeights().map((t) => Array.from(t.data))).toEqual([[0.25], [0]]);
  });
});
