import type { GraphNode } from './node.js';

/** A dimension list as graphs describe it: `null` where the size is not known before data (the batch). */
export type SymbolicShape = (number | null)[];

/** The element types a symbolic tensor can stand for (integer inputs feed embeddings). */
export type SymbolicDType = 'float32' | 'int32';

/**
 * A placeholder for a tensor in a graph under construction (Keras's `KerasTensor`): its shape, the
 * node that produces it and which of that node's outputs it is. It holds no data; models built from
 * symbolic tensors run real tensors through the same graph.
 * @example const x = Input({ shape: [4] }); const y = new Dense(2).apply(x); // y.shape [null, 2]
 */
export class SymbolicTensor {
  /** Shape with the batch first (`null` = any size). */
  readonly shape: SymbolicShape;
  /** `'float32'`, or `'int32'` for integer inputs (stored as float32 values when run). */
  readonly dtype: SymbolicDType;
  /** The node whose output this is. */
  readonly node: GraphNode;
  /** Which output of `node` this is. */
  readonly index: number;
  /** A readable name: `dense/output`, `dense/output:1` for a second output. */
  readonly name: string;

  constructor(shape: readonly (number | null)[], dtype: SymbolicDType, node: GraphNode, index: number) {
    this.shape = [...shape];
    this.dtype = dtype;
    this.node = node;
    this.index = index;
    this.name = `${node.operation.name}/output${index === 0 ? '' : `:${index}`}`;
  }

  /** The rank (number of dimensions). */
  get rank(): number {
    return this.shape.length;
  }

  /** `SymbolicTensor(name, shape=[null, 4])`. */
  toString(): string {
    return `SymbolicTensor(${this.name}, shape=[${this.shape.map((d) => (d === null ? 'null' : d)).join(', ')}])`;
  }
}

/** True for a symbolic tensor (also one made by another copy of the library). */
export function isSymbolic(value: unknown): value is SymbolicTensor {
  return value instanceof SymbolicTensor;
}
