import { NeuriteError } from '../util/errors.js';
import { capText, describeValue } from '../util/describe.js';
import { checkJsonDepth } from '../util/limits.js';
import { JsonObject, JsonValue, LayerJSON, ModelJSON, ModelTopology, TrainingConfig, WeightsManifestGroup } from './artifacts.js';
import { validateWeightSpec } from './weights.js';

function fail(where: string, what: string): never {
  throw new NeuriteError(capText(`${where}: ${what}`));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function describe(v: unknown): string {
  return v === undefined ? 'nothing' : describeValue(v, 80);
}

/**
 * Parses and checks the structure of a `model.json` (text or an already parsed value). `source`
 * (the file path) starts every message. Accepts what TF.js and its Keras converter write:
 * `modelTopology` directly or wrapped in `model_config`, and a missing `format` (older files).
 */
export function parseModelJSON(input: string | unknown, source = 'model.json'): ModelJSON {
  let raw: unknown = input;
  if (typeof input === 'string') {
    try {
      raw = JSON.parse(input);
    } catch (e) {
      fail(source, `is not valid JSON (${(e as Error).message})`);
    }
  }
  checkJsonDepth(raw, source);
  if (!isObject(raw)) fail(source, `expected a JSON object with "modelTopology" and "weightsManifest", received ${describe(raw)}`);
  if (raw.format !== undefined && raw.format !== 'layers-model') {
    const hint = raw.format === 'graph-model' ? ' (a TF.js graph model, converted from a SavedModel, has no Keras layers to load)' : '';
    fail(source, `expected "format": "layers-model", received ${describe(raw.format)}${hint}`);
  }
  if (raw.modelTopology === undefined) fail(source, 'has no "modelTopology"; it is not a TF.js Layers model.json');
  const modelTopology = parseTopology(raw.modelTopology, `${source}: modelTopology`);
  if (raw.weightsManifest === undefined) fail(source, 'has no "weightsManifest"; the weights of the model are not listed');
  const json: ModelJSON = {
    format: 'layers-model',
    generatedBy: typeof raw.generatedBy === 'string' ? raw.generatedBy : 'unknown',
    convertedBy: typeof raw.convertedBy === 'string' ? raw.convertedBy : null,
    modelTopology,
    weightsManifest: parseManifest(raw.weightsManifest, `${source}: weightsManifest`),
  };
  if (raw.trainingConfig !== undefined && raw.trainingConfig !== null) {
    json.trainingConfig = parseTrainingConfig(raw.trainingConfig, `${source}: trainingConfig`);
  }
  return json;
}

function parseTopology(raw: unknown, where: string): ModelTopology {
  const topology = isObject(raw) && isObject(raw.model_config) ? raw.model_config : raw;
  if (!isObject(topology)) fail(where, `expected an object { class_name, config }, received ${describe(raw)}`);
  if (typeof topology.class_name !== 'string') fail(where, `expected a string "class_name", received ${describe(topology.class_name)}`);
  const config = topology.config;
  // Old Keras wrote a Sequential's config as the bare list of layers.
  const layers = Array.isArray(config) ? config : isObject(config) ? config.layers : undefined;
  if (!Array.isArray(layers)) fail(where, `expected "config.layers" to be an array of layers, received ${describe(config)}`);
  const name = isObject(config) && typeof config.name === 'string' ? config.name : 'sequential';
  const out: ModelTopology = { class_name: topology.class_name, config: { name, layers: layers.map((l, i) => parseLayer(l, `${where}.config.layers[${i}]`)) } };
  if (isObject(config)) {
    if (config.input_layers !== undefined) out.config.input_layers = config.input_layers as JsonValue;
    if (config.output_layers !== undefined) out.config.output_layers = config.output_layers as JsonValue;
  }
  const outer = raw as Record<string, unknown>;
  if (typeof outer.keras_version === 'string') out.keras_version = outer.keras_version;
  if (typeof outer.backend === 'string') out.backend = outer.backend;
  return out;
}

function parseLayer(raw: unknown, where: string): LayerJSON {
  if (!isObject(raw)) fail(where, `expected a layer { class_name, config }, received ${describe(raw)}`);
  if (typeof raw.class_name !== 'string' || raw.class_name === '') fail(where, `expected a string "class_name", received ${describe(raw.class_name)}`);
  if (!isObject(raw.config)) fail(`${where} (${raw.class_name})`, `expected a "config" object, received ${describe(raw.config)}`);
  const out: LayerJSON = { class_name: raw.class_name, config: raw.config as JsonObject };
  if (typeof raw.name === 'string') out.name = raw.name;
  if (raw.inbound_nodes !== undefined) out.inbound_nodes = raw.inbound_nodes as JsonValue;
  return out;
}

function parseManifest(raw: unknown, where: string): WeightsManifestGroup[] {
  if (!Array.isArray(raw)) fail(where, `expected an array of { paths, weights } groups, received ${describe(raw)}`);
  return raw.map((group, g) => {
    const at = `${where}[${g}]`;
    if (!isObject(group)) fail(at, `expected a group { paths, weights }, received ${describe(group)}`);
    const paths = group.paths;
    if (!Array.isArray(paths) || paths.some((p) => typeof p !== 'string' || p === '')) {
      fail(at, `expected "paths" to be an array of file names, received ${describe(paths)}`);
    }
    if (!Array.isArray(group.weights)) fail(at, `expected "weights" to be an array, received ${describe(group.weights)}`);
    return { paths: [...(paths as string[])], weights: group.weights.map((w, i) => validateWeightSpec(w, `${at}.weights[${i}]`)) };
  });
}

function parseTrainingConfig(raw: unknown, where: string): TrainingConfig {
  if (!isObject(raw)) fail(where, `expected an object, received ${describe(raw)}`);
  const opt = raw.optimizer_config;
  if (!isObject(opt) || typeof opt.class_name !== 'string' || !isObject(opt.config)) {
    fail(where, `expected "optimizer_config" = { class_name, config }, received ${describe(opt)}`);
  }
  const out: TrainingConfig = {
    loss: (raw.loss ?? null) as TrainingConfig['loss'],
    optimizer_config: { class_name: opt.class_name, config: opt.config as JsonObject },
  };
  if (raw.metrics !== undefined) out.metrics = raw.metrics as TrainingConfig['metrics'];
  return out;
}

/**
 * The layers of a Sequential topology, checked to be one. A leading Keras `InputLayer` is folded
 * into the next layer's `batch_input_shape` (Keras 2 writes `batch_input_shape`, Keras 3 `batch_shape`).
 */
export function sequentialLayers(topology: ModelTopology, source = 'model.json'): LayerJSON[] {
  if (topology.class_name !== 'Sequential') {
    fail(`${source}: modelTopology`, `only Sequential models can be loaded, received class_name '${topology.class_name}'`);
  }
  const layers = topology.config.layers.map((l) => ({ class_name: l.class_name, config: { ...l.config } }));
  if (layers.length > 0 && layers[0].class_name === 'InputLayer') {
    const input = layers.shift()!.config;
    const shape = input.batch_input_shape ?? input.batch_shape;
    if (!Array.isArray(shape)) fail(`${source}: modelTopology`, `the InputLayer has no batch_input_shape / batch_shape, received ${describe(input)}`);
    if (layers.length > 0 && layers[0].config.batch_input_shape === undefined) layers[0].config.batch_input_shape = shape;
  }
  const extra = layers.findIndex((l) => l.class_name === 'InputLayer');
  if (extra >= 0) fail(`${source}: modelTopology`, `an InputLayer may only come first in a Sequential model, found one at layer ${extra}`);
  return layers;
}

/**
 * A deep copy of `value` as plain JSON, refusing what JSON.stringify would silently drop or
 * change (functions, undefined, NaN / Infinity, class instances); `where` names the value.
 */
export function toJsonValue(value: unknown, where: string): JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) fail(where, `${value} cannot be written to JSON`);
    return value;
  }
  if (Array.isArray(value)) return value.map((v, i) => toJsonValue(v, `${where}[${i}]`));
  if (typeof value === 'object' && (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null)) {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = toJsonValue(v, `${where}.${k}`);
    return out;
  }
  const kind = value === undefined ? 'undefined' : typeof value === 'object' ? `a ${(value as object).constructor?.name ?? 'class'} instance` : `a ${typeof value}`;
  return fail(where, `${kind} cannot be written to JSON (a custom function or object has no Keras config)`);
}
