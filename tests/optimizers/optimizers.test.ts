import { describe, expect, it } from 'vitest';
import { Tensor } from '../../src/tensor/tensor.js';
import { variable } from '../../src/tensor/creation.js';
import { Optimizer } from '../../src/optimizers/optimizer.js';
import { Adam } from '../../src/optimizers/adam.js';
import { SGD } from '../../src/optimizers/sgd.js';
import { RMSprop } from '../../src/optimizers/rmsprop.js';
import { getOptimizer } from '../../src/optimizers/registry.js';
import { NeuriteError, ShapeError, ValueError } from '../../src/util/errors.js';
import { expectClose } from '../helpers/close.js';
import { seededArray } from '../helpers/seeded.js';
import { tfCpu, tfData } from '../helpers/tf.js';

// A fixed quadratic bowl: loss = Σ ½·a·p² + c·p, so grad = a·p + c (computed here in float32, as backward would).
const A = seededArray(7, 1, 0.5, 2);
const C = seededArray(7, 2, -1, 1);
const P0 = seededArray(7, 3, -1, 1);

function setGrad(p: Tensor): void {
  const g = new Float32Array(p.size);
  for (let i = 0; i < p.size; i++) g[i] = A[i] * p.data[i] + C[i];
  p.grad = new Tensor(g, p.shape);
}

/** Runs `steps` optimizer steps on the bowl from P0; returns the parameter after each step. */
function run(opt: Optimizer, steps: number): Float32Array[] {
  const p = variable(P0);
  const out: Float32Array[] = [];
  for (let s = 0; s < steps; s++) {
    setGrad(p);
    opt.apply([p]);
    out.push(new Float32Array(p.data));
  }
  return out;
}

/** Float64 reference loops written from the Keras update rules (independent of src/optimizers). */
const reference = {
  adam(steps: number, lr: number, b1: number, b2: number, eps: number): number[][] {
    const p = Array.from(P0), m = p.map(() => 0), v = p.map(() => 0), out: number[][] = [];
    for (let t = 1; t <= steps; t++) {
      const g = p.map((pi, i) => Math.fround(A[i] * Math.fround(pi) + C[i]));
      for (let i = 0; i < p.length; i++) {
        m[i] = b1 * m[i] + (1 - b1) * g[i];
        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
        p[i] -= ((lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t)) * (m[i] / (Math.sqrt(v[i]) + eps));
      }
      out.push([...p]);
    }
    return out;
  },
  sgd(steps: number, lr: number, mu: number, nesterov: boolean): number[][] {
    const p = Array.from(P0), b = p.map(() => 0), out: number[][] = [];
    for (let t = 1; t <= steps; t++) {
      const g = p.map((pi, i) => Math.fround(A[i] * Math.fround(pi) + C[i]));
      for (let i = 0; i < p.length; i++) {
        b[i] = mu * b[i] - lr * g[i];
        p[i] += nesterov ? mu * b[i] - lr * g[i] : b[i];
      }
      out.push([...p]);
    }
    return out;
  },
  rmsprop(steps: number, lr: number, rho: number, mu: number, eps: number, centered: boolean): number[][] {
    const p = Array.from(P0), s = p.map(() => 0), b = p.map(() => 0), avg = p.map(() => 0), out: number[][] = [];
    for (let t = 1; t <= steps; t++) {
      const g = p.map((pi, i) => Math.fround(A[i] * Math.fround(pi) + C[i]));
      for (let i = 0; i < p.length; i++) {
        s[i] = rho * s[i] + (1 - rho) * g[i] ** 2;
        avg[i] = rho * avg[i] + (1 - rho) * g[i];
        const inc = (lr * g[i]) / Math.sqrt(s[i] + eps - (centered ? avg[i] ** 2 : 0));
        b[i] = mu * b[i] + inc;
        p[i] -= mu > 0 ? b[i] : inc;
      }
      out.push([...p]);
    }
    return out;
  },
};

