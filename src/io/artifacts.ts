// The TF.js Layers format (`model.json` + binary weight files) as plain types, and the in-memory
// artifacts object both sides of save/load meet in, so any runtime (browser, worker, a network
// transport) can save and load without the file system.

/** A JSON value as found in `model.json`. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue };

/** One layer of a Keras topology: its Keras class name and its snake_case config. */
export interface LayerJSON {
  class_name: string;
  config: JsonObject;
  /** Graph models: the layer's name and its calls (`inbound_nodes`, Keras 2 lists or Keras 3 objects). */
  name?: string;
  inbound_nodes?: JsonValue;
}

/** The Keras JSON of a Sequential model, as TF.js writes it under `modelTopology`. */
export interface ModelTopology {
  class_name: string;
  config: { name: string; layers: LayerJSON[]; input_layers?: JsonValue; output_layers?: JsonValue };
  keras_version?: string;
  backend?: string;
}

/** How one weight is stored: uint8/uint16 affine (`q·scale + min`) or float16. */
export interface WeightQuantization {
  dtype: 'uint8' | 'uint16' | 'float16';
  scale?: number;
  min?: number;
}

/** One entry of a weights manifest: name (`dense/kernel`), shape, dtype; `group: 'optimizer'` for optimizer state. */
export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  group?: 'model' | 'optimizer';
  quantization?: WeightQuantization;
}

/** One group of a weights manifest: the files (shards, concatenated in order) holding its weights. */
export interface WeightsManifestGroup {
  paths: string[];
  weights: WeightSpec[];
}

/** The training config TF.js stores next to the topology (loss, metrics, optimizer class and config). */
export interface TrainingConfig {
  loss: JsonValue;
  metrics?: JsonValue;
  optimizer_config: { class_name: string; config: JsonObject };
}

/** The contents of `model.json` in the TF.js Layers format. */
export interface ModelJSON {
  format: 'layers-model';
  generatedBy: string;
  convertedBy: string | null;
  modelTopology: ModelTopology;
  weightsManifest: WeightsManifestGroup[];
  trainingConfig?: TrainingConfig;
}

/**
 * A saved model in memory, like TF.js's `ModelArtifacts`: the topology, the weight specs and all
 * weight bytes in one buffer (little-endian, concatenated in spec order).
 */
export interface ModelArtifacts {
  modelTopology: ModelTopology;
  weightSpecs: WeightSpec[];
  weightData: ArrayBuffer;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  trainingConfig?: TrainingConfig;
}

/** The file name of the single weights shard neurite writes (what TF.js's file saver uses too). */
export const WEIGHTS_FILE = 'weights.bin';

/** The name of the topology file. */
export const MODEL_FILE = 'model.json';

/** Written as `generatedBy`, so a reader can tell who wrote a file. */
export const GENERATED_BY = 'neurite';

/** The Keras version string written in the topology; TF.js only records it. */
export const KERAS_VERSION = 'neurite (tfjs-layers format)';

/**
 * The `model.json` object of artifacts whose weights are stored in one file, `weightsPath`.
 * @example const json = JSON.stringify(toModelJSON(artifacts)); // plus artifacts.weightData as weights.bin
 */
export function toModelJSON(artifacts: ModelArtifacts, weightsPath: string = WEIGHTS_FILE): ModelJSON {
  const json: ModelJSON = {
    format: 'layers-model',
    generatedBy: artifacts.generatedBy ?? GENERATED_BY,
    convertedBy: artifacts.convertedBy ?? null,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: [weightsPath], weights: artifacts.weightSpecs }],
  };
  if (artifacts.trainingConfig !== undefined) json.trainingConfig = artifacts.trainingConfig;
  return json;
}
