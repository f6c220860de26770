import { afterEach, describe, expect, it } from 'vitest';
import { ones, tensor, variable } from '../../src/tensor/creation.js';
import { conv2d, Conv2DOptions, conv2dRelu } from '../../src/ops/conv2d.js';
import { setGemmPath, wasmSimdSupported, type GemmPath } from '../../src/kernels/wasm/gemm-wasm.js';
import { backward } from '../../src/autograd/backward.js';
import { mul } from '../../src/ops/arithmetic.js';
import { sum } from '../../src/ops/reduction.js';
import { ShapeError, ValueError } from '../../src/util/errors.js';
import { expectClose } from '../helpers/close.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { conv2dRef } from '../helpers/reference.js';
import { seededTensor } from '../helpers/seeded.js';
import { compareTf } from './tf-compare.js';

const TOL = { rtol: 1e-4, atol: 1e-5 };

interface Case {
  x: number[];
  f: number[];
  strides: [number, number];
  padding: 'valid' | 'same';
  dilations?: [number, number];
}

// TF.js has no gradient for dilations > 1, so dilated cases are checked against the reference
// and finite differences only.
const TF_CASES: Case[] = [
  { x: [2, 7, 6, 3], f: [3, 3, 3, 5], strides: [1, 1], padding: 'valid' },
  { x: [2, 7, 6, 3], f: [3, 3, 3, 5], strides: [1, 1], padding: 'same' },
  { x: [1, 9, 8, 2], f: [3, 2, 2, 3], strides: [2, 3], padding: 'same' },
  { x: [2, 8, 9, 3], f: [2, 3, 3, 4], strides: [3, 3], padding: 'valid' },
  { x: [3, 5, 5, 4], f: [1, 1, 4, 3], strides: [1, 1], padding: 'valid' },
  { x: [2, 6, 7, 1], f: [4, 4, 1, 2], strides: [2, 2], padding: 'same' },
];

/** Plain JS, and the WebAssembly kernels where this runtime has them. */
const PATHS: GemmPath[] = ['js', ...(wasmSimdSupported() ? (['simd'] as const) : [])];

afterEach(() => setGemmPath('auto'));

describe('conv2dRelu', () => {
  it.each(PATHS)('matches TF.js relu(conv2d + bias) forward and all gradients (%s path)', async (path) => {
    setGemmPath(path);
    for (const [i, c] of TF_CASES.entries()) {
      const inputs = [seededTensor(c.x, 110 + i), seededTensor(c.f, 120 + i), seededTensor([c.f[3]], 130 + i)];
      await compareTf(
        (x, f, b) => conv2dRelu(x, f, { strides: c.strides, padding: c.padding, bias: b }),
        (tf, x, f, b) => tf.relu(tf.add(tf.conv2d(x as never, f as never, c.strides, c.padding), b)),
        inputs,
        TOL,
      );
    }
  });

  it('is exactly relu of conv2d, forward and backward, on the plain-JS path too', () => {
    for (const path of PATHS) {
      setGemmPath(path);
      const x = variable(seededTensor([2, 6, 5, 3], 140));
      const f = variable(seededTensor([3, 3, 3, 9], 141));
      const y = conv2dRelu(x, f, { padding: 'same' });
      const plain = conv2d(x, f, { padding: 'same' });
      expect(Array.from(y.data)).toEqual(Array.from(plain.data, (v) => (v < 0 ? 0 : v)));
      backward(y);
      // With a unit upstream gradient, dx and dF are conv2d's gradients of the mask y > 0.
      const mask = tensor(Array.from(y.data, (v) => (v > 0 ? 1 : 0)), y.shape);
      const dx = new Float32Array(x.grad!.data);
      const df = new Float32Array(f.grad!.data);
      x.grad = null;
      f.grad = null;
      const z = conv2d(x, f, { padding: 'same' });
      backward(sum(mul(z, mask)));
      expectClose(dx, x.grad!.data, { rtol: 1e-6, atol: 1e-6 });
      expectClose(df, f.grad!.data, { rtol: 1e-6, atol: 1e-6 });
    }
  });
});