/** The same bowl with a TF.js optimizer: its gradients are computed from its own variable the same way. */
async function runTf(make: (tf: Awaited<ReturnType<typeof tfCpu>>) => import('@tensorflow/tfjs').Optimizer, steps: number): Promise<Float32Array[]> {
  const tf = await tfCpu();
  const opt = make(tf);
  const p = tf.variable(tf.tensor1d(P0));
  const a = tf.tensor1d(A);
  const c = tf.tensor1d(C);
  const out: Float32Array[] = [];
  for (let s = 0; s < steps; s++) {
    const g = tf.add(tf.mul(a, p), c);
    opt.applyGradients([{ name: p.name, tensor: g }]);
    out.push(tfData(p));
  }
  return out;
}

describe('Adam', () => {
  it('first step moves each parameter by ≈ lr·sign(g) (the bias correction, by hand)', () => {
    const p = variable([1, 1, 1]);
    p.grad = new Tensor(new Float32Array([0.5, -3, 1e-3]), [3]);
    new Adam().apply([p]);
    // m = 0.1g, v = 0.001g², α = 1e-3·sqrt(0.001)/0.1, step = α·m/(sqrt(v)+ε) = 1e-3·|g|/(|g| + ε/sqrt(0.001)).
    const step = (g: number) => (1e-3 * g) / (Math.abs(g) + 1e-7 / Math.sqrt(0.001));
    expectClose(p, [1 - step(0.5), 1 + step(3), 1 - step(1e-3)], { rtol: 1e-7, atol: 1e-7 });
  });

  it('matches the float64 Keras-form reference over 10 steps', () => {
    const got = run(new Adam({ learningRate: 0.05, beta1: 0.8, beta2: 0.99 }), 10);
    const want = reference.adam(10, 0.05, 0.8, 0.99, 1e-7);
    got.forEach((g, s) => expectClose(g, want[s], { rtol: 1e-5, atol: 1e-6 }));
  });

  it('matches tf.train.adam over 10 steps', async () => {
    // TF.js's Adam adds ε to the bias-corrected sqrt(v̂) (Keras adds it to sqrt(v) before the correction, so
    // TF.js's ε acts like Keras's ε·sqrt(1 − β2^t)); its default ε on the cpu backend is 1e-7 like Keras's.
    // With gradients of order 0.1–1 the difference is ~1e-7 relative, far inside the tolerance, and ε is passed
    // explicitly so neither default is relied on.
    const got = run(new Adam({ learningRate: 0.01 }), 10);
    const want = await runTf((tf) => tf.train.adam(0.01, 0.9, 0.999, 1e-7), 10);
    got.forEach((g, s) => expectClose(g, want[s], { rtol: 1e-5, atol: 1e-6 }));
  });
});

describe('SGD', () => {
  it('plain step is p − lr·g (by hand)', () => {
    const p = variable([1, -2]);
    p.grad = new Tensor(new Float32Array([0.5, 4]), [2]);
    new SGD({ learningRate: 0.1 }).apply([p]);
    expectClose(p, [0.95, -2.4]);
  });

  it('momentum and Nesterov: two hand-computed steps with a constant gradient', () => {
    // g = 1, lr = 0.1, μ = 0.9: b1 = −0.1, b2 = −0.19. Classic: p = −0.1 then −0.29.
    // Nesterov: p += μ·b − lr·g: −0.19, then −0.19 + (−0.171 − 0.1) = −0.461.
    for (const [nesterov, want] of [[false, [-0.1, -0.29]], [true, [-0.19, -0.461]]] as const) {
      const p = variable([0]);
      const opt = new SGD({ learningRate: 0.1, momentum: 0.9, nesterov });
      const seen: number[] = [];
      for (let s = 0; s < 2; s++) {
        p.grad = new Tensor(new Float32Array([1]), [1]);
        opt.apply([p]);
        seen.push(p.data[0]);
      }
      expectClose(seen, [...want], { rtol: 1e-6 });
    }
  });

  it('matches the float64 reference and tf.train.momentum (same update for a constant lr) over 10 steps', async () => {
    for (const nesterov of [false, true]) {
      const got = run(new SGD({ learningRate: 0.05, momentum: 0.9, nesterov }), 10);
      const want = reference.sgd(10, 0.05, 0.9, nesterov);
      got.forEach((g, s) => expectClose(g, want[s], { rtol: 1e-5, atol: 1e-6 }));
      // TF.js keeps accum = μ·accum + g and steps lr·accum (Nesterov lr·(g + μ·accum)): −lr·accum is Keras's b.
      const tfWant = await runTf((tf) => tf.train.momentum(0.05, 0.9, nesterov), 10);
      got.forEach((g, s) => expectClose(g, tfWant[s], { rtol: 1e-5, atol: 1e-6 }));
    }
    const plain = run(new SGD({ learningRate: 0.05 }), 5);
    const plainTf = await runTf((tf) => tf.train.sgd(0.05), 5);
    plain.forEach((g, s) => expectClose(g, plainTf[s], { rtol: 1e-6, atol: 1e-7 }));
  });
});

