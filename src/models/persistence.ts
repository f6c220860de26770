// Saving models: the TF.js Layers format for Sequential models, and neurite's weights file for any
// model. Everything is serialized and validated in memory first; only then are files written
// (atomically, by src/io), so an error never leaves half a save behind.
// NOTE: model.ts / sequential.ts call into this file, so it imports them as types only (a runtime
// import would be circular).
import { NeuriteError } from '../util/errors.js';
import { shapesEqual } from '../util/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { Layer } from '../layers/layer.js';
import { Optimizer } from '../optimizers/optimizer.js';
import type { Compiled } from '../training/compile.js';
import { KERAS_VERSION, ModelArtifacts, ModelTopology, toModelJSON, TrainingConfig } from '../io/artifacts.js';
import { toJsonValue } from '../io/model-json.js';
import { encodeWeights, NamedWeight } from '../io/weights.js';
import { writeModelFiles } from '../io/files.js';
import { readWeightsFileBytes } from '../io/read-weights-file.js';
import { writeFileAtomically } from '../io/atomic-write.js';
import { decodeWeightsFile, encodeWeightsFile, LayerEntry } from '../io/weights-file.js';
import { matchWeights, WeightTarget } from '../io/match-weights.js';
import type { Model as ModelClass } from './model.js';
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Model = ModelClass<any>;
import { describeValue } from '../util/describe.js';

/** Options of `saveModel`. */
export interface SaveOptions {
  /** Also save the compile state and the optimizer's slots, so `fit` resumes exactly. Default false. */
  includeOptimizer?: boolean;
}

/** The name a weight is saved under, as TF.js names it: `layerName/weightName` (`dense_1/kernel`). */
export function savedWeightName(layer: Layer, weightName: string): string {
  return `${layer.name}/${weightName}`;
}

/** True for a model used as a layer (a nested Sequential or functional model). */
function isNestedModel(layer: Layer): layer is Layer & { layers: Layer[] } {
  return typeof (layer as { getLayer?: unknown }).getLayer === 'function' && Array.isArray((layer as { layers?: unknown }).layers);
}

/**
 * The layers that own weights, in weight order: nested models are replaced by their own layers, as
 * TF.js and Keras name a nested layer's weights by that layer (`inner_dense/kernel`).
 */
export function weightLayers(layers: readonly Layer[]): Layer[] {
  return layers.flatMap((l) => (isNestedModel(l) ? weightLayers(l.layers) : [l]));
}

/** Throws unless every layer exists once by name and has its weights; `what` names the operation. */
function checkSavable(model: Model, what: string): Layer[] {
  const layers = weightLayers(model.layers);
  if (layers.length === 0) throw new NeuriteError(`${what}: model '${model.name}' has no layers`);
  const unbuilt = layers.filter((l) => !l.built).map((l) => `'${l.name}'`);
  if (unbuilt.length > 0) {
    throw new NeuriteError(
      `${what}: layer${unbuilt.length > 1 ? 's' : ''} ${unbuilt.join(', ')} of model '${model.name}' ${unbuilt.length > 1 ? 'have' : 'has'} no weights yet; ` +
        'call the model on data once (or give the first layer an inputShape) first',
    );
  }
  const seen = new Set<string>();
  for (const l of layers) {
    if (seen.has(l.name)) throw new NeuriteError(`${what}: two layers of model '${model.name}' are named '${l.name}'; weights are saved by layer name, so give layers unique names`);
    seen.add(l.name);
  }
  return layers;
}

/** Every weight of `layers`, named as saved. */
function namedModelWeights(layers: readonly Layer[]): NamedWeight[] {
  return layers.flatMap((l) => l.namedWeights().map((w) => ({ name: savedWeightName(l, w.name), tensor: w.value })));
}

/** The weight slots of `layers` a file must fill: saved names and shapes, in model order. */
export function weightTargets(modelLayers: readonly Layer[]): WeightTarget[] {
  const layers = weightLayers(modelLayers);
  return layers.flatMap((l) => l.namedWeights().map((w) => ({ name: savedWeightName(l, w.name), shape: w.value.shape })));
}

