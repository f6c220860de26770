import { NeuriteError, ShapeError } from '../util/errors.js';
import { capText } from '../util/describe.js';
import { formatShape, shapesEqual } from '../util/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { NamedWeight } from './weights.js';

/** A weight slot of a model: the name it is saved under (`dense/kernel`) and the shape it needs. */
export interface WeightTarget {
  name: string;
  shape: readonly number[];
}

/**
 * The saved name that fills `target`: the same name, else (as TF.js reads Keras files since
 * TF 2.2, which put an RNN's cell in the path) `layer/cell/weight` for `layer/weight`.
 */
function lookUp(target: string, saved: Map<string, NamedWeight>, cellNames: Map<string, string[]>): string | undefined {
  if (saved.has(target)) return target;
  const alternatives = cellNames.get(target) ?? [];
  return alternatives.length === 1 ? alternatives[0] : undefined;
}

/** `a/b/c/w` → `a/b/w`: the name with its cell segment removed; null for names of fewer than 3 parts. */
function withoutCell(name: string): string | null {
  const parts = name.split('/');
  return parts.length < 3 ? null : [...parts.slice(0, -2), parts[parts.length - 1]].join('/');
}

/**
 * For each target, the saved tensor it receives, matched by name. Every problem (a target with no
 * saved weight, a saved weight no target wants, a shape that differs) is collected and reported at
 * once in a NeuriteError (a ShapeError when only shapes differ) naming `source`; nothing is
 * returned unless everything fits.
 */
export function matchWeights(targets: readonly WeightTarget[], saved: readonly NamedWeight[], source: string, prefixes: readonly string[] = []): Tensor[] {
  const byName = new Map(saved.map((w) => [w.name, w]));
  const cellNames = new Map<string, string[]>();
  const add = (alias: string, name: string): void => {
    if (!byName.has(alias)) cellNames.set(alias, [...(cellNames.get(alias) ?? []), name]);
  };
  for (const w of saved) {
    // The Keras 3 converter prefixes weights with the model's name (`sequential/dense/kernel`).
    const first = w.name.indexOf('/');
    const unprefixed = first > 0 && prefixes.includes(w.name.slice(0, first)) ? w.name.slice(first + 1) : null;
    if (unprefixed !== null) add(unprefixed, w.name);
    for (const n of unprefixed === null ? [w.name] : [w.name, unprefixed]) {
      const short = withoutCell(n);
      if (short !== null) add(short, w.name);
    }
  }
  const used = new Set<string>();
  const missing: string[] = [];
  const misShaped: string[] = [];
  const out: Tensor[] = [];
  for (const t of targets) {
    const name = lookUp(t.name, byName, cellNames);
    if (name === undefined || used.has(name)) {
      missing.push(`'${t.name}' ${formatShape(t.shape)}`);
      continue;
    }
    used.add(name);
    const w = byName.get(name)!;
    if (!shapesEqual(w.tensor.shape, t.shape)) misShaped.push(`'${t.name}' is ${formatShape(w.tensor.shape)} in the file, the model needs ${formatShape(t.shape)}`);
    out.push(w.tensor);
  }
  const extra = saved.filter((w) => !used.has(w.name)).map((w) => `'${w.name}' ${formatShape(w.tensor.shape)}`);
  if (missing.length + extra.length + misShaped.length === 0) return out;
  const problems = [
    missing.length ? `missing from the file: ${missing.join(', ')}` : '',
    extra.length ? `in the file but not in the model: ${extra.join(', ')}` : '',
    misShaped.length ? `wrong shape: ${misShaped.join('; ')}` : '',
  ].filter((p) => p !== '');
  // A file from an int8-quantized model carries a scale per kernel the float model has no slot for.
  const int8 = extra.some((e) => /\/kernel_scale'/.test(e))
    ? "; the file holds an int8-quantized model: load it into a model quantized the same way (quantize(model, 'int8')), or load the saved model directory with loadQuantized"
    : '';
  const message = capText(`${source}: the saved weights do not fit the model (${problems.join('; ')}); the model was not changed${int8}`);
  throw missing.length + extra.length === 0 ? new ShapeError(message) : new NeuriteError(message);
}
