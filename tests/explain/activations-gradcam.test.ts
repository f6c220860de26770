import { describe, expect, it } from 'vitest';
import { setSeed } from '../../src/util/random.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { Input } from '../../src/layers/input-layer.js';
import { Dense } from '../../src/layers/dense.js';
import { Conv2D } from '../../src/layers/conv2d.js';
import { Flatten } from '../../src/layers/flatten.js';
import { Model } from '../../src/models/model.js';
import { Sequential } from '../../src/models/sequential.js';
import { noGrad } from '../../src/autograd/record.js';
import { seededTensor } from '../helpers/seeded.js';
import { tfCpu, tfData } from '../helpers/tf.js';
import { explain } from '../../src/index.js';

/** 5×5×2 images → Conv2D(3, 3×3 valid, relu) 'conv' → Flatten → Dense(2) 'head'. */
function tinyCnn(): Model {
  setSeed(9);
  const input = Input({ shape: [5, 5, 2] });
  const conv = new Conv2D(3, 3, { activation: 'relu', name: 'conv' }).apply(input);
  const out = new Dense(2, { name: 'head' }).apply(new Flatten().apply(conv));
  return new Model({ inputs: input, outputs: out });
}

/** Float64 valid 3×3 convolution + bias + ReLU, [n, 5, 5, 2] → [n, 3, 3, 3], from the layer's weights. */
function convReference(x: Tensor, kernel: Tensor, bias: Tensor): Float64Array {
  const n = x.shape[0];
  const out = new Float64Array(n * 27);
  for (let b = 0; b < n; b++) for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) for (let f = 0; f < 3; f++) {
    let s = bias.data[f];
    for (let di = 0; di < 3; di++) for (let dj = 0; dj < 3; dj++) for (let c = 0; c < 2; c++) {
      s += x.data[((b * 5 + i + di) * 5 + j + dj) * 2 + c] * kernel.data[((di * 3 + dj) * 2 + c) * 3 + f];
    }
    out[((b * 3 + i) * 3 + j) * 3 + f] = Math.max(s, 0);
  }
  return out;
}

describe('activations', () => {
  it('returns every layer output of a functional model, equal to a float64 reference', () => {
    const model = tinyCnn();
    const x = seededTensor([2, 5, 5, 2], 3);
    const acts = explain.activations(model, x);
    expect(Object.keys(acts)).toEqual(model.layers.slice(1).map((l) => l.name));
    const [kernel, bias] = model.getLayer('conv').getWeights();
    const ref = convReference(x, kernel, bias);
    expect(acts.conv.shape).toEqual([2, 3, 3, 3]);
    acts.conv.data.forEach((v, i) => expect(Math.abs(v - ref[i])).toBeLessThan(1e-5));
    const y = noGrad(() => model.forward([x], false))[0];
    expect(Array.from(acts.head.data)).toEqual(Array.from(y.data));
  });

  it('works on Sequential and subclassed models, by name, and lists the layers for an unknown name', () => {
    setSeed(2);
    const seq = new Sequential([new Dense(3, { activation: 'relu', inputShape: [2], name: 'd1' }), new Dense(1, { name: 'd2' })]);
    const x = seededTensor([4, 2], 8);
    const acts = explain.activations(seq, x, ['d1']);
    expect(Object.keys(acts)).toEqual(['d1']);
    const d1 = seq.getLayer('d1');
    expect(Array.from(acts.d1.data)).toEqual(Array.from(noGrad(() => d1.apply(x)).data));
    class Sub extends Model {
      inner = new Dense(2, { name: 'inner', activation: 'tanh' });
      outer = new Dense(1, { name: 'outer' });
      override call(inputs: Tensor | Tensor[] | Record<string, Tensor>): Tensor {
        return this.outer.apply(this.inner.apply(inputs as Tensor));
      }
    }
    const sub = new Sub();
    const subActs = explain.activations(sub, x);
    expect(subActs.inner.shape).toEqual([4, 2]);
    expect(Array.from(subActs.outer.data)).toEqual(Array.from(noGrad(() => sub.forward([x], false))[0].data));
    expect(() => explain.activations(seq, x, ['nope'])).toThrow(/no layer named 'nope'.*'d1', 'd2'/);
  });
});

