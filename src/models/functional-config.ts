// A functional model's Keras config, as TF.js reads it: every layer with its `inbound_nodes` in
// Keras 2's list form (`[[producer, nodeIndex, tensorIndex, {}], …]` per call), then the input and
// output layers as `[layer, nodeIndex, tensorIndex]`. Node indices count only the calls inside this
// model, as Keras does, so a layer shared with another model keeps its numbering here.
import { NeuriteError } from '../util/errors.js';
import { GraphNode } from '../graph/node.js';
import { SymbolicTensor } from '../graph/symbolic-tensor.js';
import { Layer } from '../layers/layer.js';
import type { FunctionalGraph } from './functional.js';

/** Each layer's calls that belong to the graph, in the order they were made. */
function nodesInGraph(graph: FunctionalGraph): Map<Layer, GraphNode[]> {
  const inGraph = new Set<GraphNode>([...graph.plan.nodes, ...graph.plan.inputs.map((t) => t.node)]);
  const out = new Map<Layer, GraphNode[]>();
  for (const layer of graph.layers) out.set(layer, layer.inboundNodes.filter((n) => inGraph.has(n)));
  return out;
}

/** `[producer, nodeIndex, tensorIndex]` of a tensor, numbered within the graph. */
function reference(t: SymbolicTensor, nodes: Map<Layer, GraphNode[]>): [string, number, number] {
  const producer = t.node.operation as Layer;
  const index = nodes.get(producer)?.indexOf(t.node) ?? -1;
  if (index < 0) throw new NeuriteError(`save: tensor ${t.name} comes from a call of '${producer.name}' outside the model`);
  // Keras 2 and TF.js count a nested model's construction as its call 0, so its calls start at 1.
  const nested = typeof (producer as { getLayer?: unknown }).getLayer === 'function';
  return [producer.name, index + (nested ? 1 : 0), t.index];
}

/** A layer's entry in a functional config: class, config, name and inbound nodes. */
function layerEntry(layer: Layer, nodes: Map<Layer, GraphNode[]>): Record<string, unknown> {
  const calls = (nodes.get(layer) ?? []).filter((n) => !n.isInput);
  return {
    class_name: layer.className,
    config: layer.getConfig(),
    name: layer.name,
    inbound_nodes: calls.map((n) => n.inputs.map((t) => [...reference(t, nodes), {}])),
  };
}

/** The Keras config of a functional model (`name`, `layers`, `input_layers`, `output_layers`). */
export function functionalConfig(name: string, graph: FunctionalGraph): Record<string, unknown> {
  const nodes = nodesInGraph(graph);
  return {
    name,
    trainable: true,
    layers: graph.layers.map((l) => layerEntry(l, nodes)),
    input_layers: graph.plan.inputs.map((t) => reference(t, nodes)),
    output_layers: graph.plan.outputs.map((t) => reference(t, nodes)),
  };
}
