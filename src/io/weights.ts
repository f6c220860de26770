import { NeuriteError, ShapeError } from '../util/errors.js';
import { assertValidShape, formatShape, sizeOf } from '../util/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { WeightQuantization, WeightSpec } from './artifacts.js';
import { capText, describeValue } from '../util/describe.js';
import { numberToFloat16 } from './float16.js';

/** A weight with its saved name (`dense/kernel`); `group: 'optimizer'` marks optimizer state, `dtype` how it is stored. */
export interface NamedWeight {
  name: string;
  tensor: Tensor;
  group?: 'model' | 'optimizer';
  dtype?: 'float32' | 'int32';
  /** Stored quantized, as TF.js reads it: uint8 `q·scale + min`, or float16. */
  quantization?: WeightQuantization;
}

const DTYPES = ['float32', 'int32'];
const QUANTIZED: Record<string, number> = { uint8: 1, uint16: 2, float16: 2 };

function fail(where: string, what: string): never {
  throw new NeuriteError(capText(`${where}: ${what}`));
}

/**
 * Checks one manifest entry read from outside (`where` says which file and entry) and returns it typed.
 * Only float32 and int32 weights exist in neurite; TF.js's uint8 / uint16 / float16 quantization is read.
 */
export function validateWeightSpec(raw: unknown, where: string): WeightSpec {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail(where, `expected a weight entry { name, shape, dtype }, received ${describeValue(raw)}`);
  const spec = raw as Record<string, unknown>;
  if (typeof spec.name !== 'string' || spec.name === '') fail(where, `expected a non-empty string "name", received ${describeValue(spec.name)}`);
  const at = `${where} ('${spec.name}')`;
  const shape = spec.shape;
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    fail(at, `expected "shape" to be an array of non-negative integers, received ${describeValue(shape)}`);
  }
  assertValidShape(shape as number[], at);
  if (typeof spec.dtype !== 'string' || !DTYPES.includes(spec.dtype)) {
    fail(at, `unsupported dtype ${describeValue(spec.dtype)}; neurite reads ${DTYPES.join(' and ')} weights`);
  }
  if (spec.group !== undefined && spec.group !== 'model' && spec.group !== 'optimizer') {
    fail(at, `expected "group" to be 'model' or 'optimizer', received ${describeValue(spec.group)}`);
  }
  const out: WeightSpec = { name: spec.name, shape: [...(shape as number[])], dtype: spec.dtype as WeightSpec['dtype'] };
  if (spec.group !== undefined) out.group = spec.group as 'model' | 'optimizer';
  if (spec.quantization !== undefined) out.quantization = validateQuantization(spec.quantization, at);
  return out;
}

function validateQuantization(raw: unknown, at: string): WeightQuantization {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail(at, `expected "quantization" to be an object { dtype, scale?, min? }, received ${describeValue(raw)}`);
  const q = raw as Record<string, unknown>;
  if (typeof q.dtype !== 'string' || !Object.hasOwn(QUANTIZED, q.dtype)) {
    fail(at, `unsupported quantization ${describeValue(raw)}; expected dtype uint8, uint16 or float16`);
  }
  if (q.dtype !== 'float16' && !(Number.isFinite(q.scale) && Number.isFinite(q.min))) {
    fail(at, `${q.dtype as string} quantization needs finite "scale" and "min", received ${describeValue(raw)}`);
  }
  return q.dtype === 'float16' ? { dtype: 'float16' } : { dtype: q.dtype as 'uint8' | 'uint16', scale: q.scale as number, min: q.min as number };
}

/** Bytes a weight takes in the data buffer. */
export function byteLengthOf(spec: WeightSpec): number {
  return sizeOf(spec.shape) * (spec.quantization ? QUANTIZED[spec.quantization.dtype] : 4);
}

/**
 * Serializes weights: their manifest entries and one buffer with the values little-endian,
 * concatenated in order (float32, or int32 for integer state such as an optimizer's step count).
 */
export function encodeWeights(weights: readonly NamedWeight[]): { specs: WeightSpec[]; data: ArrayBuffer } {
  const seen = new Set<string>();
  for (const w of weights) {
    if (seen.has(w.name)) throw new NeuriteError(`encodeWeights: two weights are named '${w.name}'; saved weight names must be unique`);
    seen.add(w.name);
    if (w.dtype === 'int32' && w.tensor.data.some((v) => !Number.isInteger(v))) {
      throw new NeuriteError(`encodeWeights: weight '${w.name}' is stored as int32 but holds non-integer values`);
    }
  }
  const specs = weights.map((w): WeightSpec => {
    const spec: WeightSpec = { name: w.name, shape: [...w.tensor.shape], dtype: w.dtype ?? 'float32' };
    if (w.group !== undefined) spec.group = w.group;
    if (w.quantization !== undefined) spec.quantization = { ...w.quantization };
    return spec;
  });
  const data = new ArrayBuffer(specs.reduce((n, s) => n + byteLengthOf(s), 0));
  const view = new DataView(data);
  let offset = 0;
  weights.forEach((w, k) => {
    const values = w.tensor.data;
    const q = w.quantization;
    if (q !== undefined) {
      offset = writeQuantized(view, offset, values, q);
    } else if (specs[k].dtype === 'int32') {
      for (let i = 0; i < values.length; i++, offset += 4) view.setInt32(offset, values[i], true);
    } else {
      for (let i = 0; i < values.length; i++, offset += 4) view.setFloat32(offset, values[i], true);
    }
  });
  return { specs, data };
}

