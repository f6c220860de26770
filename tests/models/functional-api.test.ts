import { describe, expect, it } from 'vitest';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NeuriteError } from '../../src/util/errors.js';
import { setSeed } from '../../src/util/random.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { randomNormal, tensor } from '../../src/tensor/creation.js';
import { Input } from '../../src/layers/input-layer.js';
import { Dense } from '../../src/layers/dense.js';
import { Layer, Shape } from '../../src/layers/layer.js';
import { Add } from '../../src/layers/merge/add.js';
import { registerLayer } from '../../src/layers/serialization.js';
import { LayerConfig } from '../../src/layers/config.js';
import { mul } from '../../src/ops/arithmetic.js';
import { Model } from '../../src/models/model.js';
import { Sequential } from '../../src/models/sequential.js';
import { loadModel } from '../../src/models/load-model.js';
import { SymbolicTensor } from '../../src/graph/symbolic-tensor.js';
import { expectClose } from '../helpers/close.js';
import { seededTensor } from '../helpers/seeded.js';
import { tfCpu, tfData } from '../helpers/tf.js';
import { cleanUpDirs, freshDir, loadInTf, randomizeWeights } from '../io/tf-files.js';
import { copyWeights, twoInTwoOut } from './functional-graphs.js';

cleanUpDirs();

const GOLDENS = join(__dirname, 'goldens');

/** A golden model.json with its weights written as little-endian float32 into a fresh folder. */
function goldenFolder(file: string, weights: number[]): string {
  const dir = freshDir();
  copyFileSync(join(GOLDENS, file), join(dir, 'model.json'));
  writeFileSync(join(dir, 'group1-shard1of1.bin'), Buffer.from(Float32Array.from(weights).buffer));
  return dir;
}

describe('files as the converters write them', () => {
  it('Keras 3 layout: args/kwargs nodes, DTypePolicy, batch_shape, a merge layer, single-triple ends, model-prefixed weight names', async () => {
    // dense: W = [[1, -1], [0.5, 2]], b = [0, 0.5]; dense_1: W = [[2], [1]], b = [0.25].
    const dir = goldenFolder('keras3-functional.json', [1, -1, 0.5, 2, 0, 0.5, 2, 1, 0.25]);
    const model = await loadModel(dir);
    expect(model.className).toBe('Functional');
    // By hand for x = [1, -1]: x·W + b = [0.5, -2.5] → relu [0.5, 0]; + x = [1.5, -1]; · [2, 1] + 0.25 = 2.25.
    expectClose(model.predict(tensor([[1, -1]])), [2.25]);
  });

  it('Keras 2 layout: a Model with a nested Sequential, camelCase batchInputShape, an initializer with mode null and a dtype', async () => {
    const dir = goldenFolder('keras2-model.json', [1, 2, 3, 4, 1, 1]);
    const model = await loadModel(dir);
    expect(model.layers.map((l) => l.className)).toEqual(['InputLayer', 'Sequential', 'Concatenate']);
    // By hand for x = [1, 2]: x·[[1, 2], [3, 4]] + 1 = [8, 11], joined after x.
    expectClose(model.predict(tensor([[1, 2]])), [1, 2, 8, 11]);
  });

  it('loading runs no initializer: the random stream is where it was', async () => {
    const dir = goldenFolder('keras2-model.json', [1, 2, 3, 4, 1, 1]);
    setSeed(5);
    const fresh = randomNormal([4]).data;
    setSeed(5);
    await loadModel(dir);
    expect(randomNormal([4]).data).toEqual(fresh);
  });
});

