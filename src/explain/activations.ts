import { Tensor } from '../tensor/tensor.js';
import { noGrad } from '../autograd/record.js';
import { Model } from '../models/model.js';
import { InputLayer } from '../layers/input-layer.js';
import type { Layer } from '../layers/layer.js';
import type { SymbolicTensor } from '../graph/symbolic-tensor.js';
import { ValueError } from '../util/errors.js';
import { checkInput } from './target.js';
import { findLayer, withLayerHook } from './hook.js';

/** Whether the model has a symbolic graph (functional, or Sequential with a known input shape). */
function hasGraph(model: Model): boolean {
  try {
    return model.inputs.length > 0;
  } catch {
    return false;
  }
}

/** Keys of a layer's outputs: its name, or name:i for a layer with several outputs. */
function keysOf(layer: Layer, count: number): string[] {
  return count === 1 ? [layer.name] : Array.from({ length: count }, (_, i) => `${layer.name}:${i}`);
}

/**
 * The output of each layer (all but Input layers by default) for x, keyed by layer name (`name:i` for a
 * layer with several outputs). Graph models run one model whose outputs are those layers' outputs;
 * subclassed models are run with a hook on each layer.
 * @example const acts = explain.activations(model, x, ['conv1']); acts.conv1.shape; // [n, h, w, c]
 */
export function activations(model: Model, x: Tensor, layerNames?: string[]): Record<string, Tensor> {
  checkInput(x, 'activations');
  if (layerNames !== undefined && !Array.isArray(layerNames)) {
    throw new ValueError(`activations: layerNames must be an array of layer names, received ${typeof layerNames}`);
  }
  const layers = layerNames === undefined
    ? model.layers.filter((l) => !(l instanceof InputLayer))
    : layerNames.map((n) => findLayer(model, n, 'activations'));
  const result: Record<string, Tensor> = {};
  if (hasGraph(model)) {
    const outputs: SymbolicTensor[] = [];
    const keys: string[] = [];
    for (const layer of layers) {
      const out = layer.output;
      const list = Array.isArray(out) ? out : [out];
      outputs.push(...list);
      keys.push(...keysOf(layer, list.length));
    }
    const probe = new Model({ inputs: model.inputs, outputs });
    const ys = noGrad(() => probe.forward([x], false));
    keys.forEach((k, i) => { result[k] = ys[i]; });
    return result;
  }
  const run = (i: number): void => {
    if (i === layers.length) {
      noGrad(() => model.forward([x], false));
      return;
    }
    withLayerHook(layers[i], (out) => {
      const list = Array.isArray(out) ? out : [out];
      keysOf(layers[i], list.length).forEach((k, j) => { result[k] = list[j]; });
    }, () => run(i + 1));
  };
  run(0);
  return result;
}
