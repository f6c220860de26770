import { describe, expect, it } from 'vitest';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { setSeed } from '../../src/util/random.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { Dense } from '../../src/layers/dense.js';
import { Conv2D } from '../../src/layers/conv2d.js';
import { Flatten } from '../../src/layers/flatten.js';
import { Sequential } from '../../src/models/sequential.js';
import { loadModel } from '../../src/models/load-model.js';
import { quantize } from '../../src/compress/quantize.js';
import { loadQuantized, saveQuantized } from '../../src/compress/quantized-io.js';
import { QuantizedConv2D } from '../../src/compress/quantized-conv2d.js';
import { seededTensor } from '../helpers/seeded.js';
import { cleanUpDirs, freshDir, loadInTf, tfPredict, weightsPathOf } from '../io/tf-files.js';
import { tfCpu } from '../helpers/tf.js';

cleanUpDirs();

function cnn(): Sequential {
  setSeed(11);
  return new Sequential([
    new Conv2D(8, 3, { padding: 'same', activation: 'relu', inputShape: [6, 6, 2] }),
    new Flatten(),
    new Dense(32, { activation: 'relu' }),
    new Dense(3),
  ]);
}

const bytes = (dir: string): number => statSync(weightsPathOf(dir)).size;

describe('saving quantized models', () => {
  it("neurite form: int8 kernels one byte each, loaded back bit-identical and still int8", async () => {
    const model = cnn();
    const q = quantize(model, 'int8');
    const floatDir = freshDir();
    const dir = freshDir();
    await model.save(floatDir);
    await saveQuantized(q, dir);
    expect(bytes(dir) / bytes(floatDir)).toBeLessThanOrEqual(0.27);
    const back = await loadQuantized(dir);
    expect(back.layers.map((l) => l.className)).toEqual(['QuantizedConv2D', 'Flatten', 'QuantizedDense', 'QuantizedDense']);
    expect((back.layers[0] as QuantizedConv2D).quantizedKernel!.byteLength).toBe(3 * 3 * 2 * 8 + 2 * 8);
    const x = seededTensor([4, 6, 6, 2], 3);
    expect(Array.from(back.predict(x).data)).toEqual(Array.from(q.predict(x).data));
  });

  it('tfjs form: TF.js loads it and predicts within the uint8 quantization error', async () => {
    const model = cnn();
    const q = quantize(model, 'int8');
    const dir = freshDir();
    const floatDir = freshDir();
    await model.save(floatDir);
    await saveQuantized(q, dir, { format: 'tfjs' });
    expect(bytes(dir) / bytes(floatDir)).toBeLessThanOrEqual(0.27);
    const tf = await tfCpu();
    const tfModel = await loadInTf(dir);
    const x = seededTensor([4, 6, 6, 2], 4);
    const got = tfPredict(tf, tfModel, x);
    const want = model.predict(x).data;
    const scale = Math.max(...Array.from(want, Math.abs));
    for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(0.05 * scale);
    // neurite's own loader reads the same file as a float model.
    const back = await loadModel(dir);
    expect(back.layers.map((l) => l.className)).toEqual(['Conv2D', 'Flatten', 'Dense', 'Dense']);
    const y = back.predict(x).data;
    for (let i = 0; i < y.length; i++) expect(Math.abs(y[i] - got[i])).toBeLessThan(1e-4 * (1 + Math.abs(got[i])));
  });

  it('keeps zeros exact in the uint8 form (pruned weights stay zero)', async () => {
    setSeed(2);
    const model = new Sequential([new Dense(6, { inputShape: [5] })]);
    const [w, b] = model.getWeights();
    w.data.forEach((v, i) => (w.data[i] = i % 3 === 0 ? 0 : v));
    model.setWeights([w, b]);
    const dir = freshDir();
    await saveQuantized(quantize(model, 'int8'), dir, { format: 'tfjs' });
    const [w2] = (await loadModel(dir)).getWeights();
    for (let i = 0; i < w.size; i++) if (i % 3 === 0) expect(w2.data[i]).toBe(0);
  });

  it('float16: both forms halve the kernel bytes; TF.js reads the tfjs form', async () => {
    const model = cnn();
    const q = quantize(model, 'float16');
    const dir = freshDir();
    const tfDir = freshDir();
    await saveQuantized(q, dir);
    await saveQuantized(q, tfDir, { format: 'tfjs' });
    const x = seededTensor([2, 6, 6, 2], 5);
    const back = await loadQuantized(dir);
    expect(Array.from(back.predict(x).data)).toEqual(Array.from(q.predict(x).data));
    const tf = await tfCpu();
    const got = tfPredict(tf, await loadInTf(tfDir), x);
    const want = q.predict(x).data;
    for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(1e-4 * (1 + Math.abs(want[i])));
  });

  it('loadModel reads the neurite int8 form too (the quantized classes are registered layers): int8 kernels, same predictions', async () => {
    const dir = freshDir();
    const q = quantize(cnn(), 'int8');
    await saveQuantized(q, dir);
    const back = await loadModel(dir);
    expect(back.layers.map((l) => l.className)).toEqual(q.layers.map((l) => l.className));
    expect(back.layers.some((l) => l instanceof QuantizedConv2D && l.mode === 'int8')).toBe(true);
    const x = seededTensor([2, ...(cnn().inputShape!.slice(1) as number[])], 5);
    expect(Array.from(back.predict(x).data)).toEqual(Array.from(q.predict(x).data));
  });

  it('loading an int8 weights file into a float model says what to do', async () => {
    const model = cnn();
    const path = join(freshDir(), 'w.nw');
    await quantize(model, 'int8').saveWeights(path);
    await expect(model.loadWeights(path)).rejects.toThrow(/int8-quantized.*quantize\(model, 'int8'\)/);
  });
});

describe('weights of quantized models', () => {
  it('saveWeights / loadWeights round-trip into another quantized model (setWeights reaches the int8 storage)', async () => {
    const a = quantize(cnn(), 'int8');
    const b = quantize(cnn(), 'int8');
    const path = join(freshDir(), 'w.nw');
    await a.saveWeights(path);
    // Negated kernel: b gets a's weights only through loadWeights.
    b.setWeights(b.getWeights().map((t, i) => (i === 0 ? new Tensor(t.data.map((v) => -v), t.shape) : t)));
    const x = seededTensor([2, 6, 6, 2], 9);
    expect(Array.from(b.predict(x).data)).not.toEqual(Array.from(a.predict(x).data));
    await b.loadWeights(path);
    expect(Array.from(b.predict(x).data)).toEqual(Array.from(a.predict(x).data));
  });
});
