import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { decodeWeightsFile } from '../../../src/io/weights-file.js';
import { MultiHeadAttention, MultiHeadAttentionOptions } from '../../../src/layers/attention/multi-head-attention.js';
import { layerFromConfig } from '../../../src/layers/serialization.js';
import { Tensor } from '../../../src/tensor/tensor.js';
import { tensor } from '../../../src/tensor/creation.js';
import { backward } from '../../../src/autograd/backward.js';
import { noGrad } from '../../../src/autograd/record.js';
import { Model } from '../../../src/models/model.js';
import { ShapeError, ValueError } from '../../../src/util/errors.js';
import { expectClose } from '../../helpers/close.js';
import { seededArray, seededTensor } from '../../helpers/seeded.js';
import { cleanUpDirs, freshDir } from '../../io/tf-files.js';
import { expectErrorMentioning, probeWeights, weightedSum } from '../harness.js';
import { MhaWeights, referenceMha } from './reference.js';

cleanUpDirs();

/** A built layer with seeded weights (biases too), and those weights in the reference's layout. */
function seededMha(options: MultiHeadAttentionOptions, q: Tensor, v: Tensor, k: Tensor = v): { mha: MultiHeadAttention; w: MhaWeights } {
  const mha = new MultiHeadAttention(options);
  mha.ensureBuilt([[...q.shape], [...v.shape], [...k.shape]]);
  mha.setWeights(mha.getWeights().map((t, i) => seededTensor([...t.shape], 200 + i, -0.7, 0.7)));
  const ws = mha.getWeights();
  const b = options.useBias !== false;
  const at = (i: number): Tensor | null => (b ? ws[i] : null);
  const w = b
    ? { wq: ws[0], bq: at(1), wk: ws[2], bk: at(3), wv: ws[4], bv: at(5), wo: ws[6], bo: at(7) }
    : { wq: ws[0], bq: null, wk: ws[1], bk: null, wv: ws[2], bv: null, wo: ws[3], bo: null };
  return { mha, w };
}

/** Central differences of probe·f() with respect to every element of each target, against backward(). */
function gradcheckClosure(f: () => Tensor, targets: Tensor[], eps = 1e-2): void {
  for (const t of targets) t.grad = null;
  const y = f();
  const probe = probeWeights(y.size, 9);
  backward(weightedSum(y, probe));
  const reduce = (): number => {
    const out = noGrad(f);
    let s = 0;
    for (let i = 0; i < out.size; i++) s += probe[i] * out.data[i];
    return s;
  };
  targets.forEach((t, n) => {
    const numeric = new Float64Array(t.size);
    for (let i = 0; i < t.size; i++) {
      const saved = t.data[i];
      t.data[i] = saved + eps;
      const plus = reduce();
      t.data[i] = saved - eps;
      const minus = reduce();
      t.data[i] = saved;
      numeric[i] = (plus - minus) / (2 * eps);
    }
    try {
      expectClose(t.grad!.data, numeric, { rtol: 2e-2, atol: 2e-3 });
    } catch (e) {
      throw new Error(`target ${n} shape [${t.shape.join(', ')}]: ${(e as Error).message}`);
    }
    t.grad = null;
  });
}

const leaf = (t: Tensor): Tensor => {
  const l = new Tensor(Float32Array.from(t.data), t.shape);
  l.requiresGrad = true;
  return l;
};

