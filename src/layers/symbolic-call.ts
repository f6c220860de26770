import { ValueError } from '../util/errors.js';
import { GraphNode } from '../graph/node.js';
import { SymbolicDType, SymbolicTensor } from '../graph/symbolic-tensor.js';
import type { Layer, Shape, Shapes } from './layer.js';
import { isShapeList } from './shape-list.js';

/**
 * Records a call of `layer` on symbolic tensors: builds the layer for their shapes (weights are made
 * now, once, and shared by every later call), adds a node, and returns symbolic outputs whose shapes
 * come from `computeOutputShape`. `states` are a recurrent layer's initial states.
 */
export function callSymbolic(layer: Layer, x: SymbolicTensor | SymbolicTensor[], states: readonly SymbolicTensor[]): SymbolicTensor[] {
  const inputs = Array.isArray(x) ? x : [x];
  const shapes: Shapes = Array.isArray(x) ? x.map((t) => [...t.shape]) : [...x.shape];
  layer.ensureBuilt(shapes);
  const outShapes = layer.computeOutputShape(shapes);
  const list: Shape[] = isShapeList(outShapes) ? outShapes : [outShapes];
  const node = new GraphNode(layer, [...inputs, ...states], { inputIsList: Array.isArray(x), initialStates: states.length });
  const dtype: SymbolicDType = layer.outputDType(inputs.map((t) => t.dtype));
  node.outputs = list.map((s, i) => new SymbolicTensor(s, dtype, node, i));
  layer.inboundNodes.push(node);
  return node.outputs;
}

/** Splits an apply argument into symbolic and real parts; mixing them is an error naming the layer. */
export function symbolicInputs(where: string, x: unknown, states: unknown): { symbolic: boolean } {
  const items = [...(Array.isArray(x) ? x : [x]), ...(Array.isArray(states) ? states : [])];
  const count = items.filter((t) => t instanceof SymbolicTensor).length;
  if (count > 0 && count < items.length) {
    throw new ValueError(
      `${where}: received ${count} symbolic tensor(s) (from Input()) and ${items.length - count} other value(s) in one call; ` +
        'a call is either symbolic (building a model) or eager (real Tensors), not both',
    );
  }
  return { symbolic: count > 0 };
}
