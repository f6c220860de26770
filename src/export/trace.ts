// The symbolic graph of any model: Sequential and functional models have one; a subclassed model is
// traced by calling its `call` once on symbolic inputs, which records every `layer.apply` as a node.
import type { GraphNode } from '../graph/node.js';
import { isSymbolic, SymbolicTensor } from '../graph/symbolic-tensor.js';
import { GraphPlan, planGraph } from '../graph/topology.js';
import { Layer } from '../layers/layer.js';
import { InputLayer } from '../layers/input-layer.js';
import { Model } from '../models/model.js';
import { Sequential } from '../models/sequential.js';
import { OnnxExportError } from './builder.js';

/** A model's graph, and `release()` to drop the nodes a trace left on the layers. */
export interface TracedGraph {
  plan: GraphPlan;
  release: () => void;
}

/** True when the model was made with `new Model({ inputs, outputs })`. */
function isFunctional(model: Model): boolean {
  return model.className === 'Functional';
}

/** The plan of a model; a subclassed one is traced on an Input of the shape it was built with. */
export function modelGraph(model: Model, where: string, inputShape?: readonly (number | null)[]): TracedGraph {
  if (model instanceof Sequential || isFunctional(model)) {
    if (inputShape !== undefined) throw new OnnxExportError(`${where}: inputShape is only for subclassed models; this model's graph has its own input shapes`);
    return { plan: planGraph(model.inputs, model.outputs, where), release: () => undefined };
  }
  return traceSubclassed(model, where, inputShape);
}

/**
 * The input shape a subclassed model is traced with: the `inputShape` option (one sample, no batch), else
 * the shape its first tracked layer was built with (right when that layer is the one `call` feeds first).
 */
function traceShape(model: Model, where: string, inputShape?: readonly (number | null)[]): (number | null)[] {
  if (inputShape !== undefined) {
    if (!Array.isArray(inputShape) || !inputShape.every((d) => d === null || (Number.isSafeInteger(d) && d > 0))) {
      throw new OnnxExportError(`${where}: expected inputShape to be a list of positive integers (or null), received ${JSON.stringify(inputShape)}`);
    }
    return [null, ...inputShape];
  }
  const shape = model.inputShapeBuilt ?? model.layers[0]?.inputShapeBuilt ?? null;
  if (shape === null || Array.isArray(shape[0])) {
    throw new OnnxExportError(
      `${where}: the input shape of subclassed model '${model.name}' is unknown; call it on data first, or pass inputShape (one sample, without the batch)`,
    );
  }
  return [null, ...(shape as (number | null)[]).slice(1)];
}

function traceSubclassed(model: Model, where: string, inputShape?: readonly (number | null)[]): TracedGraph {
  const shape = traceShape(model, where, inputShape);
  const layers = model.layers;
  const before = new Map<Layer, number>(layers.map((l) => [l, l.inboundNodes.length]));
  const release = (): void => {
    for (const [l, n] of before) l.inboundNodes.splice(n);
  };
  const input = new InputLayer({ batchShape: shape, name: `${model.name}_input` }).symbolic;
  let out: unknown;
  try {
    out = model.call(input as never, { training: false });
  } catch (e) {
    release();
    const why = e instanceof Error ? e.message : String(e);
    throw new OnnxExportError(
      `${where}: could not trace subclassed model '${model.name}': its call() must compose layers with layer.apply (raw ops on tensors cannot be traced; pass inputShape if the traced shape is wrong). The call failed with: ${why}`,
    );
  }
  const outs = Array.isArray(out) ? out : [out];
  if (!outs.every((t) => isSymbolic(t))) {
    release();
    throw new OnnxExportError(`${where}: could not trace subclassed model '${model.name}': call() returned something other than layer outputs`);
  }
  return { plan: planGraph([input], outs as SymbolicTensor[], where), release };
}

/** Every node of a plan, descending into models used as layers. */
export function allNodes(plan: GraphPlan): GraphNode[] {
  const out: GraphNode[] = [];
  for (const node of plan.nodes) {
    const op = node.operation;
    if (op instanceof Model) out.push(...allNodes(planGraph(op.inputs, op.outputs, op.name)));
    else out.push(node);
  }
  return out;
}
