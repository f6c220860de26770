import { afterEach, describe, expect, it } from 'vitest';
import { setSeed } from '../../src/util/random.js';
import { NeuriteError, ShapeError, ValueError } from '../../src/util/errors.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { Dense } from '../../src/layers/dense.js';
import { Conv2D } from '../../src/layers/conv2d.js';
import { Flatten } from '../../src/layers/flatten.js';
import { BatchNormalization } from '../../src/layers/normalization/batch-normalization.js';
import { Sequential } from '../../src/models/sequential.js';
import { Model } from '../../src/models/model.js';
import { setGemmPath } from '../../src/kernels/wasm/gemm-wasm.js';
import { int8WasmSupported } from '../../src/kernels/int8-gemm.js';
import { quantize } from '../../src/compress/quantize.js';
import { QuantizedDense } from '../../src/compress/quantized-dense.js';
import { QuantizedConv2D } from '../../src/compress/quantized-conv2d.js';
import { float16ToNumber } from '../../src/io/weights.js';
import { numberToFloat16 } from '../../src/io/float16.js';
import { seededTensor } from '../helpers/seeded.js';

afterEach(() => setGemmPath('auto'));

/** Round half to even, written from the definition (not the library's trick). */
function rint(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  return d > 0.5 ? f + 1 : d < 0.5 ? f : f % 2 === 0 ? f : f + 1;
}

/** The largest float16 ≤ s (capped at 65504), from the format: 10 fraction bits below the leading one. */
function f16Down(s: number): number {
  const c = Math.min(s, 65504);
  const step = 2 ** (Math.floor(Math.log2(c)) - 10);
  return Math.floor(c / step) * step;
}

/** s rounded to the nearest float16 (the stored bias). */
const f16 = (v: number): number => float16ToNumber(numberToFloat16(v));

/**
 * The int8 Dense of Keras 3 from its formulas, with neurite's storage: scales kept in float16
 * (rounded down) and the bias in float16, in float64 with plain integer sums: kernel scale per
 * unit sw = f16Down(127/(max|W[:,j]| + 1e-7)), input scale per row sx = 127/(max|x[i,:]| + 1e-7),
 * q = clip(round(v·s), ±127), y = (Σ qx·qw) / (sx·sw) + b.
 */
function int8DenseRef(x: Float32Array, rows: number, w: Float32Array, k: number, n: number, b: Float32Array): Float64Array {
  const f = Math.fround;
  const sw = Array.from({ length: n }, (_, j) => f16Down(127 / (Math.max(...Array.from({ length: k }, (__, p) => Math.abs(w[p * n + j]))) + 1e-7)));
  const qw = Array.from(w, (v, i) => Math.max(-127, Math.min(127, rint(f(v * sw[i % n])))));
  const y = new Float64Array(rows * n);
  for (let i = 0; i < rows; i++) {
    const row = x.subarray(i * k, (i + 1) * k);
    const sx = f(127 / (Math.max(...Array.from(row, Math.abs)) + 1e-7));
    const qx = Array.from(row, (v) => Math.max(-127, Math.min(127, rint(f(v * sx)))));
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let p = 0; p < k; p++) acc += qx[p] * qw[p * n + j];
      y[i * n + j] = acc / (sx * sw[j]) + f16(b[j]);
    }
  }
  return y;
}

function denseModel(): Sequential {
  setSeed(3);
  return new Sequential([new Dense(13, { activation: 'relu', inputShape: [11] }), new Dense(5, { biasInitializer: 'ones' })]);
}

