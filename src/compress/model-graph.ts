import { NeuriteError } from '../util/errors.js';
import { Tensor } from '../tensor/tensor.js';
import { noGrad } from '../autograd/record.js';
import { GraphNode } from '../graph/node.js';
import { SymbolicTensor } from '../graph/symbolic-tensor.js';
import { planGraph } from '../graph/topology.js';
import { InputLayer } from '../layers/input-layer.js';
import { Layer } from '../layers/layer.js';
import { Model } from '../models/model.js';
import { Sequential } from '../models/sequential.js';

/**
 * Functional models for the compression tools: their layers, a copy with layers replaced (the calls
 * replayed on the same Input tensors, so the graph's shape is kept and shared layers stay shared),
 * and the inputs every layer saw on real data. Sequential models take the plain list paths in
 * model-layers.ts; these handle graphs made with `new Model({ inputs, outputs })`.
 */

/** True for a model built from a graph of symbolic tensors (not Sequential, not subclassed). */
export function isFunctional(model: Model): boolean {
  return !(model instanceof Sequential) && model.className === 'Functional';
}

/** The calls of a functional model's graph, producers first (Input nodes excluded). */
function graphNodes(model: Model, what: string): readonly GraphNode[] {
  return planGraph(model.inputs, model.outputs, `${what}: model '${model.name}'`).nodes;
}

/** The layers of a functional model that compute (InputLayers left out), each once, in call order. */
export function functionalLayers(model: Model, what: string): Layer[] {
  const seen = new Set<Layer>();
  for (const node of graphNodes(model, what)) {
    const layer = node.operation as Layer;
    if (!(layer instanceof InputLayer)) seen.add(layer);
  }
  return [...seen];
}

/** Splits a node's inputs into its data (one tensor or a list) and a recurrent layer's initial states. */
function callArgs<T>(node: GraphNode, values: T[]): { x: T | T[]; states: T[] } {
  const dataCount = values.length - node.args.initialStates;
  const data = values.slice(0, dataCount);
  return { x: node.args.inputIsList ? data : data[0], states: values.slice(dataCount) };
}

/**
 * A new functional model (named as `model`) whose layers are `replace(layer)`, called once per layer,
 * with every call of the graph replayed on the new layers. The Input tensors are reused (InputLayers
 * hold no weights). Outputs keep their order; a model with one output keeps one.
 */
export function rewriteFunctional(model: Model, replace: (layer: Layer) => Layer, what: string): Model {
  const swapped = new Map<Layer, Layer>();
  const value = new Map<SymbolicTensor, SymbolicTensor>(model.inputs.map((t) => [t, t]));
  for (const node of graphNodes(model, what)) {
    const old = node.operation as Layer;
    let layer = swapped.get(old);
    if (layer === undefined) swapped.set(old, (layer = replace(old)));
    const { x, states } = callArgs(node, node.inputs.map((t) => value.get(t)!));
    const outs = layer.applyMulti(x as SymbolicTensor, states.length > 0 ? { initialState: states as never } : {}) as unknown as SymbolicTensor[];
    node.outputs.forEach((t, i) => value.set(t, outs[i]));
  }
  const ins = model.inputs;
  const outs = model.outputs.map((t) => value.get(t)!);
  return new Model({ name: model.name, inputs: ins.length === 1 ? ins[0] : ins, outputs: outs.length === 1 ? outs[0] : outs });
}

/** What one layer received and gave in a run, over all its calls. */
export interface LayerCalls {
  inputs: Tensor[];
  outputs: Tensor[];
}

/**
 * Runs a functional model on real inputs (one tensor per model input), without gradients and in
 * inference mode, recording per layer name the inputs and outputs of each of its calls; also the
 * model's outputs. Layers with a list input (merges) record nothing (no compress tool needs them).
 */
export function functionalCalls(model: Model, xs: Tensor[], what: string): { calls: Map<string, LayerCalls>; outputs: Tensor[] } {
  if (xs.length !== model.inputs.length) throw new NeuriteError(`${what}: model '${model.name}' has ${model.inputs.length} inputs, received ${xs.length}`);
  return noGrad(() => {
    const value = new Map<SymbolicTensor, Tensor>(model.inputs.map((t, i) => [t, xs[i]]));
    const calls = new Map<string, LayerCalls>();
    for (const node of graphNodes(model, what)) {
      const layer = node.operation as Layer;
      const { x, states } = callArgs(node, node.inputs.map((t) => value.get(t)!));
      const outs = layer.applyMulti(x as Tensor, { training: false, ...(states.length > 0 ? { initialState: states } : {}) }) as Tensor[];
      node.outputs.forEach((t, i) => value.set(t, outs[i]));
      if (Array.isArray(x) || states.length > 0) continue;
      const entry = calls.get(layer.name) ?? { inputs: [], outputs: [] };
      entry.inputs.push(x);
      entry.outputs.push(outs[0]);
      calls.set(layer.name, entry);
    }
    return { calls, outputs: model.outputs.map((t) => value.get(t)!) };
  });
}