describe('conv2d', () => {
  it('matches a hand-derived example and its gradients', () => {
    // x = 1..9 as a 3×3 image, 2×2 filter of ones: each output sums a 2×2 block.
    const x = variable(tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]));
    const f = variable(ones([2, 2, 1, 1]));
    const b = variable([10]);
    const y = conv2d(x, f, { bias: b });
    expect(y.toArray()).toEqual([[[[22], [26]], [[34], [38]]]]);
    backward(y);
    // Each input pixel is counted by the windows covering it: corners 1, edges 2, centre 4.
    expect(Array.from(x.grad!.data)).toEqual([1, 2, 1, 2, 4, 2, 1, 2, 1]);
    // d/df[ky, kx] = Σ over windows of the pixel under that tap.
    expect(Array.from(f.grad!.data)).toEqual([1 + 2 + 4 + 5, 2 + 3 + 5 + 6, 4 + 5 + 7 + 8, 5 + 6 + 8 + 9]);
    expect(Array.from(b.grad!.data)).toEqual([4]);
  });

  it.each(PATHS)('matches TF.js (tf.conv2d + bias) forward and all gradients (%s path)', async (path) => {
    setGemmPath(path);
    for (const [i, c] of TF_CASES.entries()) {
      const inputs = [seededTensor(c.x, 10 + i), seededTensor(c.f, 20 + i), seededTensor([c.f[3]], 30 + i)];
      await compareTf(
        (x, f, b) => conv2d(x, f, { strides: c.strides, padding: c.padding, bias: b }),
        (tf, x, f, b) => tf.add(tf.conv2d(x as never, f as never, c.strides, c.padding), b),
        inputs,
        TOL,
      );
    }
  });

  it('matches TF.js forward with dilation, and the float64 reference', async () => {
    const c: Case = { x: [2, 9, 10, 3], f: [3, 2, 3, 4], strides: [1, 1], padding: 'same', dilations: [2, 3] };
    const x = seededTensor(c.x, 40);
    const f = seededTensor(c.f, 41);
    const options: Conv2DOptions = { strides: c.strides, padding: c.padding, dilations: c.dilations };
    await compareTf((a, k) => conv2d(a, k, options), (tf, a, k) => tf.conv2d(a as never, k as never, 1, 'same', 'NHWC', c.dilations), [x, f], { ...TOL, grads: false });
    const strided = { strides: [2, 1] as [number, number], padding: 'valid' as const, dilations: [2, 2] as [number, number] };
    const ref = conv2dRef(x.data, c.x, f.data, c.f, strided);
    const y = conv2d(x, f, strided);
    expect(y.shape).toEqual(ref.shape);
    expectClose(y, ref.data, TOL);
  });

  it.each(PATHS)('gradients match central finite differences (strides, both paddings, dilation, bias; %s path)', (path) => {
    setGemmPath(path);
    const cases: Conv2DOptions[] = [
      { strides: 1, padding: 'same' },
      { strides: [2, 1], padding: 'valid' },
      { dilations: 2, padding: 'same' },
    ];
    for (const [i, options] of cases.entries()) {
      gradcheck((x, f, b) => conv2d(x, f, { ...options, bias: b }), [seededTensor([2, 5, 6, 2], 50 + i), seededTensor([3, 2, 2, 3], 60 + i), seededTensor([3], 70 + i)]);
    }
  });

  it('rejects bad input with a ShapeError or ValueError naming conv2d and the shapes', () => {
    const x = seededTensor([1, 5, 5, 2], 1);
    const f = seededTensor([3, 3, 2, 4], 2);
    expect(() => conv2d(seededTensor([5, 5, 2], 1), f)).toThrow(ShapeError);
    expect(() => conv2d(seededTensor([5, 5, 2], 1), f)).toThrow(/conv2d: expected a rank-4 input \[batch, height, width, channels\] \(NHWC\), received shape \[5, 5, 2\]/);
    expect(() => conv2d(x, seededTensor([3, 3, 3, 4], 2))).toThrow(
      /conv2d: the filter expects 3 input channels but x has 2 \(x shape \[1, 5, 5, 2\], filter shape \[3, 3, 3, 4\]\)/,
    );
    expect(() => conv2d(x, seededTensor([6, 3, 2, 4], 2))).toThrow(ShapeError);
    expect(() => conv2d(x, seededTensor([6, 3, 2, 4], 2))).toThrow(/conv2d: the window \[6, 3\].*larger than the input's height and width \[5, 5\].*\[1, 5, 5, 2\]/);
    expect(() => conv2d(x, f, { dilations: 3 })).toThrow(/conv2d: the window \[7, 7\]/);
    expect(conv2d(x, seededTensor([6, 3, 2, 4], 2), { padding: 'same' }).shape).toEqual([1, 5, 5, 4]);
    expect(() => conv2d(x, seededTensor([3, 3, 2], 2))).toThrow(/conv2d: expected a rank-4 filter/);
    expect(() => conv2d(x, f, { bias: seededTensor([3], 3) })).toThrow(/conv2d: expected a bias of shape \[4\].*received shape \[3\]/);
    expect(() => conv2d(x, f, { strides: 0 })).toThrow(ValueError);
    expect(() => conv2d(x, f, { strides: [1, 1.5] as never })).toThrow(/conv2d: expected strides to be a positive integer or a pair/);
    expect(() => conv2d(x, f, { padding: 'full' as never })).toThrow(/conv2d: expected padding 'valid' or 'same', received "full"/);
  });
});
