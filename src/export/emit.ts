// Walks a planned graph and converts each node, carrying each tensor's ONNX name and, where a layer
// made one, its mask (float [batch, steps], 1 keep / 0 skip), as the graph executor carries masks.
import type { GraphNode } from '../graph/node.js';
import type { SymbolicTensor } from '../graph/symbolic-tensor.js';
import { GraphPlan, planGraph } from '../graph/topology.js';
import { Layer } from '../layers/layer.js';
import { Model } from '../models/model.js';
import { OnnxBuilder, OnnxExportError } from './builder.js';
import { ConvertArgs, Converter } from './converter.js';
import { converters } from './converters.js';
import { outputMasks } from './masks.js';

/** ONNX names of tensors and of their masks (null: no mask). */
export interface Emitted {
  names: string[];
  masks: (string | null)[];
}

/** Emits the nodes of a plan given ONNX names (and masks) for its inputs; returns those of its outputs. */
export function emitPlan(b: OnnxBuilder, plan: GraphPlan, inputs: Emitted): Emitted {
  const names = new Map<SymbolicTensor, string>();
  const masks = new Map<SymbolicTensor, string | null>();
  plan.inputs.forEach((t, i) => {
    names.set(t, inputs.names[i]);
    masks.set(t, inputs.masks[i] ?? null);
  });
  for (const node of plan.nodes) {
    const out = emitNode(b, node, { names: node.inputs.map((t) => names.get(t)!), masks: node.inputs.map((t) => masks.get(t) ?? null) });
    node.outputs.forEach((t, i) => {
      names.set(t, out.names[i]);
      masks.set(t, out.masks[i] ?? null);
    });
  }
  return { names: plan.outputs.map((t) => names.get(t)!), masks: plan.outputs.map((t) => masks.get(t) ?? null) };
}

function emitNode(b: OnnxBuilder, node: GraphNode, inputs: Emitted): Emitted {
  const op = node.operation;
  if (op instanceof Model) return emitPlan(b, planGraph(op.inputs, op.outputs, op.name), inputs);
  const layer = op as Layer;
  const convert = converters[layer.className] as Converter;
  const outer = b.current;
  b.current = layer.name;
  const config = layer.getConfig();
  // Only channels-last exists in neurite; refuse anything else rather than export a wrong layout.
  if (config.data_format !== undefined && config.data_format !== 'channels_last') {
    throw new OnnxExportError(`exportOnnx: layer '${layer.name}' (${layer.className}) has data_format '${String(config.data_format)}'; only channels_last exports`);
  }
  const a: ConvertArgs = {
    b,
    layer,
    config,
    inputs: inputs.names,
    // Initial states of a recurrent layer carry no mask; only the data inputs' masks reach the layer.
    masks: inputs.masks.slice(0, inputs.names.length - node.args.initialStates),
    inputShapes: node.inputs.map((t) => t.shape),
    outputShapes: node.outputs.map((t) => t.shape),
  };
  const names = convert(a);
  const masks = outputMasks(a, names);
  b.current = outer;
  return { names, masks };
}
