import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tensor } from '../../src/tensor/tensor.js';
import { setSeed } from '../../src/util/random.js';
import { Sequential } from '../../src/models/sequential.js';
import { Dense } from '../../src/layers/dense.js';
import { SGD } from '../../src/optimizers/sgd.js';
import { ValueError } from '../../src/util/errors.js';
import { FalsePositives, Precision, Recall, TruePositives } from '../../src/training/confusion-metrics.js';
import { CSVLogger } from '../../src/training/csv-logger.js';
import { ProgressLogger } from '../../src/training/progress-logger.js';
import { seedData } from './linear-model.js';

const root = mkdtempSync(join(tmpdir(), 'neurite-thresholds-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const t = (v: number[]) => new Tensor(Float32Array.from(v), [1, v.length]);

/** Float64 precision and recall at threshold `th` from the definitions (positive when p > th). */
function reference(truth: number[], pred: number[], th: number, w: number[] = truth.map(() => 1)) {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  pred.forEach((p, i) => {
    if (p > th && truth[i] !== 0) tp += w[i];
    else if (p > th) fp += w[i];
    else if (truth[i] !== 0) fn += w[i];
  });
  return { precision: tp + fp === 0 ? 0 : tp / (tp + fp), recall: tp + fn === 0 ? 0 : tp / (tp + fn), tp, fp };
}

describe('Precision / Recall with a list of thresholds (Keras vector result)', () => {
  it("Keras's test values: thresholds [0.5, 0.7] on y_pred [1, 0, 0.6, 0], y_true [0, 1, 1, 0]", () => {
    const p = new Precision({ thresholds: [0.5, 0.7] });
    p.update(t([0, 1, 1, 0]), t([1, 0, 0.6, 0]));
    expect(p.resultVector()).toEqual([0.5, 0]);
    expect(p.vectorLength).toBe(2);
    const r = new Recall({ thresholds: [0.5, 0.7] });
    r.update(t([0, 1, 1, 0]), t([1, 0, 0.6, 0]));
    expect(r.resultVector()).toEqual([0.5, 0]);
  });

  it('values follow the order given (unsorted), with per-sample weights, over several batches; one threshold in a list is a scalar', () => {
    const truth = [1, 0, 1, 1, 0, 0, 1, 0];
    const pred = [0.9, 0.8, 0.35, 0.6, 0.1, 0.45, 0.2, 0.65];
    const w = [1, 2, 0.5, 1, 3, 1, 2, 0.25];
    const thresholds = [0.7, 0.3, 0.5, 0];
    const p = new Precision({ thresholds });
    const r = new Recall({ thresholds });
    const tp = new TruePositives({ thresholds });
    const fp = new FalsePositives({ thresholds });
    for (const m of [p, r, tp, fp]) {
      // Two batches of one sample per row.
      m.update(new Tensor(Float32Array.from(truth.slice(0, 5)), [5, 1]), new Tensor(Float32Array.from(pred.slice(0, 5)), [5, 1]), Float32Array.from(w.slice(0, 5)));
      m.update(new Tensor(Float32Array.from(truth.slice(5)), [3, 1]), new Tensor(Float32Array.from(pred.slice(5)), [3, 1]), Float32Array.from(w.slice(5)));
    }
    const p32 = pred.map(Math.fround);
    const want = thresholds.map((th) => reference(truth, p32, th, w));
    p.resultVector().forEach((v, i) => expect(v).toBeCloseTo(want[i].precision, 12));
    r.resultVector().forEach((v, i) => expect(v).toBeCloseTo(want[i].recall, 12));
    expect(tp.resultVector()).toEqual(want.map((x) => x.tp));
    expect(fp.resultVector()).toEqual(want.map((x) => x.fp));
    expect(p.result()).toBe(p.resultVector()[0]);
    const one = new Precision({ thresholds: [0.5] });
    expect(one.vectorLength).toBeUndefined();
    expect(() => new Precision({ thresholds: [] })).toThrow('Precision: expected at least one threshold, received an empty list');
    expect(() => new Recall({ thresholds: [0.2, 1.5] })).toThrow(ValueError);
  });

  it('fit, evaluate, History, the progress bar and CSVLogger log one key per threshold, name[i]', async () => {
    setSeed(3);
    const { x, y } = seedData(48, 5);
    const m = new Sequential([new Dense(1, { activation: 'sigmoid', inputShape: [2] })]);
    const thresholds = [0.3, 0.5, 0.7];
    m.compile({ optimizer: new SGD({ learningRate: 0.5 }), loss: 'binary_crossentropy', metrics: [new Precision({ thresholds }), 'accuracy'] });
    const out: string[] = [];
    const bar = new ProgressLogger(2, { write: (s: string) => void out.push(s), columns: 200, clock: () => 0, isTTY: false } as never);
    const file = join(root, 'log.csv');
    const h = await m.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0, callbacks: [bar, new CSVLogger(file)] });
    expect(Object.keys(h.history)).toEqual(['loss', 'precision[0]', 'precision[1]', 'precision[2]', 'accuracy']);
    expect(h.params!.metrics).toEqual(['loss', 'precision[0]', 'precision[1]', 'precision[2]', 'accuracy']);
    expect(readFileSync(file, 'utf8').split('\n')[0]).toBe('epoch,accuracy,loss,precision[0],precision[1],precision[2]');
    expect(out.join('')).toMatch(/precision\[0\]: [0-9.]+ - precision\[1\]: [0-9.]+ - precision\[2\]: [0-9.]+/);
    // evaluate against the definition on the model's own predictions.
    const ev = m.evaluate(x, y, { batchSize: 10 }) as Record<string, number>;
    const pred = Array.from(m.predict(new Tensor(Float32Array.from(x.flat()), [x.length, 2])).data);
    thresholds.forEach((th, i) => expect(ev[`precision[${i}]`]).toBeCloseTo(reference(y, pred, th).precision, 6));
    expect(ev.precision).toBeUndefined();
  });
});
