import { describe, expect, it } from 'vitest';
import { Tensor } from '../../src/tensor/tensor.js';
import { variable } from '../../src/tensor/creation.js';
import { SGD } from '../../src/optimizers/sgd.js';
import { Adam } from '../../src/optimizers/adam.js';
import { optimizerFromConfig } from '../../src/optimizers/registry.js';
import {
  CosineDecay, CosineDecayRestarts, ExponentialDecay, InverseTimeDecay, LearningRateSchedule, PiecewiseConstantDecay, PolynomialDecay, scheduleFromConfig,
} from '../../src/optimizers/schedules/index.js';
import { NeuriteError, ValueError } from '../../src/util/errors.js';
import { expectClose } from '../helpers/close.js';

// Expected values are Keras 3's literals and numpy references from keras/src/optimizers/schedules/learning_rate_schedule_test.py.

describe('ExponentialDecay / InverseTimeDecay', () => {
  it('continuous and staircase (Keras tests)', () => {
    expectClose(new ExponentialDecay(0.05, 10, 0.96).call(5), 0.05 * 0.96 ** 0.5, { rtol: 1e-6 });
    const stair = new ExponentialDecay(0.1, 3, 0.96, { staircase: true });
    expectClose([stair.call(1), stair.call(2), stair.call(100)], [0.1, 0.1, 0.1 * 0.96 ** 33], { rtol: 1e-6 });
  });

  it('inverse time decay, continuous and staircase, steps 0 … 10', () => {
    const plain = new InverseTimeDecay(0.1, 10, 0.96);
    const stair = new InverseTimeDecay(0.1, 10, 0.96, { staircase: true });
    for (let i = 0; i <= 10; i++) {
      expectClose(plain.call(i), 0.1 / (1 + (i / 10) * 0.96), { rtol: 1e-6 });
      expectClose(stair.call(i), 0.1 / (1 + 0.96 * Math.floor(i / 10)), { rtol: 1e-6 });
    }
  });
});

describe('PiecewiseConstantDecay', () => {
  it('boundary values: a step on a boundary still has the lower value (Keras test_boundary_values)', () => {
    const s = new PiecewiseConstantDecay([1, 2, 3], [0.4, 0.5, 0.6, 0.7]);
    expect([0, 1, 2, 3, 4].map((k) => s.call(k))).toEqual([0.4, 0.4, 0.5, 0.6, 0.7]);
  });

  it('Keras test_piecewise_values: boundaries [100, 110, 120], values [1, 0.1, 0.01, 0.001]', () => {
    const s = new PiecewiseConstantDecay([100, 110, 120], [1, 0.1, 0.01, 0.001]);
    expect([-999, 100, 105, 110, 120, 999].map((k) => s.call(k))).toEqual([1, 1, 0.1, 0.1, 0.01, 0.001]);
  });

  it('refuses lists of the wrong length or not increasing', () => {
    expect(() => new PiecewiseConstantDecay([1, 2], [0.1, 0.2])).toThrow(/one more value than boundaries/);
    expect(() => new PiecewiseConstantDecay([2, 1], [0.1, 0.2, 0.3])).toThrow(/increasing/);
  });
});

describe('PolynomialDecay', () => {
  it('halfway, end, beyond, cycle, power 0.5 (Keras tests)', () => {
    const [lr, end] = [0.05, 0.001];
    expectClose(new PolynomialDecay(lr, 10, { endLearningRate: 0 }).call(5), lr * 0.5, { rtol: 1e-6 });
    expectClose(new PolynomialDecay(lr, 10, { endLearningRate: end }).call(10), end, { rtol: 1e-6 });
    expectClose(new PolynomialDecay(lr, 10, { endLearningRate: end }).call(5), (lr + end) * 0.5, { rtol: 1e-6 });
    expectClose(new PolynomialDecay(lr, 10, { endLearningRate: end }).call(15), end, { rtol: 1e-6 });
    expectClose(new PolynomialDecay(lr, 10, { endLearningRate: end, cycle: true }).call(15), (lr - end) * 0.25 + end, { rtol: 1e-6 });
    expectClose(new PolynomialDecay(lr, 10, { endLearningRate: end, power: 0.5 }).call(5), (lr - end) * 0.5 ** 0.5 + end, { rtol: 1e-6 });
    expectClose(new PolynomialDecay(lr, 10, { endLearningRate: end, power: 0.5, cycle: true }).call(15), (lr - end) * 0.25 ** 0.5 + end, { rtol: 1e-6 });
    expectClose(new PolynomialDecay(0.001, 10, { cycle: true }).call(0), 0.001, { rtol: 1e-6 });
  });
});

/** Keras's numpy references, re-written. */
function npCosine(step: number, decaySteps: number, alpha = 0): number {
  const s = Math.min(step, decaySteps);
  return (1 - alpha) * 0.5 * (1 + Math.cos((Math.PI * s) / decaySteps)) + alpha;
}

function npRestarts(step: number, decaySteps: number, tMul = 2, mMul = 1, alpha = 0): number {
  let fac = 1;
  while (step >= decaySteps) {
    step -= decaySteps;
    decaySteps *= tMul;
    fac *= mMul;
  }
  return (1 - alpha) * fac * 0.5 * (1 + Math.cos((Math.PI * step) / decaySteps)) + alpha;
}

