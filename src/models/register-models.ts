// Builders for models inside model files: a Sequential or functional model nested as a layer, and the
// top-level model a file describes. Registered with the layer registry, so `layerFromConfig` rebuilds
// nested models as it does any layer.
import { NeuriteError } from '../util/errors.js';
import { Layer } from '../layers/layer.js';
import { LayerConfig } from '../layers/config.js';
import { layerClassNames, layerFromConfig, registerBuilder } from '../layers/serialization.js';
import { InputLayer } from '../layers/input-layer.js';
import { Model } from './model.js';
import { Sequential } from './sequential.js';
import { rebuildGraph } from './functional-from-config.js';
import { SymbolicStructure } from './structure.js';

/** Builds one layer from its JSON, naming the layer and `source` when its class or config is refused. */
function buildLayer(className: string, config: LayerConfig, index: number, source: string): Layer {
  try {
    return layerFromConfig(className, config);
  } catch (e) {
    const name = typeof config.name === 'string' ? ` '${config.name}'` : '';
    // Quantized classes register themselves when the compress tools load; without them, say where they come from.
    if (className.startsWith('Quantized') && !layerClassNames().includes(className)) {
      throw new NeuriteError(`${source}: layer ${index}${name} is a ${className}: the file holds a quantized model written by saveQuantized; load it with loadQuantized(path)`);
    }
    const message = e instanceof Error ? e.message : String(e);
    throw new NeuriteError(`${source}: layer ${index}${name} (${className}): ${message}`);
  }
}

/** A Sequential from its config's layers (an InputLayer first becomes the first layer's input shape). */
export function sequentialFromConfig(config: LayerConfig, source: string): Sequential {
  const entries = Array.isArray(config.layers) ? (config.layers as { class_name: string; config: LayerConfig }[]) : [];
  const name = typeof config.name === 'string' ? config.name : 'sequential';
  const layers = entries.map((l, i) => buildLayer(l.class_name, l.config, i, source));
  if (layers.length > 0 && layers[0] instanceof InputLayer) {
    const input = layers.shift() as InputLayer;
    if (layers.length > 0 && layers[0].batchInputShape === null) layers[0].ensureBuilt(input.inputBatchShape);
  }
  if (layers.length === 0) throw new NeuriteError(`${source}: the model has no layers`);
  if (layers[0].batchInputShape === null && !layers[0].built) {
    throw new NeuriteError(`${source}: the first layer '${layers[0].name}' has no batch_input_shape, so the model's input shape (and its weight shapes) are unknown`);
  }
  let model: Sequential;
  try {
    if (!layers[0].built) layers[0].ensureBuilt(layers[0].batchInputShape!);
    model = new Sequential(layers, { name });
  } catch (e) {
    throw new NeuriteError(`${source}: the layers do not fit together (${e instanceof Error ? e.message : String(e)})`);
  }
  const unbuilt = model.layers.filter((l) => !l.built).map((l) => `'${l.name}'`);
  if (unbuilt.length > 0) throw new NeuriteError(`${source}: could not build layer(s) ${unbuilt.join(', ')} from the input shape`);
  return model;
}

/** A functional model from its config (layers, inbound nodes, input and output layers). */
export function functionalFromConfig(config: LayerConfig, source: string): Model<SymbolicStructure> {
  const graph = rebuildGraph(config, source, (className, layerConfig, index) => buildLayer(className, layerConfig, index, source));
  try {
    return new Model<SymbolicStructure>({ inputs: graph.inputs, outputs: graph.outputs, name: graph.name });
  } catch (e) {
    throw new NeuriteError(`${source}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

registerBuilder('Sequential', (config) => sequentialFromConfig(config, `Sequential '${String(config.name)}'`));
registerBuilder('Functional', (config) => functionalFromConfig(config, `Functional '${String(config.name)}'`));
registerBuilder('Model', (config) => functionalFromConfig(config, `Model '${String(config.name)}'`));
