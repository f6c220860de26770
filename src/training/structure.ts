import { ShapeError, ValueError } from '../util/errors.js';
import { formatShape } from '../util/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { toTensor } from './data.js';

/** x or y for a model with several inputs / outputs: one entry per name, as an array or a name-keyed object. */
export type StructuredData = unknown;

/** Whether `v` is a plain `{ key: value }` object (not a Tensor, array or class instance). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** A short description of a value for messages: `a Tensor [2, 3]`, `an array of 2`, `a SymbolicTensor`. */
export function describeValue(v: unknown): string {
  if (v instanceof Tensor) return `a Tensor ${formatShape(v.shape)}`;
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (v === null) return 'null';
  if (typeof v === 'object') {
    const name = (v as object).constructor?.name;
    return isPlainObject(v) ? `an object with keys ${Object.keys(v).map((k) => `'${k}'`).join(', ') || '(none)'}` : `a ${name ?? 'object'}`;
  }
  return typeof v;
}

/** Throws for a value that is neither a Tensor, array data nor a plain object: symbolic tensors above all. */
function refuseOpaque(v: unknown, what: string): void {
  if (v === null || v === undefined || typeof v !== 'object' || v instanceof Tensor || Array.isArray(v) || v instanceof Float32Array || isPlainObject(v)) return;
  throw new ValueError(
    `${what}: expected a Tensor or nested arrays of numbers, received ${describeValue(v)}; ` +
      'symbolic tensors (from Input() or layer.apply on one) only describe a graph: pass concrete data',
  );
}

/** Whether an array holds one entry per model input/output (tensors or arrays of data), rather than samples. */
function isListOf(v: unknown[], count: number): boolean {
  if (v.length !== count) return false;
  if (count === 1) return v[0] instanceof Tensor;
  return v.every((e) => e instanceof Tensor || Array.isArray(e) || e instanceof Float32Array || (e !== null && typeof e === 'object' && !isPlainObject(e)));
}

/**
 * `value` as one tensor per name, in `names` order: a Tensor or array data (one name), an array of one
 * entry per name, or an object keyed by name (every name present, no other key). `what` is `'fit: x'`.
 * Every entry must hold the same number of samples.
 */
export function toTensorList(value: unknown, names: readonly string[], what: string): Tensor[] {
  refuseOpaque(value, what);
  let entries: { name: string; value: unknown }[];
  if (isPlainObject(value)) {
    const unknown = Object.keys(value).filter((k) => !names.includes(k));
    if (unknown.length > 0) {
      throw new ValueError(`${what}: unknown name${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `'${k}'`).join(', ')}; the model's names are ${names.map((n) => `'${n}'`).join(', ')}`);
    }
    const missing = names.filter((n) => !(n in value));
    if (missing.length > 0) throw new ValueError(`${what}: missing ${missing.map((n) => `'${n}'`).join(', ')}; expected one entry for each of ${names.map((n) => `'${n}'`).join(', ')}`);
    entries = names.map((name) => ({ name, value: value[name] }));
  } else if (Array.isArray(value) && isListOf(value, names.length)) {
    entries = names.map((name, i) => ({ name, value: value[i] }));
  } else if (names.length === 1) {
    entries = [{ name: names[0], value }];
  } else {
    throw new ValueError(
      `${what}: the model has ${names.length} (${names.map((n) => `'${n}'`).join(', ')}); expected an array of ${names.length} tensors ` +
        `or an object keyed by those names, received ${describeValue(value)}`,
    );
  }
  const tensors = entries.map(({ name, value: v }) => {
    refuseOpaque(v, `${what} '${name}'`);
    return toTensor(v, names.length === 1 ? what : `${what} '${name}'`);
  });
  checkSameCount(tensors, names, what);
  return tensors;
}

/** Throws unless every tensor has the same number of samples (first axis). */
export function checkSameCount(tensors: readonly Tensor[], names: readonly string[], what: string): void {
  const n = tensors[0].shape[0];
  tensors.forEach((t, i) => {
    if (t.shape[0] !== n) {
      throw new ShapeError(`${what}: every entry needs the same number of samples; '${names[0]}' has ${n} ${formatShape(tensors[0].shape)}, '${names[i]}' has ${t.shape[0]} ${formatShape(t.shape)}`);
    }
  });
}
