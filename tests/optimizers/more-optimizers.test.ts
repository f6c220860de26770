import { describe, expect, it } from 'vitest';
import { Tensor } from '../../src/tensor/tensor.js';
import { variable } from '../../src/tensor/creation.js';
import { Optimizer } from '../../src/optimizers/optimizer.js';
import { Adam } from '../../src/optimizers/adam.js';
import { Nadam } from '../../src/optimizers/nadam.js';
import { Adamax } from '../../src/optimizers/adamax.js';
import { Adagrad } from '../../src/optimizers/adagrad.js';
import { Adadelta } from '../../src/optimizers/adadelta.js';
import { Lion } from '../../src/optimizers/lion.js';
import { Ftrl } from '../../src/optimizers/ftrl.js';
import { getOptimizer, optimizerFromConfig } from '../../src/optimizers/registry.js';
import { expectClose } from '../helpers/close.js';
import { seededArray } from '../helpers/seeded.js';
import { tfCpu, tfData } from '../helpers/tf.js';

// The quadratic bowl of optimizers.test.ts: grad = a·p + c, in float32 as backward would compute it.
const A = seededArray(7, 1, 0.5, 2);
const C = seededArray(7, 2, -1, 1);
const P0 = seededArray(7, 3, -1, 1);
const grad64 = (p: number[]) => p.map((pi, i) => Math.fround(A[i] * Math.fround(pi) + C[i]));

function run(opt: Optimizer, steps: number): Float32Array[] {
  const p = variable(P0);
  const out: Float32Array[] = [];
  for (let s = 0; s < steps; s++) {
    const g = new Float32Array(p.size);
    for (let i = 0; i < p.size; i++) g[i] = A[i] * p.data[i] + C[i];
    p.grad = new Tensor(g, p.shape);
    opt.apply([p]);
    out.push(new Float32Array(p.data));
  }
  return out;
}

async function runTf(make: (tf: Awaited<ReturnType<typeof tfCpu>>) => import('@tensorflow/tfjs').Optimizer, steps: number): Promise<Float32Array[]> {
  const tf = await tfCpu();
  const opt = make(tf);
  const p = tf.variable(tf.tensor1d(P0));
  const out: Float32Array[] = [];
  for (let s = 0; s < steps; s++) {
    opt.applyGradients([{ name: p.name, tensor: tf.add(tf.mul(tf.tensor1d(A), p), tf.tensor1d(C)) }]);
    out.push(tfData(p));
  }
  return out;
}

/** Float64 loops written from Keras 3's update_step formulas (keras/src/optimizers/*.py). */
function reference(steps: number, update: (p: number[], g: number[], t: number) => void): number[][] {
  const p = Array.from(P0);
  const out: number[][] = [];
  for (let t = 1; t <= steps; t++) {
    update(p, grad64(p), t);
    out.push([...p]);
  }
  return out;
}

const zeros = () => Array.from(P0, () => 0);

