import { NeuriteError, ValueError } from '../util/errors.js';
import { checkOptionKeys } from '../util/options.js';
import { Tensor } from '../tensor/tensor.js';
import { Layer } from '../layers/layer.js';
import { layerFromConfig } from '../layers/serialization.js';
import { Sequential } from '../models/sequential.js';
import { modelToArtifacts } from '../models/persistence.js';
import { ModelArtifacts, toModelJSON, WEIGHTS_FILE, WeightQuantization } from '../io/artifacts.js';
import { parseModelJSON, sequentialLayers as layersOfTopology } from '../io/model-json.js';
import { decodeWeights, encodeWeights, NamedWeight } from '../io/weights.js';
import { readModelFiles, writeModelFiles } from '../io/files.js';
import { LayerwiseSequential, sequentialLayers } from './model-layers.js';
import { QuantizedLayer } from './quantized-layer.js';
import { QuantizedDense } from './quantized-dense.js';
import { QuantizedConv2D } from './quantized-conv2d.js';

/** The two file forms of a quantized model. */
export type QuantizedFormat = 'neurite' | 'tfjs';

/** Options of `saveQuantized`. */
export interface SaveQuantizedOptions {
  /**
   * 'neurite' (default): QuantizedDense / QuantizedConv2D layers, int8 kernels stored one byte per
   * weight with their per-channel scales, read back by `loadQuantized` without dequantizing.
   * 'tfjs': plain Dense / Conv2D whose kernels carry TF.js `quantization` entries (uint8 with scale
   * and min per kernel, or float16), which `tf.loadLayersModel` (and neurite's `loadModel`) read as float32.
   */
  format?: QuantizedFormat;
}

/** int8 values v ∈ [−127, 127] stored as the byte v + 128: TF.js's uint8 quantization with scale 1, min −128, on an int32 weight. */
const INT8_AS_UINT8: WeightQuantization = { dtype: 'uint8', scale: 1, min: -128 };

/**
 * TF.js's affine uint8 form of one tensor: scale = (max − min) / 255 with min nudged so that 0 is
 * exactly a level (pruned zeros stay zeros), q = round((w − min) / scale).
 */
export function uint8Quantization(values: Float32Array): WeightQuantization {
  let lo = 0;
  let hi = 0;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (hi === lo) return { dtype: 'uint8', scale: 1, min: lo };
  const scale = (hi - lo) / 255;
  const zeroPoint = Math.round(-lo / scale);
  return { dtype: 'uint8', scale, min: -zeroPoint * scale };
}

/**
 * A quantized Sequential model as TF.js Layers artifacts in the chosen form.
 * @example const artifacts = quantizedToArtifacts(quantize(model, 'int8'), { format: 'tfjs' }); // readable by tf.loadLayersModel
 */
export function quantizedToArtifacts(model: Sequential, { format = 'neurite' }: SaveQuantizedOptions = {}): ModelArtifacts {
  if (format !== 'neurite' && format !== 'tfjs') throw new ValueError(`saveQuantized: expected format 'neurite' or 'tfjs', received ${JSON.stringify(format)}`);
  const layers = sequentialLayers(model, 'saveQuantized');
  const saved = format === 'tfjs' ? new Sequential(layers.map((l) => (l instanceof QuantizedLayer ? (l as QuantizedDense | QuantizedConv2D).toFloatLayer() : l)), { name: model.name }) : model;
  const artifacts = modelToArtifacts(saved);
  const weights: NamedWeight[] = [];
  layers.forEach((source, i) => {
    for (const w of saved.layers[i].namedWeights()) {
      const named: NamedWeight = { name: `${source.name}/${w.name}`, tensor: w.value };
      if (source instanceof QuantizedLayer && w.name === 'kernel') {
        if (source.mode === 'float16') named.quantization = { dtype: 'float16' };
        else if (format === 'tfjs') named.quantization = uint8Quantization(w.value.data);
        else {
          named.dtype = 'int32';
          named.quantization = INT8_AS_UINT8;
        }
      }
      weights.push(named);
    }
  });
  const { specs, data } = encodeWeights(weights);
  return { ...artifacts, weightSpecs: specs, weightData: data };
}

