import { describe, expect, it } from 'vitest';
import { Tensor } from '../../src/tensor/tensor.js';
import { variable } from '../../src/tensor/creation.js';
import { Optimizer } from '../../src/optimizers/optimizer.js';
import { Adam, AdamW } from '../../src/optimizers/adam.js';
import { SGD } from '../../src/optimizers/sgd.js';
import { Nadam } from '../../src/optimizers/nadam.js';
import { Adamax } from '../../src/optimizers/adamax.js';
import { Adagrad } from '../../src/optimizers/adagrad.js';
import { Adadelta } from '../../src/optimizers/adadelta.js';
import { Lion } from '../../src/optimizers/lion.js';
import { Ftrl } from '../../src/optimizers/ftrl.js';
import { ValueError } from '../../src/util/errors.js';
import { expectClose } from '../helpers/close.js';

// Literal expectations from Keras 3's own tests, keras/src/optimizers/<name>_test.py.

function step(opt: Optimizer, p: Tensor, grad: number[]): void {
  p.grad = new Tensor(Float32Array.from(grad), p.shape);
  opt.apply([p]);
}

/** `test_single_step`: vars [1, 2, 3, 4], grads [1, 6, 7, 2], one step. */
function singleStep(opt: Optimizer): Float32Array {
  const p = variable([1, 2, 3, 4]);
  step(opt, p, [1, 6, 7, 2]);
  return p.data;
}

/** `test_correctness_with_golden`: x = ones(10); one step with 0.01s, then checks before each step with 0.1 … 1.0. */
function golden(opt: Optimizer, rows: number[][]): void {
  const x = variable(new Float32Array(10).fill(1));
  const grads = Array.from({ length: 10 }, (_, i) => 0.1 * (i + 1));
  step(opt, x, new Array(10).fill(0.01));
  for (const row of rows) {
    expectClose(x.data, row.length === 1 ? new Array(10).fill(row[0]) : row, { rtol: 5e-4, atol: 5e-4 });
    step(opt, x, grads);
  }
}

describe('Keras 3 test literals: single step', () => {
  const cases: [string, () => Optimizer, number[]][] = [
    ['Adam', () => new Adam({ learningRate: 0.5 }), [0.5, 1.5, 2.5, 3.5]],
    ['AdamW', () => new AdamW({ learningRate: 0.5 }), [0.498, 1.496, 2.494, 3.492]],
    ['Nadam', () => new Nadam({ learningRate: 0.5 }), [0.4686, 1.4686, 2.4686, 3.4686]],
    ['Adamax', () => new Adamax({ learningRate: 0.5 }), [0.5, 1.5, 2.5, 3.5]],
    ['Adagrad', () => new Adagrad({ learningRate: 0.5 }), [0.5233, 1.5007, 2.5005, 3.5061]],
    ['Adadelta', () => new Adadelta({ learningRate: 0.5 }), [0.9993, 1.9993, 2.9993, 3.9993]],
    ['Lion', () => new Lion({ learningRate: 0.5 }), [0.5, 1.5, 2.5, 3.5]],
    ['Ftrl', () => new Ftrl({ learningRate: 0.5 }), [0.2218, 1.3954, 2.3651, 2.8814]],
  ];
  for (const [name, make, want] of cases) {
    it(name, () => expectClose(singleStep(make()), want, { rtol: 1e-4, atol: 1e-4 }));
  }
});

