import { afterEach, describe, expect, it } from 'vitest';
import { setSeed } from '../../src/util/random.js';
import { Dense } from '../../src/layers/dense.js';
import { Conv2D } from '../../src/layers/conv2d.js';
import { Flatten } from '../../src/layers/flatten.js';
import { Sequential } from '../../src/models/sequential.js';
import { loadModel } from '../../src/models/load-model.js';
import { setGemmPath } from '../../src/kernels/wasm/gemm-wasm.js';
import { int8WasmSupported } from '../../src/kernels/int8-gemm.js';
import { int8RelaxedSupported } from '../../src/kernels/wasm/int8-relaxed-wasm.js';
import { quantize } from '../../src/compress/quantize.js';
import { saveQuantized } from '../../src/compress/quantized-io.js';
import { QuantizedConv2D } from '../../src/compress/quantized-conv2d.js';
import { QuantizedDense } from '../../src/compress/quantized-dense.js';
import { seededTensor } from '../helpers/seeded.js';
import { cleanUpDirs, freshDir } from '../io/tf-files.js';

afterEach(() => {
  setGemmPath('auto');
  cleanUpDirs();
});

function cnn(): Sequential {
  setSeed(41);
  return new Sequential([
    new Conv2D(8, 3, { activation: 'relu', padding: 'same', inputShape: [9, 7, 4] }),
    new Conv2D(12, 3, { activation: 'relu' }),
    new Flatten(),
    new Dense(20, { activation: 'relu' }),
    new Dense(3),
  ]);
}

const PATHS = ['js', ...(int8WasmSupported() ? ['simd'] : []), ...(int8RelaxedSupported() ? ['relaxed'] : [])] as ('js' | 'simd' | 'relaxed')[];

describe("quantize(model, 'int8', { activationBits: 7 })", () => {
  it(`every kernel path (${PATHS.join(', ')}) gives the same floats; 7-bit activations cost accuracy, within bounds`, () => {
    const model = cnn();
    const q7 = quantize(model, 'int8', { activationBits: 7 });
    const q8 = quantize(model, 'int8');
    for (const l of q7.layers) if (l instanceof QuantizedDense || l instanceof QuantizedConv2D) expect(l.activationBits).toBe(7);
    const x = seededTensor([5, 9, 7, 4], 3);
    const outs = PATHS.map((p) => {
      setGemmPath(p);
      return Array.from(q7.predict(x).data);
    });
    for (const o of outs.slice(1)) expect(o).toEqual(outs[0]);
    setGemmPath('auto');
    const yf = model.predict(x).data;
    const scale = Math.max(...Array.from(yf, Math.abs));
    const err = (y: Float32Array): number => Math.max(...Array.from(y, (v, i) => Math.abs(v - yf[i])));
    const e7 = err(q7.predict(x).data);
    const e8 = err(q8.predict(x).data);
    expect(e7).toBeLessThan(0.08 * scale);
    expect(e8).toBeLessThan(0.04 * scale);
    expect(e7).toBeGreaterThan(0);
  });

  it('saves activation_bits and loads it back; calibration uses 63 / max', async () => {
    const model = cnn();
    const x = seededTensor([4, 9, 7, 4], 5);
    const q = quantize(model, 'int8', { activationBits: 7, calibration: x });
    const first = q.layers[0] as QuantizedConv2D;
    expect(first.inputScale).toBeCloseTo(63 / (Math.max(...Array.from(x.data, Math.abs)) + 1e-7), 3);
    const dir = freshDir();
    await saveQuantized(q, dir);
    const back = await loadModel(dir);
    expect((back.layers[0] as QuantizedConv2D).activationBits).toBe(7);
    expect(Array.from(back.predict(x).data)).toEqual(Array.from(q.predict(x).data));
  });

  it('refuses other bit counts and float16', () => {
    const model = cnn();
    expect(() => quantize(model, 'int8', { activationBits: 4 as never })).toThrow(/activationBits 7 or 8/);
    expect(() => quantize(model, 'float16', { activationBits: 7 })).toThrow(/int8/);
    expect(() => new QuantizedDense(3, { activationBits: 6 as never })).toThrow(/activationBits 7 or 8/);
  });
});