describe('the added optimizers against TF.js (where it has them) and float64 Keras-formula references', () => {
  it('Adagrad = tf.train.adagrad over 10 steps', async () => {
    const got = run(new Adagrad({ learningRate: 0.1, initialAccumulatorValue: 0.1 }), 10);
    const want = await runTf((tf) => tf.train.adagrad(0.1, 0.1), 10);
    got.forEach((g, s) => expectClose(g, want[s], { rtol: 1e-5, atol: 1e-6 }));
  });

  it('Adadelta = the float64 Keras reference over 10 steps (not TF.js, which divides by E[g²] before this step updates it)', () => {
    const [eg, ed] = [zeros(), zeros()];
    const want = reference(10, (p, g) => {
      for (let i = 0; i < p.length; i++) {
        eg[i] = 0.9 * eg[i] + 0.1 * g[i] ** 2;
        const delta = (-Math.sqrt(ed[i] + 1e-6) * g[i]) / Math.sqrt(eg[i] + 1e-6);
        ed[i] = 0.9 * ed[i] + 0.1 * delta ** 2;
        p[i] += delta;
      }
    });
    run(new Adadelta({ learningRate: 1, rho: 0.9, epsilon: 1e-6 }), 10).forEach((g, s) => expectClose(g, want[s], { rtol: 1e-5, atol: 1e-6 }));
  });

  it('Adamax = tf.train.adamax over 10 steps', async () => {
    const got = run(new Adamax({ learningRate: 0.02, beta1: 0.8, beta2: 0.95, epsilon: 1e-7 }), 10);
    const want = await runTf((tf) => tf.train.adamax(0.02, 0.8, 0.95, 1e-7, 0), 10);
    got.forEach((g, s) => expectClose(g, want[s], { rtol: 1e-5, atol: 1e-6 }));
  });

  it('Nadam, Lion, Ftrl, Adam amsgrad = float64 references over 10 steps', () => {
    const [m, v, vh] = [zeros(), zeros(), zeros()];
    let product = 1;
    const nadam = reference(10, (p, g, t) => {
      const u = (k: number) => 0.8 * (1 - 0.5 * 0.96 ** k);
      product *= u(t);
      for (let i = 0; i < p.length; i++) {
        m[i] = 0.8 * m[i] + 0.2 * g[i];
        v[i] = 0.9 * v[i] + 0.1 * g[i] ** 2;
        const mHat = (u(t + 1) * m[i]) / (1 - product * u(t + 1)) + ((1 - u(t)) * g[i]) / (1 - product);
        p[i] -= (0.05 * mHat) / (Math.sqrt(v[i] / (1 - 0.9 ** t)) + 1e-7);
      }
    });
    run(new Nadam({ learningRate: 0.05, beta1: 0.8, beta2: 0.9 }), 10).forEach((g, s) => expectClose(g, nadam[s], { rtol: 1e-5, atol: 1e-6 }));

    const mom = zeros();
    const lion = reference(10, (p, g) => {
      for (let i = 0; i < p.length; i++) {
        p[i] -= 0.01 * Math.sign(0.8 * mom[i] + 0.2 * g[i]);
        mom[i] = 0.95 * mom[i] + 0.05 * g[i];
      }
    });
    run(new Lion({ learningRate: 0.01, beta1: 0.8, beta2: 0.95 }), 10).forEach((g, s) => expectClose(g, lion[s], { rtol: 1e-5, atol: 1e-6 }));

    const [n, z] = [Array.from(P0, () => 0.2), zeros()];
    const ftrl = reference(10, (p, g) => {
      const [lr, c, l1, l2, shrink] = [0.1, 0.5, 0.01, 0.02 + 0.1 / (2 * 0.1), 0.03];
      for (let i = 0; i < p.length; i++) {
        const nNew = n[i] + g[i] ** 2;
        z[i] += g[i] + 2 * shrink * p[i] - ((nNew ** c - n[i] ** c) / lr) * p[i];
        p[i] = (Math.min(Math.max(z[i], -l1), l1) - z[i]) / (nNew ** c / lr + 2 * l2);
        n[i] = nNew;
      }
    });
    const ftrlOpt = new Ftrl({ learningRate: 0.1, initialAccumulatorValue: 0.2, l1RegularizationStrength: 0.01, l2RegularizationStrength: 0.02, l2ShrinkageRegularizationStrength: 0.03, beta: 0.1 });
    run(ftrlOpt, 10).forEach((g, s) => expectClose(g, ftrl[s], { rtol: 1e-4, atol: 1e-6 }));

    m.fill(0);
    v.fill(0);
    const ams = reference(10, (p, g, t) => {
      for (let i = 0; i < p.length; i++) {
        m[i] = 0.9 * m[i] + 0.1 * g[i];
        v[i] = 0.99 * v[i] + 0.01 * g[i] ** 2;
        vh[i] = Math.max(vh[i], v[i]);
        p[i] -= ((0.05 * Math.sqrt(1 - 0.99 ** t)) / (1 - 0.9 ** t)) * (m[i] / (Math.sqrt(vh[i]) + 1e-7));
      }
    });
    run(new Adam({ learningRate: 0.05, beta2: 0.99, amsgrad: true }), 10).forEach((g, s) => expectClose(g, ams[s], { rtol: 1e-5, atol: 1e-6 }));
  });

  it('Nadam resumed from getState continues bit-identically (its running product follows the step count)', () => {
    const straight = run(new Nadam({ learningRate: 0.05 }), 6)[5];
    const p = variable(P0);
    const first = new Nadam({ learningRate: 0.05 });
    const stepOnce = (opt: Optimizer) => {
      const g = new Float32Array(p.size);
      for (let i = 0; i < p.size; i++) g[i] = A[i] * p.data[i] + C[i];
      p.grad = new Tensor(g, p.shape);
      opt.apply([p]);
    };
    for (let s = 0; s < 3; s++) stepOnce(first);
    const second = new Nadam({ learningRate: 0.05 });
    second.setState(first.getState([p]), [p]);
    for (let s = 0; s < 3; s++) stepOnce(second);
    expect(Array.from(p.data)).toEqual(Array.from(straight));
  });
});

describe('optimizer ids and saved configs', () => {
  it('every id resolves, and getConfig → optimizerFromConfig rebuilds an equal optimizer', () => {
    for (const id of ['adam', 'sgd', 'rmsprop', 'adamw', 'nadam', 'adamax', 'adagrad', 'adadelta', 'lion', 'ftrl'] as const) {
      const opt = getOptimizer(id, { clipValue: 0.5 });
      const again = optimizerFromConfig(opt.className, opt.getConfig());
      expect(again.className).toBe(opt.className);
      expect(again.getConfig()).toEqual(opt.getConfig());
    }
  });

  it('reads Keras 3 snake_case configs, with the neutral keys Keras writes', () => {
    const keras = {
      name: 'adam', learning_rate: 0.01, weight_decay: null, clipnorm: null, global_clipnorm: 1, clipvalue: null, use_ema: false,
      ema_momentum: 0.99, ema_overwrite_frequency: null, loss_scale_factor: null, gradient_accumulation_steps: null,
      beta_1: 0.8, beta_2: 0.99, epsilon: 1e-7, amsgrad: true,
    };
    const opt = optimizerFromConfig('Adam', keras) as Adam;
    expect(opt.getConfig()).toEqual({ learningRate: 0.01, beta1: 0.8, beta2: 0.99, epsilon: 1e-7, amsgrad: true, globalClipnorm: 1 });
  });
});
