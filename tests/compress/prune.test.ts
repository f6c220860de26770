import { describe, expect, it } from 'vitest';
import { setSeed } from '../../src/util/random.js';
import { ValueError, NeuriteError } from '../../src/util/errors.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { Dense } from '../../src/layers/dense.js';
import { Sequential } from '../../src/models/sequential.js';
import { loadModel } from '../../src/models/load-model.js';
import { constantSparsity, polynomialDecay } from '../../src/compress/pruning-schedule.js';
import { magnitudeMask, prune, pruningSummary, stripPruning, UpdatePruningStep } from '../../src/compress/prune.js';
import { seededTensor } from '../helpers/seeded.js';
import { cleanUpDirs, freshDir } from '../io/tf-files.js';

cleanUpDirs();

function mlp(): Sequential {
  setSeed(21);
  return new Sequential([new Dense(16, { activation: 'relu', inputShape: [6] }), new Dense(8, { activation: 'relu' }), new Dense(1, { activation: 'sigmoid' })]);
}

/** A separable toy task: label = [x0 + x1 − x2 > 0]. */
function data(n: number, seed: number): [Tensor, Tensor] {
  const x = seededTensor([n, 6], seed);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) y[i] = x.data[i * 6] + x.data[i * 6 + 1] - x.data[i * 6 + 2] > 0 ? 1 : 0;
  return [x, new Tensor(y, [n, 1])];
}

const zerosOf = (t: Tensor): number[] => Array.from(t.data).flatMap((v, i) => (v === 0 ? [i] : []));

describe('pruning schedules', () => {
  it("polynomialDecay follows tfmot's formula and frequency", () => {
    const s = polynomialDecay({ initialSparsity: 0.2, finalSparsity: 0.8, beginStep: 10, endStep: 110, frequency: 50 });
    // final + (initial − final)·(1 − p)³ with p = (step − begin) / (end − begin)
    expect(s.sparsity(0)).toBeCloseTo(0.2, 12);
    expect(s.sparsity(60)).toBeCloseTo(0.8 - 0.6 * 0.125, 12);
    expect(s.sparsity(500)).toBeCloseTo(0.8, 12);
    expect([0, 10, 35, 60, 110, 160].map((t) => s.shouldPrune(t))).toEqual([false, true, false, true, true, false]);
    const c = constantSparsity({ targetSparsity: 0.5, frequency: 10 });
    expect([c.sparsity(0), c.sparsity(1e6), c.shouldPrune(1e6)]).toEqual([0.5, 0.5, true]);
  });

  it('refuses sparsities outside [0, 1) and unknown options', () => {
    expect(() => polynomialDecay({ finalSparsity: 1, endStep: 10 })).toThrow(ValueError);
    expect(() => polynomialDecay({ finalSparsity: -0.1, endStep: 10 })).toThrow(/\[0, 1\)/);
    expect(() => polynomialDecay({ finalSparsity: 0.5, endStep: 10, begin: 3 } as never)).toThrow(/unknown option 'begin'/);
    expect(() => prune(mlp(), { targetSparsity: 1 })).toThrow(/expected a sparsity in \[0, 1\), received 1/);
    expect(() => prune(mlp(), {} as never)).toThrow(ValueError);
    expect(() => prune(mlp(), { targetSparsity: 0.5, layers: ['nope'] })).toThrow(/no Dense or Conv2D layer named 'nope'/);
    expect(() => stripPruning(mlp())).toThrow(NeuriteError);
  });
});

describe('magnitude pruning', () => {
  it('magnitudeMask keeps the round(n·(1 − s)) largest magnitudes', () => {
    const w = new Float32Array([0.3, -0.1, 0.05, -0.7, 0.2, 0.0]);
    expect(Array.from(magnitudeMask(w, 0.5))).toEqual([1, 0, 0, 1, 1, 0]);
    expect(Array.from(magnitudeMask(w, 0.9))).toEqual([0, 0, 0, 1, 0, 0]); // round(0.6) = 1 kept
    expect(Array.from(magnitudeMask(w, 0))).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('targetSparsity prunes every kernel at once, on a copy; biases are untouched', () => {
    const model = mlp();
    const before = model.getWeights().map((w) => Array.from(w.data));
    const p = prune(model, { targetSparsity: 0.75 });
    const s = pruningSummary(p);
    expect(s.rows.map((r) => [r.weights, r.zeros])).toEqual([[96, 72], [128, 96], [8, 6]]);
    expect(model.getWeights().map((w) => Array.from(w.data))).toEqual(before);
    // The kept weights are the largest ones, unchanged.
    const [w0] = model.layers[0].getWeights();
    const [p0] = p.layers[0].getWeights();
    const kept = Array.from(p0.data).filter((v) => v !== 0).map(Math.abs);
    const dropped = Array.from(w0.data).filter((_, i) => p0.data[i] === 0).map(Math.abs);
    expect(Math.min(...kept)).toBeGreaterThanOrEqual(Math.max(...dropped));
  });

  it('masks survive fine-tuning with UpdatePruningStep, reach the schedule target, and survive saving', async () => {
    const [x, y] = data(64, 3);
    const schedule = polynomialDecay({ initialSparsity: 0.3, finalSparsity: 0.8, beginStep: 0, endStep: 12, frequency: 4 });
    const pruned = prune(mlp(), { schedule });
    pruned.compile({ optimizer: 'adam', loss: 'binary_crossentropy' });
    const masksAt12: number[][] = [];
    const history = await pruned.fit(x, y, {
      epochs: 8, batchSize: 16, verbose: 0, shuffle: false,
      callbacks: [new UpdatePruningStep(), { onEpochEnd: (e) => void (e === 3 && masksAt12.push(...pruned.layers.map((l) => zerosOf(l.getWeights()[0])))) }],
    });
    expect(history.history.loss[7]).toBeLessThan(history.history.loss[0]);
    const summary = pruningSummary(pruned);
    for (const r of summary.rows) expect(r.zeros).toBe(r.weights - Math.round(r.weights * (1 - 0.8)));
    // After the last mask update (step 12, end of epoch 3) the pruned positions never change.
    expect(pruned.layers.map((l) => zerosOf(l.getWeights()[0]))).toEqual(masksAt12);
    const final = stripPruning(pruned);
    const dir = freshDir();
    await final.save(dir);
    const back = await loadModel(dir);
    expect(back.layers.map((l) => zerosOf(l.getWeights()[0]))).toEqual(masksAt12);
    expect(() => new UpdatePruningStep().setModel(final)).toThrow(/not made by prune/);
  });
});
