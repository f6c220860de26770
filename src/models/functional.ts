import { ValueError } from '../util/errors.js';
import { Tensor } from '../tensor/tensor.js';
import { GraphNode } from '../graph/node.js';
import { Flow, runGraph } from '../graph/executor.js';
import { SymbolicTensor } from '../graph/symbolic-tensor.js';
import { GraphPlan, planGraph, planOperations } from '../graph/topology.js';
import { Layer, Mask, Masks } from '../layers/layer.js';
import { InputLayer } from '../layers/input-layer.js';
import { flattenSymbolic, Structure } from './structure.js';

/**
 * The graph behind a functional model: its planned nodes, how inputs and outputs were given (one, an
 * array, named), their names, and its layers in the order Keras lists them (inputs first, then by first use).
 */
export class FunctionalGraph {
  readonly plan: GraphPlan;
  readonly inputStructure: Structure;
  readonly outputStructure: Structure;
  /** Input names: the object's keys when inputs were named, else the InputLayers' names. */
  readonly inputNames: string[];
  /** Output names: the object's keys when outputs were named, else the producing layers' names. */
  readonly outputNames: string[];
  readonly layers: Layer[];

  constructor(inputs: unknown, outputs: unknown, where: string) {
    const ins = flattenSymbolic(inputs, 'inputs', where);
    const outs = flattenSymbolic(outputs, 'outputs', where);
    ins.tensors.forEach((t, i) => {
      if (!(t.node.operation instanceof InputLayer)) {
        throw new ValueError(`${where}: inputs[${i}] (${t.name}) is not made by Input(); a model's inputs must be Input() tensors`);
      }
    });
    this.plan = planGraph(ins.tensors, outs.tensors, where);
    this.inputStructure = ins.structure;
    this.outputStructure = outs.structure;
    this.layers = planOperations<Layer>(this.plan);
    const names = new Map<string, Layer>();
    for (const l of this.layers) {
      const other = names.get(l.name);
      if (other !== undefined && other !== l) {
        throw new ValueError(`${where}: two layers are named '${l.name}' (${other.className} and ${l.className}); layer names in a model must be unique`);
      }
      names.set(l.name, l);
    }
    this.inputNames = ins.structure.kind === 'dict' ? ins.structure.keys : ins.tensors.map((t) => t.node.operation.name);
    this.outputNames = outs.structure.kind === 'dict' ? outs.structure.keys : uniqueOutputNames(outs.tensors);
  }

  /** Runs the graph on real inputs (one per model input) and returns one output per model output. */
  run(xs: readonly Tensor[], training: boolean, masks: readonly Mask[] = []): Flow[] {
    const feeds = xs.map((value, i) => ({ value, mask: masks[i] ?? null }));
    return runGraph(this.plan, feeds, (node, inputs) => runNode(node, inputs, training));
  }

  /** The model's output shapes for inputs of the shapes it was built with (batch `null`). */
  get outputShapes(): (number | null)[][] {
    return this.plan.outputs.map((t) => [...t.shape]);
  }
}

/** Layer names, with `_1`, `_2` … where one layer gives several outputs. */
function uniqueOutputNames(outputs: readonly SymbolicTensor[]): string[] {
  const seen = new Map<string, number>();
  return outputs.map((t) => {
    const base = t.node.operation.name;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return n === 0 ? base : `${base}_${n}`;
  });
}

/** Calls a node's layer on real inputs with their masks, and computes the masks of its outputs. */
function runNode(node: GraphNode, inputs: Flow[], training: boolean): Flow[] {
  const layer = node.operation as Layer;
  const dataCount = inputs.length - node.args.initialStates;
  const data = inputs.slice(0, dataCount);
  const states = inputs.slice(dataCount).map((f) => f.value);
  const x = node.args.inputIsList ? data.map((f) => f.value) : data[0].value;
  const anyMask = data.some((f) => f.mask !== null);
  const mask: Masks | undefined = !anyMask ? undefined : node.args.inputIsList ? data.map((f) => f.mask) : data[0].mask;
  const ys = layer.applyMulti(x, { training, mask, initialState: states.length > 0 ? states : undefined });
  const outMask = layer.computeMask(x, mask);
  return ys.map((value, i) => ({ value, mask: Array.isArray(outMask) ? (outMask[i] ?? null) : outMask }));
}