describe('CosineDecay / CosineDecayRestarts', () => {
  it('decay, alpha, warmup, warmup then decay (Keras tests)', () => {
    for (let step = 0; step < 1500; step += 250) {
      expectClose(new CosineDecay(1, 1000).call(step), npCosine(step, 1000), { rtol: 1e-6, atol: 1e-9 });
      expectClose(new CosineDecay(1, 1000, { alpha: 0.1 }).call(step), npCosine(step, 1000, 0.1), { rtol: 1e-6 });
      expectClose(new CosineDecay(0, 10, { warmupTarget: 10, warmupSteps: 1500 }).call(step), (step / 1500) * 10, { rtol: 1e-6 });
    }
    for (let step = 0; step < 3000; step += 250) {
      const s = new CosineDecay(0, 1000, { warmupTarget: 10, warmupSteps: 2000 });
      const want = step < 2001 ? (step / 2000) * 10 : 10 * npCosine(step - 2000, 1000);
      expectClose(s.call(step), want, { rtol: 1e-6, atol: 1e-9 });
    }
  });

  it('restarts: defaults, alpha, mMul, tMul = 1 (Keras tests)', () => {
    for (let step = 0; step < 1500; step += 250) {
      expectClose(new CosineDecayRestarts(1, 1000).call(step), npRestarts(step, 1000), { rtol: 1e-6, atol: 1e-9 });
      expectClose(new CosineDecayRestarts(1, 1000, { alpha: 0.1 }).call(step), npRestarts(step, 1000, 2, 1, 0.1), { rtol: 1e-6 });
      expectClose(new CosineDecayRestarts(1, 1000, { mMul: 0.9 }).call(step), npRestarts(step, 1000, 2, 0.9), { rtol: 1e-6, atol: 1e-9 });
      expectClose(new CosineDecayRestarts(1, 1000, { tMul: 1 }).call(step), npRestarts(step, 1000, 1), { rtol: 1e-6, atol: 1e-9 });
    }
  });
});

describe('schedules in optimizers', () => {
  it('the optimizer evaluates the schedule at its step count (0 on the first step)', () => {
    const opt = new SGD({ learningRate: new ExponentialDecay(0.1, 1, 0.5) });
    const p = variable([0]);
    const seen: number[] = [];
    for (let k = 0; k < 3; k++) {
      seen.push(opt.learningRate);
      p.grad = new Tensor(new Float32Array([1]), [1]);
      opt.apply([p]);
    }
    expectClose(seen, [0.1, 0.05, 0.025]);
    expectClose(p.data, [-(0.1 + 0.05 + 0.025)]);
    expect(() => (opt.learningRate = 0.3)).toThrow(/ExponentialDecay schedule and cannot be set/);
  });

  it('is saved in the optimizer config in Keras form and read back', () => {
    for (const s of [
      new ExponentialDecay(0.05, 10, 0.96, { staircase: true, name: 'my_ed' }), new PiecewiseConstantDecay([10, 20], [1, 2, 3]),
      new PolynomialDecay(0.1, 100, { endLearningRate: 0.005, power: 2, cycle: true }), new InverseTimeDecay(0.05, 10, 0.96),
      new CosineDecay(0.05, 10, { alpha: 0.1, warmupTarget: 0.2, warmupSteps: 2 }), new CosineDecayRestarts(0.05, 10, { alpha: 0.1, tMul: 3, mMul: 4 }),
    ]) {
      const config = new Adam({ learningRate: s }).getConfig();
      expect(config.learningRate).toEqual({ module: 'keras.optimizers.schedules', class_name: s.className, config: s.getConfig(), registered_name: null });
      const back = optimizerFromConfig('Adam', JSON.parse(JSON.stringify(config)));
      expect(back.learningRateSchedule?.getConfig()).toEqual(s.getConfig());
      for (const step of [0, 3, 7, 25]) expect(scheduleFromConfig(s.serialize()).call(step)).toBe(s.call(step));
    }
    expect(() => scheduleFromConfig({ class_name: 'Warp', config: {} })).toThrow(/unknown class_name 'Warp'/);
  });

  it('a schedule returning NaN is a NeuriteError before any weight changes', () => {
    class Broken extends LearningRateSchedule {
      readonly className = 'Broken';
      readonly name = 'broken';
      call(step: number): number {
        return step >= 1 ? NaN : 0.1;
      }
      getConfig() {
        return {};
      }
    }
    const opt = new SGD({ learningRate: new Broken() });
    const p = variable([1]);
    p.grad = new Tensor(new Float32Array([1]), [1]);
    opt.apply([p]);
    p.grad = new Tensor(new Float32Array([1]), [1]);
    expect(() => opt.apply([p])).toThrow(NeuriteError);
    expect(() => opt.apply([p])).toThrow(/Broken schedule returned learning rate NaN at step 1/);
    expectClose(p.data, [0.9]);
    expect(opt.iterations).toBe(1);
  });

  it('bad arguments are ValueErrors naming the schedule and the argument', () => {
    expect(() => new ExponentialDecay(0.1, 0, 0.5)).toThrow(/ExponentialDecay: expected decaySteps/);
    expect(() => new CosineDecay(0.1, 10, { warmup: 3 } as never)).toThrow(ValueError);
    expect(() => new CosineDecayRestarts(0.1, -1)).toThrow(/firstDecaySteps/);
  });
});
