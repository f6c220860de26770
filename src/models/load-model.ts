// Loading a Sequential model from the TF.js Layers format (written by neurite, TF.js, or the
// Keras converter). Every check runs before the model is handed out: the JSON structure, each
// layer's class and config, every weight's presence, dtype, shape and byte length.
import { NeuriteError } from '../util/errors.js';
import { Layer } from '../layers/layer.js';
import { layerFromConfig } from '../layers/serialization.js';
import { Optimizer } from '../optimizers/optimizer.js';
import { getOptimizer } from '../optimizers/registry.js';
import { ModelArtifacts, TrainingConfig, WEIGHTS_FILE } from '../io/artifacts.js';
import { parseModelJSON, sequentialLayers } from '../io/model-json.js';
import { decodeWeights, NamedWeight } from '../io/weights.js';
import { readModelFiles } from '../io/files.js';
import { matchWeights } from '../io/match-weights.js';
import { Sequential } from './sequential.js';
import { trainableNames, weightTargets } from './persistence.js';

/** Builds one layer from its JSON, naming the layer and `source` when its class or config is refused. */
function buildLayer(className: string, config: Record<string, unknown>, index: number, source: string): Layer {
  try {
    return layerFromConfig(className, config);
  } catch (e) {
    const name = typeof config.name === 'string' ? ` '${config.name}'` : '';
    if (className.startsWith('Quantized')) {
      throw new NeuriteError(`${source}: layer ${index}${name} is a ${className}: the file holds a quantized model written by saveQuantized; load it with loadQuantized(path)`);
    }
    const message = e instanceof Error ? e.message : String(e);
    throw new NeuriteError(`${source}: layer ${index}${name} (${className}): ${message}`);
  }
}

/** The Sequential model of `layers`, built from the first layer's declared input shape. */
function assemble(layers: Layer[], name: string, source: string): Sequential {
  if (layers.length === 0) throw new NeuriteError(`${source}: the model has no layers`);
  if (layers[0].batchInputShape === null) {
    throw new NeuriteError(`${source}: the first layer '${layers[0].name}' has no batch_input_shape, so the model's input shape (and its weight shapes) are unknown`);
  }
  const seen = new Set<string>();
  for (const l of layers) {
    if (seen.has(l.name)) throw new NeuriteError(`${source}: two layers are named '${l.name}'; weights are matched by layer name`);
    seen.add(l.name);
  }
  let model: Sequential;
  try {
    // Build the first layer from its declared shape; the Sequential builds the others in turn.
    layers[0].ensureBuilt(layers[0].batchInputShape);
    model = new Sequential(layers, { name });
  } catch (e) {
    throw new NeuriteError(`${source}: the layers do not fit together (${e instanceof Error ? e.message : String(e)})`);
  }
  const unbuilt = model.layers.filter((l) => !l.built).map((l) => `'${l.name}'`);
  if (unbuilt.length > 0) throw new NeuriteError(`${source}: could not build layer(s) ${unbuilt.join(', ')} from the input shape`);
  return model;
}

/**
 * A Sequential model from in-memory TF.js Layers artifacts (what `modelToArtifacts` produces, or
 * what a TF.js IOHandler loads). `source` names the origin in error messages.
 */
export function modelFromArtifacts(artifacts: ModelArtifacts, source = 'model artifacts'): Sequential {
  if (artifacts === null || typeof artifacts !== 'object' || !(artifacts.weightData instanceof ArrayBuffer)) {
    throw new NeuriteError(`${source}: expected artifacts { modelTopology, weightSpecs, weightData: an ArrayBuffer }`);
  }
  // In-memory artifacts get the same structural checks as a model.json read from disk.
  const json = parseModelJSON(
    { format: artifacts.format, modelTopology: artifacts.modelTopology, weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs }], trainingConfig: artifacts.trainingConfig },
    source,
  );
  // Decoding validates every spec and the exact byte length before anything is built.
  const weights = decodeWeights(json.weightsManifest[0].weights, artifacts.weightData, source);
  const layers = sequentialLayers(json.modelTopology, source).map((l, i) => buildLayer(l.class_name, l.config, i, source));
  const model = assemble(layers, json.modelTopology.config.name, source);
  const modelWeights = weights.filter((w) => w.group !== 'optimizer');
  model.setWeights(matchWeights(weightTargets(model.layers), modelWeights, source));
  if (json.trainingConfig !== undefined) restoreTraining(model, json.trainingConfig, weights.filter((w) => w.group === 'optimizer'), source);
  return model;
}

/** Keras's snake_case optimizer keys and their neurite / TF.js spellings. */
const KERAS_KEYS: Record<string, string> = { learning_rate: 'learningRate', beta_1: 'beta1', beta_2: 'beta2', clipnorm: 'clipNorm' };

