import { ValueError } from '../util/errors.js';
import { Tensor } from '../tensor/tensor.js';
import { add, div, mul } from '../ops/arithmetic.js';
import { clip, sqrt, square } from '../ops/elementwise.js';
import { sum } from '../ops/reduction.js';

/** A constraint as model.json writes it: `{ class_name: 'MaxNorm', config: { max_value: 2, axis: 0 } }`. */
export interface ConstraintConfig {
  class_name: string;
  config: Record<string, unknown>;
}

/** Anything a layer accepts as a constraint: an object from `maxNorm` / `nonNeg` / …, a Keras id or a config. */
export type ConstraintSpec = Constraint | 'max_norm' | 'non_neg' | 'unit_norm' | 'min_max_norm' | string | ConstraintConfig;

/** Keras's backend epsilon, added to norms before dividing. */
const EPSILON = 1e-7;

/**
 * A projection applied to a weight after each optimizer step (Keras's `Constraint`).
 * @example
 * const c: constraints.Constraint = constraints.unitNorm();
 * new Dense(4, { kernelConstraint: c });
 */
export abstract class Constraint {
  /** The class name model.json writes (`'MaxNorm'`). */
  abstract readonly className: string;
  /** The projected values of `w` (callers run it under `noGrad`: constraints act outside the gradient). */
  abstract project(w: Tensor): Tensor;
  /** The snake_case config TF.js writes. */
  abstract config(): Record<string, unknown>;

  /** `{ class_name, config }` as model.json holds it. */
  toConfig(): ConstraintConfig {
    return { class_name: this.className, config: this.config() };
  }
}

function checkNumber(value: unknown, what: string, { min = -Infinity } = {}): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new ValueError(`${what}: expected a finite number${min > -Infinity ? ` >= ${min}` : ''}, received ${JSON.stringify(value)}`);
  }
  return value;
}

function checkAxis(axis: unknown, what: string): number | number[] {
  const ok = Number.isInteger(axis) || (Array.isArray(axis) && axis.length > 0 && axis.every((a) => Number.isInteger(a)));
  if (!ok) throw new ValueError(`${what}: expected an integer axis or a list of them, received ${JSON.stringify(axis)}`);
  return Array.isArray(axis) ? [...axis] : (axis as number);
}

/** √(Σ w² over `axis`), kept broadcastable. */
function norms(w: Tensor, axis: number | number[]): Tensor {
  return sqrt(sum(square(w), axis, true));
}

/**
 * Rescales each slice along `axis` whose norm exceeds `maxValue` down to it: w · clip(n, 0, max) / (ε + n).
 * @example new Dense(8, { kernelConstraint: new constraints.MaxNorm(2, 0) }); // as constraints.maxNorm()
 */
export class MaxNorm extends Constraint {
  readonly className = 'MaxNorm';
  constructor(readonly maxValue: number, readonly axis: number | number[]) {
    super();
    checkNumber(maxValue, 'maxNorm maxValue', { min: 0 });
    this.axis = checkAxis(axis, 'maxNorm axis');
  }
  project(w: Tensor): Tensor {
    const n = norms(w, this.axis);
    return mul(w, div(clip(n, 0, this.maxValue), add(n, EPSILON)));
  }
  config(): Record<string, unknown> {
    return { max_value: this.maxValue, axis: this.axis };
  }
}

/**
 * Sets negative weights to zero.
 * @example new Dense(8, { biasConstraint: new constraints.NonNeg() });
 */
export class NonNeg extends Constraint {
  readonly className = 'NonNeg';
  project(w: Tensor): Tensor {
    return new Tensor(Float32Array.from(w.data, (v) => (v >= 0 ? v : 0)), w.shape);
  }
  config(): Record<string, unknown> {
    return {};
  }
}

/**
 * Scales each slice along `axis` to unit norm: w / (ε + n).
 * @example new Dense(8, { kernelConstraint: new constraints.UnitNorm(0) });
 */
export class UnitNorm extends Constraint {
  readonly className = 'UnitNorm';
  constructor(readonly axis: number | number[]) {
    super();
    this.axis = checkAxis(axis, 'unitNorm axis');
  }
  project(w: Tensor): Tensor {
    return div(w, add(norms(w, this.axis), EPSILON));
  }
  config(): Record<string, unknown> {
    return { axis: this.axis };
  }
}

/**
 * Moves each slice's norm n toward [min, max] by `rate`: w · (rate·clip(n, min, max) + (1 − rate)·n) / (ε + n).
 * @example new Dense(8, { kernelConstraint: new constraints.MinMaxNorm(0, 1, 1, 0) }); // as constraints.minMaxNorm()
 */