describe('graphs from parts of models', () => {
  it('a model on an intermediate output gives that layer’s activations, as TF.js’s', async () => {
    const tf = await tfCpu();
    const pair = twoInTwoOut(tf);
    randomizeWeights(pair.ours, 3);
    copyWeights(pair, tf);
    const probe = new Model({ inputs: pair.ours.inputs, outputs: pair.ours.getLayer('merged').output as SymbolicTensor });
    const theirs = tf.model({ inputs: pair.theirs.inputs, outputs: pair.theirs.getLayer('merged').output });
    const xs = pair.inputs.map((x) => tf.tensor(Array.from(x.data), [...x.shape]));
    expectClose(probe.predict(pair.inputs).data, tfData(theirs.predict(xs) as never), { rtol: 1e-5, atol: 1e-6 });
    expect(probe.predict(pair.inputs).shape).toEqual([5, 8]);
  });

  it('a Sequential with a known input shape has inputs, outputs and per-layer outputs', () => {
    const first = new Dense(4, { activation: 'relu', inputShape: [3] });
    const seq = new Sequential([first, new Dense(2)]);
    const probe = new Model({ inputs: seq.inputs, outputs: seq.getLayer(0).output as SymbolicTensor });
    const x = seededTensor([5, 3], 9);
    expectClose(probe.predict(x).data, first.apply(x).data);
    expect(seq.outputs[0].shape).toEqual([null, 2]);
  });

  it('models used as layers inside another graph (a Sequential and a functional model), saved and read by TF.js', async () => {
    const tf = await tfCpu();
    const innerIn = Input({ shape: [3], name: 'inner_in' });
    const inner = new Model({ inputs: innerIn, outputs: new Dense(3, { activation: 'tanh', name: 'inner_dense' }).apply(innerIn), name: 'inner' });
    const seq = new Sequential([new Dense(3, { inputShape: [3], name: 'seq_dense' })], { name: 'seq' });
    const x = Input({ shape: [3], name: 'x' });
    const y = new Add({ name: 'join' }).apply([inner.apply(x), seq.apply(x)]);
    const outer = new Model({ inputs: x, outputs: new Dense(1, { name: 'out' }).apply(y), name: 'outer' });
    randomizeWeights(outer, 7);
    expect(outer.layers.map((l) => l.name)).toEqual(['x', 'inner', 'seq', 'join', 'out']);
    const data = seededTensor([4, 3], 8);
    const byHand = outer.getLayer('out').apply(
      mul(1, (outer.getLayer('inner') as Model).predict(data)).data.length ? new Add().apply([inner.predict(data), seq.predict(data)]) : data,
    );
    expectClose(outer.predict(data).data, byHand.data, { rtol: 1e-6 });
    const dir = freshDir();
    await outer.save(dir);
    const theirs = await loadInTf(dir);
    expectClose(tfData(theirs.predict(tf.tensor(Array.from(data.data), [4, 3])) as never), byHand.data, { rtol: 1e-5, atol: 1e-6 });
    const back = await loadModel(dir);
    expectClose(back.predict(data).data, byHand.data, { rtol: 1e-6 });
  });

  it('summary has the Connected to column for graphs', () => {
    const a = Input({ shape: [2], name: 'in_a' });
    const d = new Dense(2, { name: 'd1' }).apply(a);
    const m = new Model({ inputs: a, outputs: new Add({ name: 'sum' }).apply([a, d]) });
    const text = m.summary();
    expect(text).toContain('Connected to');
    expect(text).toMatch(/│ sum \(Add\) +│ \(None, 2\) +│ +0 │ in_a\[0\]\[0\], d1\[0\]\[0\] +│/);
  });
});

/** A custom layer: multiplies by one learned scalar. */
class Scale extends Layer {
  static className = 'Scale';
  readonly className = 'Scale';
  private factor: Tensor | null = null;
  readonly start: number;
  constructor(options: { start?: number; name?: string } = {}) {
    super({ name: options.name }, 'Scale');
    this.start = options.start ?? 1;
  }
  static fromConfig(config: LayerConfig): Scale {
    return new Scale({ start: config.start as number, name: config.name as string });
  }
  override build(): void {
    this.factor = this.addWeight('factor', [1], { class_name: 'Constant', config: { value: this.start } });
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), start: this.start };
  }
  computeOutputShape(s: Shape): Shape {
    return s;
  }
  call(x: Tensor): Tensor {
    return mul(x, this.factor!);
  }
}

