import { describe, expect, it } from 'vitest';
import { Model } from '../../src/models/model.js';
import { Sequential } from '../../src/models/sequential.js';
import { Dense } from '../../src/layers/dense.js';
import { Dropout } from '../../src/layers/dropout.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { tensor } from '../../src/tensor/creation.js';
import { setSeed } from '../../src/util/random.js';
import { NeuriteError, ShapeError, ValueError } from '../../src/util/errors.js';
import { CallContext } from '../../src/layers/layer.js';

describe('Model (subclassing)', () => {
  it('runs the seed example of issue 4 verbatim and learns', async () => {
    setSeed(1);
    const X = Array.from({ length: 100 }, (_, i) => [((i * 37) % 100) / 100, ((i * 61) % 100) / 100]);
    const y = X.map(([a, b]) => (a + b > 1 ? 1 : 0));
    class SimpleNN extends Model {
      dense = new Dense(1, { activation: 'sigmoid' });
      call(inputs: Tensor) { return this.dense.apply(inputs); }
    }
    const model = new SimpleNN();
    model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
    const history = await model.fit(X, y, { epochs: 100, verbose: 0 });
    const predictions = model.predict(X);
    expect(predictions.shape).toEqual([100, 1]);
    expect(history.epoch).toHaveLength(100);
    expect(history.history.loss.at(-1)!).toBeLessThan(history.history.loss[0]);
    expect(Object.keys(history.history).sort()).toEqual(['accuracy', 'loss']);
  });

  it('tracks layers in properties, arrays and nested models, in declaration order', () => {
    class Block extends Model {
      a = new Dense(3, { name: 'block_a' });
      call(x: Tensor) { return this.a.apply(x); }
    }
    class Net extends Model {
      first = new Dense(4, { name: 'first' });
      stack = [new Dense(5, { name: 's0' }), new Dense(6, { name: 's1' })];
      block = new Block();
      notALayer = 3;
      call(x: Tensor) {
        let h = this.first.apply(x);
        for (const l of this.stack) h = l.apply(h);
        return this.block.call(h);
      }
    }
    const net = new Net();
    expect(net.layers.map((l) => l.name)).toEqual(['first', 's0', 's1', 'block_a']);
    const out = net.predict([[1, 2]]);
    expect(out.shape).toEqual([1, 3]);
    // kernel + bias per Dense: 2·4+4, 4·5+5, 5·6+6, 6·3+3
    expect(net.countParams()).toBe(12 + 25 + 36 + 21);
    expect(net.trainableWeights).toHaveLength(8);
  });

  it('passes the training flag through ctx, so Dropout is active only in fit', async () => {
    const seen: boolean[] = [];
    class WithDropout extends Model {
      drop = new Dropout(0.5);
      out = new Dense(1);
      call(x: Tensor, ctx?: CallContext) {
        seen.push(ctx?.training ?? false);
        return this.out.apply(this.drop.apply(x, ctx));
      }
    }
    const m = new WithDropout();
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    await m.fit([[1, 2], [3, 4]], [1, 0], { epochs: 1, verbose: 0, batchSize: 2 });
    const a = m.predict([[1, 2]]).data[0];
    const b = m.predict([[1, 2]]).data[0];
    expect(a).toBe(b); // no dropout at inference
    expect(seen).toContain(true);
    expect(seen.at(-1)).toBe(false);
  });

  it('propagates the training flag to layers even when call() does not pass ctx on (as Keras)', async () => {
    setSeed(2);
    class Forgetful extends Model {
      drop = new Dropout(0.5);
      call(x: Tensor) { return this.drop.apply(x); }
    }
    const m = new Forgetful();
    const x = tensor([[1, 1, 1, 1, 1, 1, 1, 1]]);
    const trained = m.forward([x], true)[0].data;
    expect(Array.from(trained).some((v) => v === 0)).toBe(true); // some units dropped
    expect(Array.from(trained).every((v) => v === 0 || v === 2)).toBe(true); // survivors scaled by 1/(1-rate)
    expect(Array.from(m.forward([x], false)[0].data)).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    expect(Array.from(m.predict(x).data)).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
  });

  it('a Model without call() says so', () => {
    const m = new Model();
    expect(() => m.predict([[1]])).toThrow(NeuriteError);
    expect(() => m.predict([[1]])).toThrow(/override call/);
  });

  it('setWeights validates every shape before writing anything', () => {
    const model = new Sequential([new Dense(2, { inputShape: [3] }), new Dense(1)]);
    const before = model.getWeights();
    const bad = before.map((w) => new Tensor(new Float32Array(w.size).fill(9), w.shape));
    bad[3] = tensor([[1, 2, 3]]);
    expect(() => model.setWeights(bad)).toThrow(ShapeError);
    expect(() => model.setWeights(bad)).toThrow(/dense.*\/bias|bias/);
    model.getWeights().forEach((w, i) => expect(Array.from(w.data)).toEqual(Array.from(before[i].data)));
    expect(() => model.setWeights(bad.slice(0, 2))).toThrow(ValueError);
  });

  it('fit / evaluate before compile throw a clear error; predict builds without compile', async () => {
    const model = new Sequential([new Dense(1, { inputShape: [2] })]);
    await expect(model.fit([[1, 2]], [1], { verbose: 0 })).rejects.toThrow(/compile/);
    expect(() => model.evaluate([[1, 2]], [1])).toThrow(/compile/);
    expect(model.predict([[1, 2]]).shape).toEqual([1, 1]);
  });
});

