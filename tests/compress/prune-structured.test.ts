import { describe, expect, it } from 'vitest';
import { setSeed } from '../../src/util/random.js';
import { NeuriteError, ValueError } from '../../src/util/errors.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { noGrad } from '../../src/autograd/record.js';
import { Dense } from '../../src/layers/dense.js';
import { Conv2D } from '../../src/layers/conv2d.js';
import { BatchNormalization } from '../../src/layers/normalization/batch-normalization.js';
import { Flatten } from '../../src/layers/flatten.js';
import { MaxPooling2D } from '../../src/layers/max-pooling2d.js';
import { SimpleRNN } from '../../src/layers/rnn/simple-rnn.js';
import { Layer } from '../../src/layers/layer.js';
import { Sequential } from '../../src/models/sequential.js';
import { pruneStructured } from '../../src/compress/prune-structured.js';
import { seededTensor } from '../helpers/seeded.js';

/** Output channels of `kernel` (last axis) ranked by squared L2 norm over the input rows `rows` keeps (all when null). */
function weakest(kernel: Tensor, drop: number, keepInput: ((index: number) => boolean) | null = null): number[] {
  const n = kernel.shape[kernel.rank - 1];
  const inAxisSize = kernel.rank === 2 ? kernel.shape[0] : kernel.shape[2];
  const norms = new Array<number>(n).fill(0);
  kernel.data.forEach((v, i) => {
    const input = Math.floor(i / n) % inAxisSize;
    if (keepInput === null || keepInput(input)) norms[i % n] += v * v;
  });
  return norms.map((v, j) => [v, j]).sort((a, b) => a[0] - b[0] || a[1] - b[1]).slice(0, drop).map((p) => p[1]);
}

/** Runs the original layers, zeroing the listed output channels (last axis) after each layer. */
function maskedForward(layers: Layer[], x: Tensor, masks: Map<number, number[]>): Float32Array {
  return noGrad(() => {
    let h = x;
    layers.forEach((l, i) => {
      h = l.apply(h);
      const drop = masks.get(i);
      if (drop !== undefined) {
        const c = h.shape[h.rank - 1];
        const d = Float32Array.from(h.data, (v, k) => (drop.includes(k % c) ? 0 : v));
        h = new Tensor(d, h.shape);
      }
    });
    return h.data;
  });
}

describe('pruneStructured', () => {
  it('an MLP loses half its hidden units and gives the outputs of masking those units', () => {
    setSeed(31);
    const model = new Sequential([new Dense(16, { activation: 'relu', inputShape: [7] }), new Dense(8, { activation: 'tanh' }), new Dense(3)]);
    const small = pruneStructured(model, { fraction: 0.5 });
    expect(small.layers.map((l) => l.getWeights().map((w) => w.shape))).toEqual([[[7, 8], [8]], [[8, 4], [4]], [[4, 3], [3]]]);
    expect(small.countParams()).toBeLessThan(model.countParams() / 2);
    const [w1] = model.layers[0].getWeights();
    const [w2] = model.layers[1].getWeights();
    const drop1 = weakest(w1, 8);
    const drop2 = weakest(w2, 4, (i) => !drop1.includes(i));
    const x = seededTensor([5, 7], 2);
    const want = maskedForward(model.layers, x, new Map([[0, drop1], [1, drop2]]));
    const got = small.predict(x).data;
    for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i], 5);
  });

  it('a CNN loses filters, and the next Conv2D and the Dense after Flatten lose their inputs', () => {
    setSeed(32);
    const model = new Sequential([
      new Conv2D(6, 3, { activation: 'relu', padding: 'same', inputShape: [6, 6, 2] }),
      new MaxPooling2D(),
      new Conv2D(4, 2, { activation: 'relu' }),
      new Flatten(),
      new Dense(3),
    ]);
    const small = pruneStructured(model, { fraction: 0.5, norm: 'l2' });
    expect(small.layers.map((l) => l.getWeights().map((w) => w.shape))).toEqual([[[3, 3, 2, 3], [3]], [], [[2, 2, 3, 2], [2]], [], [[2 * 2 * 2, 3], [3]]]);
    const [k1] = model.layers[0].getWeights();
    const [k2] = model.layers[2].getWeights();
    const drop1 = weakest(k1, 3);
    const drop2 = weakest(k2, 2, (i) => !drop1.includes(i));
    const x = seededTensor([2, 6, 6, 2], 3);
    const want = maskedForward(model.layers, x, new Map([[0, drop1], [2, drop2]]));
    const got = small.predict(x).data;
    for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i], 5);
  });

  it('a BatchNormalization after a pruned layer loses the same channels (gamma, beta, moving statistics)', () => {
    setSeed(34);
    const model = new Sequential([new Dense(8, { activation: 'relu', inputShape: [5] }), new BatchNormalization(), new Dense(2)]);
    const bn = model.layers[1];
    bn.setWeights(bn.getWeights().map((t, k) => {
      const r = seededTensor([...t.shape], 20 + k);
      return k === 3 ? new Tensor(Float32Array.from(r.data, (v) => 0.5 + Math.abs(v)), t.shape) : r;
    }));
    const small = pruneStructured(model, { fraction: 0.5 });
    expect(small.layers.map((l) => l.getWeights().map((w) => w.shape))).toEqual([[[5, 4], [4]], [[4], [4], [4], [4]], [[4, 2], [2]]]);
    const drop = weakest(model.layers[0].getWeights()[0], 4);
    const x = seededTensor([3, 5], 6);
    const want = maskedForward(model.layers, x, new Map([[1, drop]]));
    const got = small.predict(x).data;
    for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i], 5);
  });

  it('refuses what it cannot rewrite, and bad options', () => {
    setSeed(33);
    const rnn = new Sequential([new Dense(4, { inputShape: [3, 2] }), new SimpleRNN(2), new Dense(1)]);
    expect(() => pruneStructured(rnn, { fraction: 0.5 })).toThrow(NeuriteError);
    expect(() => pruneStructured(rnn, { fraction: 0.5 })).toThrow(/SimpleRNN/);
    const mlp = new Sequential([new Dense(4, { inputShape: [3] }), new Dense(1)]);
    expect(() => pruneStructured(mlp, { fraction: 1 })).toThrow(ValueError);
    expect(() => pruneStructured(mlp, { fraction: 0.5, norm: 'l3' as never })).toThrow(/norm/);
    expect(() => pruneStructured(mlp, { fraction: 0.5, layers: ['x'] })).toThrow(/no Dense or Conv2D layer named 'x'/);
  });
});
