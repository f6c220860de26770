import { describe, expect, it } from 'vitest';
import type * as tfType from '@tensorflow/tfjs';
import { Conv2DTranspose } from '../../../src/layers/conv/conv2d-transpose.js';
import { layerFromConfig } from '../../../src/layers/serialization.js';
import { Sequential } from '../../../src/models/sequential.js';
import { modelFromArtifacts } from '../../../src/models/load-model.js';
import { modelToArtifacts } from '../../../src/models/persistence.js';
import { Tensor } from '../../../src/tensor/tensor.js';
import { valueAndGrad } from '../../../src/autograd/backward.js';
import { conv2dTranspose } from '../../../src/ops/conv2d-transpose.js';
import { mul } from '../../../src/ops/arithmetic.js';
import { sum } from '../../../src/ops/reduction.js';
import { ShapeError, ValueError } from '../../../src/util/errors.js';
import { expectClose } from '../../helpers/close.js';
import { seededArray, seededTensor } from '../../helpers/seeded.js';
import { tfCpu, tfData } from '../../helpers/tf.js';
import { expectErrorMentioning, gradcheckLayer } from '../harness.js';

/** Keras's deconv_output_length with output_padding, written from its definition. */
function kerasLength(n: number, k: number, s: number, d: number, padding: 'same' | 'valid', p: number): number {
  const kEff = k + (k - 1) * (d - 1);
  const pad = padding === 'same' ? Math.floor(kEff / 2) : 0;
  return (n - 1) * s + kEff - 2 * pad + p;
}

/**
 * Transposed convolution in float64 as a scatter: input pixel (i, j) adds x·K at output rows i·s − top + a·d,
 * top = ⌊total/2⌋ of TF's forward 'same' padding for an image of the output's size (0 for 'valid').
 */
function reference(x: Tensor, k: Tensor, s: [number, number], d: [number, number], padding: 'same' | 'valid', outH: number, outW: number): number[] {
  const [batch, h, w, cin] = x.shape;
  const [kh, kw, cout] = k.shape;
  const before = (n: number, out: number, kk: number, ss: number, dd: number): number => {
    if (padding === 'valid') return 0;
    const kEff = (kk - 1) * dd + 1;
    return Math.floor(Math.max((n - 1) * ss + kEff - out, 0) / 2);
  };
  const top = before(h, outH, kh, s[0], d[0]);
  const left = before(w, outW, kw, s[1], d[1]);
  const y = new Float64Array(batch * outH * outW * cout);
  for (let b = 0; b < batch; b++) for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) for (let a = 0; a < kh; a++) for (let e = 0; e < kw; e++) {
    const r = i * s[0] - top + a * d[0];
    const c = j * s[1] - left + e * d[1];
    if (r < 0 || r >= outH || c < 0 || c >= outW) continue;
    for (let o = 0; o < cout; o++) {
      let acc = 0;
      for (let q = 0; q < cin; q++) acc += x.data[((b * h + i) * w + j) * cin + q] * k.data[((a * kw + e) * cout + o) * cin + q];
      y[((b * outH + r) * outW + c) * cout + o] += acc;
    }
  }
  return Array.from(y);
}

const CASES: { k: [number, number]; s: [number, number]; d: [number, number]; padding: 'same' | 'valid'; p: [number, number]; x: number[] }[] = [
  { k: [3, 3], s: [2, 2], d: [1, 1], padding: 'same', p: [1, 1], x: [2, 3, 4, 2] },
  { k: [3, 2], s: [2, 3], d: [1, 1], padding: 'same', p: [0, 2], x: [1, 4, 3, 3] },
  { k: [2, 3], s: [3, 2], d: [1, 1], padding: 'valid', p: [2, 1], x: [2, 3, 3, 2] },
  { k: [3, 3], s: [1, 1], d: [2, 2], padding: 'valid', p: [0, 0], x: [1, 3, 4, 2] },
  { k: [3, 3], s: [1, 1], d: [2, 1], padding: 'same', p: [0, 0], x: [1, 4, 3, 2] },
];

