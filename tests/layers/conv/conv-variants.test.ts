import { describe, expect, it } from 'vitest';
import { Conv2DTranspose } from '../../../src/layers/conv/conv2d-transpose.js';
import { DepthwiseConv2D } from '../../../src/layers/conv/depthwise-conv2d.js';
import { SeparableConv2D } from '../../../src/layers/conv/separable-conv2d.js';
import { Conv2D } from '../../../src/layers/conv2d.js';
import { Sequential } from '../../../src/models/sequential.js';
import { Flatten } from '../../../src/layers/flatten.js';
import { Dense } from '../../../src/layers/dense.js';
import { conv2dTranspose } from '../../../src/ops/conv2d-transpose.js';
import { depthwiseConv2d } from '../../../src/ops/depthwise-conv2d.js';
import { tensor } from '../../../src/tensor/creation.js';
import { l2 } from '../../../src/regularizers/regularizers.js';
import { NeuriteError, ShapeError, ValueError } from '../../../src/util/errors.js';
import { expectClose } from '../../helpers/close.js';
import { gradcheck } from '../../helpers/gradcheck.js';
import { seededTensor } from '../../helpers/seeded.js';
import { tfCpu } from '../../helpers/tf.js';
import { cleanUpDirs, freshDir, loadInTf, predictWith, tfPredict } from '../../io/tf-files.js';
import { checkLayer, expectErrorMentioning, gradcheckLayer } from '../harness.js';
import { compareWithTf, expectRelClose } from '../tf-compare.js';

cleanUpDirs();

/** Float64 depthwise convolution from the definition ('valid' or explicit padding before). */
function naiveDepthwise(x: Float32Array, xs: number[], f: Float32Array, fs: number[], stride: number, padTop: number, padLeft: number, oh: number, ow: number): number[] {
  const [b, h, w, c] = xs;
  const [kh, kw, , m] = fs;
  const out: number[] = [];
  for (let n = 0; n < b; n++)
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++)
        for (let ci = 0; ci < c; ci++)
          for (let mi = 0; mi < m; mi++) {
            let s = 0;
            for (let ky = 0; ky < kh; ky++)
              for (let kx = 0; kx < kw; kx++) {
                const iy = oy * stride - padTop + ky;
                const ix = ox * stride - padLeft + kx;
                if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                s += x[((n * h + iy) * w + ix) * c + ci] * f[((ky * kw + kx) * c + ci) * m + mi];
              }
            out.push(s);
          }
  return out;
}

