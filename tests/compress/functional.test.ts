import { afterEach, describe, expect, it } from 'vitest';
import { setSeed } from '../../src/util/random.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { Dense } from '../../src/layers/dense.js';
import { Input } from '../../src/layers/input-layer.js';
import { Add } from '../../src/layers/merge/add.js';
import { Model } from '../../src/models/model.js';
import { loadModel } from '../../src/models/load-model.js';
import { noGrad } from '../../src/autograd/record.js';
import { quantize } from '../../src/compress/quantize.js';
import { quantizationSummary } from '../../src/compress/quantization-summary.js';
import { prune, pruningSummary, stripPruning } from '../../src/compress/prune.js';
import { saveQuantized } from '../../src/compress/quantized-io.js';
import { QuantizedDense } from '../../src/compress/quantized-dense.js';
import { seededTensor } from '../helpers/seeded.js';
import { cleanUpDirs, freshDir } from '../io/tf-files.js';

afterEach(cleanUpDirs);

/** A residual graph: a shared trunk, two branches merged by Add, a head; `shared` is called twice. */
function graph(): { model: Model; layers: Record<string, Dense> } {
  setSeed(21);
  const x = Input({ shape: [6] });
  const trunk = new Dense(16, { activation: 'relu', name: 'trunk' });
  const left = new Dense(8, { activation: 'tanh', name: 'left' });
  const shared = new Dense(8, { name: 'shared' });
  const head = new Dense(3, { name: 'head' });
  const h = trunk.apply(x);
  const y = head.apply(shared.apply(new Add({ name: 'sum' }).apply([left.apply(h), shared.apply(left.apply(h))])));
  return { model: new Model({ inputs: x, outputs: y }), layers: { trunk, left, shared, head } };
}

/** The graph's function, composed by hand from any four layers with those roles. */
function byHand(l: Record<string, { apply(t: Tensor): Tensor }>, x: Tensor): Tensor {
  return noGrad(() => {
    const h = l.left.apply(l.trunk.apply(x));
    const s = l.shared.apply(h);
    const sum = new Tensor(Float32Array.from(h.data, (v, i) => v + s.data[i]), h.shape);
    return l.head.apply(l.shared.apply(sum));
  });
}

describe('compress tools on functional models', () => {
  it('quantize keeps the graph (shared layer shared, merge kept) and computes with the int8 layers', () => {
    const { model } = graph();
    const q = quantize(model, 'int8');
    expect(q).toBeInstanceOf(Model);
    expect(q.className).toBe('Functional');
    const names = ['trunk', 'left', 'shared', 'head'];
    for (const n of names) expect(q.getLayer(n)).toBeInstanceOf(QuantizedDense);
    expect(q.getLayer('sum').className).toBe('Add');
    const x = seededTensor([5, 6], 2);
    const quantized = Object.fromEntries(names.map((n) => [n, q.getLayer(n)]));
    expect(Array.from(q.predict(x).data)).toEqual(Array.from(byHand(quantized, x).data));
    const yf = model.predict(x).data;
    const scale = Math.max(...Array.from(yf, Math.abs));
    q.predict(x).data.forEach((v, i) => expect(Math.abs(v - yf[i])).toBeLessThan(0.05 * scale));
  });

  it('calibration fixes each layer input scale from all its calls (the shared layer: both)', () => {
    const { model, layers } = graph();
    const x = seededTensor([9, 6], 3);
    const q = quantize(model, 'int8', { calibration: x });
    const maxAbs = (...ts: Tensor[]): number => Math.max(...ts.flatMap((t) => Array.from(t.data, Math.abs)));
    noGrad(() => {
      const h = layers.trunk.apply(x);
      const l = layers.left.apply(h);
      const s1 = layers.shared.apply(l);
      const sum = new Tensor(Float32Array.from(l.data, (v, i) => v + s1.data[i]), l.shape);
      const s2 = layers.shared.apply(sum);
      const expected: Record<string, number> = { trunk: maxAbs(x), left: maxAbs(h), shared: maxAbs(l, sum), head: maxAbs(s2) };
      for (const [name, max] of Object.entries(expected)) expect((q.getLayer(name) as QuantizedDense).inputScale).toBeCloseTo(127 / (max + 1e-7), 3);
    });
  });

  it('quantizationSummary lists every computing layer with its error on the float activations', () => {
    const { model } = graph();
    const x = seededTensor([7, 6], 4);
    const s = quantizationSummary(quantize(model, 'int8'), { data: x });
    expect(s.rows.map((r) => [r.layer, r.dtype])).toEqual([['trunk', 'int8'], ['left', 'int8'], ['shared', 'int8'], ['sum', '-'], ['head', 'int8']]);
    for (const r of s.rows) if (r.dtype === 'int8') expect(r.maxError).toBeGreaterThan(0);
    expect(s.outputError).toBeGreaterThan(0);
  });

  it('prune and stripPruning rewrite a functional model; saveQuantized files load through loadModel', async () => {
    const { model } = graph();
    const pruned = prune(model, { targetSparsity: 0.5 });
    expect(pruned.className).toBe('Functional');
    expect(pruningSummary(pruned).sparsity).toBeGreaterThanOrEqual(0.49);
    const stripped = stripPruning(pruned);
    expect(stripped.className).toBe('Functional');
    const q = quantize(stripped, 'int8');
    const dir = freshDir();
    await saveQuantized(q, dir);
    const back = await loadModel(dir);
    expect(back.getLayer('shared')).toBeInstanceOf(QuantizedDense);
    const x = seededTensor([3, 6], 5);
    expect(Array.from(back.predict(x).data)).toEqual(Array.from(q.predict(x).data));
  });
});