describe('RMSprop', () => {
  it('first step by hand: s = 0.1g², p −= lr·g/sqrt(s + ε)', () => {
    const p = variable([1]);
    p.grad = new Tensor(new Float32Array([2]), [1]);
    new RMSprop().apply([p]);
    expectClose(p, [1 - (0.001 * 2) / Math.sqrt(0.4 + 1e-7)], { rtol: 1e-7 });
  });

  it('matches the float64 reference (plain, momentum, centered) over 10 steps', () => {
    for (const [mu, centered] of [[0, false], [0.5, false], [0, true], [0.5, true]] as const) {
      const got = run(new RMSprop({ learningRate: 0.01, rho: 0.8, momentum: mu, centered }), 10);
      const want = reference.rmsprop(10, 0.01, 0.8, mu, 1e-7, centered);
      got.forEach((g, s) => expectClose(g, want[s], { rtol: 1e-5, atol: 1e-6 }));
    }
  });

  it('matches tf.train.rmsprop (not centered) over 10 steps', async () => {
    // TF.js's centered variant computes sqrt(s − (ḡ² + ε)), not Keras's sqrt(s − ḡ² + ε), so only the
    // uncentered forms are compared with it; the centered one is checked against the reference above.
    for (const mu of [0, 0.5]) {
      const got = run(new RMSprop({ learningRate: 0.01, momentum: mu }), 10);
      const want = await runTf((tf) => tf.train.rmsprop(0.01, 0.9, mu, 1e-7, false), 10);
      got.forEach((g, s) => expectClose(g, want[s], { rtol: 1e-5, atol: 1e-6 }));
    }
  });
});

