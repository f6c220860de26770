import { NeuriteError } from '../util/errors.js';
import { LayerConfig } from './config.js';
import { configActivationId } from '../activations/activations.js';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Each parameter of an activation layer that the plain activation id implies. */
const NEUTRAL: Record<string, { id: string; params: Record<string, unknown> }> = {
  ReLU: { id: 'relu', params: { max_value: null, negative_slope: 0, threshold: 0 } },
  Softmax: { id: 'softmax', params: { axis: -1 } },
  ELU: { id: 'elu', params: { alpha: 1 } },
};

/**
 * An activation as converters write it inside a layer's config, reduced to its id: a string as is,
 * Keras 3's `{ class_name: 'function', config: 'relu' }`, an `Activation` layer object, or an
 * activation layer (`ReLU`, `Softmax`, `ELU`) at its neutral parameters. Anything else is refused.
 */
export function activationFromConfig(value: unknown, where: string): unknown {
  if (!isObject(value)) return value;
  const cls = value.class_name;
  const config = value.config;
  if ((cls === 'function' || cls === 'Activation') && (typeof config === 'string' || isObject(config))) {
    return typeof config === 'string' ? config : (config.activation ?? config.name);
  }
  const neutral = typeof cls === 'string' && Object.hasOwn(NEUTRAL, cls) ? NEUTRAL[cls] : undefined;
  if (neutral !== undefined) {
    const params = isObject(config) ? config : {};
    const off = Object.entries(neutral.params).find(([k, v]) => params[k] !== undefined && params[k] !== v);
    if (off === undefined) return neutral.id;
    throw new NeuriteError(`${where}: activation ${cls} with ${off[0]} = ${JSON.stringify(params[off[0]])} has no activation id; use a separate ${cls} layer`);
  }
  throw new NeuriteError(`${where}: unsupported activation object ${JSON.stringify(value).slice(0, 100)}`);
}

/**
 * A copy of `config` with its activation entries reduced to code ids (see `activationFromConfig`); a
 * config's `'hard_sigmoid'` is TF.js's form, `'legacy_hard_sigmoid'` in code (see `configActivationId`).
 */
export function normalizeActivations(className: string, config: LayerConfig): LayerConfig {
  let out = config;
  for (const key of ['activation', 'recurrent_activation']) {
    if (!(key in config)) continue;
    const raw = config[key];
    const id = configActivationId(isObject(raw) ? activationFromConfig(raw, `${className}.fromConfig: '${key}'`) : raw);
    if (id === raw) continue;
    if (out === config) out = { ...config };
    out[key] = id;
  }
  return out;
}

/** True when a file's `keras_version` is Keras 3 or later, whose `'hard_sigmoid'` is relu6(x + 3) / 6. */
export function isKeras3Version(kerasVersion: unknown): boolean {
  const major = typeof kerasVersion === 'string' ? /^\s*(\d+)\./.exec(kerasVersion) : null;
  return major !== null && Number(major[1]) >= 3;
}

/**
 * A Keras 3 file's topology in config spelling: every `'hard_sigmoid'` activation (a string or Keras 3's
 * `{ class_name: 'function', config: 'hard_sigmoid' }`), at any depth, becomes `'keras_hard_sigmoid'`, as
 * Keras 3 means relu6(x + 3) / 6 by it; TF.js and Keras 2 files mean clip(0.2·x + 0.5, 0, 1) and need nothing.
 */
export function keras3ActivationsToConfig<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => keras3ActivationsToConfig(v)) as T;
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if ((key === 'activation' || key === 'recurrent_activation') && configActivationId(v) === 'legacy_hard_sigmoid') out[key] = 'keras_hard_sigmoid';
    else if ((key === 'activation' || key === 'recurrent_activation') && isObject(v) && v.class_name === 'function' && configActivationId(v.config) === 'legacy_hard_sigmoid') out[key] = 'keras_hard_sigmoid';
    else out[key] = keras3ActivationsToConfig(v);
  }
  return out as T;
}
