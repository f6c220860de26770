import { describe, expect, it } from 'vitest';
import { setSeed } from '../../src/util/random.js';
import { Dense } from '../../src/layers/dense.js';
import { Dropout } from '../../src/layers/dropout.js';
import { BatchNormalization } from '../../src/layers/normalization/batch-normalization.js';
import { Sequential } from '../../src/models/sequential.js';
import { quantize } from '../../src/compress/quantize.js';
import { quantizationSummary } from '../../src/compress/quantization-summary.js';
import { seededTensor } from '../helpers/seeded.js';

describe('quantizationSummary', () => {
  it('lists dtype, bytes and the largest per-layer error on the calibration data', () => {
    setSeed(4);
    const model = new Sequential([new Dense(16, { activation: 'relu', inputShape: [10] }), new Dropout(0.2), new Dense(3)]);
    const x = seededTensor([12, 10], 1);
    const q = quantize(model, 'int8', { calibration: x });
    const s = quantizationSummary(q);
    expect(s.rows.map((r) => [r.layer, r.dtype, r.bytesBefore, r.bytesAfter])).toEqual([
      // int8 kernel, float16 scales and bias.
      [model.layers[0].name, 'int8', 4 * (160 + 16), 160 + 16 * 2 + 16 * 2],
      [model.layers[1].name, '-', 0, 0],
      // 3 units are not padded to the GEMM's 8-column panel in memory (only in scratch when computing).
      [model.layers[2].name, 'int8', 4 * (48 + 3), 16 * 3 + 3 * 2 + 3 * 2],
    ]);
    // The error of layer 0, recomputed here from the two models.
    const y0 = model.layers[0].apply(x).data;
    const q0 = q.layers[0].apply(x).data;
    let e0 = 0;
    for (let i = 0; i < y0.length; i++) e0 = Math.max(e0, Math.abs(y0[i] - q0[i]));
    expect(s.rows[0].maxError).toBe(e0);
    expect(e0).toBeGreaterThan(0);
    expect(s.outputError).toBeGreaterThan(0);
    expect(s.table).toContain('int8');
    expect(s.table.split('\n')).toHaveLength(7);
  });

  it('without data the errors are null; float layers count as float32; data is checked', () => {
    setSeed(5);
    const model = new Sequential([new BatchNormalization({ inputShape: [3, 2] }), new Dense(2)]);
    const s = quantizationSummary(quantize(model, 'float16'));
    expect(s.rows.map((r) => [r.dtype, r.maxError])).toEqual([['float32', null], ['float16', null]]);
    expect(s.rows[1].bytesAfter).toBe(2 * 2 * 2 + 2 * 2);
    expect(() => quantizationSummary(quantize(model, 'int8'), { data: seededTensor([2, 3, 3], 1) })).toThrow(/expected inputs of shape/);
    expect(() => quantizationSummary(model, { data: seededTensor([2, 3, 2], 1) })).toThrow(/not made by quantize/);
  });
});