describe('Conv2DTranspose, DepthwiseConv2D, SeparableConv2D', () => {
  it('pass the layer harness with Keras weight layouts', () => {
    checkLayer(new Conv2DTranspose(4, [3, 2], { strides: 2, padding: 'same' }), seededTensor([2, 3, 4, 3], 1), [[3, 2, 4, 3], [4]]);
    checkLayer(new Conv2DTranspose(2, 3, { useBias: false }), seededTensor([1, 3, 3, 2], 2), [[3, 3, 2, 2]]);
    checkLayer(new DepthwiseConv2D(3, { depthMultiplier: 2 }), seededTensor([2, 5, 4, 3], 3), [[3, 3, 3, 2], [6]]);
    checkLayer(new SeparableConv2D(5, [2, 3], { depthMultiplier: 2, padding: 'same', strides: [2, 1] }), seededTensor([1, 5, 6, 2], 4), [[2, 3, 2, 2], [1, 1, 4, 5], [5]]);
  });

  it('transposed convolution by hand: stride 2 of a 1-pixel kernel spreads, a 2×2 kernel sums overlaps', () => {
    // x = [[1, 2]] (1×2), kernel 2×2 of ones, stride 1 'valid': output 2×3 = [[1, 3, 2], [1, 3, 2]].
    expectClose(conv2dTranspose(tensor([1, 2], [1, 1, 2, 1]), tensor([1, 1, 1, 1], [2, 2, 1, 1])), [1, 3, 2, 1, 3, 2]);
    // stride 2, kernel 1×1 = 3: output 1×3 (valid: 2·2 + max(1 − 2, 0) − … = 4? no: in·s + max(k − s, 0) = 4): [3, 0, 6, 0].
    expectClose(conv2dTranspose(tensor([1, 2], [1, 1, 2, 1]), tensor([3], [1, 1, 1, 1]), { strides: 2 }), [3, 0, 6, 0, 0, 0, 0, 0]);
  });

  it('depthwise convolution equals a float64 reference from the definition', () => {
    const x = seededTensor([2, 5, 4, 3], 5);
    const f = seededTensor([3, 2, 3, 2], 6);
    expectClose(depthwiseConv2d(x, f), naiveDepthwise(x.data, [2, 5, 4, 3], f.data, [3, 2, 3, 2], 1, 0, 0, 3, 3), { rtol: 1e-5, atol: 1e-6 });
    // 'same' with stride 2 on 5×4 and a 3×2 kernel: out 3×2, padding total (rows 2·2 + 3 − 5 = 2, cols 1·2 + 2 − 4 = 0) → top 1, left 0.
    expectClose(depthwiseConv2d(x, f, { strides: 2, padding: 'same' }), naiveDepthwise(x.data, [2, 5, 4, 3], f.data, [3, 2, 3, 2], 2, 1, 0, 3, 2), { rtol: 1e-5, atol: 1e-6 });
  });

  it('equal TF.js forward and gradients', async () => {
    const tf = await tfCpu();
    const cases: [string, () => unknown, () => unknown, number[], boolean?][] = [
      ['transpose same s2', () => new Conv2DTranspose(3, [3, 2], { strides: 2, padding: 'same', activation: 'relu' }), () => tf.layers.conv2dTranspose({ filters: 3, kernelSize: [3, 2], strides: 2, padding: 'same', activation: 'relu' }), [2, 3, 4, 2]],
      ['transpose valid s[2,3]', () => new Conv2DTranspose(2, 2, { strides: [2, 3] }), () => tf.layers.conv2dTranspose({ filters: 2, kernelSize: 2, strides: [2, 3] }), [1, 3, 3, 3]],
      ['transpose valid k<s', () => new Conv2DTranspose(2, 1, { strides: 2 }), () => tf.layers.conv2dTranspose({ filters: 2, kernelSize: 1, strides: 2 }), [1, 3, 2, 2]],
      ['depthwise', () => new DepthwiseConv2D([3, 2], { depthMultiplier: 2 }), () => tf.layers.depthwiseConv2d({ kernelSize: [3, 2], depthMultiplier: 2 }), [2, 5, 4, 3]],
      ['depthwise same s2', () => new DepthwiseConv2D(3, { strides: 2, padding: 'same', useBias: false }), () => tf.layers.depthwiseConv2d({ kernelSize: 3, strides: 2, padding: 'same', useBias: false }), [1, 6, 5, 2]],
      ['separable', () => new SeparableConv2D(4, 3, { depthMultiplier: 2, activation: 'tanh' }), () => tf.layers.separableConv2d({ filters: 4, kernelSize: 3, depthMultiplier: 2, activation: 'tanh' }), [2, 5, 5, 2]],
      ['separable same s2', () => new SeparableConv2D(3, [2, 3], { strides: 2, padding: 'same' }), () => tf.layers.separableConv2d({ filters: 3, kernelSize: [2, 3], strides: 2, padding: 'same' }), [1, 5, 6, 3]],
    ];
    // NOTE: TF.js's DepthwiseConv2D layer drops dilationRate (a 2×2 kernel, dilation 2 on 5×5 gives 4×4);
    // dilated depthwise is compared with TF.js's depthwiseConv2d op instead.
    const x = seededTensor([1, 5, 5, 2], 14);
    const f = seededTensor([2, 2, 2, 2], 15);
    const op = tf.depthwiseConv2d(tf.tensor4d(Array.from(x.data), [1, 5, 5, 2]), tf.tensor4d(Array.from(f.data), [2, 2, 2, 2]), 1, 'valid', 'NHWC', 2);
    expectRelClose(depthwiseConv2d(x, f, { dilations: 2 }).data, op.dataSync(), 1e-5, 'dilated depthwise');
    for (const [what, ours, theirs, shape, gradients = true] of cases) {
      try {
        await compareWithTf(ours() as never, theirs() as never, seededTensor(shape, shape.length + shape[1]), { gradients });
      } catch (e) {
        throw new Error(`${what}: ${(e as Error).message}`);
      }
    }
  });

  it('pass finite-difference gradient checks, dilation included', () => {
    gradcheck((x, k) => conv2dTranspose(x, k, { strides: [2, 1], padding: 'same' }), [seededTensor([1, 3, 3, 2], 7), seededTensor([3, 2, 2, 2], 8)]);
    gradcheck((x, k) => conv2dTranspose(x, k, { dilations: 2 }), [seededTensor([1, 2, 3, 1], 9), seededTensor([2, 2, 2, 1], 10)]);
    gradcheckLayer(new DepthwiseConv2D(2, { dilationRate: 2, depthMultiplier: 2, biasInitializer: 'random_normal' }), seededTensor([1, 4, 5, 2], 11));
    gradcheckLayer(new SeparableConv2D(2, 2, { dilationRate: [1, 2], padding: 'same' }), seededTensor([1, 3, 4, 2], 12));
  });

  it('a model with them saves files TF.js loads and predicts alike', async () => {
    const tf = await tfCpu();
    const model = new Sequential([
      new SeparableConv2D(4, 3, { inputShape: [6, 6, 2], padding: 'same', depthwiseRegularizer: l2(0.01) }),
      new DepthwiseConv2D(3, { depthMultiplier: 2 }),
      new Conv2DTranspose(3, 3, { strides: 2 }),
      new Flatten(),
      new Dense(2),
    ]);
    const x = seededTensor([2, 6, 6, 2], 13);
    model.predict(x);
    model.setWeights(model.getWeights().map((w, k) => seededTensor([...w.shape], 60 + k, -0.5, 0.5)));
    const dir = freshDir();
    await model.save(dir);
    const theirs = await loadInTf(dir);
    expectRelClose(tfPredict(tf, theirs, x), predictWith(model, x).data, 1e-4, 'TF.js prediction');
  });

  it('refuse bad options and input; Conv2D refuses unknown options and groups ≠ 1', () => {
    expectErrorMentioning(() => new DepthwiseConv2D(3, { depthMultiplier: 0, name: 'dw' }), ValueError, 'dw (DepthwiseConv2D)', 'depthMultiplier', '0');
    expectErrorMentioning(() => new SeparableConv2D(2, 3, { kernelInitializer: 'ones' } as never), ValueError, "unknown option 'kernelInitializer'", 'depthwiseInitializer');
    expectErrorMentioning(() => new Conv2DTranspose(2, 3, { strides: 2, dilationRate: 2 }), NeuriteError, 'strides', 'dilationRate');
    expectErrorMentioning(() => new DepthwiseConv2D(3).apply(seededTensor([1, 2, 5, 1], 1)), ShapeError, 'larger than', '[1, 2, 5, 1]');
    const t = new Conv2DTranspose(2, 2, { name: 'ct' });
    t.apply(seededTensor([1, 3, 3, 2], 1));
    expectErrorMentioning(() => t.apply(seededTensor([1, 3, 3, 3], 1)), ShapeError, 'ct (Conv2DTranspose)', '2 input channels', '[1, 3, 3, 3]');
    expectErrorMentioning(() => new Conv2D(2, 3, { filter: 3 } as never), ValueError, "unknown option 'filter'");
    expectErrorMentioning(() => new Conv2D(4, 3, { groups: 2, name: 'cg' } as never), NeuriteError, 'cg (Conv2D)', 'groups', '2');
    expect(new Conv2D(4, 3, { groups: 1 } as never).filters).toBe(4);
  });
});
