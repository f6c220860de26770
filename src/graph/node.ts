import type { SymbolicTensor } from './symbolic-tensor.js';

/** What a graph node calls: a layer (or a model used as one). The graph knows only its names. */
export interface GraphOperation {
  readonly name: string;
  readonly className: string;
}

/** How a call was made, so it can be replayed (and written to a file) exactly. */
export interface NodeArgs {
  /** True when the operation received an array of inputs (merge layers), false for one tensor. */
  inputIsList: boolean;
  /** How many of the trailing inputs are initial states of a recurrent layer (Keras's `initial_state`). */
  initialStates: number;
}

/**
 * One call of an operation on symbolic tensors (Keras's `Node`): which tensors went in, which came
 * out. Calling the same layer twice makes two nodes that share the layer's weights.
 */
export class GraphNode {
  readonly operation: GraphOperation;
  readonly inputs: readonly SymbolicTensor[];
  /** Filled by the caller right after construction (outputs need the node to point at). */
  outputs: SymbolicTensor[] = [];
  readonly args: NodeArgs;

  constructor(operation: GraphOperation, inputs: readonly SymbolicTensor[], args: NodeArgs) {
    this.operation = operation;
    this.inputs = [...inputs];
    this.args = args;
  }

  /** True for the node an `Input` makes: no inputs, one output. */
  get isInput(): boolean {
    return this.inputs.length === 0;
  }
}