/**
 * Saves a quantized model (from `quantize`) in the TF.js Layers format: `dir/model.json` +
 * `dir/weights.bin`, atomically. See `SaveQuantizedOptions.format` for the two forms.
 * @example await saveQuantized(quantize(model, 'int8'), './model-int8');
 */
export async function saveQuantized(model: Sequential, dir: string, options: SaveQuantizedOptions = {}): Promise<void> {
  checkOptionKeys(options, ['format'], 'saveQuantized');
  if (typeof dir !== 'string' || dir === '') throw new NeuriteError(`saveQuantized: expected a directory path, received ${JSON.stringify(dir)}`);
  const artifacts = quantizedToArtifacts(model, options);
  await writeModelFiles(dir, toModelJSON(artifacts), artifacts.weightData);
}

const QUANTIZED_BUILDERS: Record<string, (config: Record<string, unknown>) => Layer> = {
  QuantizedDense: QuantizedDense.fromConfig,
  QuantizedConv2D: QuantizedConv2D.fromConfig,
};

/**
 * A Sequential model (quantized layers included) from artifacts; weights go to each layer's own setWeights.
 * @example
 * const q = quantizedFromArtifacts(quantizedToArtifacts(quantize(model, 'int8')));
 * q.predict(x).shape; // [4, 1]
 */
export function quantizedFromArtifacts(artifacts: ModelArtifacts, source = 'model artifacts'): Sequential {
  const json = parseModelJSON(
    { format: artifacts.format, modelTopology: artifacts.modelTopology, weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs }] },
    source,
  );
  const weights = decodeWeights(json.weightsManifest[0].weights, artifacts.weightData, source);
  const layers = layersOfTopology(json.modelTopology, source).map((l, i) => {
    try {
      return (QUANTIZED_BUILDERS[l.class_name] ?? ((c: Record<string, unknown>) => layerFromConfig(l.class_name, c)))(l.config);
    } catch (e) {
      throw new NeuriteError(`${source}: layer ${i} (${l.class_name}): ${e instanceof Error ? e.message : String(e)}`);
    }
  });
  const first = layers[0];
  if (first === undefined || first.batchInputShape === null) throw new NeuriteError(`${source}: the first layer has no batch_input_shape`);
  first.ensureBuilt(first.batchInputShape);
  const model = new LayerwiseSequential(layers, { name: json.modelTopology.config.name });
  const byName = new Map(weights.filter((w) => w.group !== 'optimizer').map((w) => [w.name, w.tensor]));
  const values = model.layers.map((l) =>
    l.namedWeights().map((w) => {
      const t = byName.get(`${l.name}/${w.name}`);
      if (t === undefined) throw new NeuriteError(`${source}: weight '${l.name}/${w.name}' is missing from the file`);
      byName.delete(`${l.name}/${w.name}`);
      return t;
    }),
  );
  if (byName.size > 0) throw new NeuriteError(`${source}: the file has weights no layer takes: ${[...byName.keys()].join(', ')}`);
  model.layers.forEach((l, i) => l.setWeights(values[i] as Tensor[]));
  return model;
}

/**
 * Loads a model saved by `saveQuantized` (either form; also plain float models) from its directory
 * or model.json. The file's int8 values become the Int8Array kernel as they are: nothing is dequantized.
 * @example const q = await loadQuantized('./model-int8'); q.predict(x);
 */
export async function loadQuantized(pathToDirOrModelJson: string): Promise<Sequential> {
  if (typeof pathToDirOrModelJson !== 'string' || pathToDirOrModelJson === '') {
    throw new NeuriteError(`loadQuantized: expected the path of a model directory or model.json, received ${JSON.stringify(pathToDirOrModelJson)}`);
  }
  return quantizedFromArtifacts(await readModelFiles(pathToDirOrModelJson), pathToDirOrModelJson);
}
