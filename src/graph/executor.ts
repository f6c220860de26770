import { Tensor } from '../tensor/tensor.js';
import { GraphNode } from './node.js';
import { SymbolicTensor } from './symbolic-tensor.js';
import { GraphPlan } from './topology.js';

/** A real tensor and its mask (1 keep / 0 skip per time step), as they flow along one edge. */
export interface Flow {
  value: Tensor;
  mask: Tensor | null;
}

/** Runs one node on real inputs; the model layer supplies it (the graph does not know layers). */
export type RunNode = (node: GraphNode, inputs: Flow[]) => Flow[];

/**
 * Runs a planned graph on real tensors: feeds the inputs, then each node in order, and returns the
 * outputs. Values are dropped as soon as no later node needs them, so a deep graph keeps only its
 * frontier alive (autograd still holds what backward needs).
 */
export function runGraph(plan: GraphPlan, feeds: readonly Flow[], run: RunNode): Flow[] {
  const values = new Map<SymbolicTensor, Flow>();
  plan.inputs.forEach((t, i) => values.set(t, feeds[i]));
  const uses = countUses(plan);
  for (const node of plan.nodes) {
    const inputs = node.inputs.map((t) => values.get(t)!);
    const outs = run(node, inputs);
    node.outputs.forEach((t, i) => values.set(t, outs[i]));
    for (const t of node.inputs) {
      const left = uses.get(t)! - 1;
      uses.set(t, left);
      if (left === 0) values.delete(t);
    }
  }
  return plan.outputs.map((t) => values.get(t)!);
}

/** How many node inputs read each tensor, plus one for each time it is a model output (never dropped). */
function countUses(plan: GraphPlan): Map<SymbolicTensor, number> {
  const uses = new Map<SymbolicTensor, number>();
  const add = (t: SymbolicTensor, n: number): void => {
    uses.set(t, (uses.get(t) ?? 0) + n);
  };
  for (const node of plan.nodes) for (const t of node.inputs) add(t, 1);
  for (const t of plan.outputs) add(t, Number.POSITIVE_INFINITY);
  return uses;
}