export class MinMaxNorm extends Constraint {
  readonly className = 'MinMaxNorm';
  constructor(readonly minValue: number, readonly maxValue: number, readonly rate: number, readonly axis: number | number[]) {
    super();
    checkNumber(minValue, 'minMaxNorm minValue', { min: 0 });
    checkNumber(maxValue, 'minMaxNorm maxValue', { min: 0 });
    checkNumber(rate, 'minMaxNorm rate', { min: 0 });
    if (maxValue < minValue) throw new ValueError(`minMaxNorm: expected minValue <= maxValue, received ${minValue} and ${maxValue}`);
    this.axis = checkAxis(axis, 'minMaxNorm axis');
  }
  project(w: Tensor): Tensor {
    const n = norms(w, this.axis);
    const desired = add(mul(clip(n, this.minValue, this.maxValue), this.rate), mul(n, 1 - this.rate));
    return mul(w, div(desired, add(n, EPSILON)));
  }
  config(): Record<string, unknown> {
    return { min_value: this.minValue, max_value: this.maxValue, rate: this.rate, axis: this.axis };
  }
}

/**
 * `maxNorm({ maxValue = 2, axis = 0 })`, Keras's defaults.
 * @example new Dense(8, { kernelConstraint: constraints.maxNorm({ maxValue: 3 }) }); // each unit's incoming weights keep norm ≤ 3
 */
export function maxNorm({ maxValue = 2, axis = 0 }: { maxValue?: number; axis?: number | number[] } = {}): MaxNorm {
  return new MaxNorm(maxValue, axis);
}

/**
 * `nonNeg()`: weights >= 0.
 * @example new Dense(8, { kernelConstraint: constraints.nonNeg() });
 */
export function nonNeg(): NonNeg {
  return new NonNeg();
}

/**
 * `unitNorm({ axis = 0 })`.
 * @example new Dense(8, { kernelConstraint: constraints.unitNorm({ axis: 0 }) });
 */
export function unitNorm({ axis = 0 }: { axis?: number | number[] } = {}): UnitNorm {
  return new UnitNorm(axis);
}

/**
 * `minMaxNorm({ minValue = 0, maxValue = 1, rate = 1, axis = 0 })`, Keras's defaults.
 * @example new Dense(8, { kernelConstraint: constraints.minMaxNorm({ minValue: 0.5, maxValue: 1 }) });
 */
export function minMaxNorm({ minValue = 0, maxValue = 1, rate = 1, axis = 0 }: { minValue?: number; maxValue?: number; rate?: number; axis?: number | number[] } = {}): MinMaxNorm {
  return new MinMaxNorm(minValue, maxValue, rate, axis);
}

type Params = Record<string, unknown>;
const v = (p: Params, key: string, fallback: unknown): never => (p[key] ?? fallback) as never;
const classes: Record<string, (p: Params) => Constraint> = {
  MaxNorm: (p) => new MaxNorm(v(p, 'max_value', 2), v(p, 'axis', 0)),
  NonNeg: () => new NonNeg(),
  UnitNorm: (p) => new UnitNorm(v(p, 'axis', 0)),
  MinMaxNorm: (p) => new MinMaxNorm(v(p, 'min_value', 0), v(p, 'max_value', 1), v(p, 'rate', 1), v(p, 'axis', 0)),
};
const ids: Record<string, string> = { max_norm: 'MaxNorm', maxNorm: 'MaxNorm', non_neg: 'NonNeg', nonNeg: 'NonNeg', unit_norm: 'UnitNorm', unitNorm: 'UnitNorm', min_max_norm: 'MinMaxNorm', minMaxNorm: 'MinMaxNorm' };

/** The known ids and class names, for messages. */
export const constraintIds: readonly string[] = [...Object.keys(ids), ...Object.keys(classes)];

/**
 * A constraint from a spec (null / undefined → none); unknown ones throw a ValueError listing the known.
 * @example constraints.resolveConstraint('non_neg', 'kernelConstraint') instanceof constraints.NonNeg; // true
 */
export function resolveConstraint(spec: ConstraintSpec | null | undefined, what: string): Constraint | null {
  if (spec === null || spec === undefined) return null;
  if (spec instanceof Constraint) return spec;
  const className = typeof spec === 'string' ? ids[spec] ?? (Object.prototype.hasOwnProperty.call(classes, spec) ? spec : undefined) : spec.class_name;
  if (className === undefined || !Object.prototype.hasOwnProperty.call(classes, className)) {
    const shown = typeof spec === 'string' ? spec : (spec as { class_name?: unknown })?.class_name;
    throw new ValueError(`${what}: unknown constraint ${JSON.stringify(shown)}; known: ${constraintIds.join(', ')}`);
  }
  const config = typeof spec === 'string' ? {} : (spec.config ?? {});
  try {
    return classes[className](config);
  } catch (e) {
    throw new ValueError(`${what}: ${(e as Error).message}`);
  }
}

/**
 * The model.json form of a constraint (null for none).
 * @example constraints.serializeConstraint(constraints.maxNorm()); // { class_name: 'MaxNorm', config: { max_value: 2, axis: 0 } }
 */
export function serializeConstraint(c: Constraint | null): ConstraintConfig | null {
  return c === null ? null : c.toConfig();
}
