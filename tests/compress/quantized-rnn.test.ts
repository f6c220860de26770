import { afterEach, describe, expect, it } from 'vitest';
import { setSeed } from '../../src/util/random.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { Dense } from '../../src/layers/dense.js';
import { SimpleRNN } from '../../src/layers/rnn/simple-rnn.js';
import { LSTM } from '../../src/layers/rnn/lstm.js';
import { GRU } from '../../src/layers/rnn/gru.js';
import { Layer } from '../../src/layers/layer.js';
import { Sequential } from '../../src/models/sequential.js';
import { loadModel } from '../../src/models/load-model.js';
import { setGemmPath } from '../../src/kernels/wasm/gemm-wasm.js';
import { int8WasmSupported } from '../../src/kernels/int8-gemm.js';
import { quantize } from '../../src/compress/quantize.js';
import { saveQuantized } from '../../src/compress/quantized-io.js';
import { quantizationSummary } from '../../src/compress/quantization-summary.js';
import { QuantizedRNN } from '../../src/compress/quantized-rnn.js';
import { seededTensor } from '../helpers/seeded.js';
import { cleanUpDirs, freshDir } from '../io/tf-files.js';

afterEach(() => {
  setGemmPath('auto');
  cleanUpDirs();
});

const KINDS: [string, () => Layer][] = [
  ['SimpleRNN', () => new SimpleRNN(12, { returnSequences: true, inputShape: [7, 5] })],
  ['LSTM', () => new LSTM(12, { returnSequences: true, inputShape: [7, 5] })],
  ['GRU (resetAfter)', () => new GRU(12, { returnSequences: true, inputShape: [7, 5] })],
  ['GRU (reset before)', () => new GRU(12, { returnSequences: true, resetAfter: false, goBackwards: true, inputShape: [7, 5] })],
];

function model(make: () => Layer): Sequential {
  setSeed(31);
  return new Sequential([make(), new Dense(3)]);
}

/** Rows of x quantized with their abs-max scale, times the int8 kernel (q, scales), in float64: Keras's int8 product. */
function qmatmul(x: Float64Array | Float32Array, rows: number, k: number, q: Float32Array, scales: Float32Array, bias: ArrayLike<number> | null): Float64Array {
  const n = scales.length;
  const out = new Float64Array(rows * n);
  for (let i = 0; i < rows; i++) {
    let max = 0;
    for (let p = 0; p < k; p++) max = Math.max(max, Math.abs(x[i * k + p]));
    const sx = Math.fround(127 / (max + 1e-7));
    const qx = Array.from({ length: k }, (_, p) => {
      const v = Math.max(-127, Math.min(127, Math.fround(x[i * k + p] * sx)));
      const f = Math.floor(v);
      return v - f === 0.5 ? (f % 2 === 0 ? f : f + 1) : Math.round(v);
    });
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let p = 0; p < k; p++) acc += qx[p] * q[p * n + j];
      out[i * n + j] = acc / (sx * scales[j]) + (bias === null ? 0 : bias[j]);
    }
  }
  return out;
}

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