/** Writes `values` stored as `q` from byte `offset`; returns the offset after them. */
function writeQuantized(view: DataView, offset: number, values: Float32Array, q: WeightQuantization): number {
  if (q.dtype === 'float16') {
    for (let i = 0; i < values.length; i++, offset += 2) view.setUint16(offset, numberToFloat16(values[i]), true);
    return offset;
  }
  const scale = q.scale as number;
  const min = q.min as number;
  const top = q.dtype === 'uint8' ? 255 : 65535;
  for (let i = 0; i < values.length; i++) {
    const v = Math.max(0, Math.min(top, Math.round((values[i] - min) / scale)));
    if (top === 255) view.setUint8(offset++, v);
    else {
      view.setUint16(offset, v, true);
      offset += 2;
    }
  }
  return offset;
}

/**
 * Reads weights back from their specs and data buffer. Every spec is validated and the byte
 * lengths must add up exactly to the buffer's length, all before any tensor is made; `source`
 * (a file name) goes into the messages.
 */
export function decodeWeights(specs: readonly unknown[], data: ArrayBuffer, source = 'weights'): NamedWeight[] {
  const valid = specs.map((s, i) => validateWeightSpec(s, `${source}: weight ${i}`));
  const names = new Set<string>();
  for (const s of valid) {
    if (names.has(s.name)) fail(source, `the manifest lists weight '${capText(s.name, 200)}' twice`);
    names.add(s.name);
  }
  const expected = valid.reduce((n, s) => n + byteLengthOf(s), 0);
  if (expected !== data.byteLength) {
    const listed = valid.map((s) => `${s.name} ${formatShape(s.shape)}`).join(', ');
    throw new ShapeError(
      capText(
        `${source}: the manifest's ${valid.length} weights (${listed || 'none'}) need ${expected} bytes, ` +
          `but the weight data has ${data.byteLength} bytes (${data.byteLength < expected ? 'truncated' : 'extra bytes'}); ` +
          'the weight file does not belong to this model.json or is damaged',
      ),
    );
  }
  const view = new DataView(data);
  let offset = 0;
  return valid.map((spec) => {
    const values = readValues(view, offset, spec);
    offset += byteLengthOf(spec);
    const weight: NamedWeight = { name: spec.name, tensor: new Tensor(values, spec.shape), dtype: spec.dtype };
    if (spec.group !== undefined) weight.group = spec.group;
    return weight;
  });
}

function readValues(view: DataView, offset: number, spec: WeightSpec): Float32Array {
  const values = new Float32Array(sizeOf(spec.shape));
  const q = spec.quantization;
  if (q === undefined) {
    const int = spec.dtype === 'int32';
    for (let i = 0; i < values.length; i++) values[i] = int ? view.getInt32(offset + 4 * i, true) : view.getFloat32(offset + 4 * i, true);
  } else if (q.dtype === 'float16') {
    for (let i = 0; i < values.length; i++) values[i] = float16ToNumber(view.getUint16(offset + 2 * i, true));
  } else {
    // Affine dequantization: stored integer q maps to q·scale + min.
    const scale = q.scale as number;
    const min = q.min as number;
    const wide = q.dtype === 'uint16';
    for (let i = 0; i < values.length; i++) values[i] = (wide ? view.getUint16(offset + 2 * i, true) : view.getUint8(offset + i)) * scale + min;
  }
  if (spec.dtype === 'int32' && q !== undefined) for (let i = 0; i < values.length; i++) values[i] = Math.round(values[i]);
  return values;
}

/** IEEE 754 half precision: 1 sign bit, 5 exponent bits (bias 15), 10 fraction bits. */
export function float16ToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24; // subnormal: 0.f · 2^-14
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** The shape rule every loader applies: a saved weight must have exactly the shape its target has. */
export function checkWeightShape(name: string, saved: readonly number[], expected: readonly number[], source: string): void {
  if (saved.length !== expected.length || saved.some((d, i) => d !== expected[i])) {
    throw new ShapeError(`${source}: weight '${name}' has shape ${formatShape(saved)} in the file, but the model expects ${formatShape(expected)}`);
  }
}
