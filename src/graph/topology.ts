import { NeuriteError, ValueError } from '../util/errors.js';
import { GraphNode } from './node.js';
import { SymbolicTensor } from './symbolic-tensor.js';

/** A graph ready to run: its inputs, outputs, and the nodes between them in an order that respects every edge. */
export interface GraphPlan {
  readonly inputs: readonly SymbolicTensor[];
  readonly outputs: readonly SymbolicTensor[];
  /** Every node needed for the outputs, producers before consumers, the model inputs' nodes excluded. */
  readonly nodes: readonly GraphNode[];
}

/**
 * Orders the nodes that lead from `inputs` to `outputs` (iterative depth-first search, so a graph of
 * thousands of nodes cannot overflow the stack). A tensor that needs a value no input provides makes a
 * NeuriteError naming it and the inputs: Keras's "graph disconnected".
 */
export function planGraph(inputs: readonly SymbolicTensor[], outputs: readonly SymbolicTensor[], where: string): GraphPlan {
  const sources = new Set(inputs);
  if (sources.size !== inputs.length) throw new ValueError(`${where}: the same input tensor is listed twice`);
  const order: GraphNode[] = [];
  const done = new Set<GraphNode>();
  const onPath = new Set<GraphNode>();
  const stack: { node: GraphNode; next: number; from: SymbolicTensor }[] = [];
  const push = (t: SymbolicTensor): void => {
    if (sources.has(t) || done.has(t.node)) return;
    if (onPath.has(t.node)) throw new NeuriteError(`${where}: the graph has a cycle through ${t.node.operation.name}`);
    if (t.node.isInput) {
      throw new ValueError(
        `${where}: graph disconnected: ${t.name} (shape [${t.shape.map(String).join(', ')}]) comes from input '${t.node.operation.name}', ` +
          `which is not among the model's inputs (${inputs.map((i) => `'${i.node.operation.name}'`).join(', ') || 'none'})`,
      );
    }
    onPath.add(t.node);
    stack.push({ node: t.node, next: 0, from: t });
  };
  for (const out of outputs) {
    push(out);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top.next < top.node.inputs.length) {
        push(top.node.inputs[top.next++]);
        continue;
      }
      stack.pop();
      onPath.delete(top.node);
      done.add(top.node);
      order.push(top.node);
    }
  }
  return { inputs: [...inputs], outputs: [...outputs], nodes: order };
}

/** The operations of a plan's nodes in first-use order, inputs first (each once): what `model.layers` lists. */
export function planOperations<T>(plan: GraphPlan): T[] {
  const seen = new Set<unknown>();
  const out: T[] = [];
  const add = (op: unknown): void => {
    if (!seen.has(op)) {
      seen.add(op);
      out.push(op as T);
    }
  };
  for (const t of plan.inputs) add(t.node.operation);
  for (const n of plan.nodes) add(n.operation);
  return out;
}
