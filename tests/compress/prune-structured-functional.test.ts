import { afterEach, describe, expect, it } from 'vitest';
import { setSeed } from '../../src/util/random.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { Dense } from '../../src/layers/dense.js';
import { Conv2D } from '../../src/layers/conv2d.js';
import { Dropout } from '../../src/layers/dropout.js';
import { Flatten } from '../../src/layers/flatten.js';
import { Input } from '../../src/layers/input-layer.js';
import { MaxPooling2D } from '../../src/layers/max-pooling2d.js';
import { Add } from '../../src/layers/merge/add.js';
import { BatchNormalization } from '../../src/layers/normalization/batch-normalization.js';
import { GlobalAveragePooling2D } from '../../src/layers/pooling/global-pooling2d.js';
import { Layer } from '../../src/layers/layer.js';
import { Model } from '../../src/models/model.js';
import { SymbolicStructure } from '../../src/models/structure.js';
import { loadModel } from '../../src/models/load-model.js';
import { pruneStructured, pruneStructuredWithReport } from '../../src/compress/prune-structured.js';
import { seededTensor } from '../helpers/seeded.js';
import { cleanUpDirs, freshDir } from '../io/tf-files.js';

afterEach(cleanUpDirs);

/** Channels (last axis) of `kernel` with the ⌊n/2⌋ smallest squared L2 norms, computed here from the weights. */
function weakestHalf(kernel: Tensor): number[] {
  const n = kernel.shape[kernel.rank - 1];
  const norms = new Array<number>(n).fill(0);
  kernel.data.forEach((v, i) => (norms[i % n] += v * v));
  return norms.map((v, j) => [v, j]).sort((a, b) => a[0] - b[0] || a[1] - b[1]).slice(0, Math.floor(n / 2)).map((p) => p[1]).sort((a, b) => a - b);
}

/**
 * Zeroes output channels `drop` of `layer` in place: a Dense/Conv2D's kernel columns and bias, a
 * BatchNormalization's gamma and beta (so its output there is 0 whatever the statistics).
 */
function zeroChannels(layer: Layer, drop: number[]): void {
  const w = layer.getWeights();
  const zeroed = w.map((t, k) => {
    if (layer instanceof BatchNormalization && k >= 2) return t;
    const n = t.shape[t.rank - 1];
    return new Tensor(Float32Array.from(t.data, (v, i) => (drop.includes(i % n) ? 0 : v)), t.shape);
  });
  layer.setWeights(zeroed);
}

/** The outputs of a one- or many-output predict, as plain arrays. */
function outputs(model: Model<SymbolicStructure>, x: Tensor): Float32Array[] {
  const y = model.predict(x) as Tensor | Tensor[];
  return (Array.isArray(y) ? y : [y]).map((t) => t.data);
}

function expectClose(got: Float32Array[], want: Float32Array[]): void {
  expect(got.length).toBe(want.length);
  want.forEach((w, k) => {
    expect(got[k].length).toBe(w.length);
    for (let i = 0; i < w.length; i++) expect(got[k][i]).toBeCloseTo(w[i], 5);
  });
}

function mlp(): Model<SymbolicStructure> {
  const x = Input({ shape: [7] });
  const h = new Dense(8, { activation: 'relu', name: 'b' }).apply(new Dense(16, { activation: 'relu', name: 'a' }).apply(x));
  return new Model({ inputs: x, outputs: new Dense(3, { name: 'out' }).apply(h) });
}

/**
 * A CNN whose first conv feeds three branches: conv → Flatten → Dense head; global pooling → Dense →
 * Dense head; and two 1×1 convs merged by Add (those two must be skipped).
 */
