import { NeuriteError } from '../util/errors.js';
import { LayerConfig } from './config.js';

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

/** A copy of `config` with its activation entries reduced to ids (see `activationFromConfig`). */
export function normalizeActivations(className: string, config: LayerConfig): LayerConfig {
  let out = config;
  for (const key of ['activation', 'recurrent_activation']) {
    if (isObject(config[key])) {
      if (out === config) out = { ...config };
      out[key] = activationFromConfig(config[key], `${className}.fromConfig: '${key}'`);
    }
  }
  return out;
}