describe('Keras 3 test literals: correctness with golden', () => {
  it('AdamW (lr 1, weightDecay 0.5, ε 2)', () => {
    golden(new AdamW({ learningRate: 1, weightDecay: 0.5, epsilon: 2 }), [
      [0.4998, 0.4998, 0.4998, 0.4998, 0.4998, 0.4998, 0.4998, 0.4998, 0.4998, 0.4998],
      [0.2486, 0.2475, 0.2463, 0.2451, 0.244, 0.2428, 0.2417, 0.2405, 0.2394, 0.2382],
      [0.1223, 0.1198, 0.1174, 0.1149, 0.1124, 0.11, 0.1075, 0.1051, 0.1027, 0.1003],
      [0.0586, 0.0549, 0.0512, 0.0475, 0.0439, 0.0402, 0.0366, 0.033, 0.0294, 0.0258],
      [0.0263, 0.0215, 0.0167, 0.012, 0.0073, 0.0026, -0.0021, -0.0067, -0.0113, -0.0159],
    ]);
  });

  it('Adam with amsgrad', () => golden(new Adam({ amsgrad: true }), [[0.999], [0.9982], [0.9974], [0.9965], [0.9955]]));

  it('Nadam (lr 0.5, β 0.5 / 0.67, ε 1e-5)', () => {
    golden(new Nadam({ learningRate: 0.5, beta1: 0.5, beta2: 0.67, epsilon: 1e-5 }), [
      [0.4281, 0.4281, 0.4281, 0.4281, 0.4281, 0.4281, 0.4281, 0.4281, 0.4281, 0.4281],
      [-0.1738, -0.1731, -0.1726, -0.1723, -0.1721, -0.172, -0.1719, -0.1718, -0.1718, -0.1717],
      [-0.7115, -0.7103, -0.7096, -0.7092, -0.709, -0.7088, -0.7086, -0.7085, -0.7085, -0.7084],
      [-1.2335, -1.2322, -1.2313, -1.2309, -1.2306, -1.2304, -1.2302, -1.2301, -1.23, -1.2299],
      [-1.7492, -1.7478, -1.7469, -1.7464, -1.7461, -1.7459, -1.7457, -1.7456, -1.7455, -1.7454],
    ]);
  });

  it('Adamax (lr 0.2, β 0.85 / 0.95, ε 1e-6)', () => {
    golden(new Adamax({ learningRate: 0.2, beta1: 0.85, beta2: 0.95, epsilon: 1e-6 }), [
      [0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8],
      [0.6827, 0.6873, 0.6888, 0.6896, 0.6901, 0.6904, 0.6906, 0.6908, 0.6909, 0.691],
      [0.5333, 0.5407, 0.5431, 0.5444, 0.5451, 0.5456, 0.546, 0.5462, 0.5464, 0.5466],
      [0.368, 0.3773, 0.3804, 0.382, 0.3829, 0.3835, 0.384, 0.3843, 0.3846, 0.3848],
      [0.1933, 0.204, 0.2076, 0.2094, 0.2105, 0.2112, 0.2117, 0.2121, 0.2124, 0.2126],
    ]);
  });

  it('Adagrad (lr 0.2, initial accumulator 0.3, ε 1e-6)', () => {
    golden(new Adagrad({ learningRate: 0.2, initialAccumulatorValue: 0.3, epsilon: 1e-6 }), [
      [0.9963, 0.9963, 0.9963, 0.9963, 0.9963, 0.9963, 0.9963, 0.9963, 0.9963, 0.9963],
      [0.9604, 0.9278, 0.9003, 0.8784, 0.8615, 0.8487, 0.8388, 0.8313, 0.8255, 0.8209],
      [0.9251, 0.8629, 0.8137, 0.7768, 0.7497, 0.7298, 0.7151, 0.704, 0.6956, 0.6891],
      [0.8903, 0.8012, 0.7342, 0.6862, 0.6521, 0.6277, 0.6099, 0.5967, 0.5867, 0.579],
      [0.856, 0.7422, 0.6604, 0.6037, 0.5644, 0.5367, 0.5168, 0.5021, 0.491, 0.4825],
    ]);
  });

  it('Adadelta (lr 1, ρ 0.8, ε 1e-6)', () => golden(new Adadelta({ learningRate: 1, rho: 0.8, epsilon: 1e-6 }), [[0.9978], [0.9947], [0.9915], [0.9882], [0.9849]]));

  it('Lion (defaults)', () => golden(new Lion(), [[0.999], [0.998], [0.997], [0.996], [0.995]]));

  it('Ftrl (every regularization on)', () => {
    golden(
      new Ftrl({
        learningRate: 0.05, learningRatePower: -0.2, initialAccumulatorValue: 0.4, l1RegularizationStrength: 0.05,
        l2RegularizationStrength: 0.15, l2ShrinkageRegularizationStrength: 0.01, beta: 0.3,
      }),
      [
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        [-0.0034, -0.0077, -0.0118, -0.0157, -0.0194, -0.023, -0.0263, -0.0294, -0.0325, -0.0354],
        [-0.0078, -0.0162, -0.0242, -0.0317, -0.0387, -0.0454, -0.0516, -0.0575, -0.0631, -0.0685],
        [-0.0121, -0.0246, -0.0363, -0.0472, -0.0573, -0.0668, -0.0757, -0.0842, -0.0922, -0.0999],
        [-0.0164, -0.0328, -0.0481, -0.0623, -0.0753, -0.0875, -0.099, -0.1098, -0.1201, -0.1299],
      ],
    );
  });
});