describe('Sequential', () => {
  it('builds from the first layer inputShape and prints a Keras-style summary', () => {
    const model = new Sequential([new Dense(16, { activation: 'relu', inputShape: [30], name: 'hidden' }), new Dense(1, { activation: 'sigmoid', name: 'out' })], { name: 'mlp' });
    expect(model.countParams()).toBe(30 * 16 + 16 + 16 + 1);
    const text = model.summary();
    expect(text).toContain('Model: "mlp"');
    expect(text).toMatch(/hidden \(Dense\)\s+│ \(None, 16\)\s+│\s+496 │/);
    expect(text).toMatch(/out \(Dense\)\s+│ \(None, 1\)\s+│\s+17 │/);
    expect(text).toContain('Total params: 513 (2.00 KB)');
    expect(text).toContain('Trainable params: 513 (2.00 KB)');
    expect(text).toContain('Non-trainable params: 0 (0.00 B)');
  });

  it('keeps the summary columns aligned when a name is longer than the column', () => {
    const model = new Sequential([new Dense(3, { inputShape: [2], name: 'a_rather_long_layer_name_for_the_column' }), new Dense(1, { name: 'out' })]);
    const lines = model.summary().split('\n');
    const header = lines.find((l) => l.includes('Output Shape'))!;
    const rowOf = (name: string) => lines.find((l) => l.includes(name))!;
    // The output-shape column starts at the same offset in the header and in every row.
    expect(rowOf('a_rather_long').indexOf('(None, 3)')).toBe(header.indexOf('Output Shape'));
    expect(rowOf('out (Dense)').indexOf('(None, 1)')).toBe(header.indexOf('Output Shape'));
  });

  it('builds from the first batch when no inputShape is given', () => {
    const model = new Sequential();
    model.add(new Dense(4));
    model.add(new Dense(2));
    expect(model.built).toBe(false);
    expect(model.predict([[1, 2, 3]]).shape).toEqual([1, 2]);
    expect(model.built).toBe(true);
    expect(model.countParams()).toBe(3 * 4 + 4 + 4 * 2 + 2);
    expect(model.summary()).toMatch(/\(None, 2\)/);
  });

  it('rejects non-layers, duplicate names and a second inputShape', () => {
    const model = new Sequential([new Dense(2, { inputShape: [3], name: 'd' })]);
    expect(() => model.add({} as never)).toThrow(ValueError);
    expect(() => model.add(new Dense(2, { name: 'd' }))).toThrow(/unique/);
    expect(() => model.add(new Dense(2, { inputShape: [2] }))).toThrow(/first layer/);
    expect(model.layers).toHaveLength(1);
  });

  it('a wrong feature size names the layer and both shapes', () => {
    const model = new Sequential([new Dense(2, { inputShape: [3] })]);
    expect(() => model.predict([[1, 2]])).toThrow(ShapeError);
    expect(() => model.predict([[1, 2]])).toThrow(/\[None, 3\].*\[1, 2\]|3.*2/);
  });
});
