// Loading a Sequential model from the TF.js Layers format (written by neurite, TF.js, or the
// Keras converter). Every check runs before the model is handed out: the JSON structure, each
// layer's class and config, every weight's presence, dtype, shape and byte length.
import { NeuriteError } from '../util/errors.js';
import { SymbolicTensor } from '../graph/symbolic-tensor.js';
import { Optimizer } from '../optimizers/optimizer.js';
import { optimizerFromConfig as optimizerFromSavedConfig } from '../optimizers/registry.js';
import type { LossName } from '../losses/registry.js';
import type { MetricId } from '../training/compile.js';
import { ModelArtifacts, TrainingConfig, WEIGHTS_FILE } from '../io/artifacts.js';
import { parseModelJSON, sequentialLayers } from '../io/model-json.js';
import { decodeWeights, NamedWeight } from '../io/weights.js';
import { readModelFiles } from '../io/files.js';
import { matchWeights } from '../io/match-weights.js';
import { Sequential } from './sequential.js';
import { Model } from './model.js';
import { trainableNames, weightLayers, weightTargets } from './persistence.js';
import { withoutInitializers } from '../layers/weight-init-mode.js';
import { LayerConfig } from '../layers/config.js';
import { ModelTopology } from '../io/artifacts.js';
import { SymbolicStructure } from './structure.js';
import { functionalFromConfig, sequentialFromConfig } from './register-models.js';
import { withLoadBudget } from '../layers/load-budget.js';
import { describeValue } from '../util/describe.js';

/** The model a topology describes (Sequential, or a functional 'Model' / 'Functional'), built with no initializer run. */
function modelFromTopology(topology: ModelTopology, source: string): Model<SymbolicStructure> {
  const config = topology.config as unknown as LayerConfig;
  return withoutInitializers(() => {
    if (topology.class_name === 'Sequential') return sequentialFromConfig({ ...config, layers: sequentialLayers(topology, source) }, source);
    if (topology.class_name === 'Model' || topology.class_name === 'Functional') return functionalFromConfig(config, source);
    throw new NeuriteError(`${source}: modelTopology: expected class_name 'Sequential', 'Functional' or 'Model', received '${String(topology.class_name).slice(0, 80)}'`);
  });
}

/** Names a file may prefix weights with: the model's and every nested model's (Keras 3 converter). */
function modelNames(model: Model<SymbolicStructure>): string[] {
  const nested = model.layers.filter((l): l is Model<SymbolicStructure> => l instanceof Model);
  return [model.name, ...nested.flatMap(modelNames)];
}

/**
 * A model from in-memory TF.js Layers artifacts (what `modelToArtifacts` produces, or what a TF.js
 * IOHandler loads). `source` names the origin in error messages.
 * @example
 * const copy = modelFromArtifacts(modelToArtifacts(model));
 * copy.predict(x).shape; // the same outputs as model.predict(x)
 */
export function modelFromArtifacts<O extends SymbolicStructure = SymbolicTensor>(artifacts: ModelArtifacts, source = 'model artifacts'): Model<O> {
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
  const modelWeights = weights.filter((w) => w.group !== 'optimizer');
  // Layers are built with no initializer run, each weight checked against the file's before it exists.
  const model = withLoadBudget(
    modelWeights.map((w) => w.tensor.size),
    source,
    () => modelFromTopology(json.modelTopology, source),
  );
  model.setWeights(matchWeights(weightTargets(model.layers), modelWeights, source, modelNames(model)));
  if (json.trainingConfig !== undefined) restoreTraining(model, json.trainingConfig, weights.filter((w) => w.group === 'optimizer'), source);
  return model as unknown as Model<O>;
}

/**
 * The optimizer a trainingConfig names. Keys neurite does not know are accepted only with a neutral
 * value (null, false, 0) or as Keras's bookkeeping `name`, so no setting is silently dropped.
 */
function optimizerFromConfig(spec: TrainingConfig['optimizer_config'], source: string): Optimizer {
  try {
    return optimizerFromSavedConfig(spec.class_name, spec.config);
  } catch (e) {
    throw new NeuriteError(`${source}: trainingConfig optimizer ${spec.class_name}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** TF.js writes `metrics: {}` when there are none; a list of ids otherwise. */
function metricIds(metrics: TrainingConfig['metrics'], source: string): string[] {
  if (metrics === undefined || metrics === null) return [];
  if (Array.isArray(metrics) && metrics.every((m) => typeof m === 'string')) return metrics as string[];
  if (typeof metrics === 'object' && !Array.isArray(metrics) && Object.keys(metrics).length === 0) return [];
  throw new NeuriteError(`${source}: trainingConfig metrics: expected a list of metric ids, received ${describeValue(metrics)}`);
}

/**
 * Compiles the loaded model as saved and puts back the optimizer's step count and slots (TF.js's
 * layout: `iter`, then `<weight>/<slot>` slot by slot), so `fit` continues where it stopped.
 */
function restoreTraining(model: Model<SymbolicStructure>, config: TrainingConfig, saved: NamedWeight[], source: string): void {
  const optimizer = optimizerFromConfig(config.optimizer_config, source);
  if (typeof config.loss !== 'string') throw new NeuriteError(`${source}: trainingConfig loss: expected a loss id, received ${describeValue(config.loss)}`);
  try {
    // Ids read from the file are checked by compile (the types cannot know them).
    model.compile({ optimizer, loss: config.loss as LossName, metrics: metricIds(config.metrics, source) as MetricId[] });
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
  const names = trainableNames(model, weightLayers(model.layers));
  const targets = optimizer.slotNames.flatMap((slot) => params.map((p, j) => ({ name: `${names[j]}/${slot}`, shape: p.shape })));
  const values = matchWeights(targets, slots, `${source} (optimizer state)`);
  // The file lists slots slot by slot; the optimizer's state is parameter by parameter.
  const state: Float32Array[] = [];
  params.forEach((_, j) => optimizer.slotNames.forEach((__, s) => state.push(Float32Array.from(values[s * params.length + j].data))));
  optimizer.setState({ iterations, slots: state }, params);
}

/**
 * Loads a model saved in the TF.js Layers format (Sequential, or a functional 'Model' / 'Functional'
 * graph as TF.js and the Keras converters write it), from its directory or the path of its model.json.
 * A missing, truncated, corrupted or foreign file raises a NeuriteError saying what is wrong; no partly
 * loaded model is ever returned. `O` states the outputs' form for `predict`'s type (one by default:
 * `loadModel<SymbolicTensor[]>(…)` for a model with several outputs).
 * @example const model = await loadModel('./my-model'); model.predict(x);
 */
export async function loadModel<O extends SymbolicStructure = SymbolicTensor>(pathToDirOrModelJson: string): Promise<Model<O>> {
  if (typeof pathToDirOrModelJson !== 'string' || pathToDirOrModelJson === '') {
    throw new NeuriteError(`loadModel: expected the path of a model directory or model.json, received ${describeValue(pathToDirOrModelJson)}`);
  }
  const artifacts = await readModelFiles(pathToDirOrModelJson);
  return modelFromArtifacts<O>(artifacts, pathToDirOrModelJson);
}