describe('Keras 3 test literals: base options', () => {
  it('weight decay: var 2, zero gradient, lr 1, weightDecay 0.004, three optimizers in turn → 2·0.996³; excluded variables stay 2', () => {
    for (const make of [(o: { learningRate: number; weightDecay: number }) => new Adam(o), (o: { learningRate: number; weightDecay: number }) => new Lion(o), (o: { learningRate: number; weightDecay: number }) => new Adamax(o)]) {
      const [v1, v2] = [variable([2]), variable([2])];
      for (let k = 0; k < 3; k++) {
        const opt = make({ learningRate: 1, weightDecay: 0.004 });
        if (k > 0) opt.excludeFromWeightDecay([v2]);
        v1.grad = new Tensor(new Float32Array(1), [1]);
        v2.grad = k > 0 ? new Tensor(new Float32Array(1), [1]) : null;
        opt.apply(k > 0 ? [v1, v2] : [v1]);
      }
      expectClose(v1.data, [1.9760959], { rtol: 0, atol: 1e-6 });
      expectClose(v2.data, [2], { rtol: 0, atol: 1e-6 });
    }
  });

  it('clipNorm, clipValue, globalClipnorm on the gradient [100, 100] (SGD lr 1 shows the clipped gradient)', () => {
    const clipped = (o: ConstructorParameters<typeof SGD>[0], grads: number[][]) => {
      const ps = grads.map((g) => variable(new Float32Array(g.length)));
      ps.forEach((p, i) => (p.grad = new Tensor(Float32Array.from(grads[i]), p.shape)));
      new SGD({ learningRate: 1, ...o }).apply(ps);
      return ps.map((p) => Array.from(p.data, (v) => -v));
    };
    expectClose(clipped({ clipNorm: 1 }, [[100, 100]])[0], [Math.SQRT1_2, Math.SQRT1_2]);
    expectClose(clipped({ clipValue: 1 }, [[100, 100]])[0], [1, 1]);
    // Global: both gradients scaled by 1/‖[3, 4, 12]‖ = 1/13; per-variable clipNorm would leave [12] at norm 1.
    const [a, b] = clipped({ globalClipnorm: 1 }, [[3, 4], [12]]);
    expectClose([...a, ...b], [3 / 13, 4 / 13, 12 / 13]);
    expectClose(clipped({ clipNorm: 1 }, [[3, 4], [0.5]])[1], [0.5]);
    expect(() => new SGD({ clipNorm: 1, clipValue: 1 })).toThrow(/only one of clipNorm, clipValue and globalClipnorm/);
  });

  it('EMA: first step the average is the updated variable, then 0.9·v1 + 0.1·v2; finalize copies it in (Keras test_ema)', () => {
    const opt = new Adam({ learningRate: 1, useEma: true, emaMomentum: 0.9 });
    const v = variable([1, 2]);
    step(opt, v, [0.1, 0.2]);
    const v1 = Array.from(v.data);
    expectClose(opt.getState().slots[2], v1);
    step(opt, v, [0.1, 0.2]);
    const v2 = Array.from(v.data);
    const expected = v1.map((a, i) => 0.9 * a + 0.1 * v2[i]);
    expectClose(opt.getState().slots[2], expected);
    expect(opt.slotNames).toEqual(['m', 'v', 'average']);
    opt.finalizeVariableValues([v]);
    expectClose(v.data, expected);
  });

  it('EMA overwrite frequency 3: the variable becomes its average at step 3 (Keras optimizer_test test_ema)', () => {
    const opt = new SGD({ learningRate: 1, useEma: true, emaMomentum: 0.9, emaOverwriteFrequency: 3 });
    const v = variable(new Tensor(Float32Array.from([3, 4, 5, 6]), [2, 2]));
    const average = () => opt.getState().slots[0];
    step(opt, v, [1, 1, 1, 1]);
    expectClose(v.data, [2, 3, 4, 5]);
    expectClose(average(), [2, 3, 4, 5]);
    step(opt, v, [1, 1, 1, 1]);
    expectClose(v.data, [1, 2, 3, 4]);
    expectClose(average(), [1.9, 2.9, 3.9, 4.9]);
    step(opt, v, [1, 1, 1, 1]);
    expectClose(v.data, [1.71, 2.71, 3.71, 4.71]);
    expectClose(average(), [1.71, 2.71, 3.71, 4.71]);
  });

  it('EMA with fit: the weights equal their moving averages when fit ends (Keras test_ema, model.fit part)', async () => {
    const { Sequential } = await import('../../src/models/sequential.js');
    const { Dense } = await import('../../src/layers/dense.js');
    const model = new Sequential([new Dense(10, { kernelInitializer: 'ones', useBias: false, inputShape: [5] })]);
    const opt = new Adam({ useEma: true, emaMomentum: 0.9 });
    model.compile({ optimizer: opt, loss: 'mse' });
    await model.fit(new Tensor(new Float32Array(5).fill(1), [1, 5]), new Tensor(new Float32Array(10), [1, 10]), { epochs: 2, verbose: 0 });
    const kernel = model.trainableWeights[0];
    expect(Array.from(kernel.data)).toEqual(Array.from(opt.getState([kernel]).slots[2]));
    // Two steps: average = 0.9·w1 + 0.1·w2, not w2 (so the copy really happened): Adam moves each weight by ≈ lr per step.
    expectClose(kernel.data[0], 1 - 0.001 - 0.1 * 0.001, { rtol: 0, atol: 2e-5 });
  });

  it('every constructor refuses unknown options and checks its own', () => {
    expect(() => new Adam({ amsgrd: true } as never)).toThrow(/Adam: unknown option 'amsgrd'/);
    expect(() => new Lion({ epsilon: 1 } as never)).toThrow(/Lion: unknown option 'epsilon'/);
    expect(() => new Ftrl({ learningRatePower: 0.5 })).toThrow(/learningRatePower/);
    expect(() => new Lion({ beta1: 0 })).toThrow(ValueError);
    expect(() => new Adam({ useEma: true, emaOverwriteFrequency: 0 })).toThrow(/emaOverwriteFrequency/);
    expect(() => new AdamW({ weightDecay: -1 })).toThrow(/AdamW: expected weightDecay/);
  });
});
