import { ValueError } from '../util/errors.js';
import { SymbolicTensor } from '../graph/symbolic-tensor.js';
import { Tensor } from '../tensor/tensor.js';
import type { DataLike } from '../training/data.js';

/** What fit / evaluate / predict take for x and y: one input's data, an array (one per input), or an object keyed by input name. */
export type ModelData = DataLike | readonly DataLike[] | { readonly [name: string]: DataLike };

/** How a model's inputs or outputs were given: one tensor, an array, or an object keyed by name. */
export type Structure = { kind: 'single' } | { kind: 'list' } | { kind: 'dict'; keys: string[] };

/** The inputs or outputs of a graph model, as `new Model({ inputs, outputs })` takes them. */
export type SymbolicStructure = SymbolicTensor | SymbolicTensor[] | Record<string, SymbolicTensor>;

/** What `predict` returns for a model whose outputs were given as `O`: no union to narrow. */
export type Predicted<O> = O extends SymbolicTensor ? Tensor : O extends readonly SymbolicTensor[] ? Tensor[] : O extends Record<string, SymbolicTensor> ? Record<string, Tensor> : Tensor;

/** The real tensors a model of structure `I` takes (one, an array, or an object keyed by input name). */
export type ModelInputValue = Tensor | Tensor[] | Record<string, Tensor>;

/** Flattens a symbolic structure to its tensors, checking each is symbolic; `what` is 'inputs' or 'outputs'. */
export function flattenSymbolic(spec: unknown, what: string, where: string): { tensors: SymbolicTensor[]; structure: Structure } {
  const check = (t: unknown, at: string): SymbolicTensor => {
    if (!(t instanceof SymbolicTensor)) {
      const got = t instanceof Tensor ? 'a real Tensor (use Input() to make a model input)' : t === null ? 'null' : typeof t;
      throw new ValueError(`${where}: expected ${what}${at} to be a symbolic tensor (from Input() or layer.apply on one), received ${got}`);
    }
    return t;
  };
  if (spec instanceof SymbolicTensor) return { tensors: [spec], structure: { kind: 'single' } };
  if (Array.isArray(spec)) {
    if (spec.length === 0) throw new ValueError(`${where}: expected at least one tensor in ${what}, received an empty array`);
    return { tensors: spec.map((t, i) => check(t, `[${i}]`)), structure: { kind: 'list' } };
  }
  if (spec !== null && typeof spec === 'object' && !(spec instanceof Tensor)) {
    const keys = Object.keys(spec);
    if (keys.length === 0) throw new ValueError(`${where}: expected at least one tensor in ${what}, received an empty object`);
    return { tensors: keys.map((k) => check((spec as Record<string, unknown>)[k], `.${k}`)), structure: { kind: 'dict', keys } };
  }
  return { tensors: [check(spec, '')], structure: { kind: 'single' } };
}

/** Rebuilds the user's structure around flat values: the inverse of flattening. */
export function restructure<T>(values: readonly T[], structure: Structure): T | T[] | Record<string, T> {
  if (structure.kind === 'single') return values[0];
  if (structure.kind === 'list') return [...values];
  const out: Record<string, T> = {};
  structure.keys.forEach((k, i) => (out[k] = values[i]));
  return out;
}

/**
 * The flat list of real tensors for a model's inputs given as one Tensor, an array, or an object keyed
 * by input name; counts and names are checked and the message lists what the model expects.
 */
export function flattenInputs(x: unknown, names: readonly string[], where: string): Tensor[] {
  if (x instanceof Tensor) {
    if (names.length !== 1) throw new ValueError(`${where}: the model has ${names.length} inputs (${names.join(', ')}), received one Tensor; pass an array or an object keyed by input name`);
    return [x];
  }
  if (Array.isArray(x)) {
    if (x.length !== names.length) throw new ValueError(`${where}: expected ${names.length} input tensor(s) (${names.join(', ')}), received ${x.length}`);
    return x.map((t, i) => requireTensor(t, `${where}: input ${i} ('${names[i]}')`));
  }
  if (x !== null && typeof x === 'object') {
    const given = x as Record<string, unknown>;
    const unknown = Object.keys(given).filter((k) => !names.includes(k));
    if (unknown.length > 0) throw new ValueError(`${where}: unknown input name(s) ${unknown.map((k) => `'${k.slice(0, 60)}'`).join(', ')}; the inputs are ${names.map((n) => `'${n}'`).join(', ')}`);
    return names.map((n) => {
      if (!Object.hasOwn(given, n)) throw new ValueError(`${where}: missing input '${n}'; the inputs are ${names.map((k) => `'${k}'`).join(', ')}`);
      return requireTensor(given[n], `${where}: input '${n}'`);
    });
  }
  return [requireTensor(x, `${where}: input`)];
}

function requireTensor(t: unknown, where: string): Tensor {
  if (t instanceof Tensor) return t;
  if (t instanceof SymbolicTensor) throw new ValueError(`${where}: received a symbolic tensor; models run on real Tensors (symbolic ones only build graphs)`);
  throw new ValueError(`${where}: expected a Tensor, received ${t === null ? 'null' : typeof t}`);
}
