import { NeuriteError, ShapeError, ValueError } from '../util/errors.js';
import { formatShape, shapesEqual } from '../util/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { noGrad } from '../autograd/record.js';
import { Layer, Shape } from '../layers/layer.js';
import { layerFromConfig } from '../layers/serialization.js';
import { Model } from '../models/model.js';
import { Sequential } from '../models/sequential.js';
import { toTensor } from '../training/data.js';
import './register-quantized.js';
import { functionalCalls, functionalLayers, isFunctional, LayerCalls, rewriteFunctional } from './model-graph.js';

export type { LayerCalls } from './model-graph.js';

/**
 * What the compression tools need from a model, in one place: its layers in order, a copy with
 * layers replaced, checks, and the inputs each layer sees on data — for Sequential models and
 * functional graphs (model-graph.ts) alike.
 */

/** The layers of a built Sequential model; `what` names the tool in messages. */
export function sequentialLayers(model: unknown, what: string): Layer[] {
  if (!(model instanceof Model)) throw new NeuriteError(`${what}: expected a neurite Model, received ${model === null ? 'null' : typeof model}`);
  if (!(model instanceof Sequential)) {
    throw new NeuriteError(`${what}: model '${model.name}' is a ${model.constructor.name}; ${what} rewrites Sequential models (rebuild it as a Sequential first)`);
  }
  const layers = model.layers;
  if (layers.length === 0 || !model.built || model.inputShape === null) {
    throw new NeuriteError(`${what}: model '${model.name}' is not built; call it on data (or give the first layer an inputShape) first`);
  }
  return layers;
}

/**
 * The layers of a built Sequential or functional model, in call order (a functional model's
 * InputLayers left out); subclassed models, whose calls are code, are refused. `what` names the tool.
 */
export function modelLayers(model: unknown, what: string): Layer[] {
  if (model instanceof Model && !(model instanceof Sequential)) {
    if (!isFunctional(model)) {
      throw new NeuriteError(`${what}: model '${model.name}' is a subclassed ${model.constructor.name}; ${what} rewrites Sequential and functional models, whose layer calls it can replay`);
    }
    return functionalLayers(model, what);
  }
  return sequentialLayers(model, what);
}

/** A copy of a built layer (its config and weights), so the new model shares nothing with the old one. */
export function cloneLayer(layer: Layer): Layer {
  const copy = layerFromConfig(layer.className, layer.getConfig());
  // Weightless layers (merges take lists of shapes) are built by their first call.
  if (layer.namedWeights().length === 0) return copy;
  copy.ensureBuilt(layer.inputShapeBuilt as Shape);
  copy.setWeights(layer.getWeights());
  return copy;
}

/** A new model of the same kind as `model` (Sequential or functional) with each layer replaced by `replace(layer)`. */
export function rewriteModel(model: Model, replace: (layer: Layer) => Layer, what: string): Model {
  if (model instanceof Sequential) return rebuild(model, model.layers.map(replace));
  return rewriteFunctional(model, replace, what);
}

/**
 * A Sequential whose `setWeights` hands each layer its own slice through `layer.setWeights`, so
 * layers that keep weights in compact storage (the quantized layers, whose `namedWeights` are
 * copies) are really written; counts and shapes are all checked before any layer changes.
 */
export class LayerwiseSequential extends Sequential {
  override setWeights(weights: readonly Tensor[]): void {
    const layers = this.layers;
    const counts = layers.map((l) => l.namedWeights().length);
    const total = counts.reduce((a, b) => a + b, 0);
    if (!Array.isArray(weights) || weights.length !== total) {
      throw new ValueError(`${this.name}.setWeights: expected ${total} tensors, received ${Array.isArray(weights) ? weights.length : typeof weights}`);
    }
    let at = 0;
    const slices = counts.map((c) => weights.slice(at, (at += c)));
    layers.forEach((l, i) => {
      l.namedWeights().forEach((w, j) => {
        const given = slices[i][j];
        if (!(given instanceof Tensor) || !shapesEqual(given.shape, w.value.shape)) {
          throw new ShapeError(`${this.name}.setWeights: ${l.name}/${w.name} expected shape ${formatShape(w.value.shape)}, received ${given instanceof Tensor ? formatShape(given.shape) : typeof given}`);
        }
      });
    });
    layers.forEach((l, i) => {
      if (counts[i] > 0) l.setWeights(slices[i]);
    });
  }
}

/** A new Sequential of built `layers`, named after `model`. */
export function rebuild(model: Model, layers: Layer[]): Sequential {
  return new LayerwiseSequential(layers, { name: `${model.name}` });
}

/** `data` as a Tensor whose sample shape is the model's (single) input shape; `what` names the argument. */
export function checkInputs(model: Model, data: unknown, what: string): Tensor {
  const x = toTensor(data, what);
  if (!(model instanceof Sequential) && model.inputs.length !== 1) {
    throw new NeuriteError(`${what}: model '${model.name}' has ${model.inputs.length} inputs; calibration and summaries take models with one input`);
  }
  const expected = model instanceof Sequential ? model.inputShape! : model.inputs[0].shape;
  if (x.rank !== expected.length || x.shape.some((d, i) => i > 0 && expected[i] !== null && d !== expected[i])) {
    throw new ShapeError(`${what}: expected inputs of shape ${formatShape(expected)}, received ${formatShape(x.shape)}`);
  }
  return x;
}

/**
 * Per layer name, the inputs and outputs of its calls on `x`, and the model's output: the layers run
 * one by one without gradients (a Sequential's list, or a functional graph's calls).
 */
export function layerCalls(model: Model, x: Tensor, what: string): { calls: Map<string, LayerCalls>; output: Tensor } {
  if (!(model instanceof Sequential)) {
    const run = functionalCalls(model, [x], what);
    return { calls: run.calls, output: run.outputs[0] };
  }
  const acts = layerInputs(model.layers, x);
  const calls = new Map<string, LayerCalls>(model.layers.map((l, i) => [l.name, { inputs: [acts[i]], outputs: [acts[i + 1]] }]));
  return { calls, output: acts[acts.length - 1] };
}

/** The input of every layer and the final output, running `layers` in order on `x` without gradients. */
export function layerInputs(layers: readonly Layer[], x: Tensor): Tensor[] {
  return noGrad(() => {
    const out = [x];
    for (const l of layers) out.push(l.apply(out[out.length - 1], { training: false }));
    return out;
  });
}
