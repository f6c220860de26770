import { describe, expect, it } from 'vitest';
import { setSeed } from '../../src/util/random.js';
import { ShapeError, ValueError } from '../../src/util/errors.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { Dense } from '../../src/layers/dense.js';
import { Sequential } from '../../src/models/sequential.js';
import { Distiller } from '../../src/compress/distiller.js';
import { featureDistillation, logitsDistillation } from '../../src/compress/distillation-loss.js';
import { seededTensor } from '../helpers/seeded.js';
import { sparseCategoricalCrossentropy } from '../../src/losses/losses.js';
import { Adam } from '../../src/optimizers/adam.js';

/** T²·mean_i Σ_j p log(p/q), p = softmax(t/T), q = softmax(s/T), clipped to [1e-7, 1]: float64, from the definition. */
function klRef(t: Float32Array, s: Float32Array, rows: number, cols: number, T: number): number {
  const soft = (v: Float32Array, i: number): number[] => {
    const z = Array.from(v.subarray(i * cols, (i + 1) * cols), (x) => x / T);
    const m = Math.max(...z);
    const e = z.map((x) => Math.exp(x - m));
    const sum = e.reduce((a, b) => a + b, 0);
    return e.map((x) => Math.min(1, Math.max(1e-7, x / sum)));
  };
  let total = 0;
  for (let i = 0; i < rows; i++) {
    const p = soft(t, i);
    const q = soft(s, i);
    total += p.reduce((acc, pj, j) => acc + pj * Math.log(pj / q[j]), 0);
  }
  return (T * T * total) / rows;
}

function models(): { teacher: Sequential; student: Sequential } {
  setSeed(41);
  const teacher = new Sequential([new Dense(12, { activation: 'relu', inputShape: [5] }), new Dense(3)]);
  const student = new Sequential([new Dense(4, { activation: 'relu', inputShape: [5] }), new Dense(3)]);
  return { teacher, student };
}

describe('distillation losses', () => {
  it('logitsDistillation equals the hand-computed temperature-scaled KL', () => {
    const t = seededTensor([4, 3], 1, -3, 3);
    const s = seededTensor([4, 3], 2, -3, 3);
    for (const T of [1, 2.5, 5]) expect(logitsDistillation({ temperature: T }).computeLoss(t, s).data[0]).toBeCloseTo(klRef(t.data, s.data, 4, 3, T), 5);
    expect(logitsDistillation().computeLoss(t, t).data[0]).toBeCloseTo(0, 6);
  });

  it('featureDistillation is the mean squared difference', () => {
    const t = new Tensor(new Float32Array([1, 2, 3, 4]), [2, 2]);
    const s = new Tensor(new Float32Array([0, 2, 5, 4]), [2, 2]);
    expect(featureDistillation().computeLoss(t, s).data[0]).toBeCloseTo((1 + 0 + 4 + 0) / 4, 6);
  });
});

describe('Distiller', () => {
  it("its loss is w·student + (1 − w)·distillation on the batch; fit trains the student only", async () => {
    const { teacher, student } = models();
    const d = new Distiller({ teacher, student, distillationLoss: logitsDistillation({ temperature: 2 }), studentLossWeight: 0.3 });
    d.compile({ optimizer: 'adam', loss: (yt: Tensor, yp: Tensor) => sparseCategoricalCrossentropy(yt, yp, { fromLogits: true }) });
    const x = seededTensor([8, 5], 3);
    const y = new Tensor(new Float32Array([0, 1, 2, 0, 1, 2, 0, 1]), [8]);
    const { loss } = d.evaluate(x, y, { batchSize: 8 });
    // Hand: sparse CE of softmax(student logits), and the KL above.
    const s = student.predict(x).data;
    const t = teacher.predict(x).data;
    let ce = 0;
    for (let i = 0; i < 8; i++) {
      const row = Array.from(s.subarray(i * 3, i * 3 + 3));
      const m = Math.max(...row);
      const lse = m + Math.log(row.reduce((a, v) => a + Math.exp(v - m), 0));
      const p = Math.exp(row[y.data[i]] - lse);
      ce -= Math.log(Math.min(1 - 1e-7, Math.max(1e-7, p)));
    }
    ce /= 8;
    const kl = klRef(t, s, 8, 3, 2);
    expect(loss).toBeCloseTo(0.3 * ce + 0.7 * kl, 4);
    expect(d.lastLosses!.distillation).toBeCloseTo(kl, 4);

    const teacherBefore = teacher.getWeights().map((w) => Array.from(w.data));
    const studentBefore = student.getWeights().map((w) => Array.from(w.data));
    const h = await d.fit(x, y, { epochs: 20, batchSize: 4, verbose: 0 });
    expect(teacher.getWeights().map((w) => Array.from(w.data))).toEqual(teacherBefore);
    expect(student.getWeights().map((w) => Array.from(w.data))).not.toEqual(studentBefore);
    expect(h.history.loss[19]).toBeLessThan(h.history.loss[0]);
    expect(d.trainableWeights).toHaveLength(4);
    expect(Array.from(d.predict(x).data)).toEqual(Array.from(student.predict(x).data));
  });

  it('feature distillation from named layers pulls the student layer towards the teacher layer', async () => {
    setSeed(42);
    const teacher = new Sequential([new Dense(4, { activation: 'tanh', inputShape: [5], name: 't_hidden' }), new Dense(1)]);
    const student = new Sequential([new Dense(4, { activation: 'tanh', inputShape: [5], name: 's_hidden' }), new Dense(1)]);
    const d = new Distiller({ teacher, student, distillationLoss: featureDistillation({ teacherLayer: 't_hidden', studentLayer: 's_hidden' }), studentLossWeight: 0 });
    d.compile({ optimizer: new Adam({ learningRate: 0.03 }), loss: 'mse' });
    const x = seededTensor([16, 5], 5);
    const y = seededTensor([16, 1], 6);
    const gap = (): number => {
      const a = teacher.layers[0].apply(x).data;
      const b = student.layers[0].apply(x).data;
      return a.reduce((acc, v, i) => acc + (v - b[i]) ** 2, 0) / a.length;
    };
    const before = gap();
    expect(d.evaluate(x, y).loss).toBeCloseTo(before, 5);
    await d.fit(x, y, { epochs: 30, batchSize: 16, verbose: 0 });
    expect(gap()).toBeLessThan(before / 2);
  });

  it('refuses mismatched outputs, unknown layers and bad weights', () => {
    const { teacher } = models();
    const wrong = new Sequential([new Dense(2, { inputShape: [5] })]);
    expect(() => new Distiller({ teacher, student: wrong, distillationLoss: logitsDistillation() })).toThrow(ShapeError);
    expect(() => new Distiller({ teacher, student: wrong, distillationLoss: logitsDistillation() })).toThrow(/\[None, 3\].*\[None, 2\]/);
    const { student } = models();
    expect(() => new Distiller({ teacher, student, distillationLoss: featureDistillation({ teacherLayer: 'nope' }) })).toThrow(/no layer named 'nope'/);
    expect(() => new Distiller({ teacher, student, distillationLoss: logitsDistillation(), studentLossWeight: 2 })).toThrow(ValueError);
    expect(() => logitsDistillation({ temperature: 0 })).toThrow(/positive temperature/);
    expect(() => new Distiller({ teacher, student, distillationLoss: logitsDistillation(), alpha: 0.1 } as never)).toThrow(/unknown option 'alpha'/);
  });
});