describe('quantize int8', () => {
  it('a QuantizedDense computes Keras 3 int8 Dense math on both kernel paths', () => {
    setSeed(1);
    const dense = new Dense(9, { biasInitializer: 'ones' });
    const x = seededTensor([7, 13], 1, -3, 3);
    dense.apply(x);
    const q = QuantizedDense.fromDense(dense, 'int8');
    const [w, b] = dense.getWeights();
    const ref = int8DenseRef(x.data, 7, w.data, 13, 9, b.data);
    for (const path of int8WasmSupported() ? (['js', 'simd'] as const) : (['js'] as const)) {
      setGemmPath(path);
      const y = q.apply(x).data;
      for (let i = 0; i < y.length; i++) expect(Math.abs(y[i] - ref[i])).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(ref[i])));
    }
  });

  it('dequantized weights are within half a step (0.5 / scale) of the float weights, per channel', () => {
    const model = denseModel();
    const q = quantize(model, 'int8');
    const [w] = model.layers[0].getWeights();
    const [qw, , scale] = q.layers[0].getWeights();
    for (let i = 0; i < w.size; i++) {
      const j = i % 13;
      expect(Number.isInteger(qw.data[i])).toBe(true);
      expect(Math.abs(qw.data[i] / scale.data[j] - w.data[i])).toBeLessThanOrEqual(0.5 / scale.data[j] + 1e-7);
    }
    // Per channel: the largest weight of each unit maps to ±127.
    for (let j = 0; j < 13; j++) {
      let m = 0;
      for (let p = 0; p < 11; p++) m = Math.max(m, Math.abs(qw.data[p * 13 + j]));
      expect(m).toBe(127);
    }
  });

  it('perChannel: false gives every unit the scale of the whole kernel', () => {
    const model = denseModel();
    const [w] = model.layers[0].getWeights();
    const [, , scale] = quantize(model, 'int8', { perChannel: false }).layers[0].getWeights();
    const max = Math.max(...Array.from(w.data, Math.abs));
    for (const s of scale.data) expect(s).toBe(f16Down(127 / (max + 1e-7)));
    expect(() => quantize(model, 'int8', { perChannel: 'yes' as never })).toThrow(/perChannel/);
  });

  it('keeps the int8 kernel packed in memory: one byte per weight, float16 scales and bias, no padding columns', () => {
    setSeed(2);
    const big = new Sequential([new Dense(64, { inputShape: [128] })]);
    const layer = quantize(big, 'int8').layers[0] as QuantizedDense;
    expect(layer.quantizedKernel!.byteLength).toBe(128 * 64 + 2 * 64);
    expect(layer.residentBytes).toBe(128 * 64 + 2 * 64 + 2 * 64);
    expect(layer.residentBytes / layer.floatBytes).toBeLessThan(0.27);
    // A 2-unit layer keeps 2 bytes per weight pair, not an 8-column panel.
    const tiny = quantize(new Sequential([new Dense(2, { inputShape: [30] })]), 'int8').layers[0] as QuantizedDense;
    expect(tiny.residentBytes).toBe(30 * 2 + 2 * 2 + 2 * 2);
  });

  it('an all-zero (pruned) unit gets the float16 cap as its scale and stays exactly zero', () => {
    setSeed(2);
    const dense = new Dense(3, { inputShape: [4], biasInitializer: 'zeros' });
    const model = new Sequential([dense]);
    const [w, b] = dense.getWeights();
    for (let p = 0; p < 4; p++) w.data[p * 3 + 1] = 0;
    dense.setWeights([w, b]);
    const q = quantize(model, 'int8');
    expect(q.layers[0].getWeights()[2].data[1]).toBe(65504);
    const y = q.predict(seededTensor([5, 4], 3)).data;
    for (let i = 0; i < 5; i++) expect(y[i * 3 + 1]).toBe(0);
  });

  it('predictions stay close to the float model, and the float model is unchanged', () => {
    const model = denseModel();
    const before = model.getWeights().map((w) => Array.from(w.data));
    const x = seededTensor([20, 11], 4);
    const q = quantize(model, 'int8');
    const yf = model.predict(x).data;
    const yq = q.predict(x).data;
    const scale = Math.max(...Array.from(yf, Math.abs));
    for (let i = 0; i < yf.length; i++) expect(Math.abs(yf[i] - yq[i])).toBeLessThan(0.03 * scale);
    expect(model.getWeights().map((w) => Array.from(w.data))).toEqual(before);
    expect(q.layers.map((l) => l.className)).toEqual(['QuantizedDense', 'QuantizedDense']);
    expect(q.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
  });

  it('calibration fixes each layer input scale to 127 / max|input|', () => {
    const model = denseModel();
    const x = seededTensor([30, 11], 5, -2, 2);
    const q = quantize(model, 'int8', { calibration: x });
    const l0 = q.layers[0] as QuantizedDense;
    const maxIn = Math.max(...Array.from(x.data, Math.abs));
    expect(l0.inputScale).toBeCloseTo(127 / maxIn, 4);
    const hidden = model.layers[0].apply(x).data;
    expect((q.layers[1] as QuantizedDense).inputScale).toBeCloseTo(127 / Math.max(...Array.from(hidden, Math.abs)), 3);
    const yf = model.predict(x).data;
    const yq = q.predict(x).data;
    const scale = Math.max(...Array.from(yf, Math.abs));
    for (let i = 0; i < yf.length; i++) expect(Math.abs(yf[i] - yq[i])).toBeLessThan(0.05 * scale);
  });

  it('a Conv2D model quantizes to QuantizedConv2D and predicts close to float', () => {
    setSeed(5);
    const model = new Sequential([
      new Conv2D(6, 3, { padding: 'same', activation: 'relu', inputShape: [7, 6, 3] }),
      new Conv2D(4, [2, 3], { strides: 2 }),
      new Flatten(),
      new Dense(3),
    ]);
    const x = seededTensor([3, 7, 6, 3], 6);
    for (const path of int8WasmSupported() ? (['js', 'simd'] as const) : (['js'] as const)) {
      setGemmPath(path);
      const q = quantize(model, 'int8');
      expect(q.layers.map((l) => l.className)).toEqual(['QuantizedConv2D', 'QuantizedConv2D', 'Flatten', 'QuantizedDense']);
      const yf = model.predict(x).data;
      const yq = q.predict(x).data;
      const scale = Math.max(...Array.from(yf, Math.abs));
      for (let i = 0; i < yf.length; i++) expect(Math.abs(yf[i] - yq[i])).toBeLessThan(0.04 * scale);
    }
  });

  it('a QuantizedConv2D with one image equals the int8 Dense reference on its im2col patches (1×1 kernel)', () => {
    setSeed(6);
    const conv = new Conv2D(5, 1, { biasInitializer: 'ones' });
    const x = seededTensor([1, 3, 4, 7], 7, -2, 2);
    conv.apply(x);
    const q = QuantizedConv2D.fromConv2D(conv, 'int8');
    const [w, b] = conv.getWeights();
    // One scale for the image: the reference quantizes all 12 pixels with the image's abs-max.
    const max = Math.max(...Array.from(x.data, Math.abs));
    const padded = new Float32Array(12 * 8);
    for (let r = 0; r < 12; r++) {
      padded.set(x.data.subarray(r * 7, r * 7 + 7), r * 8);
      padded[r * 8 + 7] = max; // a column of the image max gives every row the image's scale…
    }
    const w8 = new Float32Array(8 * 5);
    w8.set(w.data); // …and meets a zero kernel row, so it adds nothing
    const ref = int8DenseRef(padded, 12, w8, 8, 5, b.data);
    // The scales are per filter, so the padding column does not change them.
    const y = q.apply(x).data;
    for (let i = 0; i < y.length; i++) expect(Math.abs(y[i] - ref[i])).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(ref[i])));
  });

  it('keeps layers without a quantized form in float32', () => {
    setSeed(7);
    const model = new Sequential([new BatchNormalization({ inputShape: [3, 2] }), new Dense(2)]);
    const q = quantize(model, 'int8');
    expect(q.layers.map((l) => l.className)).toEqual(['BatchNormalization', 'QuantizedDense']);
    const x = seededTensor([2, 3, 2], 8);
    expect(Array.from(q.layers[0].apply(x).data)).toEqual(Array.from(model.layers[0].apply(x).data));
  });
});

