import { NeuriteError, ValueError } from '../util/errors.js';
import {
  canonicalInitializerId,
  constantInitializer,
  Distribution,
  FanMode,
  getInitializer,
  identityInitializer,
  Initializer,
  InitializerId,
  initializerIds,
  orthogonal,
  randomNormalInitializer,
  randomUniformInitializer,
  Seed,
  snakeCase,
  truncatedNormalInitializer,
  varianceScaling,
} from './initializers.js';
import { describeValue } from '../util/describe.js';

/** An initializer as model.json writes it: `{ class_name: 'GlorotUniform', config: { seed: null } }`. */
export interface InitializerConfig {
  class_name: string;
  config: Record<string, unknown>;
}

/** Anything a layer accepts as an initializer: a Keras id, a serialized config, or a function. */
export type InitializerSpec = InitializerId | string | InitializerConfig | Initializer;

type Params = Record<string, unknown>;

/** One serializable class: its parameters with Keras defaults, and how to build it. */
interface ClassEntry {
  readonly name: string;
  readonly defaults: Params;
  readonly make: (p: Params) => Initializer;
}

const seedOf = (p: Params): Seed => p.seed as Seed;
const num = (p: Params, key: string): number => p[key] as number;

const classes: ClassEntry[] = [
  { name: 'Zeros', defaults: {}, make: () => constantInitializer(0) },
  { name: 'Ones', defaults: {}, make: () => constantInitializer(1) },
  { name: 'Constant', defaults: { value: 0 }, make: (p) => constantInitializer(num(p, 'value')) },
  {
    name: 'RandomNormal',
    defaults: { mean: 0, stddev: 0.05, seed: null },
    make: (p) => randomNormalInitializer({ mean: num(p, 'mean'), stddev: num(p, 'stddev'), seed: seedOf(p) }),
  },
  {
    name: 'RandomUniform',
    defaults: { minval: -0.05, maxval: 0.05, seed: null },
    make: (p) => randomUniformInitializer({ minval: num(p, 'minval'), maxval: num(p, 'maxval'), seed: seedOf(p) }),
  },
  {
    name: 'TruncatedNormal',
    defaults: { mean: 0, stddev: 0.05, seed: null },
    make: (p) => truncatedNormalInitializer({ mean: num(p, 'mean'), stddev: num(p, 'stddev'), seed: seedOf(p) }),
  },
  {
    name: 'VarianceScaling',
    defaults: { scale: 1, mode: 'fan_in', distribution: 'truncated_normal', seed: null },
    make: (p) => varianceScaling(num(p, 'scale'), fanMode(p.mode), distribution(p.distribution), seedOf(p)),
  },
  { name: 'GlorotUniform', defaults: { seed: null }, make: (p) => varianceScaling(1, 'fan_avg', 'uniform', seedOf(p)) },
  { name: 'GlorotNormal', defaults: { seed: null }, make: (p) => varianceScaling(1, 'fan_avg', 'truncated_normal', seedOf(p)) },
  { name: 'HeUniform', defaults: { seed: null }, make: (p) => varianceScaling(2, 'fan_in', 'uniform', seedOf(p)) },
  { name: 'HeNormal', defaults: { seed: null }, make: (p) => varianceScaling(2, 'fan_in', 'truncated_normal', seedOf(p)) },
  // Keras spells these LecunUniform / LecunNormal, TF.js LeCunUniform / LeCunNormal; lookup ignores case.
  { name: 'LecunUniform', defaults: { seed: null }, make: (p) => varianceScaling(1, 'fan_in', 'uniform', seedOf(p)) },
  { name: 'LecunNormal', defaults: { seed: null }, make: (p) => varianceScaling(1, 'fan_in', 'truncated_normal', seedOf(p)) },
  { name: 'Orthogonal', defaults: { gain: 1, seed: null }, make: (p) => orthogonal(num(p, 'gain'), seedOf(p)) },
  { name: 'Identity', defaults: { gain: 1 }, make: (p) => identityInitializer(num(p, 'gain')) },
];

/** The initializer class names `deserializeInitializer` accepts. */
export const initializerClassNames = classes.map((c) => c.name);

/**
 * The config each Keras id serializes to. Glorot and He use their Keras class names (TF.js loads
 * those too); LeCun is written as TF.js writes it, a VarianceScaling, whose spelling both accept.
 */
const idConfigs: Record<InitializerId, InitializerConfig> = {
  zeros: { class_name: 'Zeros', config: {} },
  ones: { class_name: 'Ones', config: {} },
  glorot_uniform: { class_name: 'GlorotUniform', config: { seed: null } },
  glorot_normal: { class_name: 'GlorotNormal', config: { seed: null } },
  he_uniform: { class_name: 'HeUniform', config: { seed: null } },
  he_normal: { class_name: 'HeNormal', config: { seed: null } },
  lecun_uniform: { class_name: 'VarianceScaling', config: { scale: 1, mode: 'fan_in', distribution: 'uniform', seed: null } },
  lecun_normal: { class_name: 'VarianceScaling', config: { scale: 1, mode: 'fan_in', distribution: 'normal', seed: null } },
  orthogonal: { class_name: 'Orthogonal', config: { gain: 1, seed: null } },
  random_normal: { class_name: 'RandomNormal', config: { mean: 0, stddev: 0.05, seed: null } },
  random_uniform: { class_name: 'RandomUniform', config: { minval: -0.05, maxval: 0.05, seed: null } },
  truncated_normal: { class_name: 'TruncatedNormal', config: { mean: 0, stddev: 0.05, seed: null } },
  identity: { class_name: 'Identity', config: { gain: 1 } },
};