describe('gradCam', () => {
  it('equals a float64 reference of the formula (∂y/∂A of a linear head is its kernel column) and TF.js resize', async () => {
    const model = tinyCnn();
    const x = seededTensor([2, 5, 5, 2], 6);
    const [kernel, bias] = model.getLayer('conv').getWeights();
    const [head] = model.getLayer('head').getWeights(); // [27, 2]
    const a = convReference(x, kernel, bias);
    const target = 1;
    const small = new Float64Array(2 * 9);
    for (let b = 0; b < 2; b++) {
      // y = Σ_p,f A[p,f] W[p·3+f, target] + b, so ∂y/∂A[p,f] = W[p·3+f, target]; α_f = mean over p.
      const alpha = [0, 1, 2].map((f) => { let s = 0; for (let p = 0; p < 9; p++) s += head.data[(p * 3 + f) * 2 + target]; return s / 9; });
      for (let p = 0; p < 9; p++) {
        let s = 0;
        for (let f = 0; f < 3; f++) s += alpha[f] * a[(b * 9 + p) * 3 + f];
        small[b * 9 + p] = Math.max(s, 0);
      }
    }
    expect(small.some((v) => v > 0)).toBe(true);
    const tf = await tfCpu();
    const up = tfData(tf.image.resizeBilinear(tf.tensor4d(Float32Array.from(small), [2, 3, 3, 1]), [5, 5], false, true));
    const cam = explain.gradCam(model, x, { layerName: 'conv', target });
    expect(cam.shape).toEqual([2, 5, 5]);
    cam.data.forEach((v, i) => expect(Math.abs(v - up[i])).toBeLessThan(1e-5));
  });

  it('works on a subclassed model through the layer hook, equal to the same layers as a functional model', () => {
    const functional = tinyCnn();
    const [conv, flat, head] = [functional.getLayer('conv'), functional.layers[2], functional.getLayer('head')];
    class Sub extends Model {
      c = conv;
      f = flat;
      h = head;
      override call(inputs: Tensor | Tensor[] | Record<string, Tensor>): Tensor {
        return this.h.apply(this.f.apply(this.c.apply(inputs as Tensor)));
      }
    }
    const x = seededTensor([1, 5, 5, 2], 12);
    const a = explain.gradCam(new Sub(), x, { layerName: 'conv', target: 0 });
    const b = explain.gradCam(functional, x, { layerName: 'conv', target: 0 });
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    expect(a.data.some((v) => v > 0)).toBe(true);
  });

  it('works on a Sequential model; rejects a non-convolutional or unknown layer and non-image input', () => {
    setSeed(4);
    const seq = new Sequential([new Conv2D(2, 2, { inputShape: [4, 4, 1], name: 'c' }), new Flatten({ name: 'flat' }), new Dense(3, { activation: 'softmax' })]);
    const x = seededTensor([1, 4, 4, 1], 1);
    const cam = explain.gradCam(seq, x, { layerName: 'c', target: 2 });
    expect(cam.shape).toEqual([1, 4, 4]);
    cam.data.forEach((v) => expect(v).toBeGreaterThanOrEqual(0));
    expect(() => explain.gradCam(seq, x, { layerName: 'flat', target: 0 })).toThrow(/'flat' is not convolutional.*\[1, 18\]/);
    expect(() => explain.gradCam(seq, x, { layerName: 'zz', target: 0 })).toThrow(/no layer named 'zz'/);
    expect(() => explain.gradCam(seq, seededTensor([1, 16], 1), { layerName: 'c', target: 0 })).toThrow(/\[batch, height, width, channels\]/);
    expect(() => explain.gradCam(seq, x, { layerName: 'c', target: 3 })).toThrow(/\[0, 3\)/);
  });
});