describe('Conv2DTranspose outputPadding (Keras output_padding)', () => {
  it('output shape is Keras\'s formula; forward equals a float64 scatter reference; gradients pass finite differences', () => {
    for (const [n, c] of CASES.entries()) {
      const layer = new Conv2DTranspose(3, c.k, { strides: c.s, dilationRate: c.d, padding: c.padding, outputPadding: c.p, biasInitializer: 'random_uniform' });
      const x = seededTensor(c.x, 30 + n);
      const y = layer.apply(x);
      const outH = kerasLength(c.x[1], c.k[0], c.s[0], c.d[0], c.padding, c.p[0]);
      const outW = kerasLength(c.x[2], c.k[1], c.s[1], c.d[1], c.padding, c.p[1]);
      expect(y.shape, `case ${n}`).toEqual([c.x[0], outH, outW, 3]);
      expect(layer.computeOutputShape([null, c.x[1], c.x[2], c.x[3]]), `case ${n}`).toEqual([null, outH, outW, 3]);
      const [kernel, bias] = layer.getWeights();
      const plain = reference(x, kernel, c.s, c.d, c.padding, outH, outW);
      expectClose(y, plain.map((v, i) => v + bias.data[i % 3]), { rtol: 1e-5, atol: 1e-6 });
      gradcheckLayer(layer, x);
    }
  });

  it('forward and gradients equal TF.js\'s conv2dTranspose op given the Keras output shape (TF.js\'s layer has no outputPadding)', async () => {
    const tf = await tfCpu();
    for (const [n, c] of CASES.filter((cc) => cc.d[0] === 1 && cc.d[1] === 1).entries()) {
      const x = seededTensor(c.x, 40 + n);
      const k = seededTensor([...c.k, 3, c.x[3]], 50 + n);
      const outH = kerasLength(c.x[1], c.k[0], c.s[0], 1, c.padding, c.p[0]);
      const outW = kerasLength(c.x[2], c.k[1], c.s[1], 1, c.padding, c.p[1]);
      const probe = seededArray(c.x[0] * outH * outW * 3, 60 + n);
      const f = (xx: Tensor, kk: Tensor): Tensor => sum(mul(conv2dTranspose(xx, kk, { strides: c.s, padding: c.padding, outputPadding: c.p }), new Tensor(probe, [c.x[0], outH, outW, 3])));
      const { grads } = valueAndGrad(f)(x, k);
      const tx = tf.tensor4d(Array.from(x.data), c.x as [number, number, number, number]);
      const tk = tf.tensor4d(Array.from(k.data), [...c.k, 3, c.x[3]] as [number, number, number, number]);
      const outShape: [number, number, number, number] = [c.x[0], outH, outW, 3];
      const theirs = tf.conv2dTranspose(tx, tk, outShape, c.s, c.padding);
      expectClose(conv2dTranspose(x, k, { strides: c.s, padding: c.padding, outputPadding: c.p }), tfData(theirs), { rtol: 1e-5, atol: 1e-5 });
      const tProbe = tf.tensor4d(Array.from(probe), outShape);
      const tg = tf.grads((a: tfType.Tensor, b: tfType.Tensor) => tf.sum(tf.mul(tf.conv2dTranspose(a as tfType.Tensor4D, b as tfType.Tensor4D, outShape, c.s, c.padding), tProbe)))([tx, tk]);
      expectClose(grads[0], tfData(tg[0]), { rtol: 1e-4, atol: 1e-5 });
      expectClose(grads[1], tfData(tg[1]), { rtol: 1e-4, atol: 1e-5 });
    }
  });

  it('round-trips in configs and files (output_padding as Keras writes it)', () => {
    const layer = new Conv2DTranspose(2, 3, { strides: 2, padding: 'same', outputPadding: [1, 0], inputShape: [3, 3, 2] });
    const config = layer.getConfig();
    expect(config.output_padding).toEqual([1, 0]);
    expect((layerFromConfig('Conv2DTranspose', config) as Conv2DTranspose).outputPadding).toEqual([1, 0]);
    expect((layerFromConfig('Conv2DTranspose', { ...config, output_padding: 1 }) as Conv2DTranspose).outputPadding).toEqual([1, 1]);
    expect(new Conv2DTranspose(2, 3).getConfig().output_padding).toBeNull();
    const model = new Sequential([layer]);
    const x = seededTensor([2, 3, 3, 2], 9);
    const before = model.predict(x) as Tensor;
    expect(before.shape).toEqual([2, 6, 5, 2]);
    const back = modelFromArtifacts(modelToArtifacts(model));
    expect(Array.from((back.predict(x) as Tensor).data)).toEqual(Array.from(before.data));
  });

  it('refuses output padding >= stride, negative or fractional, and a size that does not convolve back', () => {
    expectErrorMentioning(() => new Conv2DTranspose(2, 3, { strides: 2, outputPadding: 2, name: 'op1' }), ValueError, 'op1 (Conv2DTranspose)', 'outputPadding', 'smaller than its stride', '[2, 2]', '2');
    expectErrorMentioning(() => new Conv2DTranspose(2, 3, { strides: [2, 3], outputPadding: [1, -1] }), ValueError, 'outputPadding', '[1,-1]');
    expectErrorMentioning(() => new Conv2DTranspose(2, 3, { dilationRate: 2, outputPadding: 1 }), ValueError, 'outputPadding', '[1, 1]');
    expectErrorMentioning(() => layerFromConfig('Conv2DTranspose', { filters: 2, kernel_size: [3, 3], strides: [2, 2], output_padding: [0.5, 0] }), ValueError, 'outputPadding', '[0.5,0]');
    // 'same', an even kernel and output padding 0: Keras's size maps back to one row fewer than the input.
    expectErrorMentioning(() => new Conv2DTranspose(2, 2, { strides: 2, padding: 'same', outputPadding: 0 }).apply(seededTensor([1, 3, 3, 1], 1)), ShapeError, 'convolves back to', '3×3');
  });
});