function cnn(): Model<SymbolicStructure> {
  const x = Input({ shape: [6, 6, 2] });
  const p = new MaxPooling2D({ name: 'pool' }).apply(
    new BatchNormalization({ name: 'bn' }).apply(new Conv2D(6, 3, { activation: 'relu', padding: 'same', name: 'c1' }).apply(x)),
  );
  const headA = new Dense(3, { name: 'headA' }).apply(new Flatten().apply(new Conv2D(4, 2, { activation: 'relu', name: 'c2' }).apply(p)));
  const headB = new Dense(2, { name: 'headB' }).apply(new Dense(5, { activation: 'relu', name: 'd1' }).apply(new GlobalAveragePooling2D().apply(p)));
  const m1 = new Conv2D(4, 1, { activation: 'relu', name: 'm1' }).apply(p);
  const m2 = new Conv2D(4, 1, { activation: 'relu', name: 'm2' }).apply(p);
  const headC = new Dense(2, { name: 'headC' }).apply(new Flatten().apply(new Add({ name: 'sum' }).apply([m1, m2])));
  return new Model({ inputs: x, outputs: [headA, headB, headC] });
}

/** A copy of `model` (same graph, same weights) with the reported removed channels zeroed. */
function zeroedReference(build: () => Model<SymbolicStructure>, model: Model<SymbolicStructure>, removed: Record<string, number[]>, alsoZero: Record<string, string> = {}): Model<SymbolicStructure> {
  const ref = build();
  ref.setWeights(model.getWeights());
  for (const [name, drop] of Object.entries(removed)) {
    zeroChannels(ref.getLayer(name), drop);
    if (alsoZero[name] !== undefined) zeroChannels(ref.getLayer(alsoZero[name]), drop);
  }
  return ref;
}

