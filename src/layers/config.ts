import { NeuriteError, ValueError } from '../util/errors.js';
import { LayerOptions } from './layer.js';
import { describeValue } from '../util/describe.js';
import { MAX_ELEMENTS } from '../util/limits.js';

/** A layer config as model.json holds it (snake_case keys). */
export type LayerConfig = Record<string, unknown>;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Keras 3 writes the dtype as a policy object `{ class_name: 'DTypePolicy', config: { name } }`. */
function dtypeName(dtype: unknown): unknown {
  return isObject(dtype) && isObject(dtype.config) ? dtype.config.name : dtype;
}

/**
 * The options every layer shares, read from a config: `name`, `trainable`, `batch_input_shape`
 * (Keras 3: `batch_shape`). Only float32 exists here, so any other dtype is refused.
 */
export function baseOptionsFromConfig(className: string, config: LayerConfig): LayerOptions {
  if (!isObject(config)) throw new ValueError(`${className}.fromConfig: expected a config object, received ${describeValue(config)}`);
  const dtype = dtypeName(config.dtype);
  if (dtype !== undefined && dtype !== null && dtype !== 'float32') {
    throw new NeuriteError(`${className}.fromConfig: only dtype 'float32' is supported, received ${describeValue(dtype)}`);
  }
  const options: LayerOptions = {};
  if (config.name !== undefined && config.name !== null) options.name = config.name as string;
  if (config.trainable !== undefined && config.trainable !== null) options.trainable = config.trainable as boolean;
  const batchShape = config.batch_input_shape ?? config.batch_shape;
  if (batchShape !== undefined && batchShape !== null) {
    if (!Array.isArray(batchShape)) {
      throw new ValueError(`${className}.fromConfig: expected batch_input_shape to be an array, received ${describeValue(batchShape)}`);
    }
    options.batchInputShape = batchShape as (number | null)[];
  }
  return options;
}

/**
 * Refuses features neurite does not implement when a config uses them: each key must be absent,
 * null, or equal to its neutral value (`dropout: 0`, `stateful: false` …).
 */
export function refuseUnsupported(className: string, config: LayerConfig, neutral: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(neutral)) {
    const given = config[key];
    if (given === undefined || given === null || given === value) continue;
    throw new NeuriteError(`${className}.fromConfig: '${key}' = ${describeValue(given)} is not supported (only ${describeValue(value)} or null)`);
  }
}

/**
 * The regularizer and constraint keys TF.js writes, for layers that do not take them yet (each must be
 * null). Layers that do read them with `penaltiesFromConfig` (src/layers/penalties.ts).
 */
export function noRegularizers(...weights: string[]): Record<string, null> {
  const keys: Record<string, null> = { activity_regularizer: null };
  for (const w of weights) {
    keys[`${w}_regularizer`] = null;
    keys[`${w}_constraint`] = null;
  }
  return keys;
}

/** `config[key]` unless absent or null, then `fallback`. */
export function read<T>(config: LayerConfig, key: string, fallback: T): T {
  const v = config[key];
  return v === undefined || v === null ? fallback : (v as T);
}

/** A required hyper-parameter (`units`, `filters` …); the constructor validates its value. */
export function required<T>(className: string, config: LayerConfig, key: string): T {
  const v = config[key];
  if (v === undefined || v === null) throw new ValueError(`${className}.fromConfig: the config has no '${key}'`);
  return v as T;
}

/** A positive integer or a pair of them, as `[h, w]`; `what` names the option in the message. */
export function pairOf(value: unknown, what: string): [number, number] {
  const pair = typeof value === 'number' ? [value, value] : Array.isArray(value) && value.length === 2 ? value : null;
  if (pair === null || !pair.every((d) => Number.isInteger(d) && d > 0)) {
    throw new ValueError(`${what}: expected a positive integer or a pair of them, received ${describeValue(value)}`);
  }
  return [pair[0], pair[1]];
}

/** A boolean option, checked. */
export function checkBoolean(value: unknown, what: string): boolean {
  if (typeof value !== 'boolean') throw new ValueError(`${what}: expected a boolean, received ${describeValue(value)}`);
  return value;
}

/** A positive integer option (`units`, `filters`), checked. */
export function checkPositiveInt(value: unknown, what: string): number {
  if (!Number.isInteger(value) || (value as number) <= 0) {
    throw new ValueError(`${what}: expected a positive integer, received ${describeValue(value)}`);
  }
  if ((value as number) > MAX_ELEMENTS) {
    throw new ValueError(`${what}: expected a positive integer, received ${value} (more than a Float32Array can hold, ${MAX_ELEMENTS})`);
  }
  return value as number;
}

/** Padding as Keras writes it; TF.js's `'causal'` applies to 1-D convolutions only. */
export type Padding = 'valid' | 'same';

/** A padding option, checked. */
export function checkPadding(value: unknown, what: string): Padding {
  if (value !== 'valid' && value !== 'same') throw new ValueError(`${what}: expected padding 'valid' or 'same', received ${describeValue(value)}`);
  return value;
}

/** Only channels-last (NHWC) exists here; Keras's and TF.js's spellings are both accepted. */
export function checkDataFormat(value: unknown, what: string): 'channels_last' {
  if (value === undefined || value === null || value === 'channelsLast' || value === 'channels_last') return 'channels_last';
  throw new NeuriteError(`${what}: only dataFormat 'channelsLast' (NHWC) is supported, received ${describeValue(value)}`);
}