describe('quantized recurrent layers', () => {
  for (const [name, make] of KINDS) {
    it(`${name}: int8 kernel and recurrent kernel, predictions close to float, int8 resident`, () => {
      const m = model(make);
      const q = quantize(m, 'int8');
      const layer = q.layers[0] as QuantizedRNN;
      expect(layer).toBeInstanceOf(QuantizedRNN);
      expect(layer.className).toBe(`Quantized${name.split(' ')[0]}`);
      expect(layer.mode).toBe('int8');
      const [kernel, recurrent] = layer.getWeights();
      for (const v of [...kernel.data, ...recurrent.data]) expect(Number.isInteger(v) && Math.abs(v) <= 127).toBe(true);
      const x = seededTensor([4, 7, 5], 2, -2, 2);
      for (const path of int8WasmSupported() ? (['js', 'simd'] as const) : (['js'] as const)) {
        setGemmPath(path);
        const yf = m.layers[0].apply(x).data;
        const yq = layer.apply(x).data;
        let worst = 0;
        for (let i = 0; i < yf.length; i++) worst = Math.max(worst, Math.abs(yf[i] - yq[i]));
        expect(worst).toBeGreaterThan(0);
        expect(worst).toBeLessThan(0.03);
      }
    });
  }

  it('resident bytes: one byte per kernel weight, float16 scales and bias (≤ 0.27 of float32 at 16 features, 64 units)', () => {
    setSeed(3);
    for (const layer of [new SimpleRNN(64, { inputShape: [4, 16] }), new LSTM(64, { inputShape: [4, 16] }), new GRU(64, { inputShape: [4, 16] })]) {
      const q = quantize(new Sequential([layer]), 'int8').layers[0] as QuantizedRNN;
      const width = q.getWeights()[0].shape[1];
      const biasSize = q.getWeights()[2].size;
      expect(q.residentBytes).toBe(16 * width + 64 * width + 2 * 2 * width + 2 * biasSize);
      expect(q.residentBytes / q.floatBytes).toBeLessThanOrEqual(0.27);
    }
  });

  it('LSTM int8 equals the int8 definition step by step (x·W for all steps, h·U per step, Keras gate order i, f, c, o)', () => {
    const m = model(() => new LSTM(6, { inputShape: [4, 3] }));
    const layer = quantize(m, 'int8').layers[0] as QuantizedRNN;
    const [w, u, b, sw, su] = layer.getWeights();
    const x = seededTensor([2, 4, 3], 9, -1.5, 1.5);
    const [batch, steps, f, n] = [2, 4, 3, 6];
    const proj = qmatmul(x.data, batch * steps, f, w.data, sw.data, b.data);
    let h = new Float64Array(batch * n);
    let c = new Float64Array(batch * n);
    for (let t = 0; t < steps; t++) {
      const rec = qmatmul(Float32Array.from(h), batch, n, u.data, su.data, null);
      const h2 = new Float64Array(batch * n);
      const c2 = new Float64Array(batch * n);
      for (let i = 0; i < batch; i++) {
        for (let j = 0; j < n; j++) {
          const z = (g: number): number => proj[(i * steps + t) * 4 * n + g * n + j] + rec[i * 4 * n + g * n + j];
          c2[i * n + j] = sigmoid(z(1)) * c[i * n + j] + sigmoid(z(0)) * Math.tanh(z(2));
          h2[i * n + j] = sigmoid(z(3)) * Math.tanh(c2[i * n + j]);
        }
      }
      h = h2;
      c = c2;
    }
    const y = layer.apply(x).data;
    h.forEach((v, i) => expect(Math.abs(y[i] - v)).toBeLessThan(2e-5));
  });

  it('saves (both forms) and loads back: the neurite form bit-identical through loadModel, the tfjs form as float layers', async () => {
    for (const [, make] of KINDS) {
      const q = quantize(model(make), 'int8');
      const x = seededTensor([3, 7, 5], 4);
      const dir = freshDir();
      await saveQuantized(q, dir);
      const back = await loadModel(dir);
      expect(back.layers[0]).toBeInstanceOf(QuantizedRNN);
      expect(Array.from(back.predict(x).data)).toEqual(Array.from(q.predict(x).data));
      const tfDir = freshDir();
      await saveQuantized(q, tfDir, { format: 'tfjs' });
      const asFloat = await loadModel(tfDir);
      expect(asFloat.layers[0].className).toBe(q.layers[0].className.replace('Quantized', ''));
      const yq = q.predict(x).data;
      asFloat.predict(x).data.forEach((v, i) => expect(Math.abs(v - yq[i])).toBeLessThan(0.05));
    }
  });

  it('float16 and calibrated int8 recurrent layers; the summary counts their bytes', () => {
    const m = model(KINDS[1][1]);
    const x = seededTensor([5, 7, 5], 6);
    const half = quantize(m, 'float16');
    expect((half.layers[0] as QuantizedRNN).mode).toBe('float16');
    const yf = m.predict(x).data;
    half.predict(x).data.forEach((v, i) => expect(Math.abs(v - yf[i])).toBeLessThan(5e-3));
    const calibrated = quantize(m, 'int8', { calibration: x });
    const max = Math.max(...Array.from(x.data, Math.abs));
    expect((calibrated.layers[0] as QuantizedRNN).cell.spec.inputScale).toBeCloseTo(127 / (max + 1e-7), 3);
    const s = quantizationSummary(calibrated, { data: x });
    expect(s.rows[0].dtype).toBe('int8');
    expect(s.rows[0].bytesAfter).toBe((calibrated.layers[0] as QuantizedRNN).residentBytes);
    expect(s.rows[0].maxError).toBeGreaterThan(0);
    expect(s.rows[0].maxError).toBeLessThan(0.05);
  });

  it('refuses a bad mode and unbuilt setWeights', () => {
    expect(() => new QuantizedRNN({ kind: 'LSTM', units: 3, activation: 'tanh', recurrentActivation: 'sigmoid', useBias: true, resetAfter: true, mode: 'int4' as never, inputScale: null })).toThrow(/mode 'int8' or 'float16'/);
    const fresh = new QuantizedRNN({ kind: 'GRU', units: 3, activation: 'tanh', recurrentActivation: 'sigmoid', useBias: true, resetAfter: true, mode: 'int8', inputScale: null });
    expect(() => fresh.setWeights([new Tensor(new Float32Array(1), [1])])).toThrow(/not built/);
  });
});