describe('pruneStructured on functional models', () => {
  it('a functional MLP loses half its hidden units and predicts as the original with those units zeroed', async () => {
    setSeed(41);
    const model = mlp();
    const { model: small, removed, skipped } = pruneStructuredWithReport(model, { fraction: 0.5 });
    expect(small).toBeInstanceOf(Model);
    expect(small.className).toBe('Functional');
    expect(skipped).toEqual([]);
    expect(Object.keys(removed).sort()).toEqual(['a', 'b']);
    expect(removed.a).toEqual(weakestHalf(model.getLayer('a').getWeights()[0]));
    expect(removed.b).toHaveLength(4);
    expect(small.getLayer('a').getWeights().map((w) => w.shape)).toEqual([[7, 8], [8]]);
    expect(small.getLayer('b').getWeights().map((w) => w.shape)).toEqual([[8, 4], [4]]);
    expect(small.getLayer('out').getWeights().map((w) => w.shape)).toEqual([[4, 3], [3]]);
    expect(small.countParams()).toBe(7 * 8 + 8 + 8 * 4 + 4 + 4 * 3 + 3);
    // The original is untouched.
    expect(model.countParams()).toBe(7 * 16 + 16 + 16 * 8 + 8 + 8 * 3 + 3);

    setSeed(99);
    const ref = zeroedReference(mlp, model, removed);
    const x = seededTensor([5, 7], 4);
    expectClose(outputs(small, x), outputs(ref, x));
    // Zeroing must matter here, or the comparison could not fail.
    const diff = outputs(model, x)[0].some((v, i) => Math.abs(v - outputs(ref, x)[0][i]) > 1e-4);
    expect(diff).toBe(true);

    const dir = freshDir();
    await small.save(dir);
    const back = await loadModel(dir);
    expect(back.countParams()).toBe(small.countParams());
    expectClose(outputs(back, x), outputs(small, x));
  });

  it('a branching CNN: the shared conv shrinks with all its consumers (BN, pooling, Flatten) and merge inputs are skipped', async () => {
    setSeed(42);
    const model = cnn();
    // Non-trivial BatchNormalization statistics, so passing channels through it is really exercised.
    const bn = model.getLayer('bn');
    bn.setWeights(bn.getWeights().map((t, k) => {
      const r = seededTensor([...t.shape], 10 + k);
      return k === 3 ? new Tensor(Float32Array.from(r.data, (v) => 0.5 + Math.abs(v)), t.shape) : r;
    }));
    const { model: small, removed, skipped } = pruneStructuredWithReport(model, { fraction: 0.5 });
    expect(Object.keys(removed).sort()).toEqual(['c1', 'c2', 'd1']);
    expect(removed.c1).toEqual(weakestHalf(model.getLayer('c1').getWeights()[0]));
    expect(skipped.map((s) => s.layer).sort()).toEqual(['m1', 'm2']);
    for (const s of skipped) expect(s.reason).toMatch(/merge layer 'sum' \(Add\)/);

    const shapes = (name: string): number[][] => small.getLayer(name).getWeights().map((w) => [...w.shape]);
    expect(shapes('c1')).toEqual([[3, 3, 2, 3], [3]]);
    expect(shapes('bn')).toEqual([[3], [3], [3], [3]]);
    expect(shapes('c2')).toEqual([[2, 2, 3, 2], [2]]);
    expect(shapes('headA')).toEqual([[2 * 2 * 2, 3], [3]]);
    expect(shapes('d1')).toEqual([[3, 3], [3]]);
    expect(shapes('headB')).toEqual([[3, 2], [2]]);
    expect(shapes('m1')).toEqual([[1, 1, 3, 4], [4]]);
    expect(shapes('m2')).toEqual([[1, 1, 3, 4], [4]]);
    const before = (3 * 3 * 2 * 6 + 6) + 4 * 6 + (2 * 2 * 6 * 4 + 4) + (2 * 2 * 4 + 1) * 3 + (6 * 5 + 5) + (5 * 2 + 2) + 2 * (6 * 4 + 4) + (9 * 4 * 2 + 2);
    const after = (3 * 3 * 2 * 3 + 3) + 4 * 3 + (2 * 2 * 3 * 2 + 2) + (8 + 1) * 3 + (3 * 3 + 3) + (3 * 2 + 2) + 2 * (3 * 4 + 4) + (9 * 4 * 2 + 2);
    expect(model.countParams()).toBe(before);
    expect(small.countParams()).toBe(after);

    setSeed(98);
    const ref = zeroedReference(cnn, model, removed, { c1: 'bn' });
    const x = seededTensor([2, 6, 6, 2], 5);
    expectClose(outputs(small, x), outputs(ref, x));
    // Each head sees the removed channels, so zeroing them changes every output of the original.
    outputs(model, x).forEach((o, k) => expect(o.some((v, i) => Math.abs(v - outputs(ref, x)[k][i]) > 1e-4)).toBe(true));

    const dir = freshDir();
    await small.save(dir);
    const back = await loadModel(dir);
    expectClose(outputs(back, x), outputs(small, x));
  });

  it('reports layers left whole: a layer feeding a model output, an output layer asked for by name', () => {
    setSeed(43);
    const x = Input({ shape: [5] });
    const a = new Dense(6, { activation: 'relu', name: 'a' }).apply(x);
    const tap = new Dense(4, { activation: 'relu', name: 'tap' }).apply(a);
    const head = new Dense(2, { name: 'head' }).apply(tap);
    const model = new Model({ inputs: x, outputs: [head, new Dropout(0.5).apply(tap)] });
    const { model: small, removed, skipped } = pruneStructuredWithReport(model, { fraction: 0.5, layers: ['a', 'tap', 'head'] });
    expect(Object.keys(removed)).toEqual(['a']);
    expect(skipped).toEqual([
      { layer: 'tap', reason: 'its output reaches a model output' },
      { layer: 'head', reason: 'its output reaches a model output' },
    ]);
    expect(small.getLayer('tap').getWeights()[0].shape).toEqual([3, 4]);
    // By default output layers ('head') are not candidates; 'tap' reaches an output through Dropout.
    const byDefault = pruneStructuredWithReport(model, { fraction: 0.5 });
    expect(byDefault.skipped.map((s) => s.layer)).toEqual(['tap']);
    // pruneStructured gives the same model without the report.
    expect(pruneStructured(model, { fraction: 0.5 }).countParams()).toBe(byDefault.model.countParams());
  });
});
