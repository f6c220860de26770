import { describe, expect, it } from 'vitest';
import type * as tfType from '@tensorflow/tfjs';
import { SGD } from '../../src/optimizers/sgd.js';
import { tensor } from '../../src/tensor/creation.js';
import { fit } from '../../src/training/fit.js';
import { evaluate, predict } from '../../src/training/evaluate.js';
import { resolveCompile } from '../../src/training/compile.js';
import { trainOnBatch } from '../../src/training/on-batch.js';
import { NeuriteError } from '../../src/util/errors.js';
import { expectClose } from '../helpers/close.js';
import { tfCpu, tfData } from '../helpers/tf.js';
import { TwoInTwoOut, twoInTwoOutData } from './two-in-two-out.js';

const silent = { write: () => {}, isTTY: false, clock: () => 0 };
const NAMES = ['prob', 'value'];

/** The same graph in TF.js, with the neurite model's initial weights. */
function tfTwin(tf: typeof tfType, model: TwoInTwoOut) {
  const a = tf.input({ shape: [2], name: 'a' });
  const b = tf.input({ shape: [3], name: 'b' });
  const joined = tf.layers.concatenate().apply([a, b]) as tfType.SymbolicTensor;
  const prob = tf.layers.dense({ units: 1, activation: 'sigmoid', name: 'prob' }).apply(joined) as tfType.SymbolicTensor;
  const value = tf.layers.dense({ units: 2, name: 'value' }).apply(a) as tfType.SymbolicTensor;
  const m = tf.model({ inputs: [a, b], outputs: [prob, value] });
  m.setWeights(model.getWeights().map((w) => tf.tensor(Array.from(w.data), [...w.shape])));
  return m;
}