describe('quantize float16', () => {
  it('stores the kernel as half precision: weights are the float16-rounded floats', () => {
    const model = denseModel();
    const q = quantize(model, 'float16');
    const [w] = model.layers[0].getWeights();
    const [hw] = q.layers[0].getWeights();
    for (let i = 0; i < w.size; i++) {
      expect(hw.data[i]).toBe(Math.fround(float16ToNumber(numberToFloat16(w.data[i]))));
      expect(Math.abs(hw.data[i] - w.data[i])).toBeLessThanOrEqual(Math.abs(w.data[i]) * 2 ** -11);
    }
    const layer = q.layers[0] as QuantizedDense;
    expect(layer.residentBytes).toBe(11 * 13 * 2 + 13 * 2);
    const x = seededTensor([4, 11], 9);
    const yf = model.predict(x).data;
    const yq = q.predict(x).data;
    for (let i = 0; i < yf.length; i++) expect(Math.abs(yf[i] - yq[i])).toBeLessThan(1e-2);
  });

  it('numberToFloat16 rounds to nearest even, with subnormals and overflow', () => {
    expect([1, -2, 65504, 0.1, 2 ** -24, 2 ** -25, 3 * 2 ** -25, 1e6, -0].map(numberToFloat16)).toEqual([
      0x3c00, 0xc000, 0x7bff, 0x2e66, 0x0001, 0x0000, 0x0002, 0x7c00, 0x8000,
    ]);
    // 1 + 2^-11 is the midpoint between 1 and 1 + 2^-10: ties go to the even fraction (1).
    expect(numberToFloat16(1 + 2 ** -11)).toBe(0x3c00);
    expect(numberToFloat16(1 + 3 * 2 ** -11)).toBe(0x3c02);
  });
});

describe('quantize: bad input', () => {
  it('refuses unbuilt, non-Sequential models, unknown modes and options, misfit calibration', () => {
    expect(() => quantize(new Sequential([new Dense(2)]), 'int8')).toThrow(/not built/);
    expect(() => quantize(new Model() as never, 'int8')).toThrow(NeuriteError);
    const model = denseModel();
    expect(() => quantize(model, 'int4' as never)).toThrow(ValueError);
    expect(() => quantize(model, 'int8', { perChanel: true } as never)).toThrow(/unknown option 'perChanel'/);
    expect(() => quantize(model, 'int8', { calibration: new Tensor(new Float32Array(20), [2, 10]) })).toThrow(ShapeError);
    expect(() => quantize(model, 'int8', { calibration: new Tensor(new Float32Array(20), [2, 10]) })).toThrow(/expected inputs of shape \[None, 11\], received \[2, 10\]/);
    expect(() => quantize(model, 'float16', { calibration: seededTensor([2, 11], 1) })).toThrow(/int8' only/);
    expect(() => quantize(quantize(model, 'int8'), 'int8')).toThrow(/already quantized/);
  });
});