/**
 * The optimizer a trainingConfig names. Keys neurite does not know are accepted only with a neutral
 * value (null, false, 0) or as Keras's bookkeeping `name`, so no setting is silently dropped.
 */
function optimizerFromConfig(spec: TrainingConfig['optimizer_config'], source: string): Optimizer {
  const where = `${source}: trainingConfig optimizer ${spec.class_name}`;
  const config: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(spec.config)) config[KERAS_KEYS[key] ?? key] = value;
  // TF.js's RMSProp calls rho `decay` (in Keras 2 configs `decay` is a learning-rate decay, 0 when unused).
  if (spec.class_name === 'RMSProp' && 'decay' in config) {
    config.rho = config.decay;
    delete config.decay;
  }
  try {
    const optimizer = getOptimizer(spec.class_name, config);
    const known = new Set([...Object.keys(optimizer.getConfig()), 'clipNorm', 'learningRate']);
    for (const [key, value] of Object.entries(config)) {
      if (!known.has(key) && key !== 'name' && value !== null && value !== false && value !== 0) {
        throw new NeuriteError(`'${key}' = ${JSON.stringify(value)} is not supported`);
      }
    }
    return optimizer;
  } catch (e) {
    throw new NeuriteError(`${where}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** TF.js writes `metrics: {}` when there are none; a list of ids otherwise. */
function metricIds(metrics: TrainingConfig['metrics'], source: string): string[] {
  if (metrics === undefined || metrics === null) return [];
  if (Array.isArray(metrics) && metrics.every((m) => typeof m === 'string')) return metrics as string[];
  if (typeof metrics === 'object' && !Array.isArray(metrics) && Object.keys(metrics).length === 0) return [];
  throw new NeuriteError(`${source}: trainingConfig metrics: expected a list of metric ids, received ${JSON.stringify(metrics)}`);
}

/**
 * Compiles the loaded model as saved and puts back the optimizer's step count and slots (TF.js's
 * layout: `iter`, then `<weight>/<slot>` slot by slot), so `fit` continues where it stopped.
 */
function restoreTraining(model: Sequential, config: TrainingConfig, saved: NamedWeight[], source: string): void {
  const optimizer = optimizerFromConfig(config.optimizer_config, source);
  if (typeof config.loss !== 'string') throw new NeuriteError(`${source}: trainingConfig loss: expected a loss id, received ${JSON.stringify(config.loss)}`);
  try {
    model.compile({ optimizer, loss: config.loss, metrics: metricIds(config.metrics, source) });
  } catch (e) {
    throw new NeuriteError(`${source}: trainingConfig: ${e instanceof Error ? e.message : String(e)}`);
  }
  const iter = saved.find((w) => w.name === 'iter');
  const slots = saved.filter((w) => w !== iter);
  if (iter === undefined) {
    if (slots.length > 0) throw new NeuriteError(`${source}: optimizer weights without the step count 'iter'`);
    return;
  }
  const iterations = iter.tensor.data[0];
  if (iter.tensor.size !== 1 || !Number.isInteger(iterations) || iterations < 0) {
    throw new NeuriteError(`${source}: optimizer weight 'iter' must be one non-negative integer, received ${iter.tensor.toString()}`);
  }
  const params = model.trainableWeights;
  // An optimizer that never stepped has no slots yet (they start at zero): only the count is saved.
  if (slots.length === 0 && iterations === 0) return;
  const names = trainableNames(model, model.layers);
  const targets = optimizer.slotNames.flatMap((slot) => params.map((p, j) => ({ name: `${names[j]}/${slot}`, shape: p.shape })));
  const values = matchWeights(targets, slots, `${source} (optimizer state)`);
  // The file lists slots slot by slot; the optimizer's state is parameter by parameter.
  const state: Float32Array[] = [];
  params.forEach((_, j) => optimizer.slotNames.forEach((__, s) => state.push(Float32Array.from(values[s * params.length + j].data))));
  optimizer.build(params);
  optimizer.setState({ iterations, slots: state });
}

/**
 * Loads a Sequential model saved in the TF.js Layers format, from its directory or the path of its
 * model.json. A missing, truncated, corrupted or foreign file raises a NeuriteError saying what is
 * wrong; no partly loaded model is ever returned.
 * @example const model = await loadModel('./my-model'); model.predict(x);
 */
export async function loadModel(pathToDirOrModelJson: string): Promise<Sequential> {
  if (typeof pathToDirOrModelJson !== 'string' || pathToDirOrModelJson === '') {
    throw new NeuriteError(`loadModel: expected the path of a model directory or model.json, received ${JSON.stringify(pathToDirOrModelJson)}`);
  }
  const artifacts = await readModelFiles(pathToDirOrModelJson);
  return modelFromArtifacts(artifacts, pathToDirOrModelJson);
}