/**
 * The Keras topology of a Sequential or functional model (`class_name` 'Sequential' / 'Functional', as
 * Keras 3 writes them), its config checked to be plain JSON.
 */
function topologyOf(model: Model): ModelTopology {
  const config = toJsonValue(model.getConfig(), `save: the config of model '${model.name}'`) as unknown as ModelTopology['config'];
  return { class_name: model.className, config, keras_version: KERAS_VERSION, backend: 'tensor_flow.js' };
}

/**
 * A Sequential model as in-memory TF.js Layers artifacts (topology, weight specs and bytes) — the
 * runtime-independent form `saveModel` writes to disk; `toModelJSON` gives its model.json.
 * @example const { modelTopology, weightSpecs, weightData } = modelToArtifacts(model); // what model.json and weights.bin hold
 */
export function modelToArtifacts(model: Model, { includeOptimizer = false }: SaveOptions = {}): ModelArtifacts {
  if (model.className !== 'Sequential' && model.className !== 'Functional') {
    throw new NeuriteError(
      `save: model '${model.name}' is a subclassed model (${model.className}); the TF.js Layers format needs a Keras topology, ` +
        'so save it with saveWeights(path) and rebuild it in code, or build it with new Model({ inputs, outputs })',
    );
  }
  const layers = checkSavable(model, 'save');
  const topology = topologyOf(model);
  const weights = namedModelWeights(layers);
  let trainingConfig: TrainingConfig | undefined;
  if (includeOptimizer) {
    const compiled = model.compileConfig;
    if (compiled === null) throw new NeuriteError(`save: includeOptimizer needs a compiled model; call compile() on '${model.name}' first`);
    trainingConfig = trainingConfigOf(compiled);
    weights.push(...optimizerWeights(compiled.optimizer, trainableNames(model, layers), model.trainableWeights));
  }
  const { specs, data } = encodeWeights(weights);
  const artifacts: ModelArtifacts = { modelTopology: topology, weightSpecs: specs, weightData: data, format: 'layers-model' };
  if (trainingConfig !== undefined) artifacts.trainingConfig = trainingConfig;
  return artifacts;
}

/** The saved names of the optimizer's parameters (the model's trainable weights, in order). */
export function trainableNames(model: Model, layers: readonly Layer[]): string[] {
  const names = new Map<Tensor, string>();
  for (const l of weightLayers(layers)) for (const w of l.namedWeights()) names.set(w.value, savedWeightName(l, w.name));
  return model.trainableWeights.map((t, i) => {
    const name = names.get(t);
    if (name === undefined) throw new NeuriteError(`save: trainable weight ${i} of model '${model.name}' belongs to no tracked layer`);
    return name;
  });
}

/** The compile state as TF.js's `trainingConfig`: loss id, metric ids, optimizer class and config. */
function trainingConfigOf(compiled: Compiled): TrainingConfig {
  if (compiled.loss.id === null) throw new NeuriteError('save: includeOptimizer needs a built-in loss; a custom loss function cannot be written to model.json');
  if (compiled.loss.instance !== null) throw new NeuriteError(`save: includeOptimizer writes the loss as an id; the ${compiled.loss.instance.className} loss object has non-default settings, compile with its id to save it`);
  const custom = compiled.metrics.filter((m) => m.kind === null).map((m) => `'${m.key}'`);
  if (custom.length > 0) throw new NeuriteError(`save: includeOptimizer cannot write the custom metric object(s) ${custom.join(', ')}; compile with metric ids to save them`);
  const optimizer = compiled.optimizer;
  const config = toJsonValue(optimizer.getConfig(), `save: ${optimizer.className} config`) as TrainingConfig['optimizer_config']['config'];
  return { loss: compiled.loss.id, metrics: compiled.metrics.map((m) => m.key), optimizer_config: { class_name: optimizer.className, config } };
}

/**
 * The optimizer's state as weights, laid out as TF.js saves it: `iter` (int32), then each slot for
 * every parameter, slot by slot (`dense/kernel/m` for all parameters, then `…/v`). An optimizer that
 * has not stepped yet has only `iter`.
 */
