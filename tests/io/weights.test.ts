import { describe, expect, it } from 'vitest';
import { Tensor } from '../../src/tensor/tensor.js';
import { NeuriteError, ShapeError } from '../../src/util/errors.js';
import { decodeWeights, encodeWeights, float16ToNumber, validateWeightSpec } from '../../src/io/weights.js';
import { seededTensor } from '../helpers/seeded.js';
import { tfCpu, tfData } from '../helpers/tf.js';

function joined(data: ArrayBuffer | ArrayBuffer[]): ArrayBuffer {
  if (!Array.isArray(data)) return data;
  const out = new Uint8Array(data.reduce((n, b) => n + b.byteLength, 0));
  let offset = 0;
  for (const b of data) {
    out.set(new Uint8Array(b), offset);
    offset += b.byteLength;
  }
  return out.buffer;
}

describe('encodeWeights', () => {
  it('writes float32 little-endian, concatenated in order (hand-derived bytes)', () => {
    // 1 = 0x3f800000, -2 = 0xc0000000, 0.5 = 0x3f000000; little-endian puts the low byte first.
    const { specs, data } = encodeWeights([
      { name: 'a/kernel', tensor: new Tensor(new Float32Array([1, -2]), [2, 1]) },
      { name: 'a/bias', tensor: new Tensor(new Float32Array([0.5]), [1]) },
    ]);
    expect(specs).toEqual([
      { name: 'a/kernel', shape: [2, 1], dtype: 'float32' },
      { name: 'a/bias', shape: [1], dtype: 'float32' },
    ]);
    expect([...new Uint8Array(data)]).toEqual([0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0, 0, 0, 0, 0x3f]);
  });

  it('produces the same specs and bytes as TF.js tf.io.encodeWeights', async () => {
    const tf = await tfCpu();
    const k = seededTensor([3, 4], 1);
    const b = seededTensor([4], 2);
    const ours = encodeWeights([
      { name: 'dense/kernel', tensor: k },
      { name: 'dense/bias', tensor: b },
      { name: 'iter', tensor: new Tensor(new Float32Array([7]), []), dtype: 'int32', group: 'optimizer' },
    ]);
    const theirs = await tf.io.encodeWeights([
      { name: 'dense/kernel', tensor: tf.tensor(k.data, [3, 4]) },
      { name: 'dense/bias', tensor: tf.tensor(b.data, [4]) },
      { name: 'iter', tensor: tf.scalar(7, 'int32') },
    ]);
    // tf.io.encodeWeights leaves the group out of the specs (LayersModel.save adds it afterwards).
    expect(ours.specs.map(({ group, ...rest }) => rest)).toEqual(theirs.specs);
    expect(ours.specs[2].group).toBe('optimizer');
    expect(new Uint8Array(ours.data)).toEqual(new Uint8Array(joined(theirs.data)));
  });

  it('rejects duplicate names and non-integer int32 values', () => {
    const t = new Tensor(new Float32Array([1]), [1]);
    expect(() => encodeWeights([{ name: 'x', tensor: t }, { name: 'x', tensor: t }])).toThrow(/two weights are named 'x'/);
    expect(() => encodeWeights([{ name: 'it', tensor: new Tensor(new Float32Array([1.5]), [1]), dtype: 'int32' }])).toThrow(NeuriteError);
  });
});

