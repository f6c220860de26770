import { NeuriteError, ValueError } from '../util/errors.js';
import { checkOptionKeys } from '../util/options.js';
import { Layer } from '../layers/layer.js';
import { modelToArtifacts } from '../models/persistence.js';
import { ModelArtifacts, toModelJSON, WeightQuantization } from '../io/artifacts.js';
import { encodeWeights, NamedWeight } from '../io/weights.js';
import { readModelFiles, writeModelFiles } from '../io/files.js';
import { modelLayers, rewriteModel } from './model-layers.js';
import { Model } from '../models/model.js';
import { modelFromArtifacts } from '../models/load-model.js';
import { isQuantizedLayer } from './quantized-any.js';

/** The two file forms of a quantized model. */
export type QuantizedFormat = 'neurite' | 'tfjs';

/** Options of `saveQuantized`. */
export interface SaveQuantizedOptions {
  /**
   * 'neurite' (default): the quantized layers (QuantizedDense, QuantizedConv2D, QuantizedLSTM …), int8 kernels stored one byte per
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
 * A quantized model (Sequential or functional) as TF.js Layers artifacts in the chosen form.
 * @example const artifacts = quantizedToArtifacts(quantize(model, 'int8'), { format: 'tfjs' }); // readable by tf.loadLayersModel
 */
export function quantizedToArtifacts(model: Model, { format = 'neurite' }: SaveQuantizedOptions = {}): ModelArtifacts {
  if (format !== 'neurite' && format !== 'tfjs') throw new ValueError(`saveQuantized: expected format 'neurite' or 'tfjs', received ${JSON.stringify(format)}`);
  const layers = modelLayers(model, 'saveQuantized');
  const asFloat = (l: Layer): Layer => (isQuantizedLayer(l) ? l.toFloatLayer() : l);
  const saved = format === 'tfjs' ? rewriteModel(model, asFloat, 'saveQuantized') : model;
  const artifacts = modelToArtifacts(saved);
  const savedLayers = new Map(modelLayers(saved, 'saveQuantized').map((l) => [l.name, l]));
  const weights: NamedWeight[] = [];
  layers.forEach((source) => {
    for (const w of savedLayers.get(source.name)!.namedWeights()) {
      const named: NamedWeight = { name: `${source.name}/${w.name}`, tensor: w.value };
      // Bias and scales are float16 in memory already: stored as float16, they are exact.
      if (isQuantizedLayer(source) && (w.name === 'bias' || w.name.endsWith('kernel_scale'))) named.quantization = { dtype: 'float16' };
      if (isQuantizedLayer(source) && (w.name === 'kernel' || w.name === 'recurrent_kernel')) {
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
export async function saveQuantized(model: Model, dir: string, options: SaveQuantizedOptions = {}): Promise<void> {
  checkOptionKeys(options, ['format'], 'saveQuantized');
  if (typeof dir !== 'string' || dir === '') throw new NeuriteError(`saveQuantized: expected a directory path, received ${JSON.stringify(dir)}`);
  const artifacts = quantizedToArtifacts(model, options);
  await writeModelFiles(dir, toModelJSON(artifacts), artifacts.weightData);
}

/**
 * A model (quantized layers included, Sequential or functional) from artifacts: `modelFromArtifacts`,
 * which finds the quantized layers (Dense, Conv2D, SimpleRNN, LSTM, GRU) in the layer registry like any other class.
 * @example
 * const q = quantizedFromArtifacts(quantizedToArtifacts(quantize(model, 'int8')));
 * q.predict(x).shape; // [4, 1]
 */
export function quantizedFromArtifacts(artifacts: ModelArtifacts, source = 'model artifacts'): Model {
  return modelFromArtifacts(artifacts, source);
}

/**
 * Loads a model saved by `saveQuantized` (either form; also plain float models) from its directory
 * or model.json — the same as `loadModel`, which reads quantized files too. The file's int8 values
 * become the Int8Array kernel as they are: nothing is dequantized.
 * @example const q = await loadQuantized('./model-int8'); q.predict(x);
 */
export async function loadQuantized(pathToDirOrModelJson: string): Promise<Model> {
  if (typeof pathToDirOrModelJson !== 'string' || pathToDirOrModelJson === '') {
    throw new NeuriteError(`loadQuantized: expected the path of a model directory or model.json, received ${JSON.stringify(pathToDirOrModelJson)}`);
  }
  return modelFromArtifacts(await readModelFiles(pathToDirOrModelJson), pathToDirOrModelJson);
}