function fanMode(v: unknown): FanMode {
  const mode = snakeCase(String(v));
  if (mode === 'fan_in' || mode === 'fan_out' || mode === 'fan_avg') return mode;
  throw new ValueError(`VarianceScaling initializer: expected mode 'fan_in', 'fan_out' or 'fan_avg', received ${describeValue(v)}`);
}

/** Keras 3 names; 'normal' is the Keras 2 / TF.js name of the truncated normal. */
function distribution(v: unknown): Distribution {
  const d = snakeCase(String(v));
  if (d === 'normal' || d === 'truncated_normal') return 'truncated_normal';
  if (d === 'uniform' || d === 'untruncated_normal') return d;
  throw new ValueError(
    `VarianceScaling initializer: expected distribution 'uniform', 'truncated_normal', 'untruncated_normal' or 'normal', received ${describeValue(v)}`,
  );
}

function findClass(className: unknown): ClassEntry {
  const entry = typeof className === 'string' ? classes.find((c) => c.name.toLowerCase() === className.toLowerCase()) : undefined;
  if (entry === undefined) {
    throw new NeuriteError(`Unknown initializer class ${describeValue(className)}; supported: ${initializerClassNames.join(', ')}`);
  }
  return entry;
}

/** The parameters of `config` (keys in snake_case) over the class defaults; unknown keys and bad types are errors. */
function parameters(entry: ClassEntry, config: unknown): Params {
  if (config === undefined || config === null) return { ...entry.defaults };
  if (typeof config !== 'object' || Array.isArray(config)) {
    throw new ValueError(`${entry.name} initializer: expected a config object, received ${describeValue(config)}`);
  }
  const params: Params = { ...entry.defaults };
  for (const [rawKey, value] of Object.entries(config as Params)) {
    const key = snakeCase(rawKey);
    // Converters write a `dtype` into some initializer configs (always float32 here) and `null` for a
    // parameter left at its default (`mode: null`); both mean the default.
    if (key === 'dtype' && (value === null || value === 'float32' || (typeof value === 'object' && !Array.isArray(value)))) continue;
    if (value === null && key !== 'seed' && Object.hasOwn(entry.defaults, key)) continue;
    if (!Object.hasOwn(entry.defaults, key)) {
      throw new ValueError(`${entry.name} initializer: unknown config key '${rawKey}'; expected ${Object.keys(entry.defaults).join(', ') || 'none'}`);
    }
    const isSeed = key === 'seed' && (value === null || value === undefined || Number.isInteger(value));
    const isNumber = typeof entry.defaults[key] === 'number' && typeof value === 'number' && Number.isFinite(value);
    const isString = typeof entry.defaults[key] === 'string' && typeof value === 'string';
    if (!isSeed && !isNumber && !isString) {
      throw new ValueError(`${entry.name} initializer: invalid value for '${key}': ${describeValue(value)}`);
    }
    params[key] = value ?? null;
  }
  return params;
}

function isConfig(spec: unknown): spec is InitializerConfig {
  return typeof spec === 'object' && spec !== null && 'class_name' in spec;
}

/**
 * Builds an initializer from its model.json form (`{ class_name, config }`, TF.js or Keras spelling).
 * @example deserializeInitializer({ class_name: 'VarianceScaling', config: { scale: 2, mode: 'fan_in', distribution: 'normal', seed: null } });
 */
export function deserializeInitializer(spec: InitializerConfig): Initializer {
  if (!isConfig(spec)) throw new ValueError(`deserializeInitializer: expected { class_name, config }, received ${describeValue(spec)}`);
  const entry = findClass(spec.class_name);
  const params = parameters(entry, spec.config);
  return entry.make(params);
}

/**
 * The model.json form of an initializer spec: ids map to their Keras class, configs are validated and
 * completed with defaults. A function has no serialized form and is refused.
 */
export function serializeInitializer(spec: InitializerSpec): InitializerConfig {
  if (typeof spec === 'function') {
    throw new NeuriteError('serializeInitializer: a function initializer cannot be saved; use a Keras id or an { class_name, config } object');
  }
  if (typeof spec === 'string') {
    const id = canonicalInitializerId(spec);
    if (id === undefined) throw new ValueError(`Unknown initializer ${describeValue(spec)}; expected one of: ${initializerIds.join(', ')}`);
    return structuredClone(idConfigs[id]);
  }
  if (!isConfig(spec)) throw new ValueError(`serializeInitializer: expected an id, a function or { class_name, config }, received ${describeValue(spec)}`);
  const entry = findClass(spec.class_name);
  const params = parameters(entry, spec.config);
  // Validate the values (mode, distribution …) by building once.
  entry.make(params);
  return { class_name: spec.class_name, config: params };
}

/** Any initializer spec as a function: ids and functions as `getInitializer`, configs as `deserializeInitializer`. */
export function resolveInitializer(spec: InitializerSpec): Initializer {
  if (isConfig(spec)) return deserializeInitializer(spec);
  return getInitializer(spec as InitializerId | string | Initializer);
}

/** Checks a spec without building anything, so a layer constructor can fail early; `what` names the caller. */
export function checkInitializerSpec(spec: InitializerSpec, what: string): void {
  try {
    if (typeof spec === 'function') return;
    if (typeof spec === 'string' || isConfig(spec)) {
      serializeInitializer(spec);
      return;
    }
    throw new ValueError(`expected an initializer id, a function or { class_name, config }, received ${describeValue(spec)}`);
  } catch (e) {
    if (e instanceof NeuriteError) throw new (e.constructor as typeof NeuriteError)(`${what}: ${e.message}`);
    throw e;
  }
}