describe('MultiHeadAttention', () => {
  it("has Keras 3's weight names, order and shapes", () => {
    const mha = new MultiHeadAttention({ numHeads: 2, keyDim: 3, valueDim: 5 });
    mha.applyAttention(seededTensor([2, 4, 6], 1), seededTensor([2, 3, 7], 2), { key: seededTensor([2, 3, 8], 3) });
    expect(mha.namedWeights().map((w) => [w.name, [...w.value.shape]])).toEqual([
      ['query/kernel', [6, 2, 3]], ['query/bias', [2, 3]],
      ['key/kernel', [8, 2, 3]], ['key/bias', [2, 3]],
      ['value/kernel', [7, 2, 5]], ['value/bias', [2, 5]],
      ['attention_output/kernel', [2, 5, 6]], ['attention_output/bias', [6]],
    ]);
    expect(mha.countParams()).toBe(36 + 6 + 48 + 6 + 70 + 10 + 60 + 6);
  });

  it('equals a float64 reference of Keras’s formulas (self and cross attention, masks, causal, outputShape, no bias)', () => {
    const q = seededTensor([2, 4, 5], 10);
    const v = seededTensor([2, 3, 4], 11);
    const k = seededTensor([2, 3, 6], 12);
    const mask = Array.from(seededArray(2 * 4 * 3, 13), (r) => (r > -0.4 ? 1 : 0));
    const cases: { options: MultiHeadAttentionOptions; value: Tensor; key: Tensor; mask: number[] | null; causal?: boolean }[] = [
      { options: { numHeads: 2, keyDim: 3 }, value: q, key: q, mask: null },
      { options: { numHeads: 3, keyDim: 2, valueDim: 4 }, value: v, key: k, mask },
      { options: { numHeads: 1, keyDim: 4, useBias: false, outputShape: 7 }, value: v, key: v, mask },
      { options: { numHeads: 2, keyDim: 2 }, value: q, key: q, mask: null, causal: true },
    ];
    for (const c of cases) {
      const { mha, w } = seededMha(c.options, q, c.value, c.key);
      const attentionMask = c.mask === null ? undefined : tensor(c.mask, [2, 4, c.value.shape[1]]);
      const [y, scores] = mha.applyAttention(q, c.value, { key: c.key, attentionMask, useCausalMask: c.causal, returnAttentionScores: true });
      const causalMask = Array.from({ length: 2 * 4 * 4 }, (_, o) => (o % 4 <= Math.floor(o / 4) % 4 ? 1 : 0));
      const ref = referenceMha(q, c.value, c.key, w, c.causal ? causalMask : c.mask);
      expectClose(y, ref.output, { rtol: 1e-4, atol: 1e-5 });
      expectClose(scores, ref.scores, { rtol: 1e-4, atol: 1e-6 });
      expect(scores.shape).toEqual([2, c.options.numHeads, 4, c.value.shape[1]]);
    }
  });

  it('masked scores are 0, causal scores vanish above the diagonal, rows sum to 1', () => {
    const x = seededTensor([1, 4, 3], 20);
    const mha = new MultiHeadAttention({ numHeads: 2, keyDim: 2 });
    const [, scores] = mha.applyAttention(x, x, { useCausalMask: true, valueMask: tensor([[1, 1, 0, 1]]), returnAttentionScores: true });
    const s = scores.toArray() as number[][][][];
    for (const head of s[0]) {
      head.forEach((row, i) => {
        row.forEach((p, j) => (j > i || j === 2 ? expect(p).toBe(0) : expect(p).toBeGreaterThan(0)));
        expectClose(row.reduce((a, b) => a + b, 0), 1, { rtol: 1e-6 });
      });
    }
  });

  it('combines the query and value masks from ctx.mask as Keras (graph path call)', () => {
    const q = seededTensor([2, 3, 4], 30);
    const v = seededTensor([2, 5, 4], 31);
    const { mha, w } = seededMha({ numHeads: 2, keyDim: 3 }, q, v);
    const queryMask = tensor([[1, 1, 0], [1, 0, 1]]);
    const valueMask = tensor([[1, 1, 1, 0, 0], [0, 1, 1, 1, 1]]);
    const y = mha.apply([q, v], { mask: [queryMask, valueMask] });
    const combined: number[] = [];
    for (let b = 0; b < 2; b++) for (let i = 0; i < 3; i++) for (let j = 0; j < 5; j++) combined.push(queryMask.data[b * 3 + i] * valueMask.data[b * 5 + j]);
    expectClose(y, referenceMha(q, v, v, w, combined).output, { rtol: 1e-4, atol: 1e-5 });
    expect(mha.computeMask([q, v], [queryMask, valueMask])).toBe(queryMask);
  });

  it('passes finite-difference checks for query, value, key and every weight', () => {
    const q = leaf(seededTensor([2, 3, 4], 40));
    const v = leaf(seededTensor([2, 2, 3], 41));
    const k = leaf(seededTensor([2, 2, 5], 42));
    const { mha } = seededMha({ numHeads: 2, keyDim: 2, valueDim: 3 }, q, v, k);
    const attentionMask = tensor([1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 0, 1], [2, 3, 2]);
    gradcheckClosure(() => mha.applyAttention(q, v, { key: k, attentionMask }), [q, v, k, ...mha.trainableWeights]);
  });

  it('dropout acts in training only, reproducibly with a seed', () => {
    const x = seededTensor([2, 4, 3], 50);
    const make = (): MultiHeadAttention => seededMha({ numHeads: 2, keyDim: 2, dropout: 0.5, seed: 3 }, x, x).mha;
    const a = make();
    const b = make();
    const inference = a.applyAttention(x, x);
    expect(a.applyAttention(x, x, { training: false }).data).toEqual(inference.data);
    const trained = a.applyAttention(x, x, { training: true });
    expect(trained.data).not.toEqual(inference.data);
    expect(b.applyAttention(x, x, { training: true }).data).toEqual(trained.data);
    // As Keras, the returned scores are the probabilities before dropout.
    const [, scoresTrained] = a.applyAttention(x, x, { training: true, returnAttentionScores: true });
    const [, scoresInference] = a.applyAttention(x, x, { returnAttentionScores: true });
    expect(scoresTrained.data).toEqual(scoresInference.data);
  });

  it("round-trips Keras's config and its weights through saveWeights / loadWeights", async () => {
    const mha = new MultiHeadAttention({ numHeads: 2, keyDim: 3, valueDim: 2, dropout: 0.1, outputShape: [5], name: 'mha' });
    const config = mha.getConfig();
    expect(config).toMatchObject({ num_heads: 2, key_dim: 3, value_dim: 2, dropout: 0.1, use_bias: true, output_shape: [5], attention_axes: null, name: 'mha' });
    const twin = layerFromConfig('MultiHeadAttention', JSON.parse(JSON.stringify(config)));
    expect(twin.getConfig()).toEqual(config);

    class Attender extends Model {
      mha = new MultiHeadAttention({ numHeads: 2, keyDim: 3, name: 'self_attention' });
      override call(x: Tensor): Tensor {
        return this.mha.applyAttention(x, x);
      }
    }
    const x = seededTensor([2, 3, 4], 60);
    const first = new Attender();
    const y = first.call(x);
    first.setWeights(first.getWeights().map((w, i) => seededTensor([...w.shape], 70 + i)));
    const path = `${freshDir()}/attention.weights`;
    await first.saveWeights(path);
    const saved = decodeWeightsFile(Uint8Array.from(readFileSync(path)), path);
    expect(saved.weights.map((w) => w.name)).toEqual(
      ['query/kernel', 'query/bias', 'key/kernel', 'key/bias', 'value/kernel', 'value/bias', 'attention_output/kernel', 'attention_output/bias'].map((n) => `self_attention/${n}`),
    );
    const second = new Attender();
    second.call(x);
    await second.loadWeights(path);
    expect(second.call(x).data).toEqual(first.call(x).data);
    expect(first.call(x).data).not.toEqual(y.data);
  });

  it('refuses bad options, inputs and masks', () => {
    expectErrorMentioning(() => new MultiHeadAttention({ numHeads: 0, keyDim: 2 }), ValueError, 'numHeads');
    expectErrorMentioning(() => new MultiHeadAttention({ numHeads: 2, keyDim: 2, heads: 2 } as never), ValueError, "unknown option 'heads'");
    expectErrorMentioning(() => layerFromConfig('MultiHeadAttention', { num_heads: 2, key_dim: 2, attention_axes: [1] }), Error, 'attention_axes');
    const mha = new MultiHeadAttention({ numHeads: 2, keyDim: 2, name: 'att' });
    const q = seededTensor([2, 3, 4], 1);
    expectErrorMentioning(() => mha.apply(q), ShapeError, 'att (MultiHeadAttention)', '[query, value]');
    expectErrorMentioning(() => mha.applyAttention(q, seededTensor([2, 5, 4], 2), { key: seededTensor([2, 4, 4], 3) }), ShapeError, 'key and value the steps');
    expectErrorMentioning(() => mha.applyAttention(q, seededTensor([3, 5, 4], 2)), ShapeError, 'share the batch');
    expect(mha.built).toBe(false);
    mha.applyAttention(q, q);
    expectErrorMentioning(() => mha.applyAttention(seededTensor([2, 3, 5], 1), q), ShapeError, 'built for query, value and key features 4, 4, 4', 'received 5, 4, 4');
    expectErrorMentioning(() => mha.applyAttention(q, q, { attentionMask: tensor([[1, 1, 1]]) }), ShapeError, 'attentionMask of shape [2, 3, 3]', '[1, 3]');
    expectErrorMentioning(() => mha.applyAttention(q, q, { queryMask: tensor([[1, 1], [1, 1]]) }), ShapeError, 'query mask of shape [2, 3]');
    expectErrorMentioning(() => mha.applyAttention(q, q, { causal: true } as never), ValueError, "unknown option 'causal'");
  });
});