describe('custom layers', () => {
  it('load only once registered, and the message says how', async () => {
    const x = Input({ shape: [2], name: 'cx' });
    const m = new Model({ inputs: x, outputs: new Scale({ start: 3, name: 'scale' }).apply(x) });
    const dir = freshDir();
    await m.save(dir);
    await expect(loadModel(dir)).rejects.toThrow(/Unknown layer class "Scale": if it is a custom layer, register its class with registerLayer\(Scale\)/);
    registerLayer(Scale);
    const back = await loadModel(dir);
    expectClose(back.predict(tensor([[1, 2]])), [3, 6]);
  });
});

describe('bad input, each a NeuriteError before anything changes', () => {
  it('symbolic tensors given to predict / fit', async () => {
    const x = Input({ shape: [2] });
    const m = new Model({ inputs: x, outputs: new Dense(1).apply(x) });
    expect(() => m.predict(x as never)).toThrow(NeuriteError);
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    await expect(m.fit(x as never, x as never)).rejects.toThrow(NeuriteError);
  });

  it('an output not reachable from the inputs names the disconnected tensor', () => {
    const a = Input({ shape: [2], name: 'a_in' });
    const b = Input({ shape: [2], name: 'b_in' });
    const y = new Add().apply([a, b]);
    expect(() => new Model({ inputs: a, outputs: y })).toThrow(/graph disconnected: b_in\/output .* comes from input 'b_in', which is not among the model's inputs \('a_in'\)/);
  });

  it('two inputs with one name, eager and symbolic mixed, wrong input counts, unknown options', () => {
    const a = Input({ shape: [2], name: 'same' });
    const b = Input({ shape: [2], name: 'same' });
    expect(() => new Model({ inputs: [a, b], outputs: new Add().apply([a, b]) })).toThrow(/two layers are named 'same'/);
    const c = Input({ shape: [2] });
    expect(() => new Add().apply([c, tensor([[1, 2]])] as never)).toThrow(/symbolic tensor.*and 1 other value/);
    const d = Input({ shape: [2], name: 'd_in' });
    const e = Input({ shape: [2], name: 'e_in' });
    const m = new Model({ inputs: [d, e], outputs: new Add().apply([d, e]) });
    expect(() => m.predict([tensor([[1, 2]])])).toThrow(/the model has 2 \('d_in', 'e_in'\); expected an array of 2 tensors or an object keyed by those names, received an array of 1/);
    expect(() => m.predict({ d_in: tensor([[1, 2]]), f: tensor([[1, 2]]) })).toThrow(/unknown name 'f'/);
    expect(() => new Model({ inputs: d, outputs: d, depth: 2 } as never)).toThrow(/unknown option 'depth'/);
    expect(() => Input({ shape: [2], sparse: true } as never)).toThrow(/unknown option 'sparse'/);
    expect(() => new Model({ inputs: d } as never)).toThrow(/needs both 'inputs' and 'outputs'/);
  });

  it('graph files whose nodes name a missing layer or form a cycle', async () => {
    const x = Input({ shape: [2], name: 'gx' });
    const h = new Dense(2, { name: 'g1' }).apply(x);
    const m = new Model({ inputs: x, outputs: new Dense(1, { name: 'g2' }).apply(h) });
    const dir = freshDir();
    await m.save(dir);
    const edit = (f: (layers: { name: string; inbound_nodes: unknown[] }[]) => void): void => {
      const path = join(dir, 'model.json');
      const json = JSON.parse(require('node:fs').readFileSync(path, 'utf8'));
      f(json.modelTopology.config.layers);
      writeFileSync(path, JSON.stringify(json));
    };
    edit((layers) => (layers[2].inbound_nodes = [[['ghost', 0, 0, {}]]]));
    await expect(loadModel(dir)).rejects.toThrow(/layer 'g2' reads from 'ghost', which is not a layer of the model/);
    edit((layers) => {
      layers[1].inbound_nodes = [[['g2', 0, 0, {}]]];
      layers[2].inbound_nodes = [[['g1', 0, 0, {}]]];
    });
    await expect(loadModel(dir)).rejects.toThrow(/can never run \(their inputs form a cycle/);
  });
});
