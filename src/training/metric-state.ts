import { NeuriteError } from '../util/errors.js';
import { ThresholdConfusion } from './confusion.js';

/**
 * A metric's running state as plain JSON, so a fit resumed mid-epoch (BackupAndRestore with a batch
 * `saveFreq`) carries on the epoch's metrics exactly. Metrics keep their state in own fields (numbers,
 * typed arrays, arrays, and helper objects such as a ThresholdConfusion); those are copied value for
 * value (float64 survives JSON exactly; NaN and ±Infinity are spelled out). Functions and strings are
 * configuration, not state, and stay as built.
 */
export type StateJson = number | string | null | boolean | StateJson[] | { [key: string]: StateJson };

/** Helper classes a metric may hold (and create lazily), so a restore can rebuild one that is still null. */
const CLASSES: Record<string, new (...args: never[]) => object> = { ThresholdConfusion };

const TYPED = { Float64Array, Float32Array, Int32Array, Uint8Array } as const;

function number(v: number): StateJson {
  return Number.isFinite(v) ? v : { n: String(v) };
}

/** `value` as JSON (see `StateJson`); undefined for what is not state. */
export function snapshotState(value: unknown): StateJson | undefined {
  if (typeof value === 'number') return number(value);
  if (typeof value === 'boolean' || value === null) return value;
  if (typeof value !== 'object') return undefined;
  for (const [name, ctor] of Object.entries(TYPED)) {
    if (value instanceof ctor) return { typed: name, v: Array.from(value as ArrayLike<number>, number) };
  }
  if (Array.isArray(value)) return { array: value.map((v) => snapshotState(v) ?? null) };
  const fields: { [key: string]: StateJson } = {};
  for (const [k, v] of Object.entries(value)) {
    const s = snapshotState(v);
    if (s !== undefined) fields[k] = s;
  }
  return { cls: (value as object).constructor.name, fields };
}

function decodeNumber(s: StateJson): number {
  if (typeof s === 'number') return s;
  if (s !== null && typeof s === 'object' && !Array.isArray(s) && typeof s.n === 'string') return Number(s.n);
  throw new NeuriteError(`resume: expected a number in a saved metric state, received ${JSON.stringify(s)}`);
}

/** The live value for snapshot `s`, reusing `live` (same object, fields restored) where it exists. */
export function restoreState(live: unknown, s: StateJson): unknown {
  if (s === null || typeof s === 'boolean') return s;
  if (typeof s === 'number' || (typeof s === 'object' && !Array.isArray(s) && 'n' in s)) return decodeNumber(s);
  if (typeof s !== 'object' || Array.isArray(s)) throw new NeuriteError(`resume: a saved metric state is malformed (${JSON.stringify(s).slice(0, 80)})`);
  if (typeof s.typed === 'string') {
    const ctor = TYPED[s.typed as keyof typeof TYPED];
    if (ctor === undefined || !Array.isArray(s.v)) throw new NeuriteError(`resume: unknown saved array type '${s.typed}'`);
    return ctor.from(s.v.map(decodeNumber));
  }
  if (Array.isArray(s.array)) return s.array.map((v, i) => restoreState(Array.isArray(live) ? live[i] : undefined, v));
  const fields = s.fields as { [key: string]: StateJson };
  let target = live as Record<string, unknown> | null | undefined;
  if (target === null || target === undefined || typeof target !== 'object') {
    const ctor = CLASSES[String(s.cls)];
    if (ctor === undefined) throw new NeuriteError(`resume: cannot rebuild a metric's '${String(s.cls)}' state`);
    target = Object.create(ctor.prototype) as Record<string, unknown>;
  }
  for (const [k, v] of Object.entries(fields)) target[k] = restoreState(target[k], v);
  return target;
}
