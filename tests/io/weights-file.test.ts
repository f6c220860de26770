import { describe, expect, it } from 'vitest';
import { Tensor } from '../../src/tensor/tensor.js';
import { NeuriteError, ShapeError } from '../../src/util/errors.js';
import { decodeWeightsFile, encodeWeightsFile } from '../../src/io/weights-file.js';
import { seededTensor } from '../helpers/seeded.js';

const CONTENTS = {
  layers: [{ name: 'dense', class_name: 'Dense' }],
  weights: [
    { name: 'dense/kernel', tensor: seededTensor([3, 2], 1) },
    { name: 'dense/bias', tensor: seededTensor([2], 2) },
  ],
};

describe('neurite weights file', () => {
  it('has the documented layout: magic, header length, padded JSON header, float32 data', () => {
    const bytes = encodeWeightsFile(CONTENTS);
    expect(new TextDecoder().decode(bytes.subarray(0, 8))).toBe('NEURITEW');
    const headerLength = new DataView(bytes.buffer).getUint32(8, true);
    expect((12 + headerLength) % 4).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLength)));
    expect(header).toEqual({
      format: 'neurite-weights',
      version: 1,
      layers: [{ name: 'dense', class_name: 'Dense' }],
      weights: [
        { name: 'dense/kernel', shape: [3, 2], dtype: 'float32' },
        { name: 'dense/bias', shape: [2], dtype: 'float32' },
      ],
    });
    const data = new Float32Array(bytes.slice(12 + headerLength).buffer);
    expect(data).toEqual(new Float32Array([...CONTENTS.weights[0].tensor.data, ...CONTENTS.weights[1].tensor.data]));
  });

  it('round-trips bit-identically', () => {
    const back = decodeWeightsFile(encodeWeightsFile(CONTENTS), 'w.bin');
    expect(back.layers).toEqual(CONTENTS.layers);
    expect(back.weights.map((w) => w.name)).toEqual(['dense/kernel', 'dense/bias']);
    back.weights.forEach((w, i) => {
      expect(w.tensor.shape).toEqual(CONTENTS.weights[i].tensor.shape);
      expect(w.tensor.data).toEqual(CONTENTS.weights[i].tensor.data);
    });
  });

  it('decodes bytes that are a view into a larger buffer, as Node Buffers of small files are', () => {
    const good = encodeWeightsFile(CONTENTS);
    const pool = new Uint8Array(good.byteLength + 20).fill(0xee);
    pool.set(good, 7);
    const back = decodeWeightsFile(pool.subarray(7, 7 + good.byteLength), 'f');
    expect(back.weights[1].tensor.data).toEqual(CONTENTS.weights[1].tensor.data);
  });

  it('rejects foreign, truncated and corrupted files with the file name in the message', () => {
    const good = encodeWeightsFile(CONTENTS);
    const bad = (bytes: Uint8Array) => () => decodeWeightsFile(bytes, 'p/w.bin');
    expect(bad(new TextEncoder().encode('{"format": "layers-model"}'))).toThrow(/p\/w\.bin: not a neurite weights file.*use loadModel/);
    expect(bad(new Uint8Array(5))).toThrow(/not a neurite weights file/);
    expect(bad(good.subarray(0, 40))).toThrow(/truncated: the header needs/);
    expect(bad(good.subarray(0, good.byteLength - 3))).toThrow(ShapeError);
    expect(bad(good.subarray(0, good.byteLength - 3))).toThrow(/p\/w\.bin.*need 32 bytes.*has 29 bytes \(truncated\)/);
    const corrupt = good.slice();
    corrupt[12] = 0x78; // 'x' instead of the header's opening brace: no longer valid JSON
    expect(bad(corrupt)).toThrow(/header is not valid JSON/);
    const swapVersion = (v: string) => {
      // Same length, so the header length and the data stay valid.
      const out = good.slice();
      const at = new TextDecoder().decode(good.subarray(0, 200)).indexOf('"version":1') + '"version":'.length;
      out[at] = v.charCodeAt(0);
      return out;
    };
    expect(bad(swapVersion('2'))).toThrow(/unsupported version 2/);
    expect(bad(swapVersion('1'))).not.toThrow();
  });

  it('rejects a header whose specs or layers are malformed', () => {
    const make = (header: object) => {
      const text = new TextEncoder().encode(JSON.stringify(header));
      const out = new Uint8Array(12 + text.byteLength);
      out.set(new TextEncoder().encode('NEURITEW'));
      new DataView(out.buffer).setUint32(8, text.byteLength, true);
      out.set(text, 12);
      return out;
    };
    const base = { format: 'neurite-weights', version: 1, layers: [], weights: [] };
    expect(decodeWeightsFile(make(base), 'f').weights).toEqual([]);
    expect(() => decodeWeightsFile(make({ ...base, format: 'other' }), 'f')).toThrow(/expected header format/);
    expect(() => decodeWeightsFile(make({ ...base, layers: [{ name: 1 }] }), 'f')).toThrow(/"layers"/);
    expect(() => decodeWeightsFile(make({ ...base, weights: undefined }), 'f')).toThrow(/no "weights"/);
    const wrongDtype = { ...base, weights: [{ name: 'x', shape: [], dtype: 'complex64' }] };
    expect(() => decodeWeightsFile(make(wrongDtype), 'f')).toThrow(NeuriteError);
  });

  it('keeps int32 entries exact', () => {
    const bytes = encodeWeightsFile({ layers: [], weights: [{ name: 'iter', tensor: new Tensor(new Float32Array([16777216]), []), dtype: 'int32' }] });
    expect(decodeWeightsFile(bytes, 'f').weights[0].tensor.data[0]).toBe(16777216);
  });
});