describe('decodeWeights', () => {
  it('reads back what TF.js encodes, float32 and int32', async () => {
    const tf = await tfCpu();
    const k = tf.tensor(seededTensor([2, 3, 2], 3).data, [2, 3, 2]);
    const { specs, data } = await tf.io.encodeWeights([
      { name: 'conv/kernel', tensor: k },
      { name: 'iter', tensor: tf.scalar(12, 'int32') },
    ]);
    const out = decodeWeights(specs.map((s) => (s.name === 'iter' ? { ...s, group: 'optimizer' as const } : s)), joined(data));
    expect(out.map((w) => [w.name, [...w.tensor.shape], w.dtype, w.group])).toEqual([
      ['conv/kernel', [2, 3, 2], 'float32', undefined],
      ['iter', [], 'int32', 'optimizer'],
    ]);
    expect(out[0].tensor.data).toEqual(tfData(k));
    expect(out[1].tensor.data[0]).toBe(12);
  });

  it('round-trips bit-identically, including NaN, infinities and -0', () => {
    const values = new Float32Array([NaN, Infinity, -Infinity, -0, 1e-45, 3.4028234663852886e38]);
    const { specs, data } = encodeWeights([{ name: 'w', tensor: new Tensor(values, [2, 3]) }]);
    const back = decodeWeights(specs, data)[0].tensor.data;
    expect(new Uint8Array(back.buffer)).toEqual(new Uint8Array(values.buffer));
  });

  it('rejects a truncated or over-long buffer, naming the source and both byte counts', () => {
    const { specs, data } = encodeWeights([{ name: 'd/kernel', tensor: seededTensor([4, 2], 4) }]);
    const short = () => decodeWeights(specs, data.slice(0, 30), 'm/weights.bin');
    expect(short).toThrow(ShapeError);
    expect(short).toThrow(/m\/weights\.bin.*need 32 bytes.*has 30 bytes \(truncated\)/);
    const long = new Uint8Array(36);
    expect(() => decodeWeights(specs, long.buffer)).toThrow(/extra bytes/);
  });

  it('rejects foreign dtypes, bad shapes, bad groups and duplicate names before decoding anything', () => {
    const data = new ArrayBuffer(4);
    expect(() => decodeWeights([{ name: 'b', shape: [4], dtype: 'bool' }], data)).toThrow(/unsupported dtype "bool"/);
    expect(() => decodeWeights([{ name: 's', shape: [1], dtype: 'string' }], data)).toThrow(NeuriteError);
    expect(() => decodeWeights([{ name: 'w', shape: [-1], dtype: 'float32' }], data)).toThrow(/weight 0 \('w'\).*non-negative integers/);
    expect(() => decodeWeights([{ name: 'w', shape: [1.5], dtype: 'float32' }], data)).toThrow(/shape/);
    expect(() => decodeWeights([{ name: 'w', shape: '[1]', dtype: 'float32' }], data)).toThrow(/shape/);
    expect(() => decodeWeights([{ shape: [1], dtype: 'float32' }], data)).toThrow(/"name"/);
    expect(() => decodeWeights([{ name: 'w', shape: [1], dtype: 'float32', group: 'x' }], data)).toThrow(/group/);
    expect(() => decodeWeights([null], data)).toThrow(/weight entry/);
    const two = [
      { name: 'w', shape: [], dtype: 'float32' },
      { name: 'w', shape: [], dtype: 'float32' },
    ];
    expect(() => decodeWeights(two, new ArrayBuffer(8))).toThrow(/lists weight 'w' twice/);
  });

  it('dequantizes uint8 / uint16 as q·scale + min (hand-derived values)', () => {
    const bytes = new Uint8Array([0, 1, 255, 0, 0, 0xff, 0xff]);
    const out = decodeWeights(
      [
        { name: 'a', shape: [3], dtype: 'float32', quantization: { dtype: 'uint8', scale: 0.5, min: -1 } },
        { name: 'b', shape: [2], dtype: 'float32', quantization: { dtype: 'uint16', scale: 2, min: 1 } },
      ],
      bytes.buffer.slice(0, 7),
    );
    expect([...out[0].tensor.data]).toEqual([-1, -0.5, 126.5]);
    // uint16 little-endian: [0x00, 0x00] = 0, [0xff, 0xff] = 65535.
    expect([...out[1].tensor.data]).toEqual([1, 131071]);
  });

  it('agrees with TF.js on uint8 and float16 quantized weights', async () => {
    const tf = await tfCpu();
    const q8 = new Uint8Array([3, 200, 17, 0]);
    const h = new Uint16Array([0x3c00, 0xc000, 0x7bff, 0x0001, 0x3555, 0x8400]);
    const buffer = new Uint8Array(4 + 12);
    buffer.set(q8, 0);
    buffer.set(new Uint8Array(h.buffer), 4);
    const specs = [
      { name: 'q', shape: [2, 2], dtype: 'float32' as const, quantization: { dtype: 'uint8' as const, scale: 0.25, min: -3 } },
      { name: 'h', shape: [6], dtype: 'float32' as const, quantization: { dtype: 'float16' as const } },
    ];
    const ours = decodeWeights(specs, buffer.buffer);
    const theirs = tf.io.decodeWeights(buffer.buffer, specs);
    expect(ours[0].tensor.data).toEqual(tfData(theirs.q));
    expect(ours[1].tensor.data).toEqual(tfData(theirs.h));
  });

  it('validates quantization parameters', () => {
    expect(() => validateWeightSpec({ name: 'q', shape: [1], dtype: 'float32', quantization: { dtype: 'uint8' } }, 'f')).toThrow(/scale.*min/);
    expect(() => validateWeightSpec({ name: 'q', shape: [1], dtype: 'float32', quantization: { dtype: 'int4' } }, 'f')).toThrow(/unsupported quantization/);
  });
});

describe('float16ToNumber', () => {
  it('decodes normals, subnormals, zero, infinities and NaN (IEEE 754 binary16 table values)', () => {
    expect(float16ToNumber(0x3c00)).toBe(1);
    expect(float16ToNumber(0xc000)).toBe(-2);
    expect(float16ToNumber(0x7bff)).toBe(65504); // largest finite half
    expect(float16ToNumber(0x0400)).toBe(2 ** -14); // smallest normal
    expect(float16ToNumber(0x0001)).toBe(2 ** -24); // smallest subnormal
    expect(float16ToNumber(0x8000)).toBe(-0);
    expect(float16ToNumber(0x7c00)).toBe(Infinity);
    expect(float16ToNumber(0xfc00)).toBe(-Infinity);
    expect(float16ToNumber(0x7e00)).toBeNaN();
  });
});
