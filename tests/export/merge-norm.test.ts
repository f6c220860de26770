import { describe, expect, it } from 'vitest';
import { Sequential } from '../../src/models/sequential.js';
import { Model } from '../../src/models/model.js';
import { Input } from '../../src/layers/input-layer.js';
import { Dense } from '../../src/layers/dense.js';
import { Add } from '../../src/layers/merge/add.js';
import { Subtract } from '../../src/layers/merge/subtract.js';
import { Multiply } from '../../src/layers/merge/multiply.js';
import { Average } from '../../src/layers/merge/average.js';
import { Maximum } from '../../src/layers/merge/maximum.js';
import { Minimum } from '../../src/layers/merge/minimum.js';
import { Concatenate } from '../../src/layers/merge/concatenate.js';
import { Dot } from '../../src/layers/merge/dot.js';
import { BatchNormalization } from '../../src/layers/normalization/batch-normalization.js';
import { LayerNormalization } from '../../src/layers/normalization/layer-normalization.js';
import { Embedding } from '../../src/layers/core/embedding.js';
import { Flatten } from '../../src/layers/flatten.js';
import { Conv2D } from '../../src/layers/conv2d.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { setSeed } from '../../src/util/random.js';
import { toOnnx } from '../../src/export/export-onnx.js';
import { seededArray } from '../helpers/seeded.js';
import { expectOrtMatches, inputsFor } from './ort-helper.js';

/** Random statistics and affine weights, so the inference form is really exercised (not 0/1). */
function randomizeBatchNorm(layer: BatchNormalization, seed: number): void {
  layer.setWeights(layer.getWeights().map((w, i) => new Tensor(seededArray(w.size, seed + i, i === 3 ? 0.5 : -1, i === 3 ? 2 : 1), [...w.shape])));
}

describe('exportOnnx: merge layers', () => {
  it('Add / Subtract / Multiply / Average / Maximum / Minimum / Concatenate of three branches', async () => {
    setSeed(1);
    const x = Input({ shape: [4] });
    const [p, q, r] = [new Dense(3).apply(x), new Dense(3).apply(x), new Dense(3).apply(x)];
    const outs = [
      new Add().apply([p, q, r]),
      new Subtract().apply([p, q]),
      new Multiply().apply([p, q, r]),
      new Average().apply([p, q, r]),
      new Maximum().apply([p, q, r]),
      new Minimum().apply([p, q]),
      new Concatenate({ axis: -1 }).apply([p, q, r]),
    ];
    const m = new Model({ inputs: x, outputs: outs });
    await expectOrtMatches(m, (n) => inputsFor(m, n));
  });

  it('Dot on vectors, on sequences (axes pair), normalized (cosine)', async () => {
    setSeed(2);
    const a = Input({ shape: [3, 4] });
    const b = Input({ shape: [2, 4] });
    const va = new Flatten().apply(a);
    const vb = new Dense(12).apply(new Flatten().apply(b));
    const outs = [new Dot({ axes: 1 }).apply([va, vb]), new Dot({ axes: [2, 2] }).apply([a, b]), new Dot({ axes: -1, normalize: true }).apply([a, b]), new Dot({ axes: [1, 1], normalize: true }).apply([a, new Dense(2).apply(a)])];
    const m = new Model({ inputs: [a, b], outputs: outs });
    await expectOrtMatches(m, (n) => inputsFor(m, n));
  });
});

describe('exportOnnx: normalization and Embedding', () => {
  it('BatchNormalization with moving statistics, on features and on image channels; without center / scale', async () => {
    setSeed(3);
    const bn1 = new BatchNormalization();
    const bn2 = new BatchNormalization({ center: false });
    const bn3 = new BatchNormalization({ scale: false, axis: 1 });
    const m = new Sequential([new Conv2D(3, 2, { inputShape: [4, 4, 2] }), bn1, new Flatten(), new Dense(4), bn2, bn3]);
    randomizeBatchNorm(bn1, 10);
    randomizeBatchNorm(bn2, 20);
    randomizeBatchNorm(bn3, 30);
    await expectOrtMatches(m, (n) => inputsFor(m, n), { rtol: 1e-4 });
  });

  it('LayerNormalization on the last axis and on the two trailing axes (opset 17 operator)', async () => {
    setSeed(4);
    const ln = new LayerNormalization({ axis: [-2, -1], gammaInitializer: 'random_normal', betaInitializer: 'random_normal' });
    const m = new Sequential([new Dense(4, { inputShape: [3, 2] }), new LayerNormalization({ betaInitializer: 'random_normal' }), ln, new LayerNormalization({ center: false, scale: false })]);
    await expectOrtMatches(m, (n) => inputsFor(m, n), { rtol: 1e-4 });
    expect(() => toOnnx(m, { opset: 16 })).toThrow(/LayerNormalization.*opset 17.*opset 16/);
  });

  it('Embedding: float token ids in, Gather on the table', async () => {
    setSeed(5);
    const m = new Sequential([new Embedding(10, 3, { inputShape: [5] }), new Flatten(), new Dense(2)]);
    const ids = (n: number): Tensor[] => [new Tensor(Float32Array.from(seededArray(n * 5, n), (v) => Math.floor((v + 1) * 5)), [n, 5])];
    await expectOrtMatches(m, ids);
    // With maskZero the values are the same; the mask only matters to the layers that read it (masks.test.ts).
    const masked = new Sequential([new Embedding(10, 3, { inputShape: [5], maskZero: true })]);
    await expectOrtMatches(masked, ids);
  });
});