function optimizerWeights(optimizer: Optimizer, names: readonly string[], params: readonly Tensor[]): NamedWeight[] {
  const iter: NamedWeight = { name: 'iter', tensor: new Tensor(new Float32Array([optimizer.iterations]), []), dtype: 'int32', group: 'optimizer' };
  if (!optimizer.built) return [iter];
  const { slots } = optimizer.getState(params);
  const perParam = optimizer.slotNames.length;
  if (slots.length !== perParam * params.length || slots.some((s, k) => s.length !== params[Math.floor(k / perParam)].size)) {
    throw new NeuriteError(`save: the ${optimizer.className} optimizer holds state for other parameters than the model's trainable weights`);
  }
  const weights = [iter];
  optimizer.slotNames.forEach((slot, s) => {
    params.forEach((p, j) => weights.push({ name: `${names[j]}/${slot}`, tensor: new Tensor(slots[j * perParam + s], p.shape), group: 'optimizer' }));
  });
  return weights;
}

/**
 * Saves a Sequential model in the TF.js Layers format: `dir/model.json` + `dir/weights-<id>.bin` (the
 * manifest names it), which `loadModel` and TF.js's `tf.loadLayersModel` read. `dir` is created if
 * needed; the rename of model.json is the one commit point, so a crash or a failed save keeps the
 * previous model intact (see src/io/commit-save.ts).
 * @example await saveModel(model, './my-model');
 */
export async function saveModel(model: Model, dir: string, options: SaveOptions = {}): Promise<void> {
  if (typeof dir !== 'string' || dir === '') throw new NeuriteError(`save: expected a directory path, received ${describeValue(dir)}`);
  const artifacts = modelToArtifacts(model, options);
  await writeModelFiles(dir, toModelJSON(artifacts), artifacts.weightData);
}

/**
 * Saves the weights of any model (Sequential or subclassed) to one file, named by layer and weight
 * (`dense/kernel`), written atomically.
 * @example await saveModelWeights(model, './weights.nw');
 */
export async function saveModelWeights(model: Model, path: string): Promise<void> {
  if (typeof path !== 'string' || path === '') throw new NeuriteError(`saveWeights: expected a file path, received ${describeValue(path)}`);
  const layers = checkSavable(model, 'saveWeights');
  const entries: LayerEntry[] = layers.map((l) => ({ name: l.name, class_name: l.className }));
  const bytes = encodeWeightsFile({ layers: entries, weights: namedModelWeights(layers) });
  await writeFileAtomically(path, bytes, 'saveWeights');
}

/**
 * Whether the file's layers are the model's layers in the same order with other names — the same
 * code building a second model in one process, where automatic names get new counters (`dense_2`).
 * Then weights are matched by position, as Keras's `load_weights` does for h5 files.
 */
function sameStructure(layers: readonly Layer[], saved: { layers: LayerEntry[]; weights: NamedWeight[] }): boolean {
  if (saved.layers.length !== layers.length || layers.every((l, i) => l.name === saved.layers[i].name)) return false;
  if (!layers.every((l, i) => l.className === saved.layers[i].class_name)) return false;
  const expected = layers.flatMap((l, i) => l.namedWeights().map((w) => ({ name: `${saved.layers[i].name}/${w.name}`, shape: w.value.shape })));
  return expected.length === saved.weights.length && expected.every((e, i) => e.name === saved.weights[i].name && shapesEqual(e.shape, saved.weights[i].tensor.shape));
}

/**
 * Loads weights saved by `saveModelWeights` into a built model, matched by layer and weight name
 * (by position when only the layer names differ and everything else is identical). Any missing,
 * extra or mis-shaped weight is an error, raised before the model is changed.
 * @example await loadModelWeights(model, './weights.nw');
 */
export async function loadModelWeights(model: Model, path: string): Promise<void> {
  if (typeof path !== 'string' || path === '') throw new NeuriteError(`loadWeights: expected a file path, received ${describeValue(path)}`);
  const layers = checkSavable(model, 'loadWeights');
  const saved = decodeWeightsFile(await readWeightsFileBytes(path, 'loadWeights'), path);
  const values: Tensor[] = sameStructure(layers, saved) ? saved.weights.map((w) => w.tensor) : matchWeights(weightTargets(layers), saved.weights, path);
  model.setWeights(values);
}