describe('fit / evaluate / predict with two inputs and two outputs', () => {
  it('matches tf.model (SGD, shuffle false): total and per-output losses per epoch, and the final weights', async () => {
    const tf = await tfCpu();
    const d = twoInTwoOutData(40);
    const model = new TwoInTwoOut();
    const ref = tfTwin(tf, model);
    const compiled = resolveCompile({ optimizer: new SGD({ learningRate: 0.2 }), loss: ['binary_crossentropy', 'mse'] }, NAMES);
    const ours = await fit(model, compiled, [d.a, d.b], [d.prob, d.value], { epochs: 4, batchSize: 16, shuffle: false, verbose: 0 }, silent);

    ref.compile({ optimizer: tf.train.sgd(0.2), loss: ['binaryCrossentropy', 'meanSquaredError'] });
    const theirs = await ref.fit([tf.tensor2d(d.a), tf.tensor2d(d.b)], [tf.tensor2d(d.prob), tf.tensor2d(d.value)], { epochs: 4, batchSize: 16, shuffle: false, verbose: 0 });

    expect(Object.keys(ours.history).sort()).toEqual(['loss', 'prob_loss', 'value_loss']);
    for (const key of ['loss', 'prob_loss', 'value_loss']) expectClose(ours.history[key], theirs.history[key] as number[], { rtol: 1e-4 });
    ref.getWeights().forEach((w, i) => expectClose(model.params[i].data, tfData(w), { rtol: 1e-4, atol: 1e-6 }));

    // evaluate and predict on the trained weights agree with TF.js too.
    const ev = evaluate(model, compiled, { a: d.a, b: d.b }, { prob: d.prob, value: d.value });
    const tfEv = ref.evaluate([tf.tensor2d(d.a), tf.tensor2d(d.b)], [tf.tensor2d(d.prob), tf.tensor2d(d.value)]) as tfType.Scalar[];
    // NOTE: TF.js 4's evaluate of a two-output model returns four scalars, [prob_loss, loss, prob_loss,
    // value_loss] (its metricsNames are the last three); compare with those.
    expect(ref.metricsNames).toEqual(['loss', 'prob_loss', 'value_loss']);
    expectClose([ev.loss, ev.prob_loss, ev.value_loss], tfEv.slice(-3).map((t) => t.dataSync()[0]), { rtol: 1e-4 });
    const [p, v] = predict(model, [d.a, d.b], { batchSize: 7 });
    const [tp, tv] = ref.predict([tf.tensor2d(d.a), tf.tensor2d(d.b)]) as tfType.Tensor[];
    expect(p.shape).toEqual([40, 1]);
    expect(v.shape).toEqual([40, 2]);
    expectClose(p, tfData(tp), { rtol: 1e-5 });
    expectClose(v, tfData(tv), { rtol: 1e-5, atol: 1e-6 });
  });

  it('lossWeights scale each output in the total; with decoupled weights this equals TF.js at learning rates lr·w', async () => {
    // prob depends only on (W1, b1) and value only on (W2, b2), so SGD on 0.3·L1 + 2·L2 moves the first pair
    // as SGD at 0.3·lr on L1 and the second as SGD at 2·lr on L2: two TF.js runs give the expected weights.
    const tf = await tfCpu();
    const d = twoInTwoOutData(24, 3);
    const model = new TwoInTwoOut(5);
    const runs = [0.3 * 0.1, 2 * 0.1].map((lr) => {
      const ref = tfTwin(tf, model);
      ref.compile({ optimizer: tf.train.sgd(lr), loss: ['binaryCrossentropy', 'meanSquaredError'] });
      return ref.fit([tf.tensor2d(d.a), tf.tensor2d(d.b)], [tf.tensor2d(d.prob), tf.tensor2d(d.value)], { epochs: 3, batchSize: 8, shuffle: false, verbose: 0 }).then(() => ref.getWeights().map(tfData));
    });
    const [slow, fast] = await Promise.all(runs);
    const compiled = resolveCompile({ optimizer: new SGD({ learningRate: 0.1 }), loss: { prob: 'binary_crossentropy', value: 'mse' }, lossWeights: { prob: 0.3, value: 2 }, metrics: { prob: ['accuracy'] } }, NAMES);
    const h = await fit(model, compiled, { b: d.b, a: d.a }, { value: d.value, prob: d.prob }, { epochs: 3, batchSize: 8, shuffle: false, verbose: 0 }, silent);
    expectClose(model.params[0].data, slow[0], { rtol: 1e-4, atol: 1e-6 });
    expectClose(model.params[1].data, slow[1], { rtol: 1e-4, atol: 1e-6 });
    expectClose(model.params[2].data, fast[2], { rtol: 1e-4, atol: 1e-6 });
    expectClose(model.params[3].data, fast[3], { rtol: 1e-4, atol: 1e-6 });
    expect(Object.keys(h.history)).toEqual(['loss', 'prob_loss', 'value_loss', 'prob_accuracy']);
    h.history.loss.forEach((total, i) => expectClose(total, 0.3 * h.history.prob_loss[i] + 2 * h.history.value_loss[i], { rtol: 1e-5 }));
  });

  it('per-output metrics: keys <output>_<metric>, values from the predictions of each output', () => {
    const d = twoInTwoOutData(30);
    const model = new TwoInTwoOut();
    const compiled = resolveCompile({ optimizer: 'sgd', loss: ['binary_crossentropy', 'mse'], metrics: [['accuracy'], ['mae']] }, NAMES);
    const ev = evaluate(model, compiled, [d.a, d.b], [d.prob, d.value]);
    expect(Object.keys(ev)).toEqual(['loss', 'prob_loss', 'value_loss', 'prob_accuracy', 'value_mae']);
    const [p, v] = predict(model, [d.a, d.b]);
    const acc = d.prob.filter((t, i) => (p.data[i] > 0.5 ? 1 : 0) === t[0]).length / 30;
    const mae = d.value.reduce((s, t, i) => s + (Math.abs(v.data[2 * i] - t[0]) + Math.abs(v.data[2 * i + 1] - t[1])) / 2, 0) / 30;
    expectClose(ev.prob_accuracy, acc, { rtol: 1e-7 });
    expectClose(ev.value_mae, mae, { rtol: 1e-5 });
  });

  it('a single-output model keeps the plain keys (loss, accuracy)', async () => {
    const compiled = resolveCompile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae'] });
    expect(compiled.outputs).toHaveLength(1);
    expect(compiled.outputs[0].metrics.map((m) => m.key)).toEqual(['mae']);
  });

  describe('bad input: NeuriteError before any state changes', () => {
    const d = twoInTwoOutData(10);
    const cases: [string, unknown, unknown, RegExp][] = [
      ['one input for two', d.a, [d.prob, d.value], /the model has 2 \('a', 'b'\); expected an array of 2 tensors/],
      ['three inputs for two', [d.a, d.b, d.a], [d.prob, d.value], /expected an array of 2 tensors/],
      ['one target for two outputs', [d.a, d.b], d.prob, /the model has 2 \('prob', 'value'\)/],
      ['an unknown output name', [d.a, d.b], { prob: d.prob, valu: d.value }, /unknown name 'valu'; the model's names are 'prob', 'value'/],
      ['a missing input name', { a: d.a }, [d.prob, d.value], /missing 'b'/],
      ['inputs with different sample counts', [d.a, d.b.slice(0, 9)], [d.prob, d.value], /same number of samples; 'a' has 10 .* 'b' has 9/],
      ['a symbolic tensor', [d.a, new (class SymbolicTensor { shape = [null, 3]; })()], [d.prob, d.value], /received a SymbolicTensor; symbolic tensors .* only describe a graph/],
    ];
    for (const [name, x, y, message] of cases) {
      it(name, async () => {
        const model = new TwoInTwoOut();
        const before = model.getWeights().map((w) => Array.from(w.data));
        const optimizer = new SGD();
        const compiled = resolveCompile({ optimizer, loss: ['binary_crossentropy', 'mse'] }, NAMES);
        await expect(fit(model, compiled, x, y, { verbose: 0 }, silent)).rejects.toThrow(NeuriteError);
        await expect(fit(model, compiled, x, y, { verbose: 0 }, silent)).rejects.toThrow(message);
        expect(model.calls).toBe(0);
        expect(model.getWeights().map((w) => Array.from(w.data))).toEqual(before);
        expect(optimizer.iterations).toBe(0);
      });
    }

    it('predict and evaluate refuse symbolic tensors and wrong counts too', () => {
      const model = new TwoInTwoOut();
      const compiled = resolveCompile({ optimizer: 'sgd', loss: 'mse' }, NAMES);
      const symbolic = new (class SymbolicTensor { shape = [null, 2]; })();
      expect(() => predict(model, [symbolic, d.b])).toThrow(/predict: x 'a': expected a Tensor or nested arrays of numbers, received a SymbolicTensor/);
      expect(() => predict(model, symbolic)).toThrow(/received a SymbolicTensor/);
      expect(() => evaluate(model, compiled, [d.a, d.b], [d.prob])).toThrow(/expected an array of 2 tensors or an object keyed by those names, received an array of 1/);
      expect(model.calls).toBe(0);
    });

    it('compile: losses or lossWeights keyed by an unknown output, or of the wrong count', () => {
      expect(() => resolveCompile({ loss: { prob: 'mse', other: 'mse' } }, NAMES)).toThrow(/loss names unknown output 'other'; the outputs are 'prob', 'value'/);
      expect(() => resolveCompile({ loss: ['mse'] }, NAMES)).toThrow(/one entry per output \(2: 'prob', 'value'\), received 1/);
      expect(() => resolveCompile({ loss: { prob: 'mse' } }, NAMES)).toThrow(/loss has no entry for output 'value'/);
      expect(() => resolveCompile({ loss: 'mse', lossWeights: { valu: 1 } }, NAMES)).toThrow(/lossWeights names unknown output 'valu'/);
      expect(() => resolveCompile({ loss: 'mse', lossWeights: [1, NaN] }, NAMES)).toThrow(/lossWeights for output 'value' to be a finite number/);
      expect(() => resolveCompile({ loss: 'mse', metrics: { nope: ['mae'] } }, NAMES)).toThrow(/metrics names unknown output 'nope'/);
      expect(() => resolveCompile({ loss: 'mse', lossWeight: 1 } as never, NAMES)).toThrow(/unknown option 'lossWeight'/);
    });

    it('classWeight with two outputs, and trainOnBatch on the wrong count', () => {
      const model = new TwoInTwoOut();
      const compiled = resolveCompile({ optimizer: 'sgd', loss: 'mse' }, NAMES);
      expect(() => trainOnBatch(model, compiled, [d.a, d.b], [d.prob, d.value], { classWeight: { 0: 2 } })).toThrow(/classWeight is for a model with one output/);
      expect(() => trainOnBatch(model, compiled, [d.a], [d.prob, d.value])).toThrow(/expected an array of 2 tensors/);
      expect(model.calls).toBe(0);
    });
  });

  it('a second fit while the first still runs is refused; the first finishes untouched', async () => {
    const d = twoInTwoOutData(64);
    const model = new TwoInTwoOut();
    const compiled = resolveCompile({ optimizer: new SGD({ learningRate: 0.1 }), loss: ['binary_crossentropy', 'mse'] }, NAMES);
    const first = fit(model, compiled, [d.a, d.b], [d.prob, d.value], { epochs: 2, batchSize: 8, verbose: 0, yieldEvery: 0 }, silent);
    await expect(fit(model, compiled, [d.a, d.b], [d.prob, d.value], { verbose: 0 }, silent)).rejects.toThrow(/this model is still training \(an earlier fit has not finished\)/);
    expect(() => trainOnBatch(model, compiled, [d.a, d.b], [d.prob, d.value])).toThrow(/still training/);
    const h = await first;
    expect(h.history.loss).toHaveLength(2);
    expect(compiled.optimizer.iterations).toBe(16);
    await expect(fit(model, compiled, [tensor(d.a), tensor(d.b)], [d.prob, d.value], { verbose: 0 }, silent)).resolves.toBeDefined();
  });
});

describe('sampleWeight per output', () => {
  it('an object keyed by output name weights that output only; its loss is Σ loss·w / n, the other stays unweighted', () => {
    const d = twoInTwoOutData(20, 4);
    const model = new TwoInTwoOut(2);
    const compiled = resolveCompile({ optimizer: 'sgd', loss: ['binary_crossentropy', 'mse'] }, NAMES);
    const w = Array.from({ length: 20 }, (_, i) => (i % 4) / 2);
    const plain = evaluate(model, compiled, [d.a, d.b], [d.prob, d.value]);
    const weighted = evaluate(model, compiled, [d.a, d.b], [d.prob, d.value], { sampleWeight: { value: w } });
    expect(weighted.prob_loss).toBe(plain.prob_loss);
    const [, v] = predict(model, [d.a, d.b]);
    const sum = d.value.reduce((s, t, i) => s + (((v.data[2 * i] - t[0]) ** 2 + (v.data[2 * i + 1] - t[1]) ** 2) / 2) * w[i], 0);
    expectClose(weighted.value_loss, sum / 20, { rtol: 1e-5 });
    const asArray = evaluate(model, compiled, [d.a, d.b], [d.prob, d.value], { sampleWeight: [null, tensor(w)] });
    expect(asArray).toEqual(weighted);
    expect(() => evaluate(model, compiled, [d.a, d.b], [d.prob, d.value], { sampleWeight: { valu: w } })).toThrow(/unknown output name 'valu'/);
  });
});