describe('Optimizer base', () => {
  it('clipNorm rescales each parameter gradient to that L2 norm, separately (Keras clipnorm)', () => {
    const a = variable([0, 0]);
    const b = variable([0]);
    a.grad = new Tensor(new Float32Array([3, 4]), [2]); // norm 5 → clipped to 1: [0.6, 0.8]
    b.grad = new Tensor(new Float32Array([0.5]), [1]); // norm 0.5 < 1: unchanged
    new SGD({ learningRate: 1, clipNorm: 1 }).apply([a, b]);
    expectClose(a, [-0.6, -0.8]);
    expectClose(b, [-0.5]);
  });

  it('zeroes each gradient in place after the step and skips parameters without a gradient', () => {
    const a = variable([1, 2]);
    const b = variable([3]);
    a.grad = new Tensor(new Float32Array([1, 1]), [2]);
    const gradArray = a.grad.data;
    const opt = new Adam();
    opt.apply([a, b]);
    expect(a.grad!.data).toBe(gradArray);
    expect(Array.from(gradArray)).toEqual([0, 0]);
    expect(Array.from(b.data)).toEqual([3]);
    expect(opt.getState().slots.length).toBe(2); // b, without a gradient, got no slots (Keras skips it)
    expect(opt.getState([a, b]).slots[2].every((x) => x === 0)).toBe(true); // b's m would start at zero
    expect(opt.iterations).toBe(1);
  });

  it('getState / setState resume training bit-identically', () => {
    for (const make of [() => new Adam({ learningRate: 0.1 }), () => new RMSprop({ momentum: 0.3, centered: true }), () => new SGD({ momentum: 0.9 })]) {
      const straight = run(make(), 6);
      const p = variable(P0);
      const first = make();
      for (let s = 0; s < 3; s++) {
        setGrad(p);
        first.apply([p]);
      }
      const saved = first.getState();
      const second = make();
      second.build([p]);
      second.setState(saved);
      expect(second.iterations).toBe(3);
      for (let s = 0; s < 3; s++) {
        setGrad(p);
        second.apply([p]);
      }
      expect(Array.from(p.data)).toEqual(Array.from(straight[5]));
    }
  });

  it('getState lists slots per parameter in slotNames order, as copies', () => {
    const a = variable([1, 2]);
    const b = variable([3]);
    const opt = new Adam();
    a.grad = new Tensor(new Float32Array([1, 1]), [2]);
    b.grad = new Tensor(new Float32Array([2]), [1]);
    opt.apply([a, b]);
    const state = opt.getState();
    expect(opt.slotNames).toEqual(['m', 'v']);
    expect(state.slots.map((s) => s.length)).toEqual([2, 2, 1, 1]);
    expectClose(state.slots[2], [0.2]); // b's m = (1 − β1)·g
    expectClose(state.slots[3], [0.004]); // b's v = (1 − β2)·g²
    state.slots[0][0] = 99;
    expect(opt.getState().slots[0][0]).not.toBe(99);
  });

  it('bad input throws before any state changes', () => {
    const p = variable([1, 2]);
    const opt = new Adam();
    expect(() => opt.setState({ iterations: 0, slots: [] })).toThrow(/build\(params\)/);
    p.grad = new Tensor(new Float32Array([1, 2, 3]), [3]);
    expect(() => opt.apply([p])).toThrow(ShapeError);
    expect(opt.built).toBe(false);
    expect(opt.iterations).toBe(0);
    expect(() => opt.apply([p, 3 as unknown as Tensor])).toThrow(/array of Tensors/);
    p.grad = new Tensor(new Float32Array([1, 2]), [2]);
    opt.apply([p]);
    expect(() => opt.setState({ iterations: 1, slots: [new Float32Array(2)] })).toThrow(/expected 2 slot arrays/);
    expect(() => opt.setState({ iterations: 1, slots: [new Float32Array(2), new Float32Array(3)] })).toThrow(ShapeError);
    expect(() => opt.setState({ iterations: -1, slots: [] })).toThrow(ValueError);
    expect(opt.iterations).toBe(1);
  });

  it('rejects invalid hyper-parameters with the optimizer and setting named', () => {
    expect(() => new Adam({ learningRate: -1 })).toThrow(/Adam: expected learningRate/);
    expect(() => new Adam({ beta1: 1.5 })).toThrow(/beta1/);
    expect(() => new SGD({ momentum: NaN })).toThrow(/SGD: expected momentum/);
    expect(() => new SGD({ nesterov: 1 as unknown as boolean })).toThrow(/nesterov/);
    expect(() => new RMSprop({ clipNorm: 0 })).toThrow(/clipNorm/);
    expect(() => new RMSprop({ rho: 0.9, decay: 0.8 })).toThrow(/rho and decay/);
  });
});

describe('getOptimizer', () => {
  it('resolves Keras ids (any case) with Keras defaults, passes instances through', () => {
    const adam = getOptimizer('adam') as Adam;
    expect(adam).toBeInstanceOf(Adam);
    expect(adam.getConfig()).toEqual({ learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
    expect(getOptimizer('SGD').getConfig()).toEqual({ learningRate: 0.01, momentum: 0, nesterov: false });
    expect(getOptimizer('RMSprop').getConfig()).toEqual({ learningRate: 0.001, rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false });
    expect(getOptimizer('sgd', { learningRate: 0.5 }).learningRate).toBe(0.5);
    const mine = new SGD();
    expect(getOptimizer(mine)).toBe(mine);
  });

  it('an unknown id is a ValueError listing the valid ids', () => {
    expect(() => getOptimizer('adafactor' as never)).toThrow(ValueError);
    expect(() => getOptimizer('adafactor' as never)).toThrow(/'adam', 'sgd', 'rmsprop', 'adamw', 'nadam'/);
    expect(() => getOptimizer(3 as never)).toThrow(NeuriteError);
  });
});
